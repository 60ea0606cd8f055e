using CmPortal.Core.Themes;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Blog.Articles;

namespace CmPortal.Modules.Blog.Public;

/// <summary>Links the blog from the public site's header and home page, once an article is published.</summary>
internal sealed class BlogSiteLinks(ArticleService articles) : ISiteLinkSource
{
    public const string Title = "Blog";
    public const string Description = "News from the brand: new collections, behind the scenes, advice.";

    public async Task<IReadOnlyList<SiteLink>> FindAsync(Workspace workspace, CancellationToken ct) =>
        (await articles.LatestPublishedAsync(workspace.Id, 1, ct)).Count == 0 ? [] : [new SiteLink(Title, Description, "blog", 200)];
}

/// <summary>The blog and each published article in the site's sitemap.</summary>
internal sealed class BlogSitemap(ArticleService articles) : ISitemapSource
{
    /// <summary>Sitemaps hold at most 50,000 addresses; a brand's blog is far from it.</summary>
    private const int MaxArticles = 10_000;

    public async Task<IReadOnlyList<SitemapEntry>> FindAsync(Workspace workspace, CancellationToken ct)
    {
        var published = await articles.LatestPublishedAsync(workspace.Id, MaxArticles, ct);
        if (published.Count == 0) return [];
        return [new SitemapEntry("/blog", published.Max(a => a.UpdatedUtc)), .. published.Select(a => new SitemapEntry($"/blog/{a.Slug}", a.UpdatedUtc))];
    }
}
