using CmPortal.Core.Calendars;
using CmPortal.Modules.ContentCalendar.Recurrence;
using NodaTime;

namespace CmPortal.Tests.Unit;

/// <summary>What the private calendar feed writes beyond the writer's basics: UNTIL in UTC next to a TZID, and overrides.</summary>
public sealed class CalendarFeedRuleTests
{
    [Theory]
    // Summer time in Paris on March 30th, 2027: the local day ends at 22:00 UTC.
    [InlineData("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270330", "Europe/Paris", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270330T215959Z")]
    [InlineData("FREQ=DAILY;UNTIL=20270110", "America/New_York", "FREQ=DAILY;UNTIL=20270111T045959Z")]
    // Already in UTC, or no UNTIL: written as the rule is.
    [InlineData("FREQ=WEEKLY;UNTIL=20270330T080000Z", "Europe/Paris", "FREQ=WEEKLY;UNTIL=20270330T080000Z")]
    [InlineData("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", "Europe/Paris", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3")]
    public void A_date_only_until_becomes_the_last_second_of_that_local_day_in_utc(string rule, string zone, string expected)
    {
        Assert.True(RecurrenceRule.TryParse(rule, out var parsed, out var problem), problem?.ToString());
        Assert.Equal(expected, parsed.ToICalendar(DateTimeZoneProviders.Tzdb[zone]));
        // The same occurrences either way: the last one is still in, the next day's is out.
        var start = new LocalDateTime(2027, 1, 5, 9, 30);
        Assert.True(RecurrenceRule.TryParse(parsed.ToICalendar(DateTimeZoneProviders.Tzdb[zone]), out var utc, out _));
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var from = Instant.FromUtc(2027, 1, 1, 0, 0);
        var to = Instant.FromUtc(2028, 1, 1, 0, 0);
        Assert.Equal(new Occurrences(parsed, start, tz).Between(from, to), new Occurrences(utc, start, tz).Between(from, to));
    }

    [Fact]
    public void An_override_carries_the_series_uid_and_the_original_start_as_recurrence_id()
    {
        var series = new CalendarEvent
        {
            Uid = "s@cmportal", Summary = "Atelier", Start = new LocalDateTime(2027, 3, 16, 9, 30), Duration = Duration.FromMinutes(15),
            RecurrenceRule = "FREQ=WEEKLY;COUNT=6",
        };
        var moved = series with { RecurrenceRule = null, Summary = "Atelier spécial", Start = new LocalDateTime(2027, 3, 23, 11, 0), RecurrenceId = new LocalDateTime(2027, 3, 23, 9, 30) };
        var ics = ICalendarWriter.Write(new CalendarHeader("-//CmPortal//Test//FR", "Test", "Europe/Paris"), [series, moved], Instant.FromUtc(2026, 11, 30, 12, 0));

        Assert.Contains("UID:s@cmportal\r\nDTSTAMP:20261130T120000Z\r\nDTSTART;TZID=Europe/Paris:20270323T110000\r\nDURATION:PT15M\r\nRECURRENCE-ID;TZID=Europe/Paris:20270323T093000\r\nSUMMARY:Atelier spécial\r\n", ics);
        Assert.Equal(2, ics.Split("UID:s@cmportal").Length - 1);
        Assert.Single(ics.Split("\r\n"), l => l.StartsWith("RRULE:", StringComparison.Ordinal));
    }
}
