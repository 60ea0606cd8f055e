using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Modules.KeyDates.Public;

namespace CmPortal.Tests.Unit;

public sealed class KeyDatesTests
{
    private static readonly Workspace Lumen = new() { Key = "maison-lumen", Name = "Maison Lumen", SiteTheme = "Brand" };

    [Fact]
    public void The_calendar_feed_escapes_text_folds_long_lines_and_ends_all_day_events_the_next_day()
    {
        var date = new KeyDate
        {
            Slug = "fete-des-lumieres", Title = "Fête des Lumières; Lyon, place des Terreaux",
            PublicDescription = "Ligne 1\nLigne 2 — un texte assez long pour dépasser soixante-quinze octets en UTF-8 : é è à ç œ.",
            Start = new DateOnly(2027, 12, 5), End = new DateOnly(2027, 12, 8), RecursYearly = true, IsPublic = true,
        };
        var ics = CalendarFeed.Write(Lumen, [date]);
        Assert.Contains("SUMMARY:Fête des Lumières\\; Lyon\\, place des Terreaux\r\n", ics);
        Assert.Contains("DTSTART;VALUE=DATE:20271205\r\nDTEND;VALUE=DATE:20271209\r\nRRULE:FREQ=YEARLY\r\n", ics);
        Assert.Contains("DESCRIPTION:Ligne 1\\nLigne 2", ics);
        // Since the shared writer (Core/Calendars): a published subscription feed, no VTIMEZONE for all-day dates.
        Assert.Contains("METHOD:PUBLISH\r\n", ics);
        Assert.DoesNotContain("VTIMEZONE", ics);
        foreach (var line in ics.Split("\r\n"))
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, $"line longer than 75 octets: {line}");
        // Unfolding (removing CRLF + space) gives back the original line.
        Assert.Contains("en UTF-8 : é è à ç œ.", ics.Replace("\r\n ", ""));
    }

    [Fact]
    public void The_calendar_feed_never_carries_the_internal_notes()
    {
        var date = new KeyDate
        {
            Slug = "fete-des-meres", Title = "Fête des mères", Start = new DateOnly(2027, 5, 30), End = new DateOnly(2027, 5, 30), IsPublic = true,
            Notes = "Jeu-concours Instagram, newsletter dédiée", PublicDescription = null,
        };
        var ics = CalendarFeed.Write(Lumen, [date]).Replace("\r\n ", "");
        Assert.DoesNotContain("Jeu-concours", ics);
        Assert.DoesNotContain("DESCRIPTION", ics);
    }

    [Fact]
    public void A_yearly_date_on_29_february_falls_on_28_february_in_common_years() =>
        Assert.Equal(new DateOnly(2027, 2, 28), YearlyOccurrence.InYear(new DateOnly(2024, 2, 29), 2027));
}
