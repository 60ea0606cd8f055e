using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Preview;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>Working on a post together: comments with @mentions, and preview links for decision makers without an account.</summary>
[Route("admin/{workspace}/posts")]
[RequirePermission("ContentCalendar.View")]
internal sealed class PostCollaborationController(PostService posts, PreviewLinkService links, PostLists lists, WorkspaceContext workspace,
    PermissionService permissions, IStringLocalizer<PostCollaborationController> T) : Controller
{
    private string Base => $"/admin/{workspace.Required.Key}/posts";

    [HttpPost("{key:guid}/comments")]
    [RequirePermission("ContentCalendar.View")] // the service lets those who write or approve posts comment
    public async Task<IActionResult> Comment(Guid key, string? comment, CancellationToken ct)
    {
        var outcome = await posts.CommentAsync(key, comment, await ActorAsync(ct), ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.IsForbidden) return Forbid();
        if (!outcome.Succeeded) TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = T["Comment added."].Value;
        return Redirect($"{Base}/{key}#comments-title");
    }

    [HttpGet("preview-links")]
    [RequirePermission("ContentCalendar.Approve")]
    public async Task<IActionResult> Links(CancellationToken ct)
    {
        var list = await links.ListAsync(null, ct);
        var ids = list.Where(l => l.PostId is not null).Select(l => l.PostId!.Value).Distinct().ToList();
        var texts = await lists.ExcerptsAsync(ids, ct);
        return View(new PreviewLinksModel(list, texts, TempData["PreviewUrl"] as string, workspace.Required.TimeZone, DateTime.UtcNow));
    }

    [HttpPost("preview-links")]
    [RequirePermission("ContentCalendar.Approve")]
    public async Task<IActionResult> CreateLink(Guid? postId, string? weekOf, int? days, CancellationToken ct)
    {
        var (link, token, problems) = await links.CreateAsync(postId, weekOf, days ?? PreviewLinkService.DefaultDays, await ActorAsync(ct), ct);
        if (link is null)
        {
            TempData["Error"] = string.Join(" ", problems.Select(p => T.Problem(p).Value));
            return Redirect(postId is { } id ? $"{Base}/{id}" : $"{Base}/preview-links");
        }
        // Shown once: only the hash is kept.
        TempData["PreviewUrl"] = $"{Request.Scheme}://{Request.Host}/preview/{token}";
        return Redirect($"{Base}/preview-links");
    }

    [HttpPost("preview-links/{id:guid}/revoke")]
    [RequirePermission("ContentCalendar.Approve")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken ct)
    {
        if (!await links.RevokeAsync(id, await ActorAsync(ct), ct)) return NotFound();
        TempData["Message"] = T["The link no longer opens."].Value;
        return Redirect($"{Base}/preview-links");
    }

    private Task<PostActor> ActorAsync(CancellationToken ct) => PostActor.ForAsync(User, permissions, workspace.Required, ct);
}

internal sealed record PreviewLinksModel(IReadOnlyList<PreviewLink> Links, IReadOnlyDictionary<Guid, string> PostTexts, string? NewUrl, string Zone, DateTime NowUtc);
