using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Blog.Articles;
using CmPortal.Modules.Blog.Data;
using CmPortal.Modules.Blog.Public;
using CmPortal.Modules.ContentCalendar.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Blog.Admin;

/// <summary>The editor's fields, posted back as typed.</summary>
internal sealed class ArticleForm
{
    public string? Title { get; set; }
    public string? Slug { get; set; }
    public string? Summary { get; set; }
    public string? BodyMarkdown { get; set; }
    public Guid? CoverMediaId { get; set; }
    public string? CoverAlt { get; set; }
    public string? AuthorName { get; set; }
    public string? Tags { get; set; }
    /// <summary>The version the editor loaded (0 for a new article).</summary>
    public int Version { get; set; }

    public ArticleInput ToInput() => new()
    {
        Title = Title, Slug = Slug, Summary = Summary, BodyMarkdown = BodyMarkdown, CoverMediaId = CoverMediaId, CoverAlt = CoverAlt,
        AuthorName = AuthorName, Tags = Tags,
    };

    public static ArticleForm From(Article a) => new()
    {
        Title = a.Title, Slug = a.Slug, Summary = a.Summary, BodyMarkdown = a.BodyMarkdown, CoverMediaId = a.CoverMediaId, CoverAlt = a.CoverAlt,
        AuthorName = a.AuthorName, Tags = a.Tags, Version = a.Version,
    };
}

/// <summary>What the editor page shows: the form, the article as stored (null when new), the library's images, and a preview when asked.</summary>
internal sealed record ArticleEditor(ArticleForm Form, Article? Stored, IReadOnlyList<MediaImage> Images, string? PreviewHtml, Article? Theirs = null)
{
    public bool IsNew => Stored is null;
}

/// <summary>
/// <c>/admin/{workspace}/blog</c>: the articles (state, date, author), the editor (Markdown with a server-rendered
/// preview, a cover from the media library, tags), publishing and taking an article off the public blog.
/// </summary>
[Route("admin/{workspace}/blog")]
[RequirePermission("Blog.View")]
internal sealed class BlogAdminController(ArticleService articles, IMediaLibrary media, WorkspaceContext workspace, IPublishingChannels channels,
    IStringLocalizer<BlogAdminController> T) : Controller
{
    private string Home => $"/admin/{workspace.Required.Key}/blog";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        ViewData["SiteBase"] = "/" + workspace.Required.Key;
        ViewData["TimeZone"] = workspace.Required.TimeZone;
        // The calendar's posts reach the blog through its publishing channel: the page says which, or offers to connect it.
        ViewData["BlogChannel"] = await channels.NameOfKindAsync("blog", ct);
        return View(await articles.ListAsync(ct));
    }

    [HttpGet("new")]
    [RequirePermission("Blog.Write")]
    public async Task<IActionResult> Create(CancellationToken ct) =>
        View("Edit", new ArticleEditor(new ArticleForm { AuthorName = User.FindFirst(System.Security.Claims.ClaimTypes.GivenName)?.Value ?? User.Identity?.Name }, null, await media.ListAsync(ct), null));

    [HttpPost("new")]
    [RequirePermission("Blog.Write")]
    public async Task<IActionResult> Create(ArticleForm form, string? preview, CancellationToken ct)
    {
        ModelState.Clear();
        if (preview is not null) return await EditorAsync(form, null, ct, showPreview: true);
        var outcome = await articles.CreateAsync(form.ToInput(), ct);
        if (!outcome.Succeeded) return await RefusedAsync(form, null, outcome, ct);
        TempData["Message"] = T["Draft “{0}” saved. It is not public until you publish it.", outcome.Article!.Title].Value;
        return Redirect($"{Home}/{outcome.Article.Id}/edit");
    }

    [HttpGet("{article:guid}/edit")]
    public async Task<IActionResult> Edit(Guid article, CancellationToken ct)
    {
        var stored = await articles.FindAsync(article, ct);
        return stored is null ? NotFound() : View("Edit", new ArticleEditor(ArticleForm.From(stored), stored, await media.ListAsync(ct), null));
    }

    [HttpPost("{article:guid}/edit")]
    [RequirePermission("Blog.Write")]
    public async Task<IActionResult> Edit(Guid article, ArticleForm form, string? preview, CancellationToken ct)
    {
        ModelState.Clear();
        var stored = await articles.FindAsync(article, ct);
        if (stored is null) return NotFound();
        if (preview is not null) return await EditorAsync(form, stored, ct, showPreview: true);
        var outcome = await articles.UpdateAsync(article, form.Version, form.ToInput(), ct);
        if (!outcome.Succeeded) return await RefusedAsync(form, stored, outcome, ct);
        TempData["Message"] = outcome.Article!.State == ArticleState.Published
            ? T["“{0}” saved; the public blog shows the change.", outcome.Article.Title].Value
            : T["Draft “{0}” saved. It is not public until you publish it.", outcome.Article.Title].Value;
        return Redirect($"{Home}/{article}/edit");
    }

    [HttpPost("{article:guid}/publish")]
    [RequirePermission("Blog.Publish")]
    public async Task<IActionResult> Publish(Guid article, int version, CancellationToken ct)
    {
        var outcome = await articles.PublishAsync(article, version, ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Succeeded)
            TempData["Message"] = T["“{0}” is published at {1}.", outcome.Article!.Title, articles.PathOf(outcome.Article)].Value;
        else TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return Redirect($"{Home}/{article}/edit");
    }

    [HttpPost("{article:guid}/unpublish")]
    [RequirePermission("Blog.Publish")]
    public async Task<IActionResult> Unpublish(Guid article, int version, CancellationToken ct)
    {
        var outcome = await articles.UnpublishAsync(article, version, ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Succeeded) TempData["Message"] = T["“{0}” is no longer on the public blog. It is a draft again.", outcome.Article!.Title].Value;
        else TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return Redirect($"{Home}/{article}/edit");
    }

    private async Task<IActionResult> RefusedAsync(ArticleForm form, Article? stored, ArticleOutcome outcome, CancellationToken ct)
    {
        Article? theirs = null;
        if (outcome.IsConflict)
        {
            // Nothing of the editor's is lost: the form keeps their text, now based on the version saved meanwhile.
            theirs = outcome.Article;
            form.Version = theirs!.Version;
            stored = theirs;
        }
        foreach (var problem in outcome.Problems)
            ModelState.AddModelError(problem.Field is { Length: > 0 } field ? char.ToUpperInvariant(field[0]) + field[1..] : "", T.Problem(problem).Value);
        return await EditorAsync(form, stored, ct, showPreview: false, theirs);
    }

    private async Task<IActionResult> EditorAsync(ArticleForm form, Article? stored, CancellationToken ct, bool showPreview, Article? theirs = null)
    {
        var preview = showPreview ? ArticleHtml.Render(form.BodyMarkdown) : null;
        if (showPreview) ViewData["Notice"] = T["Preview below. Nothing is saved until you save."].Value;
        return View("Edit", new ArticleEditor(form, stored, await media.ListAsync(ct), preview, theirs));
    }
}
