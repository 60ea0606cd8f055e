using System.Globalization;
using System.Text.RegularExpressions;

namespace CmPortal.Modules.Inbox.Sources.Feeds;

/// <summary>
/// Dates as feeds really write them: RFC 822/1123 with or without the day name, named zones ("GMT", "EST", "CEST"),
/// military letters and numeric offsets, two-digit years; ISO 8601 / RFC 3339 with or without an offset (none = UTC).
/// </summary>
internal static partial class FeedDates
{
    // Zones feeds write by name. The single letters are RFC 822's military zones (A..I = +1..+9, K..M = +10..+12,
    // N..Y = -1..-12, Z = UTC); RFC 1123 notes they were often written backwards, but the standard meaning is the only defensible one.
    private static readonly Dictionary<string, int> ZoneHours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0, ["WET"] = 0,
        ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5, ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
        ["AKST"] = -9, ["AKDT"] = -8, ["HST"] = -10,
        ["BST"] = 1, ["CET"] = 1, ["MET"] = 1, ["WEST"] = 1, ["CEST"] = 2, ["MEST"] = 2, ["EET"] = 2, ["EEST"] = 3,
        ["MSK"] = 3, ["JST"] = 9, ["KST"] = 9, ["AEST"] = 10, ["AEDT"] = 11, ["NZST"] = 12, ["NZDT"] = 13,
    };

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    [GeneratedRegex(@"^\s*(?:[A-Za-z]+,?\s+)?(?<day>\d{1,2})[\s-]+(?<month>[A-Za-z]{3})[A-Za-z]*\.?[\s-]+(?<year>\d{2,4})\s+(?<h>\d{1,2}):(?<m>\d{2})(?::(?<s>\d{2}))?(?:\.\d+)?\s*(?<zone>[+-]\d{4}|[+-]\d{2}:\d{2}|[A-Za-z]{1,5})?\s*(?:\([^)]*\))?\s*$")]
    private static partial Regex Rfc822();

    /// <summary>The date, or null when the text is no date a feed would write (the caller then uses the fetch time).</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var match = Rfc822().Match(text);
        if (match.Success) return FromRfc822(match);
        var styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;
        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, styles, out var iso) ? iso : null;
    }

    private static DateTimeOffset? FromRfc822(Match match)
    {
        var month = Array.IndexOf(Months, match.Groups["month"].Value.ToLowerInvariant()) + 1;
        if (month == 0) return null;
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        // RFC 2822 4.3: a two-digit year below 50 is 20xx, otherwise 19xx; three digits add 1900.
        if (match.Groups["year"].Value.Length == 2) year += year < 50 ? 2000 : 1900;
        else if (match.Groups["year"].Value.Length == 3) year += 1900;
        var offset = Offset(match.Groups["zone"].Success ? match.Groups["zone"].Value : "");
        if (offset is null) return null;
        var second = match.Groups["s"].Success ? int.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        try
        {
            return new DateTimeOffset(year, month, int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture),
                Math.Min(second, 59), offset.Value);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // 31 February, 25:00: not a date.
        }
    }

    private static TimeSpan? Offset(string zone)
    {
        if (zone.Length == 0) return TimeSpan.Zero; // No zone: RFC 822 has none to assume, UTC is the least surprising.
        if (zone[0] is '+' or '-')
        {
            var digits = zone.Replace(":", "", StringComparison.Ordinal);
            var minutes = int.Parse(digits[1..3], CultureInfo.InvariantCulture) * 60 + int.Parse(digits[3..5], CultureInfo.InvariantCulture);
            if (minutes >= 14 * 60 + 1) return null;
            return TimeSpan.FromMinutes(zone[0] == '-' ? -minutes : minutes);
        }
        if (ZoneHours.TryGetValue(zone, out var hours)) return TimeSpan.FromHours(hours);
        if (zone.Length == 1 && char.IsAsciiLetter(zone[0]) && char.ToUpperInvariant(zone[0]) != 'J')
        {
            var letter = char.ToUpperInvariant(zone[0]);
            return TimeSpan.FromHours(letter switch
            {
                <= 'I' => letter - 'A' + 1,
                <= 'M' => letter - 'K' + 10,
                <= 'Y' => -(letter - 'N' + 1),
                _ => 0,
            });
        }
        return null;
    }
}
