using CmPortal.Modules.ContentCalendar.Calendar;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Tests.Integration;

/// <summary>
/// The calendar's window (what the calendar page, its JSON feed and the public API show): the posts going out in a
/// window of time, recurring posts expanded at their wall-clock time in the workspace's zone (Europe/Paris in the demo).
/// </summary>
public sealed class CalendarWindowTests
{
    internal static PostInput Post(string text, string? startsAt, string[]? networks = null, string? pillar = null, string? recurrence = null, string[]? skipped = null) => new()
    {
        Text = text, StartsAt = startsAt, Networks = networks ?? ["instagram"], Pillar = pillar, Recurrence = recurrence, SkippedDates = skipped ?? [],
    };

    private static Task<IReadOnlyList<CalendarOccurrence>> WindowAsync(PortalHost host, string from, string to, CalendarFilter? filter = null) =>
        host.InWorkspaceAsync("maison-lumen", services => services.GetRequiredService<CalendarWindow>()
            .BetweenAsync(LocalDatePattern.Iso.Parse(from).Value, LocalDatePattern.Iso.Parse(to).Value, filter));

    private static string Utc(Instant instant) => InstantPattern.General.Format(instant);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_weekly_post_stays_at_09_30_in_Paris_across_the_clock_change_with_skipped_and_detached_dates_and_window_bounds(Provider provider)
    {
        await using var host = await PortalHost.StartSetUpAsync(provider);
        // Tuesdays at 09:30 from March 16th, 2027, six times; Paris moves to summer time on Sunday March 28th.
        var series = await host.CreatePostAsync(Post("L’atelier du mardi", "2027-03-16T09:30", ["instagram", "facebook"], "Savoir-faire & atelier",
            "FREQ=WEEKLY;COUNT=6", ["2027-03-23", "2027-03-30"]));
        // March 23rd was detached into a post of its own at 11:00; March 30th is skipped.
        var detached = await host.CreatePostAsync(Post("L’atelier du mardi, spécial printemps", "2027-03-23T11:00"));
        await host.DetachAsync(detached, series, "2027-03-23");
        var first = await host.CreatePostAsync(Post("Minuit pile", "2027-03-15T00:00"));           // the window's first instant: in
        var gap = await host.CreatePostAsync(Post("Nuit du changement d’heure", "2027-03-28T02:30")); // 02:30 does not exist that night
        await host.CreatePostAsync(Post("Le lundi suivant", "2027-04-12T00:00"));                   // the window's end: out
        await host.CreatePostAsync(Post("Une idée", "2027-03-20T10:00"), PostState.Idea);              // ideas are not on the calendar
        await host.CreatePostAsync(Post("Archivée", "2027-03-20T10:00"), PostState.Archived);
        await host.CreatePostAsync(Post("Au stock", null));                                            // the backlog has no date

        var window = await WindowAsync(host, "2027-03-15", "2027-04-12");

        Assert.Equal(
        [
            (first, null, "2027-03-15T00:00", "2027-03-14T23:00:00Z", false),
            (series, "2027-03-16", "2027-03-16T09:30", "2027-03-16T08:30:00Z", true),
            (detached, null, "2027-03-23T11:00", "2027-03-23T10:00:00Z", false),
            (gap, null, "2027-03-28T03:30", "2027-03-28T01:30:00Z", false),
            (series, "2027-04-06", "2027-04-06T09:30", "2027-04-06T07:30:00Z", true),
        ], window.Select(o => (o.PostId, o.OccurrenceDate, PostRules.Format(o.Start), Utc(o.StartUtc), o.IsRecurring)).ToList());
        var tuesday = window[1];
        Assert.Equal(("instagram,facebook", PostState.Draft, "Savoir-faire & atelier", "L’atelier du mardi"),
            (string.Join(",", tuesday.Networks), tuesday.State, tuesday.Pillar, tuesday.Excerpt));
        Assert.Equal("2027-04-06T09:30:00+02:00", window[4].StartWithOffset(DateTimeZoneProviders.Tzdb["Europe/Paris"]));

        // A window that starts after the series began still gets its later dates, and only those.
        Assert.Equal(["2027-04-13", "2027-04-20"],
            (await WindowAsync(host, "2027-04-07", "2027-05-01")).Where(o => o.PostId == series).Select(o => o.OccurrenceDate!).ToArray());
    }

    [Fact]
    public async Task The_window_keeps_only_the_posts_of_the_network_pillar_state_campaign_and_author_asked()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var linkedin = await host.CreatePostAsync(Post("Pour les revendeurs", "2027-03-17T10:00", ["linkedin"], "Collections & offres"));
        var instagram = await host.CreatePostAsync(Post("Coulisses", "2027-03-18T18:00", ["instagram"], "Savoir-faire & atelier"));
        var failed = await host.CreatePostAsync(Post("Raté", "2027-03-19T12:00", ["instagram"]), PostState.Failed);
        var author = Guid.NewGuid();
        await host.SetAuthorAsync(instagram, author);

        async Task<Guid[]> Ids(CalendarFilter filter) => (await WindowAsync(host, "2027-03-01", "2027-04-01", filter)).Select(o => o.PostId).ToArray();
        Assert.Equal([linkedin, instagram, failed], await Ids(CalendarFilter.All));
        Assert.Equal([linkedin], await Ids(new CalendarFilter(Network: "linkedin")));
        Assert.Equal([instagram], await Ids(new CalendarFilter(Pillar: "Savoir-faire & atelier")));
        Assert.Equal([failed], await Ids(new CalendarFilter(State: PostState.Failed)));
        Assert.Equal([instagram], await Ids(new CalendarFilter(Author: author)));
        Assert.Empty(await Ids(new CalendarFilter(Campaign: Guid.NewGuid())));
        Assert.Equal([instagram], await Ids(new CalendarFilter(Network: "instagram", Pillar: "Savoir-faire & atelier")));
    }

    [Fact]
    public async Task A_month_reads_one_off_posts_by_their_start_in_the_window_and_series_apart_each_through_its_own_index()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.CreatePostAsync(Post("Il y a longtemps", "2027-01-05T10:00"));
        await host.CreatePostAsync(Post("En mars", "2027-03-17T10:00"));
        await host.CreatePostAsync(Post("Chaque mardi", "2027-01-05T09:30", recurrence: "FREQ=WEEKLY;BYDAY=TU"));

        var plan = await host.InWorkspaceAsync("maison-lumen", async services =>
        {
            var window = services.GetRequiredService<CalendarWindow>();
            Assert.Equal(["Chaque mardi", "En mars"],
                (await window.BetweenAsync(new LocalDate(2027, 3, 1), new LocalDate(2027, 4, 1))).Select(o => o.Excerpt).Distinct().Order().ToArray());
            // The very command the window sends for March (its text and parameters), explained by SQLite.
            var db = services.GetRequiredService<CalendarDbContext>();
            await db.Database.OpenConnectionAsync();
            await using var command = window.Command(new DateTime(2027, 2, 28, 23, 0, 0, DateTimeKind.Utc), new DateTime(2027, 3, 31, 22, 0, 0, DateTimeKind.Utc), CalendarFilter.All);
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            await using var reader = await command.ExecuteReaderAsync();
            var details = new List<string>();
            while (await reader.ReadAsync()) details.Add(reader.GetString(reader.GetOrdinal("detail")));
            return string.Join(" | ", details);
        });

        // One command, two reads of the posts table alone, each a search through its partial index; none scans the
        // workspace's history, and the networks come with each post's row (no join to the variants).
        var (oneOff, series) = (plan.IndexOf("UNION ALL", StringComparison.Ordinal) is var union and > 0 ? (plan[..union], plan[union..]) : (plan, ""));
        Assert.Contains("SEARCH p USING INDEX IX_ContentCalendar_Posts_OneOffStarts (WorkspaceId=? AND StartsUtc>? AND StartsUtc<?)", oneOff);
        Assert.Contains("SEARCH p USING INDEX IX_ContentCalendar_Posts_SeriesStarts (WorkspaceId=? AND StartsUtc<?)", series);
        Assert.DoesNotContain("ContentCalendar_Variants", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_series_changed_or_given_a_skipped_date_shows_its_new_dates_at_the_next_look_at_the_same_month()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var series = await host.CreatePostAsync(Post("Les coulisses", "2027-03-02T18:00", recurrence: "FREQ=WEEKLY;BYDAY=TU"));
        async Task<string[]> MarchAsync() => (await WindowAsync(host, "2027-03-01", "2027-04-01")).Select(o => PostRules.Format(o.Start)).ToArray();
        Assert.Equal(["2027-03-02T18:00", "2027-03-09T18:00", "2027-03-16T18:00", "2027-03-23T18:00", "2027-03-30T18:00"], await MarchAsync());

        await host.InWorkspaceAsync("maison-lumen", async services =>
        {
            var posts = services.GetRequiredService<PostService>();
            var post = (await posts.FindAsync(series))!;
            var outcome = await posts.UpdateAsync(series, post.Version,
                posts.InputOf(post) with { Recurrence = "FREQ=WEEKLY;BYDAY=TH", StartsAt = "2027-03-04T09:30", SkippedDates = ["2027-03-18"] },
                PostActor.System("Tests"));
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems.Select(p => p.ToString())));
            return true;
        });

        Assert.Equal(["2027-03-04T09:30", "2027-03-11T09:30", "2027-03-25T09:30"], await MarchAsync());
    }
}
