using CmPortal.Core.Workspaces;

namespace CmPortal.Modules.CommunityCharter.Data;

/// <summary>The one editable draft of a workspace's charter. Never shown on a public page.</summary>
internal sealed class CharterDraft : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    /// <summary>The <see cref="CharterDocument"/> as JSON.</summary>
    public required string Document { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>
/// A published version: numbered 1, 2, 3… per workspace, dated, with the document and the HTML it rendered
/// to at publication. Never changed afterwards (<see cref="CommunityCharterDbContext"/> refuses it).
/// </summary>
internal sealed class CharterVersion : IWorkspaceOwned
{
    public Guid Id { get; init; }
    public Guid WorkspaceId { get; set; }
    public int Number { get; init; }
    public DateTime PublishedUtc { get; init; }
    public string? PublishedBy { get; init; }
    /// <summary>What changed since the previous version; required from version 2 on.</summary>
    public string? ChangeNote { get; init; }
    /// <summary>The <see cref="CharterDocument"/> as JSON.</summary>
    public required string Document { get; init; }
    /// <summary>The sanitised HTML of the introduction, sections and rules, with their anchors and numbers.</summary>
    public required string Html { get; init; }
}
