using CmPortal.Core.Themes;

[assembly: PortalTheme(typeof(CmPortal.Themes.Brand.BrandTheme))]

namespace CmPortal.Themes.Brand;

/// <summary>The public site of a brand: its colours, fonts and logo, from the workspace's graphic charter.</summary>
internal sealed class BrandTheme : PortalTheme
{
    public override string Id => "Brand";
    public override string Name => "Brand site";
    public override string Description => "Public pages in the brand's colours, fonts and logo; responsive, accessible, printable.";
    public override ThemeKind Kind => ThemeKind.Site;
}
