using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CmPortal.Modules.ContentCalendar.Feeds;

/// <summary>
/// <c>GET /feeds/{token}.ics</c>: a member's private calendar feed of the workspace's scheduled posts, which Google
/// Agenda, Outlook or Apple Calendar poll. At the host's root, like <c>/preview/{token}</c>: it works on any host and
/// while the brand's public site is unpublished, and the workspace comes from the token. No cookie: the token is the
/// permission, checked (membership, permission, account) at every request. Anything that does not open answers 404.
/// </summary>
[Route("feeds")]
[EnableRateLimiting(FeedRateLimit.Policy)]
internal sealed class FeedController(FeedTokenService feeds, ScheduledPostsFeed feed) : Controller
{
    [HttpGet("{token}.ics")]
    public async Task<IActionResult> Show(string token, CancellationToken ct)
    {
        var headers = Response.Headers;
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers["Referrer-Policy"] = "no-referrer"; // the token is in the address
        var access = await feeds.OpenAsync(token, ct);
        if (access is null)
        {
            headers.CacheControl = "no-store";
            return NotFound();
        }
        // Calendar apps send no language: the events speak the brand's, as its public pages do.
        var culture = CultureInfo.GetCultureInfo(access.Workspace.Workspace.Culture);
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, culture);
        // Private: the member's own address, never kept by a shared cache; apps poll every few hours anyway.
        headers.CacheControl = "private, max-age=300";
        return Content(await feed.WriteAsync(new Uri($"{Request.Scheme}://{Request.Host}/"), ct), "text/calendar; charset=utf-8");
    }
}

internal static class FeedRateLimit
{
    public const string Policy = "ContentCalendar.Feed";
}
