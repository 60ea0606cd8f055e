using CmPortal.Core.Themes;
using CmPortal.Core.Workspaces;

namespace CmPortal.Modules.CommunityCharter.Public;

/// <summary>Links the charter from the public site's header and home page, once a version is published.</summary>
internal sealed class CharterSiteLinks(PublishedCharters charters) : ISiteLinkSource
{
    public const string Title = "Community charter";
    public const string Description = "The rules we all sign up to: what is welcome, how moderation works, how to appeal.";

    public async Task<IReadOnlyList<SiteLink>> FindAsync(Workspace workspace, CancellationToken ct) =>
        await charters.CurrentAsync(workspace.Id, ct) is null ? [] : [new SiteLink(Title, Description, "charter", 100)];
}

/// <summary>Lists the charter's page in the site's sitemap, once a version is published.</summary>
internal sealed class CharterSitemap(PublishedCharters charters) : ISitemapSource
{
    public async Task<IReadOnlyList<SitemapEntry>> FindAsync(Workspace workspace, CancellationToken ct) =>
        await charters.CurrentAsync(workspace.Id, ct) is { } current ? [new SitemapEntry("/charter", current.PublishedUtc)] : [];
}
