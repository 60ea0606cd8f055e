using CmPortal.Core.Security;
using Microsoft.AspNetCore.Mvc.Localization;
using Microsoft.Extensions.Localization;

namespace CmPortal.Core.Localization;

/// <summary>
/// Translating texts that are not literals at the call site. A localizer key is always a literal
/// (<c>T["Save"]</c>, <c>T["{0} can sign in again.", email]</c>); anything else goes through these methods,
/// which never use the text as a format string and return a <see cref="LocalizedString"/> that Razor
/// HTML-encodes. The architecture test <c>LocalizerKeyRule</c> enforces it.
/// </summary>
public static class DeclaredText
{
    /// <summary>
    /// A text declared in code (a module's name, a permission's description, an enum value, a rule's
    /// fixed message): its translation when there is one, else the text itself. Never user data:
    /// show user data as it is (<c>@role.Name</c>), and role names with <see cref="Role(IStringLocalizer, string)"/>.
    /// </summary>
    public static LocalizedString Declared(this IStringLocalizer localizer, string text) => localizer.GetString(text);

    /// <inheritdoc cref="Declared(IStringLocalizer, string)"/>
    public static LocalizedString Declared(this IHtmlLocalizer localizer, string text) => localizer.GetString(text);

    /// <summary>
    /// A message template declared in code with its values, such as a rule's
    /// <c>"\"{0}\" is used twice."</c>: the values are data, the template never is.
    /// </summary>
    public static LocalizedString Template(this IStringLocalizer localizer, string template, params object?[] values) =>
        localizer.GetString(template, values!);

    /// <inheritdoc cref="Template(IStringLocalizer, string, object?[])"/>
    public static LocalizedString Template(this IHtmlLocalizer localizer, string template, params object?[] values) =>
        localizer.GetString(template, values!);

    /// <summary>
    /// A <see cref="Validation.Problem"/> in the reader's language, its values shown their way
    /// (<see cref="PortalValues"/>: <c>30 novembre 2026</c>, <c>63 206</c>, a module's translated name).
    /// </summary>
    public static LocalizedString Problem(this IStringLocalizer localizer, Validation.Problem problem) =>
        localizer.GetString(problem.Template, problem.Values!);

    /// <inheritdoc cref="Problem(IStringLocalizer, Validation.Problem)"/>
    public static LocalizedString Problem(this IHtmlLocalizer localizer, Validation.Problem problem) =>
        localizer.GetString(problem.Template, problem.Values!);

    /// <summary>
    /// A recipe error in the reader's language: where it is (file, step, field; the names as the file writes them)
    /// and the problem with its values. In English it reads as <see cref="Recipes.RecipeError.ToString"/>.
    /// </summary>
    public static LocalizedString Recipe(this IStringLocalizer localizer, Recipes.RecipeError error) =>
        Recipe(error, (template, values) => localizer.GetString(template, values!));

    /// <inheritdoc cref="Recipe(IStringLocalizer, Recipes.RecipeError)"/>
    public static LocalizedString Recipe(this IHtmlLocalizer localizer, Recipes.RecipeError error) =>
        Recipe(error, (template, values) => localizer.GetString(template, values!));

    /// <summary>The errors of a recipe, one a line, in the reader's language (see <see cref="Recipe(IStringLocalizer, Recipes.RecipeError)"/>).</summary>
    public static string Recipe(this IStringLocalizer localizer, IEnumerable<Recipes.RecipeError> errors) =>
        string.Join(Environment.NewLine, errors.Select(e => localizer.Recipe(e).Value));

    /// <inheritdoc cref="Recipe(IStringLocalizer, IEnumerable{Recipes.RecipeError})"/>
    public static string Recipe(this IHtmlLocalizer localizer, IEnumerable<Recipes.RecipeError> errors) =>
        string.Join(Environment.NewLine, errors.Select(e => localizer.Recipe(e).Value));

    private static LocalizedString Recipe(Recipes.RecipeError error, Func<string, object?[], LocalizedString> template)
    {
        var message = template(error.Problem.Template, error.Problem.Values).Value;
        return (error.StepIndex, error.StepName, error.Field) switch
        {
            (null, _, null) => template("{0}: {1}", [error.File, message]),
            (null, _, { } field) => template("{0}, field \"{1}\": {2}", [error.File, field, message]),
            ({ } step, null, null) => template("{0}, step {1}: {2}", [error.File, step, message]),
            ({ } step, null, { } field) => template("{0}, step {1}, field \"{2}\": {3}", [error.File, step, field, message]),
            ({ } step, { } name, null) => template("{0}, step {1} \"{2}\": {3}", [error.File, step, name, message]),
            ({ } step, { } name, { } field) => template("{0}, step {1} \"{2}\", field \"{3}\": {4}", [error.File, step, name, field, message]),
        };
    }

    /// <summary>
    /// A role's name to show: the five built-in roles are translated by their stable code; a role a
    /// workspace added is shown exactly as its members named it.
    /// </summary>
    public static string Role(this IStringLocalizer localizer, string roleName) =>
        DefaultRoles.All.Contains(roleName) ? localizer.GetString(roleName) : roleName;

    /// <inheritdoc cref="Role(IStringLocalizer, string)"/>
    public static string Role(this IHtmlLocalizer localizer, string roleName) =>
        DefaultRoles.All.Contains(roleName) ? localizer.GetString(roleName) : roleName;
}
