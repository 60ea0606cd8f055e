using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// On both engines, a frequent phrase counts "more than 1,000" and a rare one its exact number, and the newest-first
/// pages of a search with more matches than the count's cap are the ones sorting every match would give — whether the
/// newest mentions hold a page of them (PostgreSQL walks the date index a little way) or only a few (the rest of the
/// page comes from the full-text index). docs/inbox.md, "How search runs".
/// </summary>
public sealed class MentionSearchPhraseCountTests
{
    private static readonly string[] Texts = ["Ma lampe de chevet", "Le chevet de la lampe", "Une applique"];

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_frequent_phrase_counts_more_than_the_cap_a_rare_one_exactly_and_pages_come_newest_first(Provider provider)
    {
        await using var host = await MentionStoreTests.StartAsync(provider);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(11);
        // 1,200 older mentions with "lampe de chevet" (stored in shuffled order; one in twenty says "chevet de la lampe"
        // instead: the same words, not the phrase), then more than a walk reads (WalkRows) newer ones without either,
        // twelve of which have the phrase again. Every third mention is from Mastodon.
        var older = MentionSearch.CountCap + 200;
        var minutes = Enumerable.Range(0, older).Select(i => i * 3).OrderBy(_ => random.Next()).ToArray();
        var all = Enumerable.Range(0, older).Select(i => (Index: i, Published: start.AddMinutes(minutes[i]), Text: i % 20 == 3 ? 1 : 0))
            .Concat(Enumerable.Range(older, MentionSearch.WalkRows + 100)
                .Select(i => (Index: i, Published: start.AddMinutes(i * 3), Text: i % 175 == 0 ? 0 : 2))).ToList();
        foreach (var batch in all.Chunk(1000))
            foreach (var kind in new[] { "rss", "mastodon" })
            {
                var items = batch.Where(m => (m.Index % 3 == 0) == (kind == "mastodon")).Select(m => new ListenedItem($"n{m.Index}", null,
                    Texts[m.Text] + $" Lumen n° {m.Index}", null, "Léa", null, null, m.Published, "fr")).ToList();
                var outcome = await host.InWorkspaceAsync("ecoute", s => s.GetRequiredService<MentionService>().IngestAsync(kind, null, items));
                Assert.Equal(items.Count, outcome.Stored);
            }

        Task<MentionPage> Search(MentionFilter filter) => MentionStoreTests.SearchAsync(host, filter);
        List<string> Expected(Func<(int Index, DateTimeOffset Published, int Text), bool> keep) =>
            all.Where(keep).OrderByDescending(m => m.Published).Select(m => $"n{m.Index}").ToList();

        // The frequent phrase: "more than 1,000"; the newest 2,100 mentions hold only twelve, the rest of the page is older.
        var phrase = Expected(m => m.Text == 0);
        var first = await Search(new MentionFilter { Q = "\"lampe de chevet\"", PageSize = 50 });
        Assert.Equal((MentionSearch.CountCap, true), (first.Total, first.TotalIsAtLeast));
        Assert.Equal(phrase.Take(50), first.Items.Select(i => i.Mention.ExternalId));
        var second = await Search(new MentionFilter { Q = "\"lampe de chevet\"", PageSize = 50, After = first.NextCursor });
        Assert.Equal(phrase.Skip(50).Take(50), second.Items.Select(i => i.Mention.ExternalId));
        Assert.Equal((MentionSearch.CountCap, true), await host.InWorkspaceAsync("ecoute",
            s => s.GetRequiredService<MentionSearch>().CountAsync(new MentionFilter { Q = "\"lampe de chevet\"" })));

        // The words in the other order: a rare phrase, counted exactly (the list's count and the notice's count).
        var reversed = Expected(m => m.Text == 1);
        var rare = await Search(new MentionFilter { Q = "\"chevet de la lampe\"", PageSize = 50 });
        Assert.True(reversed.Count is > 50 and < MentionSearch.CountCap);
        Assert.Equal((reversed.Count, false), (rare.Total, rare.TotalIsAtLeast));
        Assert.Equal(reversed.Take(50), rare.Items.Select(i => i.Mention.ExternalId));
        Assert.Equal((reversed.Count, false), await host.InWorkspaceAsync("ecoute",
            s => s.GetRequiredService<MentionSearch>().CountAsync(new MentionFilter { Q = "\"chevet de la lampe\"" })));
        var fromMastodon = Expected(m => m.Text == 1 && m.Index % 3 == 0);
        var rareOnMastodon = await Search(new MentionFilter { Q = "\"chevet de la lampe\"", Source = "mastodon", PageSize = 50 });
        Assert.Equal((fromMastodon.Count, false), (rareOnMastodon.Total, rareOnMastodon.TotalIsAtLeast));
        Assert.Equal(fromMastodon.Take(50), rareOnMastodon.Items.Select(i => i.Mention.ExternalId));

        // A word in every mention, alone and behind a filter: the newest mentions fill the page, page after page.
        var everyone = Expected(_ => true);
        var common = await Search(new MentionFilter { Q = "lumen", PageSize = 100 });
        Assert.Equal((MentionSearch.CountCap, true), (common.Total, common.TotalIsAtLeast));
        Assert.Equal(everyone.Take(100), common.Items.Select(i => i.Mention.ExternalId));
        var next = await Search(new MentionFilter { Q = "lumen", PageSize = 100, After = common.NextCursor });
        Assert.Equal(everyone.Skip(100).Take(100), next.Items.Select(i => i.Mention.ExternalId));
        var mastodon = Expected(m => m.Index % 3 == 0);
        var filtered = await Search(new MentionFilter { Q = "lumen", Source = "mastodon", PageSize = 40 });
        Assert.Equal((MentionSearch.CountCap, true), (filtered.Total, filtered.TotalIsAtLeast));
        Assert.Equal(mastodon.Take(40), filtered.Items.Select(i => i.Mention.ExternalId));
        var filteredNext = await Search(new MentionFilter { Q = "lumen", Source = "mastodon", PageSize = 40, After = filtered.NextCursor });
        Assert.Equal(mastodon.Skip(40).Take(40), filteredNext.Items.Select(i => i.Mention.ExternalId));

        // Between two dates: more than the cap since the newer mentions began, exactly 500 in a window of 500.
        var since = start.AddMinutes(older * 3);
        var recent = Expected(m => m.Published >= since);
        var sinceThen = await Search(new MentionFilter { Q = "lumen", FromUtc = since.UtcDateTime, PageSize = 50 });
        Assert.Equal((MentionSearch.CountCap, true), (sinceThen.Total, sinceThen.TotalIsAtLeast));
        Assert.Equal(recent.Take(50), sinceThen.Items.Select(i => i.Mention.ExternalId));
        var (from, to) = (start.AddMinutes(2500 * 3), start.AddMinutes(3000 * 3));
        var window = Expected(m => m.Published >= from && m.Published < to);
        var inWindow = await Search(new MentionFilter { Q = "lumen", FromUtc = from.UtcDateTime, ToUtc = to.UtcDateTime, PageSize = 50 });
        Assert.Equal((500, false), (inWindow.Total, inWindow.TotalIsAtLeast));
        Assert.Equal(window.Take(50), inWindow.Items.Select(i => i.Mention.ExternalId));
        Assert.Equal((500, false), await host.InWorkspaceAsync("ecoute", s => s.GetRequiredService<MentionSearch>()
            .CountAsync(new MentionFilter { Q = "lumen", FromUtc = from.UtcDateTime, ToUtc = to.UtcDateTime })));
    }
}
