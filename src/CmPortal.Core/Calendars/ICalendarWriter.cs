using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Core.Calendars;

/// <summary>
/// Writes an iCalendar feed (RFC 5545) that Outlook, Google and Apple calendars subscribe to: CRLF lines folded
/// at 75 octets, escaped TEXT, timed events in the feed's zone with a VTIMEZONE built from NodaTime's tzdb
/// (the same data the portal schedules with), all-day events as VALUE=DATE.
/// </summary>
public static class ICalendarWriter
{
    private static readonly LocalDatePattern Date = LocalDatePattern.CreateWithInvariantCulture("yyyyMMdd");
    private static readonly LocalDateTimePattern DateTime = LocalDateTimePattern.CreateWithInvariantCulture("yyyyMMdd'T'HHmmss");
    private static readonly InstantPattern Utc = InstantPattern.CreateWithInvariantCulture("yyyyMMdd'T'HHmmss'Z'");

    /// <param name="stamp">DTSTAMP of every event: when the feed was produced.</param>
    public static string Write(CalendarHeader header, IEnumerable<CalendarEvent> events, Instant stamp)
    {
        var list = events.ToList();
        // Only timed events need the zone's rules; a feed of all-day dates is written whatever the zone.
        var zone = list.Any(e => !e.AllDay) ? DateTimeZoneProviders.Tzdb[header.TimeZoneId] : null;
        var ics = new StringBuilder();
        void Line(string text) => ics.Append(Fold(text)).Append("\r\n");

        Line("BEGIN:VCALENDAR");
        Line($"PRODID:{header.ProductId}");
        Line("VERSION:2.0");
        Line("CALSCALE:GREGORIAN");
        Line("METHOD:PUBLISH");
        Line($"X-WR-CALNAME:{Escape(header.Name)}");
        Line($"X-WR-TIMEZONE:{header.TimeZoneId}");

        // RFC 5545 §3.6.5: every TZID used needs its VTIMEZONE; all-day events use none.
        var timed = list.Where(e => !e.AllDay).ToList();
        if (zone is not null)
        {
            var years = timed.SelectMany(e => e.ExceptionDates.Append(e.Start).Append(e.End ?? e.Start).Append(e.RecurrenceId ?? e.Start)).Select(t => t.Year).ToList();
            var lastYear = years.Max();
            // A rule without end runs on: cover the year after the feed is produced too.
            if (timed.Any(e => e.RecurrenceRule is not null))
                lastYear = Math.Max(lastYear, stamp.InZone(zone).Year + 1);
            foreach (var line in TimeZoneLines(zone, years.Min(), lastYear)) Line(line);
        }

        foreach (var e in list)
        {
            Line("BEGIN:VEVENT");
            Line($"UID:{e.Uid}");
            Line($"DTSTAMP:{Utc.Format(stamp)}");
            if (e.AllDay)
            {
                Line($"DTSTART;VALUE=DATE:{Date.Format(e.Start.Date)}");
                // DTEND of an all-day event is exclusive: the day after the last.
                Line($"DTEND;VALUE=DATE:{Date.Format((e.End ?? e.Start).Date.PlusDays(1))}");
            }
            else
            {
                Line($"DTSTART;TZID={zone!.Id}:{DateTime.Format(e.Start)}");
                if (e.Duration is { } duration) Line($"DURATION:{FormatDuration(duration)}");
                else if (e.End is { } end) Line($"DTEND;TZID={zone.Id}:{DateTime.Format(end)}");
            }
            if (e.RecurrenceId is { } original)
                Line(e.AllDay ? $"RECURRENCE-ID;VALUE=DATE:{Date.Format(original.Date)}" : $"RECURRENCE-ID;TZID={zone!.Id}:{DateTime.Format(original)}");
            if (e.RecurrenceRule is { } rule) Line($"RRULE:{rule}");
            if (e.ExceptionDates.Count > 0)
                Line(e.AllDay
                    ? $"EXDATE;VALUE=DATE:{string.Join(",", e.ExceptionDates.Select(d => Date.Format(d.Date)))}"
                    : $"EXDATE;TZID={zone!.Id}:{string.Join(",", e.ExceptionDates.Select(DateTime.Format))}");
            Line($"SUMMARY:{Escape(e.Summary)}");
            if (!string.IsNullOrWhiteSpace(e.Description)) Line($"DESCRIPTION:{Escape(e.Description)}");
            if (e.Url is { } url) Line($"URL:{url.AbsoluteUri}");
            if (e.Categories.Count > 0) Line($"CATEGORIES:{string.Join(",", e.Categories.Select(Escape))}");
            if (e.Transparent) Line("TRANSP:TRANSPARENT");
            Line("END:VEVENT");
        }
        Line("END:VCALENDAR");
        return ics.ToString();
    }

    /// <summary>
    /// The VTIMEZONE of <paramref name="zone"/> from <paramref name="firstYear"/> to <paramref name="lastYear"/>:
    /// the observance in force on 1 January of the first year, then one explicit STANDARD or DAYLIGHT per
    /// transition (no RRULE: exact for past rule changes, and simplest for clients). After the last one listed,
    /// clients keep its offset.
    /// </summary>
    public static IEnumerable<string> TimeZoneLines(DateTimeZone zone, int firstYear, int lastYear)
    {
        var from = new LocalDate(firstYear, 1, 1).AtStartOfDayInZone(zone).ToInstant();
        var to = new LocalDate(lastYear + 1, 1, 1).AtStartOfDayInZone(zone).ToInstant();
        yield return "BEGIN:VTIMEZONE";
        yield return $"TZID:{zone.Id}";
        foreach (var interval in zone.GetZoneIntervals(from, to))
        {
            var kind = interval.Savings == Offset.Zero ? "STANDARD" : "DAYLIGHT";
            // Onset in the wall-clock time before it (RFC 5545 §3.6.5: DTSTART is local to TZOFFSETFROM).
            Offset before; LocalDateTime onset;
            if (interval.HasStart)
            {
                before = zone.GetUtcOffset(interval.Start - Duration.FromTicks(1));
                onset = interval.Start.WithOffset(before).LocalDateTime;
            }
            else
            {
                before = interval.WallOffset;
                onset = new LocalDateTime(1970, 1, 1, 0, 0);
            }
            yield return $"BEGIN:{kind}";
            yield return $"DTSTART:{DateTime.Format(onset)}";
            yield return $"TZOFFSETFROM:{FormatOffset(before)}";
            yield return $"TZOFFSETTO:{FormatOffset(interval.WallOffset)}";
            if (!string.IsNullOrEmpty(interval.Name)) yield return $"TZNAME:{Escape(interval.Name)}";
            yield return $"END:{kind}";
        }
        yield return "END:VTIMEZONE";
    }

    /// <summary>UTC-OFFSET value: ±HHMM, with seconds only when there are some.</summary>
    private static string FormatOffset(Offset offset)
    {
        var seconds = offset.Seconds;
        var sign = seconds < 0 ? "-" : "+";
        seconds = Math.Abs(seconds);
        var text = $"{sign}{seconds / 3600:00}{seconds / 60 % 60:00}";
        return seconds % 60 == 0 ? text : text + (seconds % 60).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>DURATION value (RFC 5545 §3.3.6), e.g. PT1H30M or P1D.</summary>
    private static string FormatDuration(Duration duration)
    {
        if (duration < Duration.Zero) throw new ArgumentOutOfRangeException(nameof(duration), "An event cannot last less than nothing.");
        var text = new StringBuilder("P");
        if (duration.Days > 0) text.Append(duration.Days).Append('D');
        var rest = duration - Duration.FromDays(duration.Days);
        if (rest > Duration.Zero || duration.Days == 0)
        {
            text.Append('T');
            if (rest.Hours > 0) text.Append(rest.Hours).Append('H');
            if (rest.Minutes > 0) text.Append(rest.Minutes).Append('M');
            if (rest.Seconds > 0 || (rest.Hours == 0 && rest.Minutes == 0)) text.Append(rest.Seconds).Append('S');
        }
        return text.ToString();
    }

    /// <summary>TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, and line breaks as \n.</summary>
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace(";", "\\;").Replace(",", "\\,").Replace("\r\n", "\\n").Replace("\n", "\\n").Replace("\r", "\\n");

    /// <summary>Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1), never inside a UTF-8 sequence.</summary>
    public static string Fold(string line)
    {
        if (Encoding.UTF8.GetByteCount(line) <= 75) return line;
        var folded = new StringBuilder();
        var octets = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > 75)
            {
                folded.Append("\r\n ");
                octets = 1; // the leading space counts
            }
            folded.Append(rune.ToString());
            octets += size;
        }
        return folded.ToString();
    }
}
