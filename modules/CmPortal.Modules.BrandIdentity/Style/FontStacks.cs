using System.Text.RegularExpressions;
using CmPortal.Core.Validation;
using CmPortal.Modules.BrandIdentity.Documents;

namespace CmPortal.Modules.BrandIdentity.Style;

/// <summary>
/// Font family names and fallback stacks. They are written into the site's style element, so
/// only letters, digits, spaces and hyphens are allowed in a name, and a stack must end with a
/// generic family so text always has a font.
/// </summary>
internal static partial class FontStacks
{
    public static readonly string[] GenericFamilies =
        ["serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "ui-serif", "ui-sans-serif", "ui-monospace", "ui-rounded", "math", "emoji", "fangsong"];

    [GeneratedRegex(@"^[\p{L}\p{N}](?:[\p{L}\p{N} \-]{0,58}[\p{L}\p{N}])?$")]
    private static partial Regex FamilyName();

    public static Problem? CheckFamily(string field, string? family) =>
        family is not null && FamilyName().IsMatch(family.Trim()) ? null
            : new Problem(field, "\"{0}\" is not a font family name. Write the name alone, with letters, digits, spaces and hyphens only, e.g. \"Playfair Display\".", family);

    public static Problem? CheckFallback(string field, string? fallback)
    {
        var entries = Entries(fallback);
        if (entries.Count == 0)
            return new Problem(field, "The fallback is empty. List fonts to use when the family is missing, ending with a generic family, e.g. \"Georgia, serif\".");
        foreach (var entry in entries)
            if (Unquote(entry) is not { } name || !FamilyName().IsMatch(name))
                return new Problem(field, "\"{0}\" is not a font family name. Separate names with commas; letters, digits, spaces and hyphens only.", entry);
        if (!GenericFamilies.Contains(entries[^1]))
            return new Problem(field, "The fallback must end with a generic family such as serif, sans-serif or system-ui, not \"{0}\".", entries[^1]);
        return null;
    }

    /// <summary>The CSS font-family value: the family quoted, then the fallback; both already checked.</summary>
    public static string Css(string family, string fallback) =>
        string.Join(", ", new[] { $"'{family.Trim()}'" }.Concat(Entries(fallback).Select(e =>
            GenericFamilies.Contains(e) ? e : $"'{Unquote(e)}'")));

    private static List<string> Entries(string? stack) =>
        (stack ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static string? Unquote(string entry)
    {
        if (entry.Length >= 2 && (entry[0] == '\'' || entry[0] == '"'))
            return entry[^1] == entry[0] ? entry[1..^1].Trim() : null;
        return entry;
    }
}
