using System.Globalization;
using System.Text.RegularExpressions;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;

namespace CmPortal.Core.Localization;

/// <summary>
/// How values are shown in a translated text, per culture: the one place for it. The localizer passes every argument
/// given to the localizer's indexer and <c>T.Template(problem.Template, problem.Values)</c> through <see cref="ForFormat"/>, so
/// a rule only puts the raw value in its <see cref="Problem"/> (a <c>DateOnly</c>, an <c>int</c>) and each page shows
/// it the reader's way. Views that show a value outside a sentence call <see cref="Date(DateOnly)"/> or <see cref="Number(long)"/>.
/// </summary>
public static partial class PortalValues
{
    /// <summary>Numbers below this are written without grouping: a year (2026) or a small count reads better whole.</summary>
    private const long GroupFrom = 10_000;

    /// <summary>The date in words, without the weekday, with no-break spaces: <c>30 novembre 2026</c>, <c>1er janvier 2027</c>, <c>November 30, 2026</c>.</summary>
    public static string Date(DateOnly date, CultureInfo culture)
    {
        var pattern = Weekday().Replace(culture.DateTimeFormat.LongDatePattern, "");
        if (culture.TwoLetterISOLanguageName == "fr" && date.Day == 1 && pattern.StartsWith("d ", StringComparison.Ordinal))
            pattern = "d'er'" + pattern[1..]; // French writes the first of the month as an ordinal: 1er janvier
        // No-break spaces: a date is read as one word and never split over two lines ("30 / novembre 2026").
        return date.ToString(pattern, culture).Replace(' ', '\u00a0');
    }

    /// <inheritdoc cref="Date(DateOnly, CultureInfo)"/>
    public static string Date(DateOnly date) => Date(date, CultureInfo.CurrentCulture);

    /// <summary>
    /// The date in words without its year, for the start of a range whose end gives it: <c>7 décembre</c>,
    /// <c>1er janvier</c>, <c>December 7</c> (« du 7 décembre au 13 décembre 2026 »).
    /// </summary>
    public static string DateWithoutYear(DateOnly date, CultureInfo culture)
    {
        var pattern = culture.DateTimeFormat.MonthDayPattern;
        if (culture.TwoLetterISOLanguageName == "fr" && date.Day == 1 && pattern.StartsWith("d ", StringComparison.Ordinal))
            pattern = "d'er'" + pattern[1..];
        return date.ToString(pattern, culture).Replace(' ', '\u00a0');
    }

    /// <inheritdoc cref="DateWithoutYear(DateOnly, CultureInfo)"/>
    public static string DateWithoutYear(DateOnly date) => DateWithoutYear(date, CultureInfo.CurrentCulture);

    /// <summary>The day in words and the time: <c>30 novembre 2026 14:05</c>, <c>November 30, 2026 2:05 PM</c>.</summary>
    public static string DateTime(DateTime value, CultureInfo culture) =>
        $"{Date(DateOnly.FromDateTime(value), culture)} {value.ToString(culture.DateTimeFormat.ShortTimePattern, culture)}";

    /// <inheritdoc cref="DateTime(System.DateTime, CultureInfo)"/>
    public static string DateTime(DateTime value) => DateTime(value, CultureInfo.CurrentCulture);

    /// <summary>
    /// The day in figures and the time, for a narrow column (a phone's table): <c>14/12/2026 08:30</c>,
    /// <c>12/14/2026 8:30 AM</c>; a space between them lets the time go under the date.
    /// </summary>
    public static string ShortDateTime(DateTime value, CultureInfo culture) =>
        $"{value.ToString(culture.DateTimeFormat.ShortDatePattern, culture)} {value.ToString(culture.DateTimeFormat.ShortTimePattern, culture)}";

    /// <inheritdoc cref="ShortDateTime(System.DateTime, CultureInfo)"/>
    public static string ShortDateTime(DateTime value) => ShortDateTime(value, CultureInfo.CurrentCulture);

    /// <summary>The day in figures, for a narrow column (a phone's table): <c>13/01/2027</c>, <c>1/13/2027</c>.</summary>
    public static string ShortDate(DateOnly date, CultureInfo culture) => date.ToString(culture.DateTimeFormat.ShortDatePattern, culture);

    /// <inheritdoc cref="ShortDate(DateOnly, CultureInfo)"/>
    public static string ShortDate(DateOnly date) => ShortDate(date, CultureInfo.CurrentCulture);

    /// <summary>A workspace's language as its own speakers name it, as the settings' list does: <c>Français</c>, <c>English</c>.</summary>
    public static string LanguageName(string culture) => culture.Split('-')[0] switch
    {
        "fr" => "Français",
        "en" => "English",
        _ => culture,
    };

    /// <summary>A whole number: <c>63 206</c> (narrow no-break space) in French, <c>63,206</c> in English; <c>2026</c> in both.</summary>
    public static string Number(long value, CultureInfo culture) =>
        value.ToString(Math.Abs(value) >= GroupFrom ? "#,0" : "0", culture);

    /// <inheritdoc cref="Number(long, CultureInfo)"/>
    public static string Number(long value) => Number(value, CultureInfo.CurrentCulture);

    /// <summary>
    /// A whole number in a column of figures (a reach, a count per row): grouped from the thousands, <c>1 234</c> (narrow
    /// no-break space) in French, <c>1,234</c> in English, so that it lines up with <c>12 345</c> below it.
    /// </summary>
    public static string Figure(long value, CultureInfo culture) => value.ToString("#,0", culture);

    /// <inheritdoc cref="Figure(long, CultureInfo)"/>
    public static string Figure(long value) => Figure(value, CultureInfo.CurrentCulture);

    /// <summary>A decimal number: <c>0,5</c>, <c>63 206,25</c> in French; <c>0.5</c>, <c>63,206.25</c> in English.</summary>
    public static string Number(decimal value, CultureInfo culture) =>
        value.ToString(Math.Abs(value) >= GroupFrom ? "#,0.##########" : "0.##########", culture);

    /// <summary>A ratio as a percentage: <c>25 %</c> in French, <c>25%</c> in English; up to two decimals when needed.</summary>
    public static string Percent(double ratio, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        var percent = Math.Round(ratio * 100, 2);
        format.PercentDecimalDigits = percent == Math.Round(percent) ? 0 : percent * 10 == Math.Round(percent * 10) ? 1 : 2;
        // .NET puts a plain space before the sign in fr-FR: a line could break between 25 and %.
        return ratio.ToString("P", format).Replace(' ', '\u00a0');
    }

    /// <summary>
    /// The value as a reader of <paramref name="culture"/> reads it; <paramref name="translate"/> gives the
    /// translation of a text declared in code. Texts the user typed are returned as they are.
    /// </summary>
    public static string Display(object? value, CultureInfo culture, Func<string, string> translate) => value switch
    {
        null => "",
        string text => text,
        DateOnly date => Date(date, culture),
        System.DateTime time => DateTime(time, culture),
        DateTimeOffset time => DateTime(time.DateTime, culture),
        byte or sbyte or short or ushort or int or uint or long => Number(Convert.ToInt64(value, CultureInfo.InvariantCulture), culture),
        float or double or decimal => Number(Convert.ToDecimal(value, CultureInfo.InvariantCulture), culture),
        PercentValue p => Percent(p.Ratio, culture),
        DeclaredValue d => translate(d.Text),
        RoleValue r => DefaultRoles.All.Contains(r.Name) ? translate(r.Name) : r.Name,
        CharacterValue c => $"U+{(int)c.Character:X4} ({translate(TextRules.CharacterName(c.Character))})",
        ListValue list => string.Join(", ", list.Items.Select(i => Display(i, culture, translate))),
        IFormattable formattable => formattable.ToString(null, culture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// The argument to hand to <c>string.Format</c>: shown as <see cref="Display"/> says, unless the template gives
    /// its own format (<c>{1:d MMMM yyyy}</c>), which then applies to the raw value as before.
    /// </summary>
    public static object? ForFormat(object? value, CultureInfo culture, Func<string, string> translate) =>
        value is null or string ? value : new Shown(value, Display(value, culture, translate));

    private sealed class Shown(object value, string display) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? provider) =>
            string.IsNullOrEmpty(format) || value is not IFormattable formattable ? display : formattable.ToString(format, provider);

        public override string ToString() => display;
    }

    [GeneratedRegex(@"^dddd,?\s*")]
    private static partial Regex Weekday();
}
