using System.Globalization;
using System.Text.RegularExpressions;
using CmPortal.Modules.ContentCalendar.Posts;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Recipes;

/// <summary>
/// Dates of the calendar's recipe steps: absolute ("2027-03-22T09:30", "2027-03-22") or relative to the recipe's
/// application ("+3d 09:30", "+10d"). A relative date counts days from the <b>anchor</b>, the Monday after the day the
/// recipe is applied (in the workspace's zone): "+0d" is always a Monday still to come, "+1d" the Tuesday after it, so
/// a demo month keeps its weekdays and its dates are to come whenever it is applied.
/// </summary>
internal static partial class RecipeDates
{
    public const int MaxDays = 3660;

    [GeneratedRegex(@"^([+-]\d{1,4})d\s+([01]\d|2[0-3]):([0-5]\d)$")]
    private static partial Regex RelativeDateTime();

    [GeneratedRegex(@"^([+-]\d{1,4})d$")]
    private static partial Regex RelativeDay();

    /// <summary>The Monday after <paramref name="today"/> (a week later when today is a Monday).</summary>
    public static LocalDate Anchor(LocalDate today) => today.PlusDays(8 - (int)today.DayOfWeek);

    public static LocalDate Anchor(IClock clock, DateTimeZone zone) => Anchor(clock.GetCurrentInstant().InZone(zone).Date);

    public static bool IsRelative(string? text) => text is not null && (text.TrimStart().StartsWith('+') || text.TrimStart().StartsWith('-'));

    /// <summary>"2027-03-22T09:30" or "+3d 09:30" as the post's "yyyy-MM-ddTHH:mm"; the text as it was when it is neither (the post's rules then say why).</summary>
    public static string? StartsAt(string? text, LocalDate anchor)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (RelativeDateTime().Match(text.Trim()) is not { Success: true } match) return text;
        var days = int.Parse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (Math.Abs(days) > MaxDays) return text;
        var time = new LocalTime(int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
        return PostRules.Format(anchor.PlusDays(days).At(time));
    }

    /// <summary>"2027-03-22" or "+10d" as a date; null when it is neither.</summary>
    public static LocalDate? Day(string? text, LocalDate anchor)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (RelativeDay().Match(text.Trim()) is { Success: true } match)
        {
            var days = int.Parse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return Math.Abs(days) > MaxDays ? null : anchor.PlusDays(days);
        }
        return PostRules.ParseDay(text);
    }

    /// <summary>"2027-03-22" or "+10d" as the text a post's skipped dates take; the text as it was when it is neither.</summary>
    public static string DayText(string text, LocalDate anchor) => Day(text, anchor) is { } day ? PostRules.Format(day) : text;
}
