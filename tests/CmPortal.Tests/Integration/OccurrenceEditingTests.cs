using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Tests.Integration;

/// <summary>One date of a recurring post: skipped, given its own text and time, or the series split there; each with its history.</summary>
public sealed class OccurrenceEditingTests
{
    private static readonly PostActor Actor = PostActor.System("Camille");

    /// <summary>Every Tuesday at 09:30 in Paris from 16 March 2027, six times: across the change to summer time on 28 March.</summary>
    private static PostInput Weekly => new()
    {
        Text = "Le conseil déco du mardi #MaisonLumen", Networks = ["instagram", "facebook"], StartsAt = "2027-03-16T09:30",
        Recurrence = "FREQ=WEEKLY;BYDAY=TU;COUNT=6",
    };

    private static async Task<T> InWorkspaceAsync<T>(PortalHost host, Func<IServiceProvider, Task<T>> work) => await host.InScopeAsync(async services =>
    {
        await MediaLibraryTests.InWorkspaceAsync(services);
        return await work(services);
    });

    private static async Task<(PortalHost Host, Post Series)> StartAsync(Provider provider = Provider.Sqlite)
    {
        var host = await PortalHost.StartSetUpAsync(provider);
        var series = await InWorkspaceAsync(host, async s =>
        {
            var created = await s.GetRequiredService<PostService>().CreateAsync(Weekly, PostState.Draft, Actor);
            Assert.True(created.Succeeded, string.Join(" ", created.Problems));
            return created.Post!;
        });
        return (host, series);
    }

    private static string TextOf(string html, string selector) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector(selector)?.TextContent.Trim() ?? "";

    /// <summary>The posts this test wrote (the demo's own posts, from its recipe, carry a slug).</summary>
    private static Task<List<Post>> PostsAsync(PortalHost host) => host.InScopeAsync(s =>
        s.GetRequiredService<CalendarDbContext>().Posts.IgnoreQueryFilters().AsNoTracking().Include(p => p.Variants)
            .Where(p => p.Slug == null).OrderBy(p => p.StartsLocal).ToListAsync());

    private static Task<IReadOnlyList<PostRevision>> HistoryAsync(PortalHost host, Guid id) => InWorkspaceAsync(host, s => s.GetRequiredService<PostService>().HistoryAsync(id));

    [Fact]
    public async Task One_date_given_its_own_text_and_time_becomes_a_post_of_its_own_and_the_series_skips_it()
    {
        var (host, series) = await StartAsync();
        await using var _ = host;

        var detached = await InWorkspaceAsync(host, s => s.GetRequiredService<OccurrenceService>().DetachAsync(series.Id, series.Version, new LocalDate(2027, 4, 6),
            Weekly with { Text = "Spécial Pâques : nos bougies en cire d’abeille", StartsAt = "2027-04-06T11:00" }, Actor));

        Assert.True(detached.Succeeded, string.Join(" ", detached.Problems));
        var all = await PostsAsync(host);
        var own = all.Single(p => p.Id == detached.Post!.Id);
        var after = all.Single(p => p.Id == series.Id);
        Assert.Equal((series.Id, "2027-04-06", "2027-04-06T11:00", (string?)null, "Spécial Pâques : nos bougies en cire d’abeille"),
            (own.SeriesId!.Value, own.OccurrenceDate, own.StartsLocal, own.Recurrence, own.Text));
        Assert.Equal("2027-04-06", after.SkippedDates);
        Assert.Equal(("Le conseil déco du mardi #MaisonLumen", "FREQ=WEEKLY;BYDAY=TU;COUNT=6"), (after.Text, after.Recurrence));
        // 11:00 in Paris on 6 April is summer time: 09:00 UTC.
        Assert.Equal(new DateTime(2027, 4, 6, 9, 0, 0, DateTimeKind.Utc), own.StartsUtc);

        // Both histories say it: the series skipped the date, the new post was created.
        var seriesChange = (await HistoryAsync(host, series.Id)).First();
        Assert.Contains(PostChanges.Deserialize(seriesChange.Changes), c => c is { Field: "skippedDates", From: null, To: "2027-04-06" });
        Assert.Equal("Camille", seriesChange.Author);
        Assert.Contains(PostChanges.Deserialize(Assert.Single(await HistoryAsync(host, own.Id)).Changes), c => c.Field == "created");
    }

    [Fact]
    public async Task Skipping_a_date_adds_it_to_the_series_and_a_date_the_series_does_not_have_is_refused()
    {
        var (host, series) = await StartAsync();
        await using var _ = host;

        var skipped = await InWorkspaceAsync(host, s => s.GetRequiredService<OccurrenceService>().SkipAsync(series.Id, series.Version, new LocalDate(2027, 3, 30), Actor));
        Assert.True(skipped.Succeeded, string.Join(" ", skipped.Problems));
        Assert.Equal("2027-03-30", (await PostsAsync(host)).Single().SkippedDates);

        // A Wednesday, and the skipped Tuesday: neither is a date of the series any more.
        foreach (var day in new[] { new LocalDate(2027, 3, 31), new LocalDate(2027, 3, 30) })
        {
            var refused = await InWorkspaceAsync(host, s => s.GetRequiredService<OccurrenceService>().SkipAsync(series.Id, series.Version + 1, day, Actor));
            Assert.False(refused.Succeeded);
            Assert.Equal("occurrence", Assert.Single(refused.Problems).Field);
        }
        // A stale edit is refused as a conflict, nothing saved.
        var stale = await InWorkspaceAsync(host, s => s.GetRequiredService<OccurrenceService>().SkipAsync(series.Id, series.Version, new LocalDate(2027, 4, 6), Actor));
        Assert.True(stale.IsConflict);
        Assert.Equal("2027-03-30", (await PostsAsync(host)).Single().SkippedDates);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task This_and_the_following_ones_end_the_series_before_the_date_and_start_a_new_one_across_the_change_to_summer_time(Provider provider)
    {
        var (host, series) = await StartAsync(provider);
        await using var _ = host;
        await InWorkspaceAsync(host, s => s.GetRequiredService<OccurrenceService>().SkipAsync(series.Id, series.Version, new LocalDate(2027, 4, 13), Actor));

        // From 30 March (the first Tuesday of summer time) the text changes.
        var split = await InWorkspaceAsync(host, s => s.GetRequiredService<OccurrenceService>().SplitAsync(series.Id, series.Version + 1, new LocalDate(2027, 3, 30),
            Weekly with { Text = "Le conseil déco du printemps #MaisonLumen" }, Actor));

        Assert.True(split.Succeeded, string.Join(" ", split.Problems));
        var all = await PostsAsync(host);
        var old = all.Single(p => p.Id == series.Id);
        var next = all.Single(p => p.Id == split.Post!.Id);
        // The old series: 16 and 23 March (winter time, 08:30 UTC), then nothing.
        Assert.Equal(("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270329", (string?)null), (old.Recurrence, old.SkippedDates));
        Assert.Equal(new DateTime(2027, 3, 23, 8, 30, 0, DateTimeKind.Utc), old.EndsUtc);
        // The new one: the four dates left, still at 09:30 in Paris (07:30 UTC in summer time), 13 April still skipped.
        Assert.Equal(("2027-03-30T09:30", "FREQ=WEEKLY;BYDAY=TU;COUNT=4", "2027-04-13", "Le conseil déco du printemps #MaisonLumen"),
            (next.StartsLocal, next.Recurrence, next.SkippedDates, next.Text));
        Assert.Equal(new DateTime(2027, 3, 30, 7, 30, 0, DateTimeKind.Utc), next.StartsUtc);
        Assert.Equal(new DateTime(2027, 4, 20, 7, 30, 0, DateTimeKind.Utc), next.EndsUtc);
        Assert.Equal(["facebook", "instagram"], next.Variants.Select(v => v.Network).Order());

        var history = PostChanges.Deserialize((await HistoryAsync(host, series.Id)).First().Changes);
        Assert.Contains(history, c => c is { Field: "recurrence", From: "FREQ=WEEKLY;BYDAY=TU;COUNT=6", To: "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270329" });
        Assert.Contains(history, c => c is { Field: "skippedDates", From: "2027-04-13", To: null });
    }

    [Fact]
    public async Task The_editor_opened_on_one_date_asks_what_the_edit_applies_to_and_gives_that_date_its_own_text_or_skips_it()
    {
        var (host, series) = await StartAsync();
        await using var _ = host;
        using var admin = await host.SignInAsync();
        var editor = $"/admin/maison-lumen/posts/{series.Id}";

        var html = await admin.GetStringAsync($"{editor}?occurrence=2027-04-06");
        Assert.StartsWith("Vous avez ouvert la publication du 6\u00a0avril\u00a02027, une date d’une publication récurrente.", TextOf(html, "#occurrence-choice legend"));
        var form = PageForm.Parse(html, "#post-form");
        Assert.Equal(($"{editor}/occurrence", "2027-04-06", "This", "2027-04-06"), (form.Action, form["occurrence"], form["scope"], form["Date"]));

        var saved = await form.Set("Text", "Spécial Pâques #MaisonLumen").Set("Time", "11:00").SubmitAsync(admin);
        var own = (await PostsAsync(host)).Single(p => p.SeriesId == series.Id);
        await admin.AssertRedirectWithMessageAsync(saved, $"/admin/maison-lumen/posts/{own.Id}",
            "La publication du 6\u00a0avril\u00a02027 a maintenant son propre texte et son heure\u00a0; la série saute cette date.");
        Assert.Equal(("Spécial Pâques #MaisonLumen", "2027-04-06T11:00"), (own.Text, own.StartsLocal));
        Assert.StartsWith("Cette publication remplace la date du 6\u00a0avril\u00a02027 d’une publication récurrente.",
            TextOf(await admin.GetStringAsync($"/admin/maison-lumen/posts/{own.Id}"), "#series-link"));

        // Skipping another date from the button beside the form.
        var skip = PageForm.Parse(await admin.GetStringAsync($"{editor}?occurrence=2027-04-13"), "#skip-occurrence");
        await admin.AssertRedirectWithMessageAsync(await skip.SubmitAsync(admin), editor, "La publication ne partira pas le 13\u00a0avril\u00a02027.");
        Assert.Equal("2027-04-06,2027-04-13", (await PostsAsync(host)).Single(p => p.Id == series.Id).SkippedDates);

        // A date the series does not have opens the plain editor.
        Assert.DoesNotContain("occurrence-choice", await admin.GetStringAsync($"{editor}?occurrence=2027-04-07"));
    }
}
