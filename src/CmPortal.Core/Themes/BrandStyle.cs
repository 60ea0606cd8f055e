using CmPortal.Core.Workspaces;

namespace CmPortal.Core.Themes;

/// <summary>
/// The brand's look as the site theme applies it (CSS custom properties). The graphic charter
/// module supplies it through <see cref="IBrandStyleSource"/>; until then, accessible defaults.
/// </summary>
public sealed record BrandStyle(
    string Primary, string OnPrimary, string Accent, string Background, string Text,
    string HeadingFont, string BodyFont, string? LogoUrl)
{
    /// <summary>Defaults whose text pairs pass WCAG 2.1 AA (contrast ≥ 4.5:1).</summary>
    public static readonly BrandStyle Default = new(
        Primary: "#1d4ed8", OnPrimary: "#ffffff", Accent: "#b45309", Background: "#ffffff", Text: "#1f2937",
        HeadingFont: "Georgia, 'Times New Roman', serif", BodyFont: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", LogoUrl: null);
}

/// <summary>Implemented by the module that owns a workspace's graphic charter.</summary>
public interface IBrandStyleSource
{
    Task<BrandStyle?> FindAsync(Workspace workspace, CancellationToken ct);
}

public sealed class BrandStyles(IEnumerable<IBrandStyleSource> sources)
{
    public async Task<BrandStyle> ForAsync(Workspace workspace, CancellationToken ct = default)
    {
        foreach (var source in sources)
            if (await source.FindAsync(workspace, ct) is { } style) return style;
        return BrandStyle.Default;
    }
}
