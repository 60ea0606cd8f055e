using CmPortal.Tests.Infrastructure;
using System.Diagnostics;
using System.Text;
using CmPortal.Core.Calendars;
using CmPortal.Modules.ContentCalendar.Recurrence;
using NodaTime;

namespace CmPortal.Tests.Unit;

public sealed class ICalendarWriterTests
{
    private static readonly Instant Stamp = Instant.FromUtc(2026, 11, 30, 12, 0);

    private static string Feed(string zone, params CalendarEvent[] events) =>
        ICalendarWriter.Write(new CalendarHeader("-//CmPortal//Content calendar//FR", "Maison Lumen, posts", zone), events, Stamp);

    private static CalendarEvent Post(string uid, LocalDateTime start) =>
        new() { Uid = uid, Summary = "Post", Start = start, Duration = Duration.FromMinutes(30) };

    [Fact]
    public void Long_french_text_with_accents_and_emoji_folds_at_75_octets_never_inside_a_character()
    {
        var text = string.Concat(Enumerable.Repeat("Fête des Lumières à Lyon 🎆🕯️ : crème brûlée, œufs et déjà l’été ! ", 6));
        var ics = Feed("Europe/Paris", Post("fold@lumen", new LocalDateTime(2027, 12, 8, 18, 0)) with { Description = text });

        Assert.DoesNotContain("\uFFFD", Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(ics)));
        foreach (var line in ics.Split("\r\n"))
        {
            Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, $"line longer than 75 octets: {line}");
            // A fold between the two halves of a surrogate pair would leave a lone surrogate on a line.
            Assert.False(line.Length > 0 && char.IsHighSurrogate(line[^1]), $"line ends inside an emoji: {line}");
            Assert.False(line.Length > 1 && char.IsLowSurrogate(line[1]) && line[0] == ' ', $"line starts inside an emoji: {line}");
        }
        Assert.Contains(ICalendarWriter.Escape(text), ics.Replace("\r\n ", ""));
        Assert.EndsWith("END:VCALENDAR\r\n", ics);
        Assert.DoesNotContain("\n", ics.Replace("\r\n", ""));
    }

    [Fact]
    public void Text_escapes_backslash_semicolon_comma_and_line_breaks_but_not_the_url()
    {
        var ics = Feed("Europe/Paris", Post("esc@lumen", new LocalDateTime(2027, 3, 1, 9, 30)) with
        {
            Summary = @"Soldes; -30 %, C:\promo",
            Description = "Ligne 1\r\nLigne 2\nLigne 3",
            Url = new Uri("https://lumen.test/posts?id=4&lang=fr"),
            Categories = ["Promo, soldes", "Instagram"],
        }).Replace("\r\n ", "");

        Assert.Contains(@"SUMMARY:Soldes\; -30 %\, C:\\promo" + "\r\n", ics);
        Assert.Contains(@"DESCRIPTION:Ligne 1\nLigne 2\nLigne 3" + "\r\n", ics);
        Assert.Contains("URL:https://lumen.test/posts?id=4&lang=fr\r\n", ics);
        Assert.Contains(@"CATEGORIES:Promo\, soldes,Instagram" + "\r\n", ics);
        Assert.Contains(@"X-WR-CALNAME:Maison Lumen\, posts" + "\r\n", ics);
    }

    [Fact]
    public void A_weekly_0930_post_in_paris_stays_at_0930_across_the_march_change_and_skips_its_exception()
    {
        // 2027-03-28 is the last Sunday of March: Paris goes from +01:00 to +02:00.
        Assert.True(RecurrenceRule.TryParse("FREQ=WEEKLY;BYDAY=MO;COUNT=4", out var rule, out _));
        var ics = Feed("Europe/Paris", Post("weekly@lumen", new LocalDateTime(2027, 3, 15, 9, 30)) with
        {
            RecurrenceRule = rule.ToString(),
            ExceptionDates = [new LocalDateTime(2027, 3, 22, 9, 30)],
        });

        Assert.Contains("DTSTART;TZID=Europe/Paris:20270315T093000\r\nDURATION:PT30M\r\n", ics);
        Assert.Contains("EXDATE;TZID=Europe/Paris:20270322T093000\r\n", ics);
        Assert.Contains("METHOD:PUBLISH\r\nX-WR-CALNAME:", ics);
        Assert.Contains("X-WR-TIMEZONE:Europe/Paris\r\n", ics);
        Assert.Contains("DTSTAMP:20261130T120000Z\r\n", ics);

        var occurrences = ParseWithPythonIcalendar(ics);
        Assert.Equal(["2027-03-15T09:30:00+01:00", "2027-03-29T09:30:00+02:00", "2027-04-05T09:30:00+02:00"], occurrences.Skip(1));
        Assert.Equal("DTSTART 2027-03-15T09:30:00+01:00", occurrences[0]);
    }

    [Theory]
    [InlineData("Europe/Paris", "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT",
        "BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD")]
    [InlineData("America/New_York", "BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT",
        "BEGIN:STANDARD\r\nDTSTART:20271107T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD")]
    // Southern hemisphere: summer time ends in April and starts in October.
    [InlineData("Australia/Sydney", "BEGIN:STANDARD\r\nDTSTART:20270404T030000\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1000\r\nTZNAME:AEST\r\nEND:STANDARD",
        "BEGIN:DAYLIGHT\r\nDTSTART:20271003T020000\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\nTZNAME:AEDT\r\nEND:DAYLIGHT")]
    public void The_vtimezone_lists_each_transition_of_the_years_the_posts_span(string zone, string first, string second)
    {
        var ics = Feed(zone, Post("tz@lumen", new LocalDateTime(2027, 1, 4, 9, 30)), Post("tz2@lumen", new LocalDateTime(2027, 12, 27, 9, 30)));

        Assert.Contains($"BEGIN:VTIMEZONE\r\nTZID:{zone}\r\n", ics);
        Assert.Contains(first, ics);
        Assert.Contains(second, ics);
        // The observance in force on 1 January plus the two changes of 2027.
        Assert.Equal(3, Count(ics, "BEGIN:STANDARD") + Count(ics, "BEGIN:DAYLIGHT"));
        AssertIndependentParserAgreesWithTzdb(zone, ics);
    }

    [Fact]
    public void A_zone_without_daylight_saving_time_gets_one_standard_observance()
    {
        var ics = Feed("Asia/Kolkata", Post("ist@lumen", new LocalDateTime(2027, 6, 7, 9, 30)) with { RecurrenceRule = "FREQ=WEEKLY" });

        Assert.Equal(1, Count(ics, "BEGIN:STANDARD"));
        Assert.Equal(0, Count(ics, "BEGIN:DAYLIGHT"));
        Assert.Contains("TZOFFSETTO:+0530\r\nTZNAME:IST\r\n", ics);
        AssertIndependentParserAgreesWithTzdb("Asia/Kolkata", ics);
    }

    [Fact]
    public void Feeds_without_timed_events_need_no_vtimezone()
    {
        var ics = Feed("Europe/Paris", CalendarEvent.ForDays("day@lumen", "Fête des mères", new LocalDate(2027, 5, 30), new LocalDate(2027, 5, 30)));
        Assert.DoesNotContain("VTIMEZONE", ics);
        Assert.Contains("DTSTART;VALUE=DATE:20270530\r\nDTEND;VALUE=DATE:20270531\r\n", ics);
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;

    /// <summary>Python's icalendar reads the VTIMEZONE (not its own tz database): its offsets of a 09:30 every week of 2027 must be tzdb's.</summary>
    private static void AssertIndependentParserAgreesWithTzdb(string zone, string ics)
    {
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var probe = Post("probe@lumen", new LocalDateTime(2027, 1, 4, 9, 30)) with { RecurrenceRule = "FREQ=WEEKLY;COUNT=52" };
        var withProbe = Feed(zone, probe);
        var expected = Enumerable.Range(0, 52).Select(w => new LocalDateTime(2027, 1, 4, 9, 30).PlusWeeks(w).InZoneStrictly(tz).ToOffsetDateTime())
            .Select(t => t.ToString("uuuu-MM-dd'T'HH:mm:sso<+HH:mm>", null)).ToList();
        Assert.Equal(expected, ParseWithPythonIcalendar(withProbe).Skip(1));
        Assert.NotEmpty(ParseWithPythonIcalendar(ics));
    }

    // Debian's python3-icalendar (test.sh installs it): parse, build the zone from OUR VTIMEZONE, expand the RRULE
    // without the EXDATEs, print each occurrence with its offset. The first line is DTSTART as icalendar decodes it.
    private const string Script = """
        import sys, icalendar
        from dateutil.rrule import rrulestr
        cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
        tzs = cal.walk('VTIMEZONE')
        tz = tzs[0].to_tz() if tzs else None
        ev = cal.walk('VEVENT')[0]
        start = ev['DTSTART']
        print('DTSTART', tz.localize(start.dt.replace(tzinfo=None)).isoformat() if tz else start.dt.isoformat())
        local = start.dt.replace(tzinfo=None)
        ex = set()
        for e in (ev.get('EXDATE') if isinstance(ev.get('EXDATE'), list) else [ev.get('EXDATE')] if ev.get('EXDATE') else []):
            ex.update(d.dt.replace(tzinfo=None) for d in e.dts)
        times = list(rrulestr(ev['RRULE'].to_ical().decode(), dtstart=local)) if 'RRULE' in ev else [local]
        for t in times:
            if t not in ex: print(tz.localize(t).isoformat() if tz else t.isoformat())
        """;

    private static List<string> ParseWithPythonIcalendar(string ics) =>
        PythonICalendar.Run(Script, ics).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
