using CmPortal.Core.Jobs;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Search;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Listening;

/// <summary>
/// Tags mentions with the listening queries they match: new mentions at ingest (in memory, in the ingest's
/// transaction), and all the existing ones again when a query is created or edited (through the full-text index, in
/// batches, in the background: <see cref="RetagQueryJob"/>).
/// </summary>
internal static class ListeningTagger
{
    /// <summary>Mentions handed to the search per batch when a query is tagged again.</summary>
    public const int RetagBatch = 200;

    /// <summary>
    /// Called once by <c>MentionService.IngestAsync</c> before the new mentions are written: the listening queries each
    /// one matches, in memory (the automation rules read them before the insert; <see cref="SaveNewAsync"/> writes them after).
    /// </summary>
    public static async Task<ILookup<Mention, long>> MatchNewAsync(InboxDbContext db, IReadOnlyList<Mention> fresh, CancellationToken ct)
    {
        var tags = new List<(Mention Mention, long QueryId)>();
        if (fresh.Count > 0)
        {
            var queries = await db.ListeningQueries.AsNoTracking().Select(q => new { q.Id, q.Expression, q.Languages }).ToListAsync(ct);
            var parsed = queries.Select(q => (q.Id, q.Languages, Query: MentionQuery.Parse(q.Expression, out _))).Where(q => q.Query is not null)
                .Select(q => (q.Id, q.Languages, Matcher: new ListeningMatcher(q.Query!))).ToList();
            foreach (var mention in fresh)
            {
                if (parsed.Count == 0) break;
                var words = MentionWords.Of(mention);
                foreach (var (id, languages, matcher) in parsed)
                    if (ListeningMatcher.InLanguages(languages, mention.Language) && matcher.Matches(words)) tags.Add((mention, id));
            }
        }
        return tags.ToLookup(t => t.Mention, t => t.QueryId);
    }

    /// <summary>Writes the tags of <see cref="MatchNewAsync"/> once the mentions have their ids.</summary>
    public static Task SaveNewAsync(InboxDbContext db, ILookup<Mention, long> tags, CancellationToken ct) =>
        // Written without the change tracker (most new mentions name the brand: as many tags as mentions).
        Mentions.MentionInserts.InsertTagsAsync(db, tags.SelectMany(group => group.Select(query =>
            new MentionQueryTag { QueryId = query, MentionId = group.Key.Id, PublishedUtc = group.Key.PublishedUtc })).ToList(), ct);

    /// <summary>
    /// Tags the workspace's existing mentions with one query again: its old tags go, then the search walks the matches
    /// newest first, a batch at a time, each batch saved on its own (a million mentions never sit in memory at once).
    /// </summary>
    public static async Task RetagAsync(InboxDbContext db, MentionSearch search, long queryId, CancellationToken ct)
    {
        var query = await db.ListeningQueries.FirstOrDefaultAsync(q => q.Id == queryId, ct);
        if (query is null) return;
        var version = query.Version;
        await db.MentionQueryTags.Where(t => t.QueryId == queryId).ExecuteDeleteAsync(ct);
        string? after = null;
        do
        {
            var (page, problem) = await search.SearchAsync(new MentionFilter { Q = query.Expression, After = after, PageSize = RetagBatch }, ct);
            if (page is null || problem is not null) break;
            // A mention ingested meanwhile was tagged by its ingest already.
            var ids = page.Items.Select(h => h.Mention.Id).ToList();
            var known = (await db.MentionQueryTags.Where(t => t.QueryId == queryId && ids.Contains(t.MentionId)).Select(t => t.MentionId).ToListAsync(ct)).ToHashSet();
            foreach (var hit in page.Items.Where(h => !known.Contains(h.Mention.Id) && ListeningMatcher.InLanguages(query.Languages, h.Mention.Language)))
                db.MentionQueryTags.Add(new MentionQueryTag { QueryId = queryId, MentionId = hit.Mention.Id, PublishedUtc = hit.Mention.PublishedUtc });
            await db.SaveChangesAsync(ct);
            foreach (var entry in db.ChangeTracker.Entries<MentionQueryTag>().ToList()) entry.State = EntityState.Detached;
            after = page.NextCursor;
        } while (after is not null);
        // Edited again meanwhile: that save scheduled its own run, which leaves the flag set until it is done.
        await db.ListeningQueries.Where(q => q.Id == queryId && q.Version == version).ExecuteUpdateAsync(s => s.SetProperty(q => q.RetagPending, false), ct);
    }
}

/// <summary>The background run of <see cref="ListeningTagger.RetagAsync"/> after a query is saved (payload: the query's id).</summary>
internal sealed class RetagQueryJob(InboxDbContext db, MentionSearch search) : IScheduledWorkspaceJob
{
    public Task RunAsync(Workspace workspace, string payload, CancellationToken ct) =>
        long.TryParse(payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? ListeningTagger.RetagAsync(db, search, id, ct) : Task.CompletedTask;
}
