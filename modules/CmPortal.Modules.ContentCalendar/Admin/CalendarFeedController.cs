using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Feeds;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>
/// "Subscribe in my calendar app": the member's own private feed of this workspace's scheduled posts. Its address is
/// shown once, when it is made; afterwards the page shows when it was made, and replaces or revokes it.
/// </summary>
[Route("admin/{workspace}/calendar/feed")]
[RequirePermission("ContentCalendar.View")]
internal sealed class CalendarFeedController(FeedTokenService feeds, WorkspaceContext workspace, PermissionService permissions,
    IStringLocalizer<CalendarFeedController> T) : Controller
{
    private string Base => $"/admin/{workspace.Required.Key}/calendar/feed";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var current = PermissionService.UserId(User) is { } userId ? await feeds.CurrentAsync(userId, ct) : null;
        var url = TempData["FeedUrl"] as string;
        return View(new CalendarFeedModel(current, url, workspace.Required.TimeZone));
    }

    /// <summary>Creates the member's feed, or replaces it (the old address stops at once).</summary>
    [HttpPost("")]
    public async Task<IActionResult> Create(CancellationToken ct)
    {
        var actor = await PostActor.ForAsync(User, permissions, workspace.Required, ct);
        var (feed, secret, problems) = await feeds.CreateAsync(actor, ct);
        if (feed is null)
        {
            TempData["Error"] = string.Join(" ", problems.Select(p => T.Problem(p).Value));
            return Redirect(Base);
        }
        // Shown once: only the hash is kept.
        TempData["FeedUrl"] = $"{Request.Scheme}://{Request.Host}/feeds/{secret}.ics";
        return Redirect(Base);
    }

    [HttpPost("revoke")]
    public async Task<IActionResult> Revoke(CancellationToken ct)
    {
        if (PermissionService.UserId(User) is not { } userId || !await feeds.RevokeAsync(userId, ct)) return NotFound();
        TempData["Message"] = T["Your calendar feed is revoked: its address no longer opens."].Value;
        return Redirect(Base);
    }
}

/// <param name="NewUrl">The address just made, shown this once.</param>
internal sealed record CalendarFeedModel(FeedToken? Current, string? NewUrl, string Zone)
{
    /// <summary>The same address for calendar apps that subscribe from a click (webcal://).</summary>
    public string? WebcalUrl => NewUrl is null ? null : "webcal://" + NewUrl[(NewUrl.IndexOf("://", StringComparison.Ordinal) + 3)..];
}
