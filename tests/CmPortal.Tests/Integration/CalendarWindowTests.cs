using System.Diagnostics;
using CmPortal.Modules.ContentCalendar.Calendar;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
        await using var host = await PortalHost.StartAsync(provider);
        await host.SetUpAsync();
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
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
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
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        await host.CreatePostAsync(Post("Il y a longtemps", "2027-01-05T10:00"));
        await host.CreatePostAsync(Post("En mars", "2027-03-17T10:00"));
        await host.CreatePostAsync(Post("Chaque mardi", "2027-01-05T09:30", recurrence: "FREQ=WEEKLY;BYDAY=TU"));

        var plans = await host.InWorkspaceAsync("maison-lumen", async services =>
        {
            // The SQL the window really sends, caught on its way to this scope's connection, then explained by SQLite.
            var connection = services.GetRequiredService<CalendarDbContext>().Database.GetDbConnection();
            using var capture = new CommandCapture(connection);
            var window = await services.GetRequiredService<CalendarWindow>()
                .BetweenAsync(new LocalDate(2027, 3, 1), new LocalDate(2027, 4, 1));
            Assert.Equal(["Chaque mardi", "En mars"], window.Select(o => o.Excerpt).Distinct().Order().ToArray());
            var explained = new List<string>();
            await services.GetRequiredService<CalendarDbContext>().Database.OpenConnectionAsync();
            foreach (var (sql, parameters) in capture.Commands.Where(c => c.Sql.Contains("\"ContentCalendar_Posts\"", StringComparison.Ordinal)))
            {
                await using var explain = connection.CreateCommand();
                explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
                foreach (var (name, value) in parameters)
                {
                    var parameter = explain.CreateParameter();
                    (parameter.ParameterName, parameter.Value) = (name, value);
                    explain.Parameters.Add(parameter);
                }
                await using var reader = await explain.ExecuteReaderAsync();
                var plan = new List<string>();
                while (await reader.ReadAsync()) plan.Add(reader.GetString(reader.GetOrdinal("detail")));
                explained.Add(string.Join(" | ", plan));
            }
            return explained;
        });

        // Two reads of the posts table, each a search through its partial index; none scans the workspace's history.
        // Each post's networks come from an index alone, without a lookup in the variants table.
        Assert.Equal(2, plans.Count);
        Assert.Contains("SEARCH c USING INDEX IX_ContentCalendar_Posts_OneOffStarts (WorkspaceId=? AND StartsUtc>? AND StartsUtc<?)", plans[0]);
        Assert.Contains("SEARCH c USING INDEX IX_ContentCalendar_Posts_SeriesStarts (WorkspaceId=? AND StartsUtc<?)", plans[1]);
        Assert.All(plans, plan => Assert.Contains("SEARCH c0 USING COVERING INDEX IX_ContentCalendar_Variants_Networks (PostId=? AND WorkspaceId=?)", plan));
    }

    [Fact]
    public async Task A_series_changed_or_given_a_skipped_date_shows_its_new_dates_at_the_next_look_at_the_same_month()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
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

    /// <summary>The commands EF Core runs on one connection while it lives (its diagnostic events), with their parameters.</summary>
    private sealed class CommandCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly System.Data.Common.DbConnection _connection;
        private readonly List<IDisposable> _subscriptions = [];
        private readonly IDisposable _all;

        public CommandCapture(System.Data.Common.DbConnection connection)
        {
            _connection = connection;
            _all = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public List<(string Sql, List<(string Name, object? Value)> Parameters)> Commands { get; } = [];

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key != RelationalEventId.CommandExecuting.Name || e.Value is not CommandEventData data || data.Command.Connection != _connection) return;
            lock (Commands)
                Commands.Add((data.Command.CommandText,
                    data.Command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => (p.ParameterName, p.Value)).ToList()));
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }

        public void Dispose()
        {
            _all.Dispose();
            lock (_subscriptions) _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
