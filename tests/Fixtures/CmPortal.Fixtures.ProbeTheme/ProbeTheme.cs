using CmPortal.Core.Themes;

[assembly: PortalTheme(typeof(CmPortal.Fixtures.ProbeTheme.ProbeSiteTheme))]

namespace CmPortal.Fixtures.ProbeTheme;

/// <summary>A site theme that overrides the host's public home view: proves themes override views.</summary>
public sealed class ProbeSiteTheme : PortalTheme
{
    public override string Id => "ProbeSite";
    public override string Name => "Probe site";
    public override string Description => "Test fixture.";
    public override ThemeKind Kind => ThemeKind.Site;
}
