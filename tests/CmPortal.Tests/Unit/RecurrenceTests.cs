using System.Globalization;
using CmPortal.Modules.ContentCalendar.Recurrence;
using NodaTime;

namespace CmPortal.Tests.Unit;

/// <summary>
/// Where a recurring post lands in the workspace's calendar: wall-clock time in its time zone across daylight-saving
/// changes, and RFC 5545's edge cases (positions, short months, leap days, COUNT, UNTIL, skipped dates, WKST).
/// </summary>
public sealed class RecurrenceTests
{
    private static Occurrences Rule(string rule, LocalDateTime start, string zone = "Europe/Paris", params LocalDate[] skipped)
    {
        Assert.True(RecurrenceRule.TryParse(rule, out var parsed, out var problem), problem?.ToString());
        return new Occurrences(parsed, start, zone, skipped);
    }

    /// <summary>The occurrences in a window of local dates, written with their offset: 2027-03-29T09:30+02:00.</summary>
    private static List<string> Between(Occurrences occurrences, LocalDate from, LocalDate to) =>
        occurrences.Between(from.AtStartOfDayInZone(occurrences.Zone).ToInstant(), to.AtStartOfDayInZone(occurrences.Zone).ToInstant())
            .Select(Written).ToList();

    private static string Written(ZonedDateTime z) => z.ToOffsetDateTime().ToString("uuuu-MM-dd'T'HH:mmo<m>", CultureInfo.InvariantCulture);

    private static List<string> Dates(Occurrences occurrences, LocalDate from, LocalDate to) =>
        Between(occurrences, from, to).Select(s => s[..10]).ToList();

    private static LocalDate D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void A_weekly_post_at_09_30_in_Paris_stays_at_09_30_across_both_changes()
    {
        var monday = Rule("FREQ=WEEKLY", new LocalDateTime(2027, 3, 22, 9, 30));
        Assert.Equal(["2027-03-22T09:30+01:00", "2027-03-29T09:30+02:00"], Between(monday, D(2027, 3, 20), D(2027, 4, 1)));
        Assert.Equal(["2027-10-25T09:30+02:00", "2027-11-01T09:30+01:00"], Between(monday, D(2027, 10, 24), D(2027, 11, 3)));
        var utc = monday.Between(Instant.FromUtc(2027, 3, 20, 0, 0), Instant.FromUtc(2027, 4, 1, 0, 0)).Select(z => z.ToInstant()).ToList();
        Assert.Equal([Instant.FromUtc(2027, 3, 22, 8, 30), Instant.FromUtc(2027, 3, 29, 7, 30)], utc);
    }

    [Fact]
    public void In_Paris_a_time_in_the_spring_gap_moves_forward_by_the_gap_and_an_autumn_time_takes_the_earlier_offset()
    {
        var night = Rule("FREQ=DAILY", new LocalDateTime(2027, 3, 27, 2, 30));
        Assert.Equal(["2027-03-27T02:30+01:00", "2027-03-28T03:30+02:00", "2027-03-29T02:30+02:00"], Between(night, D(2027, 3, 27), D(2027, 3, 30)));
        Assert.Equal(["2027-10-30T02:30+02:00", "2027-10-31T02:30+02:00", "2027-11-01T02:30+01:00"], Between(night, D(2027, 10, 30), D(2027, 11, 2)));
        var ambiguous = night.Between(Instant.FromUtc(2027, 10, 31, 0, 0), Instant.FromUtc(2027, 10, 31, 12, 0)).Single();
        Assert.Equal(Instant.FromUtc(2027, 10, 31, 0, 30), ambiguous.ToInstant());
    }

    [Fact]
    public void In_New_York_the_gap_and_the_overlap_follow_the_same_rule_and_a_weekly_post_keeps_its_local_time()
    {
        var night = Rule("FREQ=DAILY", new LocalDateTime(2027, 3, 13, 2, 30), "America/New_York");
        Assert.Equal(["2027-03-13T02:30-05:00", "2027-03-14T03:30-04:00", "2027-03-15T02:30-04:00"], Between(night, D(2027, 3, 13), D(2027, 3, 16)));
        var late = Rule("FREQ=DAILY", new LocalDateTime(2027, 11, 6, 1, 30), "America/New_York");
        Assert.Equal(["2027-11-06T01:30-04:00", "2027-11-07T01:30-04:00", "2027-11-08T01:30-05:00"], Between(late, D(2027, 11, 6), D(2027, 11, 9)));
        var sunday = Rule("FREQ=WEEKLY;BYDAY=SU", new LocalDateTime(2027, 3, 7, 9, 30), "America/New_York");
        Assert.Equal(["2027-03-07T09:30-05:00", "2027-03-14T09:30-04:00"], Between(sunday, D(2027, 3, 1), D(2027, 3, 15)));
    }

    [Fact]
    public void In_Sydney_the_southern_changes_in_April_and_October_keep_the_same_rules()
    {
        // Daylight saving ends on Sunday 4 April 2027 (03:00 → 02:00) and starts on Sunday 3 October 2027 (02:00 → 03:00).
        var april = Rule("FREQ=DAILY", new LocalDateTime(2027, 4, 3, 2, 30), "Australia/Sydney");
        Assert.Equal(["2027-04-03T02:30+11:00", "2027-04-04T02:30+11:00", "2027-04-05T02:30+10:00"], Between(april, D(2027, 4, 3), D(2027, 4, 6)));
        var october = Rule("FREQ=DAILY", new LocalDateTime(2027, 10, 2, 2, 30), "Australia/Sydney");
        Assert.Equal(["2027-10-02T02:30+10:00", "2027-10-03T03:30+11:00", "2027-10-04T02:30+11:00"], Between(october, D(2027, 10, 2), D(2027, 10, 5)));
        var weekly = Rule("FREQ=WEEKLY;BYDAY=MO", new LocalDateTime(2027, 9, 27, 9, 30), "Australia/Sydney");
        Assert.Equal(["2027-09-27T09:30+10:00", "2027-10-04T09:30+11:00"], Between(weekly, D(2027, 9, 27), D(2027, 10, 5)));
    }

    [Fact]
    public void In_Kolkata_without_daylight_saving_09_30_is_always_04_00_UTC()
    {
        var daily = Rule("FREQ=DAILY", new LocalDateTime(2027, 3, 26, 9, 30), "Asia/Kolkata");
        var instants = daily.Between(Instant.FromUtc(2027, 3, 26, 0, 0), Instant.FromUtc(2027, 4, 1, 0, 0)).Select(z => z.ToInstant()).ToList();
        Assert.Equal(6, instants.Count);
        Assert.All(instants, i => Assert.Equal(new LocalTime(4, 0), i.InUtc().TimeOfDay));
        Assert.Equal("2027-03-28T09:30+05:30", Between(daily, D(2027, 3, 28), D(2027, 3, 29)).Single());
    }

    [Fact]
    public void The_first_Tuesday_and_the_last_Friday_of_each_month()
    {
        var start = new LocalDateTime(2027, 1, 1, 9, 0);
        Assert.Equal(["2027-01-05", "2027-02-02", "2027-03-02", "2027-04-06"], Dates(Rule("FREQ=MONTHLY;BYDAY=1TU", start), D(2027, 1, 1), D(2027, 5, 1)));
        Assert.Equal(["2027-01-29", "2027-02-26", "2027-03-26", "2027-04-30"], Dates(Rule("FREQ=MONTHLY;BYDAY=-1FR", start), D(2027, 1, 1), D(2027, 5, 1)));
        Assert.Equal(["2027-01-05", "2027-01-29", "2027-02-02", "2027-02-26"], Dates(Rule("FREQ=MONTHLY;BYDAY=1TU,-1FR", start), D(2027, 1, 1), D(2027, 3, 1)));
    }

    [Fact]
    public void Months_without_the_31st_are_skipped_and_minus_one_is_the_last_day_of_every_month()
    {
        var start = new LocalDateTime(2027, 1, 31, 9, 0);
        string[] thirtyFirsts = ["2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31", "2027-08-31", "2027-10-31", "2027-12-31"];
        Assert.Equal(thirtyFirsts, Dates(Rule("FREQ=MONTHLY;BYMONTHDAY=31", start), D(2027, 1, 1), D(2028, 1, 1)));
        Assert.Equal(thirtyFirsts, Dates(Rule("FREQ=MONTHLY", start), D(2027, 1, 1), D(2028, 1, 1)));
        Assert.Equal(["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"], Dates(Rule("FREQ=MONTHLY;BYMONTHDAY=-1", start), D(2027, 1, 1), D(2027, 5, 1)));
        Assert.Equal(["2028-01-31", "2028-02-29"], Dates(Rule("FREQ=MONTHLY;BYMONTHDAY=-1", start), D(2028, 1, 1), D(2028, 3, 1)));
    }

    [Fact]
    public void A_yearly_post_on_February_29_comes_only_in_leap_years()
    {
        var leap = Rule("FREQ=YEARLY", new LocalDateTime(2028, 2, 29, 10, 0));
        Assert.Equal(["2028-02-29", "2032-02-29", "2036-02-29"], Dates(leap, D(2027, 1, 1), D(2038, 1, 1)));
        Assert.Equal(["2029-06-15", "2030-06-15"], Dates(Rule("FREQ=YEARLY", new LocalDateTime(2029, 6, 15, 10, 0)), D(2029, 1, 1), D(2031, 1, 1)));
    }

    [Fact]
    public void COUNT_counts_from_the_start_even_when_the_window_starts_later()
    {
        var tenTuesdays = Rule("FREQ=WEEKLY;COUNT=10", new LocalDateTime(2027, 1, 5, 9, 30));
        Assert.Equal(10, Dates(tenTuesdays, D(2026, 12, 1), D(2028, 1, 1)).Count);
        Assert.Equal(["2027-02-02", "2027-02-09", "2027-02-16", "2027-02-23", "2027-03-02", "2027-03-09"], Dates(tenTuesdays, D(2027, 2, 1), D(2027, 6, 1)));
        Assert.Empty(Dates(tenTuesdays, D(2027, 3, 10), D(2030, 1, 1)));
    }

    [Fact]
    public void UNTIL_is_inclusive_as_a_date_and_as_a_UTC_time()
    {
        var start = new LocalDateTime(2027, 1, 5, 9, 30); // 08:30 UTC in Paris in winter
        Assert.Equal(["2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08", "2027-01-09", "2027-01-10"], Dates(Rule("FREQ=DAILY;UNTIL=20270110", start), D(2027, 1, 1), D(2027, 2, 1)));
        Assert.Equal("2027-01-10", Dates(Rule("FREQ=DAILY;UNTIL=20270110T083000Z", start), D(2027, 1, 1), D(2027, 2, 1)).Last());
        Assert.Equal("2027-01-09", Dates(Rule("FREQ=DAILY;UNTIL=20270110T082959Z", start), D(2027, 1, 1), D(2027, 2, 1)).Last());
    }

    [Fact]
    public void Skipped_dates_are_left_out_and_still_count_towards_COUNT()
    {
        var start = new LocalDateTime(2027, 1, 5, 9, 30);
        Assert.Equal(["2027-01-05", "2027-01-19", "2027-01-26"], Dates(Rule("FREQ=WEEKLY", start, "Europe/Paris", D(2027, 1, 12)), D(2027, 1, 1), D(2027, 2, 1)));
        Assert.Equal(["2027-01-05", "2027-01-19", "2027-01-26"], Dates(Rule("FREQ=WEEKLY;COUNT=4", start, "Europe/Paris", D(2027, 1, 12)), D(2027, 1, 1), D(2028, 1, 1)));
    }

    [Fact]
    public void Every_other_week_on_several_days_depends_on_the_week_start_as_in_RFC_5545()
    {
        // RFC 5545's own example: DTSTART 1997-08-05 (a Tuesday).
        var start = new LocalDateTime(1997, 8, 5, 9, 0);
        Assert.Equal(["1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"], Dates(Rule("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", start, "America/New_York"), D(1997, 8, 1), D(1998, 1, 1)));
        Assert.Equal(["1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"], Dates(Rule("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", start, "America/New_York"), D(1997, 8, 1), D(1998, 1, 1)));
        var mondayThursday = Rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", new LocalDateTime(2027, 1, 4, 18, 0));
        Assert.Equal(["2027-03-01", "2027-03-04", "2027-03-15", "2027-03-18", "2027-03-29"], Dates(mondayThursday, D(2027, 3, 1), D(2027, 4, 1)));
    }

    [Fact]
    public void A_daily_rule_with_weekdays_skips_the_weekend_and_the_start_counts_only_when_the_rule_gives_its_date()
    {
        var weekdays = Rule("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", new LocalDateTime(2027, 1, 2, 9, 0)); // a Saturday
        Assert.Equal(["2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08", "2027-01-11"], Dates(weekdays, D(2027, 1, 1), D(2027, 1, 12)));
    }

    [Fact]
    public void The_preview_gives_the_next_occurrences_and_a_window_far_from_the_start_is_reached_without_walking_to_it()
    {
        var weekly = Rule("FREQ=WEEKLY;BYDAY=TU", new LocalDateTime(2027, 1, 5, 9, 30));
        Assert.Equal(["2027-03-30T09:30+02:00", "2027-04-06T09:30+02:00"], weekly.Next(Instant.FromUtc(2027, 3, 29, 0, 0), 2).Select(Written).ToList());
        var daily = Rule("FREQ=DAILY", new LocalDateTime(2027, 1, 1, 9, 30));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(31, Dates(daily, D(9000, 1, 1), D(9000, 2, 1)).Count);
        Assert.True(watch.ElapsedMilliseconds < 500, $"took {watch.ElapsedMilliseconds} ms");
    }
}
