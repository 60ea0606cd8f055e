using CmPortal.Core.Localization;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Settings;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.ContentCalendar.Preview;

/// <summary>
/// The page an external preview link opens: <c>/preview/{token}</c>, at the host's root and not under
/// <c>/{workspace}/</c>, because a workspace's public pages answer 404 while its site is unpublished — and posts are
/// reviewed long before (or without) a public site. The workspace comes from the token. No account needed: the
/// token is the permission. Never cached, never indexed, no referrer (the token is in the address).
/// </summary>
[Route("preview/{token}")]
[EnableRateLimiting(PreviewRateLimit.Policy)]
internal sealed class PreviewController(PreviewLinkService links, PostService posts, CalendarSettingsService settings, IStringLocalizer<PreviewController> T)
    : Controller
{
    public override void OnActionExecuting(ActionExecutingContext context)
    {
        var headers = Response.Headers;
        // Pages with a form get "no-cache, no-store" from antiforgery (which warns when it overrides a value set here).
        Response.OnStarting(() =>
        {
            if (!headers.ContainsKey("Cache-Control")) headers.CacheControl = "no-store, private";
            return Task.CompletedTask;
        });
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers["Referrer-Policy"] = "no-referrer";
        base.OnActionExecuting(context);
    }

    [HttpGet("")]
    public async Task<IActionResult> Show(string token, CancellationToken ct)
    {
        var access = await links.OpenAsync(token, ct);
        if (access.Status != PreviewLinkStatus.Valid) return Closed(access.Status);
        return View("Show", await PageAsync(token, access, null, ct));
    }

    [HttpPost("approve")]
    [ValidateAntiForgeryToken]
    public Task<IActionResult> Approve(string token, Guid postId, int version, string? name, string? comment, CancellationToken ct) =>
        ActAsync(token, postId, name, comment, ct, (actor, c) => posts.TransitionAsync(postId, version, PostState.Approved, actor, comment, c),
            T["Thank you: your approval is recorded."].Value);

    [HttpPost("comment")]
    [ValidateAntiForgeryToken]
    public Task<IActionResult> Comment(string token, Guid postId, string? name, string? comment, CancellationToken ct) =>
        ActAsync(token, postId, name, comment, ct, (actor, c) => posts.CommentAsync(postId, comment, actor, c),
            T["Thank you: your comment is recorded."].Value);

    private async Task<IActionResult> ActAsync(string token, Guid postId, string? name, string? comment, CancellationToken ct,
        Func<PostActor, CancellationToken, Task<PostOutcome>> act, string done)
    {
        var access = await links.OpenAsync(token, ct);
        if (access.Status != PreviewLinkStatus.Valid) return Closed(access.Status);
        if (!(await settings.GetAsync(ct)).ExternalApproval) return NotFound();
        // The link opens its post, or its week's posts: nothing else.
        if (!(await links.PostsAsync(access.Link!, ct)).Any(p => p.Id == postId)) return NotFound();
        string? error = null;
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 80) error = T["Give your name (80 characters at most): it is shown with your answer."].Value;
        else
        {
            var outcome = await act(PreviewLinkService.ExternalActor(name), ct);
            if (outcome.IsNotFound) return NotFound();
            if (!outcome.Succeeded) error = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        }
        var page = await PageAsync(token, access, error is null ? done : null, ct);
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            page = page with { Error = error, Name = name, Comment = comment };
        }
        return View("Show", page);
    }

    private async Task<PreviewPage> PageAsync(string token, PreviewAccess access, string? message, CancellationToken ct)
    {
        var shown = await links.PostsAsync(access.Link!, ct);
        var settingsNow = await settings.GetAsync(ct);
        var comments = new Dictionary<Guid, IReadOnlyList<PostComment>>();
        foreach (var post in shown) comments[post.Id] = await posts.CommentsAsync(post.Id, ct);
        return new PreviewPage(token, access.Workspace!.Workspace.Name, access.Workspace.Workspace.TimeZone, access.Link!, shown, comments,
            settingsNow.ExternalApproval, await posts.ApprovalModeAsync(ct), message);
    }

    /// <summary>An expired or revoked link says so plainly; 410 Gone, so that nothing keeps it. An unknown one is a 404.</summary>
    private ViewResult Closed(PreviewLinkStatus status)
    {
        Response.StatusCode = status == PreviewLinkStatus.Unknown ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone;
        return View("Closed", status);
    }
}

internal sealed record PreviewPage(string Token, string WorkspaceName, string Zone, PreviewLink Link, IReadOnlyList<Post> Posts,
    IReadOnlyDictionary<Guid, IReadOnlyList<PostComment>> Comments, bool CanAnswer, ApprovalMode Mode, string? Message)
{
    public string? Error { get; init; }
    public string? Name { get; init; }
    public string? Comment { get; init; }
}

internal static class PreviewRateLimit
{
    public const string Policy = "ContentCalendar.Preview";
}
