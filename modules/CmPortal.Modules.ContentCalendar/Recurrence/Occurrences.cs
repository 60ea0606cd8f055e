using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Recurrence;

/// <summary>
/// The dates a recurring post falls on, computed for the window asked and never stored. The rule lives in the
/// workspace's wall-clock time: 09:30 stays 09:30 local across daylight-saving changes; a time the clocks skip
/// (02:30 on the spring-forward night) moves forward by the gap (03:30); a time that occurs twice takes the earlier one.
/// Rule dates are those on or after the start's date (the start counts only if the rule gives its date);
/// COUNT counts them from the start, then skipped dates (EXDATE) are taken out, as RFC 5545 does.
/// </summary>
internal sealed class Occurrences
{
    /// <summary>Periods looked at before saying a rule gives no date (400 Gregorian years repeat the calendar).</summary>
    private const int NeverProducesAfterPeriods = 400;

    /// <summary>LocalDate stops at 9999-12-31; periods stop a little before so that adding one never overflows.</summary>
    private const int LastYear = 9990;

    private readonly RecurrenceRule _rule;
    private readonly LocalDateTime _start;
    private readonly DateTimeZone _zone;
    private readonly HashSet<LocalDate> _skipped;
    private readonly LocalDate _firstPeriod;
    private readonly IsoDayOfWeek[] _plainDays;
    private readonly RecurrenceWeekday[] _positionedDays;

    public Occurrences(RecurrenceRule rule, LocalDateTime start, string timeZoneId, IEnumerable<LocalDate>? skipped = null)
        : this(rule, start, DateTimeZoneProviders.Tzdb[timeZoneId], skipped) { }

    public Occurrences(RecurrenceRule rule, LocalDateTime start, DateTimeZone zone, IEnumerable<LocalDate>? skipped = null)
    {
        _rule = rule;
        _start = start;
        _zone = zone;
        _skipped = skipped is null ? [] : [.. skipped];
        _plainDays = rule.ByDay.Where(d => d.Position == 0).Select(d => d.Day).ToArray();
        _positionedDays = rule.ByDay.Where(d => d.Position != 0).ToArray();
        if (rule.Frequency == RecurrenceFrequency.Weekly && rule.ByDay.Count == 0) _plainDays = [start.DayOfWeek];
        _firstPeriod = PeriodContaining(start.Date);
    }

    public DateTimeZone Zone => _zone;

    /// <summary>The occurrences starting in [<paramref name="from"/>, <paramref name="to"/>), in order, computed as they are read.</summary>
    public IEnumerable<ZonedDateTime> Between(Instant from, Instant to)
    {
        if (to <= from) yield break;
        // One day either side: an offset never moves a local date by more than that.
        var fromDate = from.InZone(_zone).Date.PlusDays(-1);
        var lastDate = to.InZone(_zone).Date.PlusDays(1);
        foreach (var occurrence in RuleDates(fromDate, lastDate, int.MaxValue))
        {
            var instant = occurrence.ToInstant();
            if (instant >= to) yield break;
            if (instant >= from && !_skipped.Contains(occurrence.Date)) yield return occurrence;
        }
    }

    /// <summary>The next <paramref name="count"/> occurrences from <paramref name="after"/> (inclusive), looking no further than 50 years: the editor's preview.</summary>
    public IEnumerable<ZonedDateTime> Next(Instant after, int count) =>
        Between(after, after.Plus(Duration.FromDays(50 * 366))).Take(count);

    /// <summary>The instant of the rule's last date (COUNT or UNTIL), skipped dates included; null when the rule never ends.</summary>
    public Instant? LastInstant()
    {
        if (_rule.Count is null && _rule.UntilDate is null && _rule.UntilInstant is null) return null;
        ZonedDateTime? last = null;
        // Bounded by COUNT or UNTIL; a rule that never gives a date is refused before it is saved.
        foreach (var occurrence in RuleDates(_start.Date, new LocalDate(LastYear, 1, 1), int.MaxValue)) last = occurrence;
        return last?.ToInstant();
    }

    /// <summary>Whether the rule gives at least one date that is not skipped.</summary>
    public bool Any() =>
        RuleDates(_start.Date, new LocalDate(LastYear, 1, 1), NeverProducesAfterPeriods).Any(o => !_skipped.Contains(o.Date));

    /// <summary>
    /// The rule's occurrences (skipped dates included, since COUNT counts them) from <paramref name="fromDate"/>,
    /// walking whole periods (day, week, month, year) and stopping after the period that holds <paramref name="lastDate"/>,
    /// after <paramref name="maxPeriods"/>, at COUNT or at UNTIL: never an unbounded loop, even for a rule that gives nothing.
    /// </summary>
    private IEnumerable<ZonedDateTime> RuleDates(LocalDate fromDate, LocalDate lastDate, int maxPeriods)
    {
        // Without COUNT, jump straight to the period holding fromDate; with it, occurrences before the window still count.
        var index = _rule.Count is null ? Math.Max(0, PeriodsBetween(_firstPeriod, PeriodContaining(Max(fromDate, _start.Date))) / _rule.Interval) : 0;
        var produced = 0;
        for (var periods = 0; periods < maxPeriods; periods++, index++)
        {
            if (!TryPeriodStart(index, out var periodStart) || periodStart > lastDate) yield break;
            foreach (var date in Candidates(periodStart))
            {
                if (date < _start.Date) continue;
                if (_rule.UntilDate is { } untilDate && date > untilDate) yield break;
                var occurrence = _zone.AtLeniently(date + _start.TimeOfDay);
                if (_rule.UntilInstant is { } untilInstant && occurrence.ToInstant() > untilInstant) yield break;
                produced++;
                if (date >= fromDate) yield return occurrence;
                if (produced == _rule.Count) yield break;
            }
        }
    }

    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;

    private LocalDate PeriodContaining(LocalDate date) => _rule.Frequency switch
    {
        RecurrenceFrequency.Daily => date,
        RecurrenceFrequency.Weekly => date.PlusDays(-(((int)date.DayOfWeek - (int)_rule.WeekStart + 7) % 7)),
        RecurrenceFrequency.Monthly => new LocalDate(date.Year, date.Month, 1),
        _ => new LocalDate(date.Year, 1, 1),
    };

    /// <summary>How many periods (not intervals) from one period start to another.</summary>
    private int PeriodsBetween(LocalDate first, LocalDate other) => _rule.Frequency switch
    {
        RecurrenceFrequency.Daily => Period.Between(first, other, PeriodUnits.Days).Days,
        RecurrenceFrequency.Weekly => Period.Between(first, other, PeriodUnits.Days).Days / 7,
        RecurrenceFrequency.Monthly => (other.Year - first.Year) * 12 + other.Month - first.Month,
        _ => other.Year - first.Year,
    };

    private bool TryPeriodStart(long index, out LocalDate start)
    {
        start = default;
        var steps = index * _rule.Interval;
        var limit = _rule.Frequency switch
        {
            RecurrenceFrequency.Daily => (LastYear - _firstPeriod.Year) * 366L,
            RecurrenceFrequency.Weekly => (LastYear - _firstPeriod.Year) * 53L,
            RecurrenceFrequency.Monthly => (LastYear - _firstPeriod.Year) * 12L,
            _ => LastYear - _firstPeriod.Year,
        };
        if (steps > limit) return false;
        start = _rule.Frequency switch
        {
            RecurrenceFrequency.Daily => _firstPeriod.PlusDays((int)steps),
            RecurrenceFrequency.Weekly => _firstPeriod.PlusWeeks((int)steps),
            RecurrenceFrequency.Monthly => _firstPeriod.PlusMonths((int)steps),
            _ => _firstPeriod.PlusYears((int)steps),
        };
        return start.Year <= LastYear;
    }

    /// <summary>The rule's dates inside one period, in order.</summary>
    private IEnumerable<LocalDate> Candidates(LocalDate periodStart)
    {
        switch (_rule.Frequency)
        {
            case RecurrenceFrequency.Daily:
                if (_plainDays.Length == 0 || _plainDays.Contains(periodStart.DayOfWeek)) yield return periodStart;
                break;
            case RecurrenceFrequency.Weekly:
                for (var i = 0; i < 7; i++)
                {
                    var day = periodStart.PlusDays(i);
                    if (_plainDays.Contains(day.DayOfWeek)) yield return day;
                }
                break;
            case RecurrenceFrequency.Monthly:
            {
                var length = periodStart.Calendar.GetDaysInMonth(periodStart.Year, periodStart.Month);
                if (_rule.ByDay.Count == 0 && _rule.ByMonthDay.Count == 0)
                {
                    // Like RFC 5545, a month without the start's day (the 31st in April) is skipped, not moved.
                    if (_start.Day <= length) yield return periodStart.PlusDays(_start.Day - 1);
                    break;
                }
                for (var d = 1; d <= length; d++)
                {
                    var day = periodStart.PlusDays(d - 1);
                    if (MatchesMonthDay(d, length) && MatchesWeekday(day.DayOfWeek, (d - 1) / 7 + 1, (length - d) / 7 + 1)) yield return day;
                }
                break;
            }
            default:
            {
                if (_rule.ByDay.Count == 0)
                {
                    // February 29th exists only in leap years: other years are skipped.
                    if (_start.Day <= periodStart.Calendar.GetDaysInMonth(periodStart.Year, _start.Month))
                        yield return new LocalDate(periodStart.Year, _start.Month, _start.Day);
                    break;
                }
                var length = periodStart.Calendar.GetDaysInYear(periodStart.Year);
                for (var d = 1; d <= length; d++)
                {
                    var day = periodStart.PlusDays(d - 1);
                    if (MatchesWeekday(day.DayOfWeek, (d - 1) / 7 + 1, (length - d) / 7 + 1)) yield return day;
                }
                break;
            }
        }
    }

    private bool MatchesMonthDay(int day, int length)
    {
        if (_rule.ByMonthDay.Count == 0) return true;
        foreach (var wanted in _rule.ByMonthDay)
            if (wanted == day || (wanted < 0 && length + 1 + wanted == day)) return true;
        return false;
    }

    /// <summary>Whether a day is one of BYDAY's: any such weekday, or the n-th from the start / from the end of the month or year.</summary>
    private bool MatchesWeekday(IsoDayOfWeek weekday, int fromStart, int fromEnd)
    {
        if (_rule.ByDay.Count == 0) return true;
        if (_plainDays.Contains(weekday)) return true;
        foreach (var positioned in _positionedDays)
            if (positioned.Day == weekday && (positioned.Position > 0 ? positioned.Position == fromStart : -positioned.Position == fromEnd)) return true;
        return false;
    }
}
