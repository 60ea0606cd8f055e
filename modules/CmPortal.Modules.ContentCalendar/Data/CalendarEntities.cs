using CmPortal.Core.Workspaces;

namespace CmPortal.Modules.ContentCalendar.Data;

/// <summary>An image of the workspace's media library, reusable across posts. The bytes live in <see cref="MediaFile"/>.</summary>
internal sealed class MediaItem : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public string Sha256 { get; set; } = "";

    /// <summary>What the image shows, for people who cannot see it; required before a post using it is approved.</summary>
    public string? AltText { get; set; }
    public Guid? UploadedBy { get; set; }
    public DateTime CreatedUtc { get; set; }
}

/// <summary>The bytes of a media item, apart so that listing the library never loads them.</summary>
internal sealed class MediaFile : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public byte[] Content { get; set; } = [];
}

internal enum CampaignKind { Contest, Poll, Live, Launch, Event, Other }

/// <summary>A campaign: posts that serve one objective over a period.</summary>
internal sealed class Campaign : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>Stable identifier within the workspace (recipes, imports and the API name campaigns by it).</summary>
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Objective { get; set; }
    public string? Persona { get; set; }
    public CampaignKind Kind { get; set; } = CampaignKind.Other;
    public DateOnly Start { get; set; }
    public DateOnly End { get; set; }

    /// <summary>"#RRGGBB", the campaign's colour on the calendar.</summary>
    public string Colour { get; set; } = "#6f42c1";

    /// <summary>KPI targets for later reporting, JSON: [{"name":"Participations","target":500}].</summary>
    public string? KpiTargets { get; set; }
    public string? Notes { get; set; }
    public int Version { get; set; }
}

/// <summary>A recurring publishing slot: a network, a weekday and a wall-clock time ("Instagram, Tuesday 18:00").</summary>
internal sealed class QueueSlot : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Network { get; set; } = "";

    /// <summary>ISO day of the week, 1 (Monday) to 7 (Sunday).</summary>
    public int Weekday { get; set; }

    /// <summary>"HH:mm", wall-clock in the workspace's zone.</summary>
    public string Time { get; set; } = "";
}

/// <summary>One saved change of a post: who, when, and what changed (field, before, after).</summary>
internal sealed class PostRevision : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid PostId { get; set; }

    /// <summary>The post's <see cref="Post.Version"/> after the change.</summary>
    public int Version { get; set; }
    public DateTime CreatedUtc { get; set; }
    public Guid? AuthorId { get; set; }

    /// <summary>Who, as they were named then ("Recette", "API", a member's name).</summary>
    public string Author { get; set; } = "";

    /// <summary>JSON list of {"field","from","to"}.</summary>
    public string Changes { get; set; } = "[]";
}

internal enum CommentKind { Comment, Approval, ChangesRequested }

/// <summary>A comment on a post; approvals and change requests are comments too, so the discussion reads in one thread.</summary>
internal sealed class PostComment : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid PostId { get; set; }
    public Guid? AuthorId { get; set; }

    /// <summary>Who, as named then; for a decision maker through an external preview link, the name they typed.</summary>
    public string Author { get; set; } = "";
    public CommentKind Kind { get; set; }
    public string Text { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
}

internal enum ApprovalMode { None, OneStep, TwoSteps }

/// <summary>The calendar's settings for a workspace (one row).</summary>
internal sealed class CalendarSettings : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public ApprovalMode Approval { get; set; } = ApprovalMode.OneStep;

    /// <summary>Decision makers without an account may approve or comment through an external preview link.</summary>
    public bool ExternalApproval { get; set; }
}

/// <summary>A member's private calendar feed address; only the SHA-256 of its secret is stored.</summary>
internal sealed class FeedToken : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid UserId { get; set; }
    public string Sha256 { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
}

/// <summary>A signed link that shows one post, or a week's plan, to someone without an account, until it expires.</summary>
internal sealed class PreviewLink : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Sha256 { get; set; } = "";
    public Guid? PostId { get; set; }

    /// <summary>For a week's plan: its Monday, "yyyy-MM-dd".</summary>
    public string? WeekOf { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
}
