using System.Globalization;
using CmPortal.Core.Localization;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Recurrence;

/// <summary>
/// A rule in words, in French or English: « chaque mardi à 9 h 30, 10 fois », "every Tuesday at 9:30, 10 times".
/// Built in code per language rather than from translated fragments: French agrees the words with what follows
/// (chaque mardi / toutes les 2 semaines / le premier mardi de chaque mois), which a key-per-fragment table cannot say.
/// Numbers, times and dates keep no-break spaces so that a summary never breaks inside « 9 h 30 » or « 30 juin 2027 ».
/// </summary>
internal static class RecurrenceSummary
{
    private const char Nbsp = '\u00a0';

    private static readonly string[] FrenchDays = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
    private static readonly string[] EnglishDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    private static readonly string[] FrenchOrdinals = ["premier", "deuxième", "troisième", "quatrième", "cinquième"];
    private static readonly string[] EnglishOrdinals = ["first", "second", "third", "fourth", "fifth"];

    /// <summary>The summary in the culture's language (French for fr-*, English otherwise).</summary>
    public static string Describe(RecurrenceRule rule, LocalDateTime start, CultureInfo culture, DateTimeZone? zone = null) =>
        culture.TwoLetterISOLanguageName == "fr" ? French(rule, start, culture, zone) : English(rule, start, culture, zone);

    private static string French(RecurrenceRule rule, LocalDateTime start, CultureInfo culture, DateTimeZone? zone)
    {
        var n = rule.Interval;
        var days = DayNames(rule, start, FrenchDays);
        var positioned = rule.ByDay.Where(d => d.Position != 0).ToList();
        string when;
        switch (rule.Frequency)
        {
            case RecurrenceFrequency.Daily:
                when = rule.ByDay.Count > 0 ? "chaque " + FrenchList(days)
                    : n == 1 ? "chaque jour" : $"tous les {n}{Nbsp}jours";
                break;
            case RecurrenceFrequency.Weekly:
                when = n == 1
                    ? days.Count == 1 ? "chaque " + days[0] : "chaque semaine " + FrenchList(days.Select(d => "le " + d).ToList())
                    : $"toutes les {n}{Nbsp}semaines " + FrenchList(days.Select(d => "le " + d).ToList());
                break;
            case RecurrenceFrequency.Monthly:
            {
                var every = n == 1 ? "de chaque mois" : $"tous les {n}{Nbsp}mois";
                var monthDays = rule.ByMonthDay.Count > 0 ? rule.ByMonthDay.ToList() : rule.ByDay.Count == 0 ? [start.Day] : [];
                if (positioned.Count > 0 && monthDays.Count == 0)
                    when = FrenchList(positioned.Select(d => "le " + FrenchPosition(d.Position) + " " + FrenchDays[(int)d.Day - 1]).ToList()) + (n == 1 ? " " : ", ") + every;
                else if (monthDays.Count > 0)
                {
                    when = FrenchList(monthDays.Select(FrenchMonthDay).ToList()) + (n == 1 ? " " : ", ") + every;
                    if (rule.ByDay.Count > 0) when += " s’il tombe un " + FrenchOr(rule.ByDay.Select(d => FrenchDays[(int)d.Day - 1]).ToList());
                }
                else
                    when = "chaque " + FrenchList(days) + (n == 1 ? "" : ", " + every);
                break;
            }
            default:
            {
                var every = n == 1 ? "chaque année" : $"tous les {n}{Nbsp}ans";
                if (rule.ByDay.Count == 0)
                {
                    var day = (start.Day == 1 ? "1er" : start.Day.ToString(CultureInfo.InvariantCulture)) + Nbsp + culture.DateTimeFormat.GetMonthName(start.Month);
                    when = $"{every} le {day}" + (start.Month == 2 && start.Day == 29 ? " (années bissextiles)" : "");
                }
                else if (positioned.Count > 0)
                    when = every + " " + FrenchList(positioned.Select(d => "le " + FrenchPosition(d.Position) + " " + FrenchDays[(int)d.Day - 1] + " de l’année").ToList());
                else
                    when = "chaque " + FrenchList(days) + (n == 1 ? "" : ", " + every);
                break;
            }
        }
        var text = when + " à " + FrenchTime(start.TimeOfDay);
        if (rule.Count is { } count) text += $", {count}{Nbsp}fois";
        if (UntilDate(rule, zone) is { } until)
            text += ", jusqu’au " + PortalValues.Date(until.ToDateOnly(), culture);
        return text;
    }

    private static string English(RecurrenceRule rule, LocalDateTime start, CultureInfo culture, DateTimeZone? zone)
    {
        var n = rule.Interval;
        var days = DayNames(rule, start, EnglishDays);
        var positioned = rule.ByDay.Where(d => d.Position != 0).ToList();
        string when;
        switch (rule.Frequency)
        {
            case RecurrenceFrequency.Daily:
                when = rule.ByDay.Count > 0 ? "every " + EnglishList(days) : n == 1 ? "every day" : $"every {n}{Nbsp}days";
                break;
            case RecurrenceFrequency.Weekly:
                when = n == 1 ? "every " + EnglishList(days) : $"every {n}{Nbsp}weeks on " + EnglishList(days);
                break;
            case RecurrenceFrequency.Monthly:
            {
                var every = n == 1 ? "of every month" : $"every {n}{Nbsp}months";
                var monthDays = rule.ByMonthDay.Count > 0 ? rule.ByMonthDay.ToList() : rule.ByDay.Count == 0 ? [start.Day] : [];
                if (positioned.Count > 0 && monthDays.Count == 0)
                    when = "on " + EnglishList(positioned.Select(d => "the " + EnglishPosition(d.Position) + " " + EnglishDays[(int)d.Day - 1]).ToList()) + (n == 1 ? " " : ", ") + every;
                else if (monthDays.Count > 0)
                {
                    when = "on " + EnglishList(monthDays.Select(EnglishMonthDay).ToList()) + (n == 1 ? " " : ", ") + every;
                    if (rule.ByDay.Count > 0) when += " when it is a " + EnglishOr(rule.ByDay.Select(d => EnglishDays[(int)d.Day - 1]).ToList());
                }
                else
                    when = "every " + EnglishList(days) + (n == 1 ? "" : ", " + every);
                break;
            }
            default:
            {
                var every = n == 1 ? "every year" : $"every {n}{Nbsp}years";
                if (rule.ByDay.Count == 0)
                    when = $"{every} on {CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(start.Month)}{Nbsp}{start.Day}"
                        + (start.Month == 2 && start.Day == 29 ? " (leap years)" : "");
                else if (positioned.Count > 0)
                    when = every + " on " + EnglishList(positioned.Select(d => "the " + EnglishPosition(d.Position) + " " + EnglishDays[(int)d.Day - 1] + " of the year").ToList());
                else
                    when = "every " + EnglishList(days) + (n == 1 ? "" : ", " + every);
                break;
            }
        }
        var text = when + " at " + start.TimeOfDay.ToString("H:mm", CultureInfo.InvariantCulture);
        if (rule.Count is { } count) text += count == 1 ? ", once" : $", {count}{Nbsp}times";
        if (UntilDate(rule, zone) is { } until) text += ", until " + PortalValues.Date(until.ToDateOnly(), culture);
        return text;
    }

    /// <summary>The last day of the rule, as the workspace reads it (a UTC UNTIL shown in the workspace's zone when known).</summary>
    private static LocalDate? UntilDate(RecurrenceRule rule, DateTimeZone? zone) =>
        rule.UntilDate ?? (rule.UntilInstant is { } instant ? instant.InZone(zone ?? DateTimeZone.Utc).Date : null);

    /// <summary>BYDAY's plain weekdays in week order (the start's weekday for a weekly rule without BYDAY).</summary>
    private static List<string> DayNames(RecurrenceRule rule, LocalDateTime start, string[] names)
    {
        var days = rule.ByDay.Where(d => d.Position == 0).Select(d => d.Day).ToList();
        if (days.Count == 0 && rule.Frequency == RecurrenceFrequency.Weekly) days.Add(start.DayOfWeek);
        return days.Order().Select(d => names[(int)d - 1]).ToList();
    }

    private static string FrenchTime(LocalTime time) =>
        time.Minute == 0 ? $"{time.Hour}{Nbsp}h" : $"{time.Hour}{Nbsp}h{Nbsp}{time.Minute:00}";

    private static string FrenchPosition(int position) => position switch
    {
        -1 => "dernier",
        -2 => "avant-dernier",
        -3 => "antépénultième",
        < 0 => $"{-position}e depuis la fin, le",
        <= 5 => FrenchOrdinals[position - 1],
        _ => $"{position}e",
    };

    private static string EnglishPosition(int position) => position switch
    {
        -1 => "last",
        -2 => "second-to-last",
        < 0 => $"{EnglishNumberOrdinal(-position)}-to-last",
        <= 5 => EnglishOrdinals[position - 1],
        _ => EnglishNumberOrdinal(position),
    };

    private static string FrenchMonthDay(int day) => day switch
    {
        1 => "le 1er",
        -1 => "le dernier jour",
        -2 => "l’avant-dernier jour",
        < 0 => $"le {-day}e{Nbsp}jour avant la fin",
        _ => $"le {day}",
    };

    private static string EnglishMonthDay(int day) => day switch
    {
        -1 => "the last day",
        -2 => "the second-to-last day",
        < 0 => $"the {EnglishNumberOrdinal(-day)}-to-last day",
        _ => "the " + EnglishNumberOrdinal(day),
    };

    private static string EnglishNumberOrdinal(int n) =>
        n + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    private static string FrenchList(IReadOnlyList<string> items) => Join(items, " et ");
    private static string FrenchOr(IReadOnlyList<string> items) => Join(items, " ou ");
    private static string EnglishList(IReadOnlyList<string> items) => Join(items, " and ");
    private static string EnglishOr(IReadOnlyList<string> items) => Join(items, " or ");

    private static string Join(IReadOnlyList<string> items, string last) =>
        items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.Take(items.Count - 1)) + last + items[^1];
}
