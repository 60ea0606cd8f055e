namespace CmPortal.Core.Validation;

/// <summary>
/// Something wrong with what a user asked for: the field it concerns (camelCase, as recipes name it;
/// null for the whole request), an English message template declared in code, and the values it names.
/// Pages translate the template (<c>T.Template(p.Template, p.Values)</c>); values are never templates.
/// </summary>
public sealed record Problem(string? Field, string Template, params object?[] Values)
{
    /// <summary>The message in English, values in place (logs, the command line).</summary>
    public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture,
        Localization.PluralText.Choose(Template, Values, System.Globalization.CultureInfo.InvariantCulture), Values);
}
