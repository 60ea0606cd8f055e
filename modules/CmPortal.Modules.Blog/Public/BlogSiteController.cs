using CmPortal.Core.Caching;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Blog.Articles;
using CmPortal.Modules.Blog.Data;
using CmPortal.Modules.ContentCalendar.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace CmPortal.Modules.Blog.Public;

/// <summary>What the blog's list page shows.</summary>
/// <param name="SiteBase">The path of the workspace's public site: "/{key}", or "" on a host bound to the workspace.</param>
internal sealed record BlogListView(ArticlePage Page, string SiteBase, string TimeZone)
{
    public string PagePath(int page) => page <= 1 ? $"{SiteBase}/blog" : $"{SiteBase}/blog?page={page}";
    public string ArticlePath(Article article) => $"{SiteBase}/blog/{article.Slug}";
    public DateOnly Day(DateTime utc) => DateOnly.FromDateTime(WorkspaceTime.Local(utc, TimeZone));
}

/// <summary>What an article's public page shows (also the admin's preview, with <see cref="IsPreview"/>).</summary>
internal sealed record ArticleView(Article Article, string Html, string SiteBase, string TimeZone, bool IsPreview = false)
{
    public string BlogPath => $"{SiteBase}/blog";
    public string? CoverPath => Article.CoverMediaId is null || IsPreview ? null : $"{SiteBase}/blog/{Article.Slug}/cover";
    public DateOnly Day(DateTime utc) => DateOnly.FromDateTime(WorkspaceTime.Local(utc, TimeZone));
}

/// <summary>
/// The public blog: <c>/{workspace}/blog</c> (10 articles a page, newest first, <c>?page=2</c>), <c>/{workspace}/blog/{slug}</c>,
/// and the feeds <c>rss.xml</c> and <c>atom.xml</c>. Only published articles; a draft, an unknown slug or page is 404.
/// </summary>
[Route("{workspace}/blog")]
[OutputCache(PolicyName = PublicPageCache.Policy)]
internal sealed class BlogSiteController(ArticleService articles, WorkspaceContext workspace, WorkspaceHostMap hosts, PublicUrls urls,
    IStringLocalizer<BlogSiteController> T) : Controller
{
    // The public page cache keys on the path alone: the page number must be part of the key.
    [HttpGet("")]
    [OutputCache(PolicyName = PublicPageCache.Policy, VaryByQueryKeys = ["page"])]
    public async Task<IActionResult> Index(int page = 1, CancellationToken ct = default)
    {
        var list = await articles.PublishedPageAsync(page, ct);
        // Page 1 exists even empty (the blog without articles yet); past the last page, nothing.
        if (page < 1 || (page > 1 && list.Articles.Count == 0)) return NotFound();
        var current = workspace.Required;
        ViewData["Canonical"] = urls.Site(current, page == 1 ? "/blog" : $"/blog?page={page}");
        ViewData["Feeds"] = FeedLinks(current);
        return View("Index", new BlogListView(list, await SiteBaseAsync(ct), current.TimeZone));
    }

    [HttpGet("{slug}")]
    public async Task<IActionResult> Article(string slug, CancellationToken ct)
    {
        var article = await articles.FindPublishedAsync(slug, ct);
        if (article is null) return NotFound();
        var current = workspace.Required;
        ViewData["Canonical"] = urls.Site(current, "/blog/" + article.Slug);
        ViewData["Feeds"] = FeedLinks(current);
        if (article.CoverMediaId is not null) ViewData["OgImage"] = urls.Site(current, $"/blog/{article.Slug}/cover");
        return View("Article", new ArticleView(article, ArticleHtml.Render(article), await SiteBaseAsync(ct), current.TimeZone));
    }

    [HttpGet("rss.xml")]
    public async Task<IActionResult> Rss(CancellationToken ct) =>
        Content(BlogFeeds.Rss(await ChannelAsync(ct)), "application/rss+xml; charset=utf-8");

    [HttpGet("atom.xml")]
    public async Task<IActionResult> Atom(CancellationToken ct) =>
        Content(BlogFeeds.AtomFeed(await ChannelAsync(ct)), "application/atom+xml; charset=utf-8");

    private async Task<BlogFeeds.Channel> ChannelAsync(CancellationToken ct)
    {
        var current = workspace.Required;
        var latest = await articles.LatestPublishedAsync(current.Id, BlogFeeds.Size, ct);
        return new BlogFeeds.Channel(current, T["{0}: the blog", current.Name].Value, T["News from the brand: new collections, behind the scenes, advice."].Value,
            path => urls.Site(current, path), latest);
    }

    private FeedLink[] FeedLinks(Workspace current) =>
    [
        new("application/rss+xml", T["{0}: the blog (RSS)", current.Name].Value, urls.Site(current, "/blog/rss.xml")),
        new("application/atom+xml", T["{0}: the blog (Atom)", current.Name].Value, urls.Site(current, "/blog/atom.xml")),
    ];

    private async Task<string> SiteBaseAsync(CancellationToken ct)
    {
        var current = workspace.Required;
        // Links within the page follow the address it was asked at; the canonical address is the configured one.
        return await hosts.FindKeyAsync(Request.Host.Host, ct) == current.Key ? "" : "/" + current.Key;
    }
}

/// <summary>A feed named in the page's head, for readers' autodiscovery.</summary>
internal sealed record FeedLink(string Type, string Title, string Href);

/// <summary>
/// A published article's cover, <c>/{workspace}/blog/{slug}/cover</c>: the media library's bytes with their checked
/// content type. Only for a published article with a cover (else 404). An image id's bytes never change, so browsers
/// keep it an hour and revalidate with its ETag.
/// </summary>
[Route("{workspace}/blog")]
internal sealed class BlogCoverController(ArticleService articles, IMediaLibrary media) : Controller
{
    [HttpGet("{slug}/cover")]
    public async Task<IActionResult> Cover(string slug, CancellationToken ct)
    {
        var article = await articles.FindPublishedAsync(slug, ct);
        if (article?.CoverMediaId is not { } id) return NotFound();
        var image = await media.FindAsync(id, ct);
        if (image is null) return NotFound();
        var etag = new EntityTagHeaderValue($"\"{image.Id:N}\"");
        Response.Headers.CacheControl = "public, max-age=3600";
        Response.Headers.ETag = etag.ToString();
        Response.Headers.XContentTypeOptions = "nosniff";
        if (Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } wanted && wanted.Any(e => e.Compare(etag, useStrongComparison: false)))
            return StatusCode(StatusCodes.Status304NotModified);
        var bytes = await media.ReadBytesAsync(id, ct);
        return bytes is null ? NotFound() : File(bytes, image.ContentType);
    }
}
