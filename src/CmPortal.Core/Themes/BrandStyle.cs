using CmPortal.Core.Modules;
using CmPortal.Core.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Themes;

/// <summary>
/// The brand's look as the site theme applies it (CSS custom properties). The module that owns
/// the graphic charter supplies it through <see cref="IBrandStyleSource"/>; otherwise, accessible defaults.
/// Every colour is <c>#rrggbb</c> and every font stack is checked before it gets here: the layout
/// writes them into a style element.
/// </summary>
public sealed record BrandStyle(
    string Primary, string OnPrimary, string Accent, string Background, string Text,
    string HeadingFont, string BodyFont, string? LogoUrl)
{
    /// <summary>The colour of links on the background; the primary colour unless that is not readable there.</summary>
    public string? Link { get; init; }

    /// <summary>The brand's public introduction (its mission), shown on the site's home page.</summary>
    public string? Introduction { get; init; }

    /// <summary>The font files of the heading and body fonts, written as <c>@font-face</c> rules so the fonts really load.</summary>
    public IReadOnlyList<FontFace> FontFaces { get; init; } = [];

    /// <summary>The brand's profiles on the networks, shown by the site with each network's logo.</summary>
    public IReadOnlyList<NetworkProfile> Networks { get; init; } = [];

    /// <summary>Defaults whose text pairs pass WCAG 2.1 AA (contrast ≥ 4.5:1).</summary>
    public static readonly BrandStyle Default = new(
        Primary: "#1d4ed8", OnPrimary: "#ffffff", Accent: "#b45309", Background: "#ffffff", Text: "#1f2937",
        HeadingFont: "Georgia, 'Times New Roman', serif", BodyFont: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", LogoUrl: null);
}

/// <summary>
/// One font file: a family name (letters, digits, spaces, hyphens), a same-origin address, a weight and, for a subset,
/// the characters it covers. Checked by whoever builds it, since the layout writes it into a style element.
/// </summary>
public sealed record FontFace(string Family, string Url, int Weight, string? UnicodeRange = null)
{
    /// <summary>The rule; <c>font-display: swap</c> shows the text in the fallback font until the file has arrived.</summary>
    public string Css() =>
        $"@font-face {{ font-family: '{Family}'; font-style: normal; font-weight: {Weight}; font-display: swap; src: url('{Url}') format('woff2');" +
        (UnicodeRange is null ? "" : $" unicode-range: {UnicodeRange};") + " }";
}

/// <summary>A brand's profile on a network: the network's name, the profile's address and the network's logo (an SVG).</summary>
public sealed record NetworkProfile(string Name, string Url, string IconUrl);

/// <summary>Implemented by the module that owns a workspace's graphic charter; registered with <see cref="ModuleServices.AddBrandStyleSource{T}"/>.</summary>
public interface IBrandStyleSource
{
    Task<BrandStyle?> FindAsync(Workspace workspace, CancellationToken ct);
}

/// <summary>A link the public site shows in its header and on its home page, e.g. the community charter.</summary>
public sealed record SiteLink(string Title, string? Description, string Path, int Order = 100);

/// <summary>Implemented by a module with public pages; registered with <see cref="ModuleServices.AddSiteLinks{T}"/>.</summary>
public interface ISiteLinkSource
{
    /// <summary>Titles are English keys: the site theme translates them. Paths are relative to the workspace, e.g. "charter".</summary>
    Task<IReadOnlyList<SiteLink>> FindAsync(Workspace workspace, CancellationToken ct);
}

/// <summary>A site contribution and the module it belongs to: it counts only where that module is on.</summary>
public sealed record SiteContribution(Type Implementation, string ModuleId);

/// <summary>What the site theme asks for: the brand's style and links, from the modules on in the workspace.</summary>
public sealed class BrandStyles(IEnumerable<SiteContribution> contributions, ModuleFeatures features, WorkspaceContext context, IServiceProvider services)
{
    private IReadOnlySet<string>? _enabled;

    public async Task<BrandStyle> ForAsync(Workspace workspace, CancellationToken ct = default)
    {
        foreach (var source in await ContributorsAsync<IBrandStyleSource>(workspace, ct))
            if (await source.FindAsync(workspace, ct) is { } style) return style;
        return BrandStyle.Default;
    }

    public async Task<IReadOnlyList<SiteLink>> LinksAsync(Workspace workspace, CancellationToken ct = default)
    {
        var links = new List<SiteLink>();
        foreach (var source in await ContributorsAsync<ISiteLinkSource>(workspace, ct))
            links.AddRange(await source.FindAsync(workspace, ct));
        return links.OrderBy(l => l.Order).ThenBy(l => l.Title, StringComparer.Ordinal).ToList();
    }

    /// <summary>The site's public addresses the modules on in the workspace publish, for its sitemap (the home page not included).</summary>
    public async Task<IReadOnlyList<SitemapEntry>> SitemapAsync(Workspace workspace, CancellationToken ct = default)
    {
        var entries = new List<SitemapEntry>();
        foreach (var source in await ContributorsAsync<ISitemapSource>(workspace, ct))
            entries.AddRange(await source.FindAsync(workspace, ct));
        return entries;
    }

    private async Task<IEnumerable<T>> ContributorsAsync<T>(Workspace workspace, CancellationToken ct)
    {
        var mine = contributions.Where(c => typeof(T).IsAssignableFrom(c.Implementation)).ToList();
        if (mine.Count == 0) return [];
        _enabled ??= context.Current?.Id == workspace.Id && context.EnabledModules is { } known ? known : await features.EnabledAsync(workspace.Id, ct);
        return mine.Where(c => _enabled.Contains(c.ModuleId)).Select(c => (T)services.GetRequiredService(c.Implementation));
    }
}
