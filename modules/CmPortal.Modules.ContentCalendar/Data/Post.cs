using CmPortal.Core.Workspaces;

namespace CmPortal.Modules.ContentCalendar.Data;

/// <summary>
/// Where a post stands. Publishing sets <see cref="Published"/> and <see cref="Failed"/>; people move it through the
/// others as their permissions allow (see <c>Posts.PostStates</c>).
/// </summary>
internal enum PostState { Idea, Draft, InReview, Approved, Scheduled, Published, Failed, Archived }

/// <summary>
/// A post of the content calendar: a main text with one variant per target network, planned at a wall-clock time of
/// the workspace's time zone, once or by a recurrence rule. Without a date it sits in the backlog (the stock).
/// </summary>
internal sealed class Post : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>Stable identifier within the workspace for recipes and exports ("concours-printemps-1"); null for posts written in the portal.</summary>
    public string? Slug { get; set; }

    /// <summary>The text every variant starts from.</summary>
    public string Text { get; set; } = "";
    public PostState State { get; set; } = PostState.Draft;

    /// <summary>
    /// Wall-clock start in the workspace's zone, "yyyy-MM-ddTHH:mm" (sortable, and free of the server's zone);
    /// null for a post of the backlog.
    /// </summary>
    public string? StartsLocal { get; set; }

    /// <summary>The instant of the first occurrence, for window queries; null in the backlog.</summary>
    public DateTime? StartsUtc { get; set; }

    /// <summary>The instant of the last occurrence; null when a recurring post never ends (or in the backlog).</summary>
    public DateTime? EndsUtc { get; set; }

    /// <summary>An RFC 5545 RRULE value ("FREQ=WEEKLY;BYDAY=TU;COUNT=10"); null for a one-off post.</summary>
    public string? Recurrence { get; set; }

    /// <summary>Dates of the series that do not happen ("yyyy-MM-dd", comma-separated): skipped, or detached into a post of their own.</summary>
    public string? SkippedDates { get; set; }

    /// <summary>For an occurrence given its own text or time: the series it was detached from, and the date it replaces.</summary>
    public Guid? SeriesId { get; set; }
    public string? OccurrenceDate { get; set; }

    /// <summary>The pillar of the editorial line, by name (and so value or promotion).</summary>
    public string? Pillar { get; set; }
    public Guid? CampaignId { get; set; }

    /// <summary>The slug of a key date of the workspace.</summary>
    public string? KeyDate { get; set; }
    public string? Persona { get; set; }
    public Guid? AuthorId { get; set; }
    public Guid? AssigneeId { get; set; }

    /// <summary>Comma-separated free labels.</summary>
    public string? Labels { get; set; }
    public string? Notes { get; set; }

    /// <summary>Can be reused from the backlog once published (a timeless tip, a FAQ answer).</summary>
    public bool Evergreen { get; set; }

    /// <summary>Media ids of the main text, in order, comma-separated.</summary>
    public string? Media { get; set; }

    /// <summary>The publishing channels the post goes to (ids, comma-separated); null: every active channel of its networks.</summary>
    public string? Channels { get; set; }

    /// <summary>Approvals given since the post last went to review (two-step approval needs two different people).</summary>
    public int Approvals { get; set; }

    /// <summary>Raised on every save; a save based on an older version is refused (two people editing the same post).</summary>
    public int Version { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }

    public List<PostVariant> Variants { get; set; } = [];

    /// <summary>
    /// The networks of <see cref="Variants"/> by position, comma-separated (null without any): a copy kept by
    /// <c>Posts.PostService</c> in the same save, so the calendar window reads one table. The variants stay the truth.
    /// </summary>
    public string? Networks { get; set; }
}

/// <summary>A post as it goes out on one network: starts as a copy of the main text and may diverge.</summary>
internal sealed class PostVariant : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid PostId { get; set; }

    /// <summary>A network id of <c>CmPortal.Core.Networks.SocialNetworks</c>.</summary>
    public string Network { get; set; } = "";

    /// <summary>The variant's own text; null while it follows the main text.</summary>
    public string? Text { get; set; }

    /// <summary>A link to go with the post (a network card), when the network shows one.</summary>
    public string? Link { get; set; }

    /// <summary>Media ids, in order, comma-separated; null while it follows the main text's media.</summary>
    public string? Media { get; set; }

    /// <summary>Draft-check warnings someone read and accepted, one key per line ("Kind:start:text").</summary>
    public string? AcknowledgedWarnings { get; set; }

    /// <summary>
    /// For a thread: the parts that follow the variant's text (parts 2..n), in order, as a JSON array of strings;
    /// null for a single post. Read and written through <see cref="Posts.PostThread"/>.
    /// </summary>
    public string? Thread { get; set; }

    public int Position { get; set; }
}
