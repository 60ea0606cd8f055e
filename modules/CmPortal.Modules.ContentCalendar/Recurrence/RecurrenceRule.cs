using System.Globalization;
using System.Text;
using CmPortal.Core.Validation;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Modules.ContentCalendar.Recurrence;

internal enum RecurrenceFrequency { Daily, Weekly, Monthly, Yearly }

/// <summary>A BYDAY entry: a weekday, with an optional position in the month or year (1TU: first Tuesday; -1FR: last Friday; 0: every).</summary>
internal readonly record struct RecurrenceWeekday(int Position, IsoDayOfWeek Day)
{
    public override string ToString() => (Position == 0 ? "" : Position.ToString(CultureInfo.InvariantCulture)) + RecurrenceRule.DayCode(Day);
}

/// <summary>
/// A recurring post's rule: the RFC 5545 RRULE subset people use (FREQ DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL,
/// BYDAY with positions, BYMONTHDAY, COUNT or UNTIL, WKST). Anything else is refused with a problem naming the part,
/// rather than silently ignored: a rule the calendar half-understands would post on days nobody chose.
/// </summary>
internal sealed class RecurrenceRule
{
    /// <summary>The field problems name; templates write it literally so that TranslationTests finds them.</summary>
    public const string Field = "recurrence";

    /// <summary>Bounds that keep a typo (INTERVAL=10000, COUNT=999999) from making a rule nobody meant.</summary>
    public const int MaxInterval = 1000, MaxCount = 10_000;

    private static readonly string[] DayCodes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    private static readonly string[] Supported = ["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"];
    private static readonly LocalDatePattern UntilDatePattern = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");
    private static readonly InstantPattern UntilInstantPattern = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    public RecurrenceFrequency Frequency { get; private init; }
    public int Interval { get; private init; } = 1;
    public IReadOnlyList<RecurrenceWeekday> ByDay { get; private init; } = [];
    public IReadOnlyList<int> ByMonthDay { get; private init; } = [];
    public int? Count { get; private init; }
    /// <summary>UNTIL as a date: the last local date an occurrence may fall on (inclusive).</summary>
    public LocalDate? UntilDate { get; private init; }
    /// <summary>UNTIL as a UTC date-time: the last instant an occurrence may start at (inclusive).</summary>
    public Instant? UntilInstant { get; private init; }
    /// <summary>WKST as written; null when the rule does not give it (weeks then start on Monday, as RFC 5545 says).</summary>
    public IsoDayOfWeek? WeekStartGiven { get; private init; }
    public IsoDayOfWeek WeekStart => WeekStartGiven ?? IsoDayOfWeek.Monday;

    private RecurrenceRule() { }

    public static string DayCode(IsoDayOfWeek day) => DayCodes[(int)day - 1];

    /// <summary>The rule, or the problem with the first part that is wrong.</summary>
    public static bool TryParse(string? text, out RecurrenceRule rule, out Problem? problem)
    {
        rule = new RecurrenceRule();
        problem = Parse(text, out var parsed);
        if (problem is null) rule = parsed!;
        return problem is null;
    }

    private static Problem? Parse(string? text, out RecurrenceRule? rule)
    {
        rule = null;
        var body = (text ?? "").Trim();
        if (body.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase)) body = body[6..];
        if (body.Length == 0) return new Problem("recurrence", "The recurrence rule is empty.");

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in body.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            if (equals <= 0 || equals == part.Length - 1)
                return new Problem("recurrence", "The recurrence rule part “{0}” is not of the form NAME=value.", part);
            var name = part[..equals].Trim().ToUpperInvariant();
            var value = part[(equals + 1)..].Trim().ToUpperInvariant();
            if (!Supported.Contains(name))
                return new Problem("recurrence", "The recurrence rule part {0} is not supported: a rule may use FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL and WKST.", name);
            if (!parts.TryAdd(name, value))
                return new Problem("recurrence", "The recurrence rule gives {0} twice.", name);
        }

        if (!parts.TryGetValue("FREQ", out var freqText))
            return new Problem("recurrence", "The recurrence rule needs a FREQ part (DAILY, WEEKLY, MONTHLY or YEARLY).");
        RecurrenceFrequency frequency;
        switch (freqText)
        {
            case "DAILY": frequency = RecurrenceFrequency.Daily; break;
            case "WEEKLY": frequency = RecurrenceFrequency.Weekly; break;
            case "MONTHLY": frequency = RecurrenceFrequency.Monthly; break;
            case "YEARLY": frequency = RecurrenceFrequency.Yearly; break;
            default: return new Problem("recurrence", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY, not {0}.", freqText);
        }

        var interval = 1;
        if (parts.TryGetValue("INTERVAL", out var intervalText) && !(TryNumber(intervalText, out interval) && interval is >= 1 and <= MaxInterval))
            return new Problem("recurrence", "INTERVAL must be a whole number from 1 to {1}, not {0}.", intervalText, MaxInterval);

        int? count = null;
        if (parts.TryGetValue("COUNT", out var countText))
        {
            if (!(TryNumber(countText, out var c) && c is >= 1 and <= MaxCount))
                return new Problem("recurrence", "COUNT must be a whole number from 1 to {1}, not {0}.", countText, MaxCount);
            count = c;
        }

        LocalDate? untilDate = null;
        Instant? untilInstant = null;
        if (parts.TryGetValue("UNTIL", out var untilText))
        {
            if (count is not null) return new Problem("recurrence", "A recurrence rule ends either after COUNT times or at UNTIL, not both.");
            var asDate = UntilDatePattern.Parse(untilText);
            var asInstant = UntilInstantPattern.Parse(untilText);
            if (untilText.Length == 8 && asDate.Success) untilDate = asDate.Value;
            else if (untilText.Length == 16 && asInstant.Success) untilInstant = asInstant.Value;
            else return new Problem("recurrence", "UNTIL must be a date (20270630) or a UTC date-time (20270630T160000Z), not {0}.", untilText);
        }

        IsoDayOfWeek? weekStart = null;
        if (parts.TryGetValue("WKST", out var wkstText))
        {
            var index = Array.IndexOf(DayCodes, wkstText);
            if (index < 0) return new Problem("recurrence", "WKST must be a day: MO, TU, WE, TH, FR, SA or SU, not {0}.", wkstText);
            weekStart = (IsoDayOfWeek)(index + 1);
        }

        var byDay = new List<RecurrenceWeekday>();
        if (parts.TryGetValue("BYDAY", out var byDayText))
        {
            foreach (var item in byDayText.Split(','))
            {
                if (!TryWeekday(item.Trim(), out var weekday))
                    return new Problem("recurrence", "BYDAY {0} is not a day: use MO, TU, WE, TH, FR, SA or SU, preceded for a monthly rule by a position such as 1TU or -1FR.", item);
                if (weekday.Position != 0 && frequency is not (RecurrenceFrequency.Monthly or RecurrenceFrequency.Yearly))
                    return new Problem("recurrence", "BYDAY {0} has a position, which only a monthly or yearly rule can use.", item);
                var limit = frequency == RecurrenceFrequency.Monthly ? 5 : 53;
                if (Math.Abs(weekday.Position) > limit)
                    return new Problem("recurrence", "BYDAY {0} has a position beyond {1}.", item, limit);
                if (!byDay.Contains(weekday)) byDay.Add(weekday);
            }
        }

        var byMonthDay = new List<int>();
        if (parts.TryGetValue("BYMONTHDAY", out var byMonthDayText))
        {
            if (frequency != RecurrenceFrequency.Monthly)
                return new Problem("recurrence", "BYMONTHDAY is only for a monthly rule (FREQ=MONTHLY).");
            foreach (var item in byMonthDayText.Split(','))
            {
                if (!(TryNumber(item.Trim(), out var day, allowNegative: true) && day is >= -31 and <= 31 && day != 0))
                    return new Problem("recurrence", "BYMONTHDAY {0} must be a day from 1 to 31, or from -1 (the last day) to -31.", item);
                if (!byMonthDay.Contains(day)) byMonthDay.Add(day);
            }
        }

        rule = new RecurrenceRule
        {
            Frequency = frequency,
            Interval = interval,
            Count = count,
            UntilDate = untilDate,
            UntilInstant = untilInstant,
            WeekStartGiven = weekStart,
            ByDay = byDay,
            ByMonthDay = byMonthDay,
        };
        return null;
    }

    /// <summary>The problem with this rule for a post starting at <paramref name="start"/> in <paramref name="zone"/>: UNTIL before the start, or no occurrence at all.</summary>
    public Problem? CheckAgainst(LocalDateTime start, DateTimeZone zone)
    {
        if (UntilDate is { } date && date < start.Date)
            return new Problem("recurrence", "The recurrence ends (UNTIL) on {0}, before its first post on {1}.", date.ToDateOnly(), start.Date.ToDateOnly());
        if (UntilInstant is { } instant && instant < start.InZoneLeniently(zone).ToInstant())
            return new Problem("recurrence", "The recurrence ends (UNTIL) on {0}, before its first post on {1}.", instant.InZone(zone).Date.ToDateOnly(), start.Date.ToDateOnly());
        if (!new Occurrences(this, start, zone).Any())
            return new Problem("recurrence", "This recurrence rule never gives a date from its start on {0}.", start.Date.ToDateOnly());
        return null;
    }

    /// <summary>The rule as RFC 5545 writes it, parts in a fixed order: parsing it gives the same rule back.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("FREQ=").Append(Frequency.ToString().ToUpperInvariant());
        if (Interval != 1) text.Append(";INTERVAL=").Append(Interval.ToString(CultureInfo.InvariantCulture));
        if (ByDay.Count > 0) text.Append(";BYDAY=").AppendJoin(',', ByDay);
        if (ByMonthDay.Count > 0) text.Append(";BYMONTHDAY=").AppendJoin(',', ByMonthDay.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        if (Count is { } count) text.Append(";COUNT=").Append(count.ToString(CultureInfo.InvariantCulture));
        if (UntilDate is { } date) text.Append(";UNTIL=").Append(UntilDatePattern.Format(date));
        if (UntilInstant is { } instant) text.Append(";UNTIL=").Append(UntilInstantPattern.Format(instant));
        if (WeekStartGiven is { } wkst) text.Append(";WKST=").Append(DayCode(wkst));
        return text.ToString();
    }

    /// <summary>
    /// The rule for an iCalendar event whose DTSTART names a zone (TZID): there RFC 5545 (§3.3.10) wants UNTIL in UTC, so
    /// a date-only UNTIL becomes the last second of that local day. The occurrences are the same.
    /// </summary>
    public string ToICalendar(DateTimeZone zone)
    {
        if (UntilDate is not { } date) return ToString();
        var utc = new RecurrenceRule
        {
            Frequency = Frequency, Interval = Interval, ByDay = ByDay, ByMonthDay = ByMonthDay, Count = Count, WeekStartGiven = WeekStartGiven,
            UntilInstant = zone.AtStartOfDay(date.PlusDays(1)).ToInstant() - Duration.FromSeconds(1),
        };
        return utc.ToString();
    }

    private static bool TryWeekday(string text, out RecurrenceWeekday weekday)
    {
        weekday = default;
        if (text.Length < 2) return false;
        var index = Array.IndexOf(DayCodes, text[^2..]);
        if (index < 0) return false;
        var position = 0;
        var prefix = text[..^2];
        if (prefix.Length > 0 && !(TryNumber(prefix.TrimStart('+'), out position, allowNegative: true) && position != 0)) return false;
        weekday = new RecurrenceWeekday(position, (IsoDayOfWeek)(index + 1));
        return true;
    }

    private static bool TryNumber(string text, out int value, bool allowNegative = false) =>
        int.TryParse(text, allowNegative ? NumberStyles.AllowLeadingSign : NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
