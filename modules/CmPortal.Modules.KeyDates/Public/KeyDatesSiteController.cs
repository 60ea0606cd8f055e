using CmPortal.Core.Themes;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Modules.KeyDates.KeyDates;
using Microsoft.AspNetCore.Mvc;

namespace CmPortal.Modules.KeyDates.Public;

/// <summary>One occurrence on the public key dates page; the dates are days of the workspace's calendar.</summary>
internal sealed record PublicKeyDate(string Id, string Title, string? Description, DateOnly Start, DateOnly End, KeyDateCategory Category);

/// <summary>What the public key dates page shows.</summary>
/// <param name="SiteBase">"/{key}", or "" on a host bound to the workspace.</param>
internal sealed record KeyDatesPage(IReadOnlyList<PublicKeyDate> Dates, DateOnly Today, string SiteBase);

/// <summary>
/// <c>/{workspace}/temps-forts</c> (and <c>/key-dates</c>): the public key dates of the coming twelve months, counted
/// from today in the workspace's time zone, with their public descriptions only (never the internal notes).
/// </summary>
[Route("{workspace}")]
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = CmPortal.Core.Caching.PublicPageCache.Policy)]
internal sealed class KeyDatesSiteController(KeyDateService keyDates, WorkspaceContext workspace, WorkspaceHostMap hosts, PublicUrls urls, TimeProvider clock) : Controller
{
    public const int Months = 12;

    [HttpGet("temps-forts")]
    [HttpGet("key-dates")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var current = workspace.Required;
        var today = DateOnly.FromDateTime(WorkspaceTime.Local(clock.GetUtcNow().UtcDateTime, current.TimeZone));
        var dates = await keyDates.ListPublicAsync(ct);
        var shown = KeyDateCalendar.Occurrences(dates, today, today.AddMonths(Months).AddDays(-1))
            .Select(o => new PublicKeyDate(o.Date.Slug, o.Date.Title, o.Date.PublicDescription, o.Start, o.End, o.Date.Category)).ToList();
        var bound = await hosts.FindKeyAsync(Request.Host.Host, ct) == current.Key;
        ViewData["Canonical"] = urls.Site(current, "/" + KeyDatesSiteLinks.PathFor(current));
        return View("Index", new KeyDatesPage(shown, today, bound ? "" : "/" + current.Key));
    }
}

/// <summary>Links the key dates page from the site's header and home page when the workspace has public key dates.</summary>
internal sealed class KeyDatesSiteLinks(KeyDateService keyDates) : ISiteLinkSource
{
    public const string Title = "Key dates";
    public const string Description = "The moments of our year: events, launches and seasonal rendezvous.";

    /// <summary>The page's address in the workspace's language.</summary>
    public static string PathFor(Workspace workspace) => workspace.Culture.StartsWith("fr", StringComparison.Ordinal) ? "temps-forts" : "key-dates";

    public async Task<IReadOnlyList<SiteLink>> FindAsync(Workspace workspace, CancellationToken ct) =>
        await keyDates.AnyPublicAsync(ct) ? [new SiteLink(Title, Description, PathFor(workspace), 200)] : [];
}
