using CmPortal.Modules.ContentCalendar.Data;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>
/// Which state a person may move a post to, and the permission it takes. Published and failed are set by
/// publishing only. Approval depends on the workspace's mode: none (a scheduler schedules a draft), one step, or two
/// steps (a community manager, then a brand manager holding the final approval).
/// </summary>
internal static class PostStates
{
    /// <summary>States a post with a date is shown in on the calendar (archived and ideas are not).</summary>
    public static readonly IReadOnlySet<PostState> OnCalendar = new HashSet<PostState>
        { PostState.Draft, PostState.InReview, PostState.Approved, PostState.Scheduled, PostState.Published, PostState.Failed };

    /// <summary>States whose content is under an approval: changing the content sends the post back to review.</summary>
    public static readonly IReadOnlySet<PostState> Approved = new HashSet<PostState> { PostState.Approved, PostState.Scheduled };

    /// <summary>The permission moving <paramref name="from"/> to <paramref name="to"/> takes; null when no one may.</summary>
    public static string? PermissionFor(PostState from, PostState to, ApprovalMode mode) => (from, to) switch
    {
        _ when from == to => null,
        (PostState.Published, PostState.Archived) => CalendarPermissions.Write.Name,
        (PostState.Published, _) or (_, PostState.Published) or (_, PostState.Failed) => null,
        (_, PostState.Archived) => CalendarPermissions.Write.Name,
        (PostState.Archived, PostState.Idea or PostState.Draft) => CalendarPermissions.Write.Name,
        (PostState.Archived, _) => null,
        (PostState.Idea, PostState.Draft) or (PostState.Draft, PostState.Idea) => CalendarPermissions.Write.Name,
        (PostState.Idea or PostState.Draft, PostState.InReview) => mode == ApprovalMode.None ? null : CalendarPermissions.Write.Name,
        // Withdrawn by its writer, or sent back by a reviewer (the service asks a reviewer for a comment).
        (PostState.InReview, PostState.Draft) => CalendarPermissions.Write.Name,
        (PostState.InReview, PostState.Approved) => CalendarPermissions.Approve.Name,
        (PostState.Draft, PostState.Approved) => mode == ApprovalMode.None ? CalendarPermissions.Approve.Name : null,
        (PostState.Draft, PostState.Scheduled) => mode == ApprovalMode.None ? CalendarPermissions.Schedule.Name : null,
        (PostState.Approved or PostState.Failed, PostState.Scheduled) => CalendarPermissions.Schedule.Name,
        (PostState.Scheduled, PostState.Approved) => CalendarPermissions.Schedule.Name,
        (PostState.Scheduled or PostState.Approved, PostState.Draft) => CalendarPermissions.Write.Name,
        _ => null,
    };

    /// <summary>The states a person holding the permissions may move the post to, in the usual order.</summary>
    public static IEnumerable<PostState> Next(PostState from, ApprovalMode mode, Func<string, bool> holds) =>
        Enum.GetValues<PostState>().Where(to => PermissionFor(from, to, mode) is { } permission && holds(permission));
}
