using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// A search matching more mentions than the count cap (a common word, a frequent phrase) lists them newest first by
/// walking the date index (docs/inbox.md, "How search runs"): the pages are the same as sorting every match would give,
/// with filters and the next-page cursor, and the total says "more than 1,000" (MentionSearch.CountCap).
/// </summary>
public sealed class MentionSearchWalkTests
{
    [Fact]
    public async Task A_phrase_in_more_mentions_than_the_count_cap_is_listed_newest_first_page_after_page_even_behind_many_without_it()
    {
        await using var host = await MentionStoreTests.StartAsync();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(5);
        // 10,500 mentions, three minutes apart, stored in shuffled order; 49 in 50 say "lampe de chevet"; every seventh is
        // from Mastodon. Then 2,100 newer ones without the phrase: more than the walk reads in memory before it asks FTS5
        // for the rest of the page (MentionSearch.WalkRows).
        var minutes = Enumerable.Range(0, 10_500).Select(i => i * 3).OrderBy(_ => random.Next()).ToArray();
        var all = Enumerable.Range(0, 10_500).Select(i => (Index: i, Published: start.AddMinutes(minutes[i]), Phrase: i % 50 != 0))
            .Concat(Enumerable.Range(10_500, MentionSearch.WalkRows + 100).Select(i => (Index: i, Published: start.AddMinutes(i * 3), Phrase: false))).ToList();
        foreach (var batch in all.Chunk(1000))
            foreach (var kind in new[] { "rss", "mastodon" })
            {
                var items = batch.Where(m => (m.Index % 7 == 0) == (kind == "mastodon")).Select(m => new ListenedItem($"n{m.Index}", null,
                    m.Phrase ? $"Ma lampe de chevet Lumen n° {m.Index}" : $"Une applique Lumen n° {m.Index}, pas de chevet", null, "Léa", null, null, m.Published, "fr")).ToList();
                var outcome = await host.InWorkspaceAsync("ecoute", s => s.GetRequiredService<MentionService>().IngestAsync(kind, null, items));
                Assert.Equal(items.Count, outcome.Stored);
            }

        Task<MentionPage> Search(MentionFilter filter) => MentionStoreTests.SearchAsync(host, filter);
        // What sorting every match would give: newest first.
        List<string> Expected(Func<(int Index, DateTimeOffset Published, bool Phrase), bool> keep) =>
            all.Where(keep).OrderByDescending(m => m.Published).Select(m => $"n{m.Index}").ToList();

        var phrase = Expected(m => m.Phrase);
        var first = await Search(new MentionFilter { Q = "\"lampe de chevet\"", PageSize = 50 });
        Assert.True(first.TotalIsAtLeast);
        Assert.Equal(MentionSearch.CountCap, first.Total);
        Assert.Equal(phrase.Take(50), first.Items.Select(i => i.Mention.ExternalId));
        Assert.Contains("<mark>", first.Items[0].SnippetHtml, StringComparison.Ordinal);
        var second = await Search(new MentionFilter { Q = "\"lampe de chevet\"", PageSize = 50, After = first.NextCursor });
        Assert.Equal(phrase.Skip(50).Take(50), second.Items.Select(i => i.Mention.ExternalId));

        // An exclusion, and an OR whose sides are both found: the same pages.
        var excluding = await Search(new MentionFilter { Q = "lumen -applique", PageSize = 50, After = first.NextCursor });
        Assert.True(excluding.TotalIsAtLeast);
        Assert.Equal(phrase.Skip(50).Take(50), excluding.Items.Select(i => i.Mention.ExternalId));
        var either = await Search(new MentionFilter { Q = "\"lampe de\" OR applique lum*", PageSize = 100 });
        Assert.Equal(Expected(_ => true).Take(100), either.Items.Select(i => i.Mention.ExternalId));

        // A prefix and a date filter that still leaves more than the cap; then Mastodon's of the last 6,600, fewer, sorted.
        var since = start.AddMinutes(600);
        var recent = Expected(m => m.Published >= since);
        var filtered = await Search(new MentionFilter { Q = "lum*", FromUtc = since.UtcDateTime, PageSize = 30 });
        Assert.True(filtered.TotalIsAtLeast);
        Assert.Equal(recent.Take(30), filtered.Items.Select(i => i.Mention.ExternalId));
        var lately = start.AddMinutes(18_000);
        var fromMastodon = Expected(m => m.Index % 7 == 0 && m.Published >= lately);
        var mastodon = await Search(new MentionFilter { Q = "lum*", Source = "mastodon", FromUtc = lately.UtcDateTime, PageSize = 30 });
        Assert.Equal((fromMastodon.Count, false), (mastodon.Total, mastodon.TotalIsAtLeast));
        Assert.Equal(fromMastodon.Take(30), mastodon.Items.Select(i => i.Mention.ExternalId));

        // A word in every mention: as many pages as sorting would give, the same ones.
        var everyone = Expected(_ => true);
        var common = await Search(new MentionFilter { Q = "lumen", PageSize = 200 });
        Assert.True(common.TotalIsAtLeast);
        Assert.Equal(everyone.Take(200), common.Items.Select(i => i.Mention.ExternalId));
    }
}
