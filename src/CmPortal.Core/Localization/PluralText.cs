using System.Globalization;
using System.Text.RegularExpressions;

namespace CmPortal.Core.Localization;

/// <summary>
/// Singular or plural inside a text: <c>{0} {0|mention|mentions} left</c> writes « 1 mention », « 3 mentions ». The form
/// follows the number in placeholder <c>{0}</c> and the reader's language: French takes the singular for 0 and 1
/// (« 0 mention »), English only for 1. Both forms are written in the key and in its translation, so every language
/// chooses its own; the choice is made before the placeholders are filled (a <c>|</c> is no format the runtime knows).
/// </summary>
public static partial class PluralText
{
    [GeneratedRegex(@"(?<!\{)\{(?<index>\d+)\|(?<one>[^|{}]*)\|(?<other>[^|{}]*)\}")]
    private static partial Regex Choice();

    /// <summary>The text with each <c>{N|one|other}</c> replaced by the form that value N takes in <paramref name="culture"/>.</summary>
    public static string Choose(string text, IReadOnlyList<object?> values, CultureInfo culture)
    {
        if (!text.Contains('|')) return text;
        return Choice().Replace(text, m =>
        {
            var index = int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture);
            var count = index < values.Count ? NumberOf(values[index]) : null;
            return count is { } n && IsSingular(n, culture) ? m.Groups["one"].Value : m.Groups["other"].Value;
        });
    }

    /// <summary>French: 0 and 1 (and anything below 2) are singular; English and the others: exactly 1.</summary>
    public static bool IsSingular(decimal count, CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "fr" ? Math.Abs(count) < 2 : count == 1;

    private static decimal? NumberOf(object? value) => value switch
    {
        int i => i,
        long l => l,
        short s => s,
        ushort s => s,
        byte b => b,
        sbyte b => b,
        uint u => u,
        ulong ul => ul,
        decimal d => d,
        double d => (decimal)Math.Clamp(d, -1e15, 1e15),
        float f => (decimal)Math.Clamp(f, -1e15f, 1e15f),
        ScriptCount c => c.Count,
        _ => null, // not a number: the plural form, as a list of things reads
    };

    /// <summary>
    /// For a page's script that writes the number itself: the form is chosen for <see cref="Count"/>, and the text keeps
    /// <c>{0}</c> where the script puts the number (a page gives it the singular and the plural text).
    /// </summary>
    public sealed record ScriptCount(int Count)
    {
        public override string ToString() => "{0}";
    }
}
