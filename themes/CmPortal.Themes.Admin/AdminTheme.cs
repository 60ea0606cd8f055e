using CmPortal.Core.Themes;

[assembly: PortalTheme(typeof(CmPortal.Themes.Admin.AdminTheme))]

namespace CmPortal.Themes.Admin;

/// <summary>The admin's look: Bootstrap, a side menu of what the user may do, a workspace switcher.</summary>
internal sealed class AdminTheme : PortalTheme
{
    public override string Id => "Admin";
    public override string Name => "Admin";
    public override string Description => "Clean, responsive Bootstrap admin, in French and English.";
    public override ThemeKind Kind => ThemeKind.Admin;
}
