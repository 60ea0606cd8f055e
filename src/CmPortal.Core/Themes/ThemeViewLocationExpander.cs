using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Themes;

/// <summary>
/// Looks for a view in the active theme first, so that a theme can override any
/// module view: admin pages use the admin theme, public pages the workspace's site theme.
/// </summary>
internal sealed class ThemeViewLocationExpander : IViewLocationExpander
{
    private const string Key = "theme";

    public void PopulateValues(ViewLocationExpanderContext context)
    {
        var http = context.ActionContext.HttpContext;
        var themes = http.RequestServices.GetRequiredService<ThemeCatalog>();
        // The account pages (password, tokens) belong to the admin, with its theme.
        context.Values[Key] = AdminPaths.IsAdmin(http.Request.Path) || http.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase)
            ? themes.Admin.Id
            : http.RequestServices.GetRequiredService<WorkspaceContext>().Current?.SiteTheme ?? themes.DefaultSiteTheme;
    }

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        if (!context.Values.TryGetValue(Key, out var theme) || string.IsNullOrEmpty(theme)) return viewLocations;
        var themed = new List<string>();
        themed.Add(context.AreaName is { Length: > 0 } area
            ? $"/Themes/{theme}/Overrides/{area}/{{1}}/{{0}}.cshtml"
            : $"/Themes/{theme}/Overrides/{{1}}/{{0}}.cshtml");
        themed.Add($"/Themes/{theme}/Overrides/Shared/{{0}}.cshtml");
        themed.Add($"/Themes/{theme}/{{0}}.cshtml");
        return themed.Concat(viewLocations);
    }
}
