using System.Reflection;

namespace CmPortal.Core.Themes;

public enum ThemeKind { Admin, Site }

/// <summary>
/// A theme is a Razor class library that lays out pages. Its views live under
/// <c>/Themes/{Id}/</c>: the layout (<c>_AdminLayout</c> or <c>_SiteLayout</c>),
/// shared partials, and overrides of module views at
/// <c>/Themes/{Id}/Overrides/{Area}/{Controller}/{View}.cshtml</c> (without the area for the host's own views).
/// </summary>
public abstract class PortalTheme
{
    public abstract string Id { get; }
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract ThemeKind Kind { get; }
}

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class PortalThemeAttribute(Type themeType) : Attribute
{
    public Type ThemeType { get; } = themeType;
}

public sealed class ThemeCatalog(IEnumerable<PortalTheme> themes)
{
    public IReadOnlyList<PortalTheme> Themes { get; } = themes.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();

    public IEnumerable<PortalTheme> SiteThemes => Themes.Where(t => t.Kind == ThemeKind.Site);

    /// <summary>Null when <paramref name="id"/> names a site theme, else what is wrong and the choices (field "siteTheme").</summary>
    public Validation.Problem? SiteThemeProblem(string? id) => SiteThemes.Any(t => t.Id == id) ? null
        : new Validation.Problem("siteTheme", "There is no site theme \"{0}\". Use one of: {1}.", id, Validation.ProblemValue.List(SiteThemes.Select(t => t.Id)));

    public PortalTheme Admin => Themes.FirstOrDefault(t => t.Kind == ThemeKind.Admin)
        ?? throw new InvalidOperationException("No admin theme is referenced by the host.");

    public string DefaultSiteTheme => SiteThemes.Select(t => t.Id).FirstOrDefault()
        ?? throw new InvalidOperationException("No site theme is referenced by the host.");

    public static ThemeCatalog FromAssemblies(IEnumerable<Assembly> assemblies) =>
        new(assemblies
            .SelectMany(a => a.GetCustomAttributes<PortalThemeAttribute>())
            .Select(a => (PortalTheme)Activator.CreateInstance(a.ThemeType, nonPublic: true)!));
}
