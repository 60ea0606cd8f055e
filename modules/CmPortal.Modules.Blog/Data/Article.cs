using CmPortal.Core.Workspaces;
using CmPortal.Modules.Blog.Articles;

namespace CmPortal.Modules.Blog.Data;

internal enum ArticleState { Draft, Published }

/// <summary>An article of the brand's blog: Markdown body, optional cover from the media library, draft or published.</summary>
internal sealed class Article : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>The last part of its address, unique in the workspace: lowercase letters, digits and hyphens.</summary>
    public string Slug { get; set; } = "";
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    public string BodyMarkdown { get; set; } = "";
    public Guid? CoverMediaId { get; set; }
    public string? CoverAlt { get; set; }
    public string? AuthorName { get; set; }

    /// <summary>Comma-separated, as typed (trimmed, without duplicates).</summary>
    public string? Tags { get; set; }
    public ArticleState State { get; set; }

    /// <summary>First publication (kept when the article is unpublished and published again).</summary>
    public DateTime? PublishedUtc { get; set; }
    public DateTime UpdatedUtc { get; set; }

    /// <summary>Incremented on each save; an edit based on an older one is refused (nothing lost).</summary>
    public int Version { get; set; }

    /// <summary>The publishing delivery that wrote it; unique in the workspace, so a retried delivery writes no second article.</summary>
    public string? DeliveryKey { get; set; }

    public IReadOnlyList<string> TagList => ArticleRules.SplitTags(Tags);
}
