using CmPortal.Core.Workspaces;

namespace CmPortal.Core.Themes;

/// <summary>One public address of a workspace's site for <c>/{key}/sitemap.xml</c>.</summary>
/// <param name="Path">Relative to the site, starting with "/": "/charter", "/blog/rentree-des-bougies".</param>
/// <param name="LastModifiedUtc">When what the address shows last changed, if known.</param>
public sealed record SitemapEntry(string Path, DateTime? LastModifiedUtc = null);

/// <summary>
/// Implemented by a module with public pages (registered with <see cref="Modules.ModuleServices.AddSitemapSource{T}"/>):
/// the addresses it publishes, listed in the site's sitemap only where the module is on.
/// </summary>
public interface ISitemapSource
{
    Task<IReadOnlyList<SitemapEntry>> FindAsync(Workspace workspace, CancellationToken ct);
}
