using System.Globalization;
using CmPortal.Core.Localization;
using CmPortal.Modules.ContentCalendar.Recurrence;
using NodaTime;

namespace CmPortal.Tests.Unit;

/// <summary>A recurring post's rule as the user (or the API, or a recipe) writes it: RFC 5545's RRULE subset, or a clear refusal.</summary>
public sealed class RecurrenceRuleTests
{
    [Theory]
    [InlineData("FREQ=DAILY", "FREQ=DAILY")]
    [InlineData("FREQ=WEEKLY;COUNT=4", "FREQ=WEEKLY;COUNT=4")]
    [InlineData("RRULE:freq=weekly;byday=mo,th;interval=2;wkst=su", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU")]
    [InlineData("FREQ=MONTHLY;BYDAY=1TU,-1FR;COUNT=5", "FREQ=MONTHLY;BYDAY=1TU,-1FR;COUNT=5")]
    [InlineData("FREQ=MONTHLY;BYDAY=+2WE", "FREQ=MONTHLY;BYDAY=2WE")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=1,15,-1;UNTIL=20270630", "FREQ=MONTHLY;BYMONTHDAY=1,15,-1;UNTIL=20270630")]
    [InlineData("UNTIL=20270630T160000Z;FREQ=YEARLY", "FREQ=YEARLY;UNTIL=20270630T160000Z")]
    [InlineData("FREQ=DAILY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR")]
    public void A_rule_is_read_and_written_back_in_a_fixed_order(string text, string written)
    {
        Assert.True(RecurrenceRule.TryParse(text, out var rule, out var problem), problem?.ToString());
        Assert.Equal(written, rule.ToString());
        Assert.True(RecurrenceRule.TryParse(rule.ToString(), out var again, out _));
        Assert.Equal(written, again.ToString());
    }

    [Fact]
    public void The_parts_are_read_into_the_rule()
    {
        Assert.True(RecurrenceRule.TryParse("FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU,-1FR,WE;BYMONTHDAY=-1;COUNT=12;WKST=SU", out var rule, out _));
        Assert.Equal(RecurrenceFrequency.Monthly, rule.Frequency);
        Assert.Equal(3, rule.Interval);
        Assert.Equal([new RecurrenceWeekday(1, IsoDayOfWeek.Tuesday), new RecurrenceWeekday(-1, IsoDayOfWeek.Friday), new RecurrenceWeekday(0, IsoDayOfWeek.Wednesday)], rule.ByDay);
        Assert.Equal([-1], rule.ByMonthDay);
        Assert.Equal(12, rule.Count);
        Assert.Equal(IsoDayOfWeek.Sunday, rule.WeekStart);

        Assert.True(RecurrenceRule.TryParse("FREQ=DAILY;UNTIL=20270630T160000Z", out var utc, out _));
        Assert.Equal(Instant.FromUtc(2027, 6, 30, 16, 0), utc.UntilInstant);
        Assert.Null(utc.UntilDate);
        Assert.Equal(IsoDayOfWeek.Monday, utc.WeekStart);
    }

    [Theory]
    [InlineData("", "is empty", null)]
    [InlineData("   ", "is empty", null)]
    [InlineData("COUNT=3", "needs a FREQ part", null)]
    [InlineData("FREQ=HOURLY", "FREQ must be", "HOURLY")]
    [InlineData("FREQ=WEEKLY;BYMONTH=2", "BYMONTH", "BYMONTH")]
    [InlineData("FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO", "is not supported", "BYSETPOS")]
    [InlineData("FREQ=DAILY;BYHOUR=9", "is not supported", "BYHOUR")]
    [InlineData("FREQ=DAILY;COUNT", "NAME=value", "COUNT")]
    [InlineData("FREQ=DAILY;FREQ=WEEKLY", "twice", "FREQ")]
    [InlineData("FREQ=DAILY;INTERVAL=0", "INTERVAL must be", "0")]
    [InlineData("FREQ=DAILY;INTERVAL=two", "INTERVAL must be", "TWO")]
    [InlineData("FREQ=WEEKLY;COUNT=0", "COUNT must be", "0")]
    [InlineData("FREQ=WEEKLY;COUNT=-4", "COUNT must be", "-4")]
    [InlineData("FREQ=WEEKLY;COUNT=4;UNTIL=20270630", "not both", null)]
    [InlineData("FREQ=WEEKLY;UNTIL=2027-06-30", "UNTIL must be", "2027-06-30")]
    [InlineData("FREQ=WEEKLY;UNTIL=20270631", "UNTIL must be", "20270631")]
    [InlineData("FREQ=WEEKLY;UNTIL=20270630T160000", "UNTIL must be", "20270630T160000")]
    [InlineData("FREQ=WEEKLY;BYDAY=TUE", "BYDAY", "TUE")]
    [InlineData("FREQ=MONTHLY;BYDAY=0TU", "BYDAY", "0TU")]
    [InlineData("FREQ=WEEKLY;BYDAY=1TU", "only a monthly or yearly rule", "1TU")]
    [InlineData("FREQ=MONTHLY;BYDAY=6TU", "beyond", "6TU")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY", "32")]
    [InlineData("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY", "0")]
    [InlineData("FREQ=WEEKLY;BYMONTHDAY=15", "only for a monthly rule", null)]
    [InlineData("FREQ=WEEKLY;WKST=XX", "WKST must be", "XX")]
    public void A_rule_outside_the_subset_is_refused_with_a_message_naming_the_part(string text, string message, string? value)
    {
        Assert.False(RecurrenceRule.TryParse(text, out _, out var problem));
        Assert.NotNull(problem);
        Assert.Equal("recurrence", problem.Field);
        Assert.Contains(message, problem.ToString());
        if (value is not null) Assert.Contains(value, problem.Values.Select(v => v?.ToString()));
    }

    [Theory]
    [InlineData("FREQ=WEEKLY;BYDAY=1TU", "BYDAY 1TU a un rang, que seule une règle mensuelle ou annuelle peut utiliser.")]
    [InlineData("FREQ=WEEKLY;COUNT=0", "COUNT doit être un nombre entier de 1 à 10\u202f000, pas 0.")]
    [InlineData("FREQ=MONTHLY;BYMONTH=2", "La partie BYMONTH de la règle de récurrence n’est pas prise en charge\u00a0: une règle peut utiliser FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL et WKST.")]
    public void A_refused_rule_reads_in_French_from_the_module_translations(string text, string french)
    {
        Assert.False(RecurrenceRule.TryParse(text, out _, out var problem));
        var fr = new CultureInfo("fr-FR");
        var template = new PortalTranslations([typeof(RecurrenceRule).Assembly]).Find(problem!.Template, fr);
        Assert.NotNull(template);
        Assert.Equal(french, string.Format(fr, template, problem.Values.Select(v => PortalValues.Display(v, fr, t => t)).ToArray()));
    }

    [Fact]
    public void A_rule_that_ends_before_its_start_or_never_gives_a_date_is_refused_against_the_start()
    {
        var paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];
        var start = new LocalDateTime(2027, 4, 5, 9, 30);
        Assert.True(RecurrenceRule.TryParse("FREQ=WEEKLY;UNTIL=20270301", out var ended, out _));
        Assert.Contains("before its first post", ended.CheckAgainst(start, paris)!.ToString());
        Assert.True(RecurrenceRule.TryParse("FREQ=WEEKLY;UNTIL=20270301T000000Z", out var endedUtc, out _));
        Assert.Contains("before its first post", endedUtc.CheckAgainst(start, paris)!.ToString());

        // Every 12 months from April on the 31st: April never has one.
        Assert.True(RecurrenceRule.TryParse("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", out var never, out _));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Contains("never gives a date", never.CheckAgainst(start, paris)!.ToString());
        Assert.True(watch.ElapsedMilliseconds < 2000, $"took {watch.ElapsedMilliseconds} ms");

        Assert.True(RecurrenceRule.TryParse("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=31", out var fine, out _));
        Assert.Null(fine.CheckAgainst(start, paris));
    }
}
