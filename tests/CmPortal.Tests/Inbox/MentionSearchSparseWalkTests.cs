using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// A term in more mentions than the count cap but absent from the newest ones (docs/inbox.md, "How search runs"): the
/// walk reads <see cref="MentionSearch.WalkRows"/> mentions without finding a page, then the older matches — fewer than
/// <see cref="MentionSearch.SortRows"/> — are sorted. The pages are the ones sorting every match gives, with a filter.
/// </summary>
public sealed class MentionSearchSparseWalkTests
{
    [Fact]
    public async Task A_term_beyond_the_count_cap_but_missing_from_the_newest_mentions_is_still_listed_newest_first()
    {
        await using var host = await MentionStoreTests.StartAsync();
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(11);
        // 1,300 mentions of "veilleuse", two minutes apart in shuffled order, then 2,600 newer ones without it: more than the walk reads.
        var older = MentionSearch.CountCap + 300;
        var count = older + MentionSearch.WalkRows + 600; // 2,080 of them from RSS: more than the walk reads with the filter too
        var minutes = Enumerable.Range(0, older).Select(i => i * 2).OrderBy(_ => random.Next()).ToArray();
        var all = Enumerable.Range(0, count).Select(i => (Index: i, Published: start.AddMinutes(i < older ? minutes[i] : i * 2), Word: i < older)).ToList();
        foreach (var batch in all.Chunk(1000))
            foreach (var kind in new[] { "rss", "bluesky" })
            {
                var items = batch.Where(m => (m.Index % 5 == 0) == (kind == "bluesky")).Select(m => new ListenedItem($"v{m.Index}", null,
                    m.Word ? $"La veilleuse Lumen n° {m.Index} éclaire la chambre" : $"Une applique Lumen n° {m.Index}", null, "Inès", null, null, m.Published, "fr")).ToList();
                var outcome = await host.InWorkspaceAsync("ecoute", s => s.GetRequiredService<MentionService>().IngestAsync(kind, null, items));
                Assert.Equal(items.Count, outcome.Stored);
            }

        Task<MentionPage> Search(MentionFilter filter) => MentionStoreTests.SearchAsync(host, filter);
        List<string> Expected(Func<(int Index, DateTimeOffset Published, bool Word), bool> keep) =>
            all.Where(keep).OrderByDescending(m => m.Published).Select(m => $"v{m.Index}").ToList();

        var word = Expected(m => m.Word);
        var first = await Search(new MentionFilter { Q = "veilleuse", PageSize = 50 });
        Assert.Equal((MentionSearch.CountCap, true), (first.Total, first.TotalIsAtLeast));
        Assert.Equal(word.Take(50), first.Items.Select(i => i.Mention.ExternalId));
        Assert.Contains("<mark>veilleuse</mark>", first.Items[0].SnippetHtml, StringComparison.Ordinal);
        var second = await Search(new MentionFilter { Q = "veilleuse", PageSize = 50, After = first.NextCursor });
        Assert.Equal(word.Skip(50).Take(50), second.Items.Select(i => i.Mention.ExternalId));

        // A phrase with a source filter: RSS's, 1,040, behind 2,080 newer RSS mentions without it.
        var rss = Expected(m => m.Word && m.Index % 5 != 0);
        var phrase = await Search(new MentionFilter { Q = "\"eclaire la chambre\"", Source = "rss", PageSize = 40 });
        Assert.Equal((MentionSearch.CountCap, true), (phrase.Total, phrase.TotalIsAtLeast));
        Assert.Equal(rss.Take(40), phrase.Items.Select(i => i.Mention.ExternalId));
        var next = await Search(new MentionFilter { Q = "\"eclaire la chambre\"", Source = "rss", PageSize = 40, After = phrase.NextCursor });
        Assert.Equal(rss.Skip(40).Take(40), next.Items.Select(i => i.Mention.ExternalId));
    }
}
