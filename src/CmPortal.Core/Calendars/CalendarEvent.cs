using NodaTime;

namespace CmPortal.Core.Calendars;

/// <summary>
/// One VEVENT of an iCalendar feed. Either all-day (<see cref="AllDay"/>, dates only) or timed: a wall-clock
/// start in the feed's time zone, so that a weekly 09:30 post stays at 09:30 across daylight-saving changes.
/// </summary>
public sealed record CalendarEvent
{
    /// <summary>Globally unique and stable across feed refreshes (clients update the event by it).</summary>
    public required string Uid { get; init; }
    public required string Summary { get; init; }
    public string? Description { get; init; }
    public Uri? Url { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The first occurrence's local start; for an all-day event only the date counts.</summary>
    public required LocalDateTime Start { get; init; }
    public bool AllDay { get; init; }

    /// <summary>Timed: end as a wall-clock time in the same zone (DTEND). All-day: the last day, inclusive.</summary>
    public LocalDateTime? End { get; init; }

    /// <summary>Timed only, instead of <see cref="End"/>: the length of each occurrence (DURATION).</summary>
    public Duration? Duration { get; init; }

    /// <summary>The RRULE value (e.g. <c>FREQ=WEEKLY;BYDAY=MO</c>), as the recurrence engine's RecurrenceRule.ToString() gives it.</summary>
    public string? RecurrenceRule { get; init; }

    /// <summary>Local starts (or dates, all-day) of the occurrences taken out of the recurrence (EXDATE).</summary>
    public IReadOnlyList<LocalDateTime> ExceptionDates { get; init; } = [];

    /// <summary>
    /// An override of one occurrence of a recurring event (RECURRENCE-ID, RFC 5545 §3.8.4.4): that occurrence's original
    /// local start as the series' rule gives it. The override carries the series' <see cref="Uid"/> and its own start.
    /// </summary>
    public LocalDateTime? RecurrenceId { get; init; }

    /// <summary>TRANSP:TRANSPARENT: the event does not make its attendees busy (key dates, planned posts).</summary>
    public bool Transparent { get; init; }

    public static CalendarEvent ForDays(string uid, string summary, LocalDate first, LocalDate last) =>
        new() { Uid = uid, Summary = summary, Start = first.AtMidnight(), End = last.AtMidnight(), AllDay = true };
}

/// <summary>What the VCALENDAR says about itself.</summary>
/// <param name="ProductId">PRODID, e.g. <c>-//CmPortal//Key dates//FR</c>.</param>
/// <param name="Name">X-WR-CALNAME, the name clients show.</param>
/// <param name="TimeZoneId">An IANA (tzdb) zone: X-WR-TIMEZONE and the TZID of every timed event.</param>
public sealed record CalendarHeader(string ProductId, string Name, string TimeZoneId);
