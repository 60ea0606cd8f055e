using CmPortal.Core.Caching;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;

namespace CmPortal.Modules.CommunityCharter.Public;

/// <summary>What the charter page (and the admin preview) shows.</summary>
/// <param name="SiteBase">The path of the workspace's public site: "/{key}", or "" on a host bound to the workspace.</param>
internal sealed record CharterView(PublishedCharter Charter, string SiteBase, string TimeZone, bool IsPreview = false)
{
    public string CurrentPath => $"{SiteBase}/charter";

    public string VersionPath(int number) => $"{SiteBase}/charter/v/{number}";

    /// <summary>The day of publication in the workspace's time zone.</summary>
    public DateOnly Day(DateTime utc) => DateOnly.FromDateTime(WorkspaceTime.Local(utc, TimeZone));
}

/// <summary>
/// The public charter: <c>/{workspace}/charter</c> (the current version) and <c>/{workspace}/charter/v/{n}</c>
/// (any version, at a stable address), each also under the French alias <c>/charte</c>. Only published
/// versions are served; with nothing published, 404.
/// </summary>
[Route("{workspace}")]
[OutputCache(PolicyName = PublicPageCache.Policy)]
internal sealed class CharterSiteController(PublishedCharters charters, WorkspaceContext workspace, WorkspaceHostMap hosts, PublicUrls urls) : Controller
{
    [HttpGet("charter")]
    [HttpGet("charte")]
    public async Task<IActionResult> Current(CancellationToken ct)
    {
        var charter = await charters.CurrentAsync(workspace.Required.Id, ct);
        return charter is null ? NotFound() : await PageAsync(charter, canonicalPath: "/charter", ct);
    }

    [HttpGet("charter/v/{number:int}")]
    [HttpGet("charte/v/{number:int}")]
    public async Task<IActionResult> Version(int number, CancellationToken ct)
    {
        var charter = await charters.VersionAsync(workspace.Required.Id, number, ct);
        return charter is null ? NotFound() : await PageAsync(charter, canonicalPath: $"/charter/v/{number}", ct);
    }

    private async Task<IActionResult> PageAsync(PublishedCharter charter, string canonicalPath, CancellationToken ct)
    {
        var current = workspace.Required;
        var bound = await hosts.FindKeyAsync(Request.Host.Host, ct) == current.Key;
        var siteBase = bound ? "" : "/" + current.Key;
        // Links within the page follow the address it was asked at; the canonical address is the configured one.
        ViewData["Canonical"] = urls.Site(current, canonicalPath);
        return View("Charter", new CharterView(charter, siteBase, current.TimeZone));
    }
}
