using CmPortal.Modules.ContentCalendar.Data;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>How states and the history's fields are named for people (English, translated by the module's fr.json).</summary>
internal static class StateNames
{
    public static string Of(PostState state) => state switch
    {
        PostState.Idea => "Idea",
        PostState.Draft => "Draft",
        PostState.InReview => "In review",
        PostState.Approved => "Approved",
        PostState.Scheduled => "Scheduled",
        PostState.Published => "Published",
        PostState.Failed => "Failed",
        _ => "Archived",
    };

    /// <summary>The verb of the button that moves a post to <paramref name="to"/>.</summary>
    public static string Action(PostState from, PostState to) => (from, to) switch
    {
        (_, PostState.Idea) => "Back to ideas",
        (PostState.Idea, PostState.Draft) => "Start the draft",
        (PostState.Archived, PostState.Draft) => "Restore as a draft",
        (PostState.InReview, PostState.Draft) => "Send back to draft",
        (PostState.Scheduled or PostState.Approved, PostState.Draft) => "Back to draft",
        (_, PostState.InReview) => "Submit for review",
        (_, PostState.Approved) when from == PostState.Scheduled => "Unschedule",
        (_, PostState.Approved) => "Approve",
        (PostState.Failed, PostState.Scheduled) => "Schedule again",
        (_, PostState.Scheduled) => "Schedule",
        _ => "Archive",
    };

    /// <summary>The Bootstrap colour of a state's badge.</summary>
    public static string Badge(PostState state) => state switch
    {
        PostState.Idea => "text-bg-light border",
        PostState.Draft => "text-bg-secondary",
        PostState.InReview => "text-bg-warning",
        PostState.Approved => "text-bg-info",
        PostState.Scheduled => "text-bg-primary",
        PostState.Published => "text-bg-success",
        PostState.Failed => "text-bg-danger",
        _ => "text-bg-dark",
    };

    public static string Field(string field) => field switch
    {
        "created" => "Post created",
        "text" => "Text",
        "state" => "State",
        "startsAt" => "Date and time",
        "recurrence" => "Recurrence",
        "skippedDates" => "Skipped dates",
        "pillar" => "Pillar",
        "campaign" => "Campaign",
        "keyDate" => "Key date",
        "persona" => "Persona",
        "assigneeId" => "Assignee",
        "labels" => "Labels",
        "notes" => "Internal notes",
        "evergreen" => "Evergreen",
        "media" => "Images",
        "networks" => "Networks",
        "channels" => "Channels",
        "approval" => "Approval",
        _ when field.EndsWith(".link", StringComparison.Ordinal) => "Link",
        _ when field.EndsWith(".media", StringComparison.Ordinal) => "Images",
        _ when field.EndsWith(".thread", StringComparison.Ordinal) => "Thread",
        _ => "Text",
    };
}
