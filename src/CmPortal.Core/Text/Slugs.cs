using System.Globalization;
using System.Text;

namespace CmPortal.Core.Text;

/// <summary>Readable address parts from French titles: "Pas d’insultes, ni de menaces" → "pas-d-insultes-ni-de-menaces".</summary>
public static class Slugs
{
    /// <summary>Lowercase ASCII letters and digits joined by hyphens: accents folded (é → e, œ → oe), at most
    /// <paramref name="words"/> words and <paramref name="maxLength"/> characters (cut at a word's end when it can).</summary>
    public static string From(string? text, int words = int.MaxValue, int maxLength = 80)
    {
        var plain = new StringBuilder();
        foreach (var c in (text ?? "").Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            plain.Append(c switch { 'œ' or 'Œ' => "oe", 'æ' or 'Æ' => "ae", 'ß' => "ss", _ => c.ToString() });
        }
        var tokens = new List<string>();
        var token = new StringBuilder();
        foreach (var c in plain.ToString().ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') token.Append(c);
            else if (token.Length > 0) { tokens.Add(token.ToString()); token.Clear(); }
        }
        if (token.Length > 0) tokens.Add(token.ToString());
        var slug = string.Join("-", tokens.Take(words));
        if (slug.Length <= maxLength) return slug;
        var cut = slug[..maxLength];
        var lastHyphen = cut.LastIndexOf('-');
        return (slug[maxLength] != '-' && lastHyphen > maxLength / 2 ? cut[..lastHyphen] : cut).TrimEnd('-');
    }
}
