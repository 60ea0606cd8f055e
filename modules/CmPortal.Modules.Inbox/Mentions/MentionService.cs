using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Sources;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Mentions;

/// <summary>What an ingest did: mentions stored, items left out as already known, or the problems that stopped it (nothing stored).</summary>
internal sealed record IngestOutcome(int Stored, int Duplicates, IReadOnlyList<Problem> Problems);

/// <summary>A triage change's result: the mention as saved, or not found, a version conflict, or problems.</summary>
internal sealed record TriageOutcome(Mention? Mention, bool IsNotFound = false, bool IsConflict = false, IReadOnlyList<Problem>? Problems = null)
{
    public IReadOnlyList<Problem> Problems { get; } = Problems ?? [];
    public static readonly TriageOutcome NotFound = new(null, IsNotFound: true);
    public static readonly TriageOutcome Conflict = new(null, IsConflict: true,
        Problems: [new Problem("version", "Someone changed this mention meanwhile. Its current state is shown: check it, then try again.")]);
}

/// <summary>What a bulk change does: a status, an assignee (with a note, null to unassign), a label to add or to remove.</summary>
internal sealed record BulkChange(MentionStatus? Status = null, bool Assign = false, Guid? AssigneeId = null, string? AssigneeNote = null,
    string? AddLabel = null, string? RemoveLabel = null);

/// <summary>A bulk change's result: how many mentions changed, how many someone changed meanwhile (left as they were), how many were not found.</summary>
internal sealed record BulkOutcome(int Changed, int Stale, int NotFound, IReadOnlyList<Problem> Problems);

/// <summary>
/// The mention store's rules: ingest (validated, de-duplicated, exact repeats grouped, one transaction) and triage
/// (status, assignee with a note, labels, sentiment correction), each checked against the mention's version.
/// </summary>
internal sealed class MentionService(InboxDbContext db, WorkspaceContext workspace, MembershipService members, TimeProvider clock,
    Understanding.SentimentAnalyzer sentiment)
{
    /// <summary>The most items one ingest takes (the API refuses bigger batches).</summary>
    public const int MaxBatch = 1000;
    public const int MaxTextLength = 10000;

    public async Task<IngestOutcome> IngestAsync(string sourceKind, string? sourceName, IReadOnlyList<ListenedItem> items, CancellationToken ct = default)
    {
        var problems = Check(sourceKind, items);
        if (problems.Count > 0) return new IngestOutcome(0, 0, problems);
        var now = clock.GetUtcNow().UtcDateTime;

        // Candidates, de-duplicated within the batch first (same external id, same canonical address).
        var candidates = new List<Mention>(items.Count);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var seenUrls = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var item in items)
        {
            var canonical = MentionRules.CanonicalUrl(item.Url);
            if (!seenIds.Add(item.ExternalId.Trim()) || (canonical is not null && !seenUrls.Add(canonical))) { duplicates++; continue; }
            var text = MentionRules.Clean(item.Text);
            candidates.Add(new Mention
            {
                WorkspaceId = workspace.Required.Id,
                SourceKind = sourceKind,
                SourceName = MentionRules.CleanOrNull(sourceName, 100),
                ExternalId = item.ExternalId.Trim(),
                Url = item.Url?.Trim() is { Length: > 0 and <= 2000 } url ? url : null,
                CanonicalUrl = canonical is { Length: <= 2000 } ? canonical : null,
                Title = MentionRules.CleanOrNull(item.Title, 500),
                Text = text,
                Author = MentionRules.CleanOrNull(item.Author, 200),
                AuthorHandle = MentionRules.CleanOrNull(item.AuthorHandle, 200),
                AuthorFollowers = item.AuthorFollowers is >= 0 ? item.AuthorFollowers : null,
                PublishedUtc = item.PublishedAt.UtcDateTime,
                ReceivedUtc = now,
                Language = MentionRules.CleanOrNull(item.Language, 10)?.ToLowerInvariant(),
                TextHash = MentionRules.TextHash(text),
                Status = MentionStatus.New,
            });
        }
        // Language, tone and words: pure CPU work on each mention's own fields, so a big batch reads them on every core.
        if (candidates.Count >= 64) Parallel.ForEach(candidates, Read);
        else foreach (var candidate in candidates) Read(candidate);

        using var turn = db.Database.CurrentTransaction is null ? await WriterTurnAsync(ct) : null;
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        // Already stored: one query per key kind, by index (WorkspaceId, SourceKind, ExternalId) and (WorkspaceId, CanonicalUrl).
        // EF.Parameter: the keys go as one array parameter (json_each on SQLite, = ANY on PostgreSQL) rather than EF 10's
        // one parameter per key, which SQLite binds by name with a linear search (hundreds of keys a query).
        var ids = candidates.Select(c => c.ExternalId).ToList();
        var knownIds = (await db.Mentions.AsNoTracking().Where(m => m.SourceKind == sourceKind && EF.Parameter(ids).Contains(m.ExternalId))
            .Select(m => m.ExternalId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var urls = candidates.Where(c => c.CanonicalUrl is not null).Select(c => c.CanonicalUrl!).ToList();
        var knownUrls = urls.Count == 0 ? [] : (await db.Mentions.AsNoTracking().Where(m => m.CanonicalUrl != null && EF.Parameter(urls).Contains(m.CanonicalUrl))
            .Select(m => m.CanonicalUrl!).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var fresh = candidates.Where(c => !knownIds.Contains(c.ExternalId) && (c.CanonicalUrl is null || !knownUrls.Contains(c.CanonicalUrl))).ToList();
        duplicates += candidates.Count - fresh.Count;

        // Exact repeats: the first mention with a text stays the original; later ones point to it.
        var hashes = fresh.Select(c => c.TextHash).Distinct().ToList();
        var originals = (await db.Mentions.AsNoTracking().Where(m => EF.Parameter(hashes).Contains(m.TextHash) && m.RepeatOf == null)
            .Select(m => new { m.TextHash, m.Id }).ToListAsync(ct))
            .GroupBy(o => o.TextHash).ToDictionary(g => g.Key, g => g.Min(o => o.Id));
        var firstInBatch = new Dictionary<long, Mention>();
        var repeats = new List<(Mention Repeat, Mention Original)>();
        foreach (var mention in fresh)
        {
            if (originals.TryGetValue(mention.TextHash, out var originalId)) mention.RepeatOf = originalId;
            else if (firstInBatch.TryGetValue(mention.TextHash, out var original)) repeats.Add((mention, original));
            else firstInBatch[mention.TextHash] = mention;
        }
        var tags = await Listening.ListeningTagger.MatchNewAsync(db, fresh, ct); // the listening queries each new mention matches
        // The first automation rule each new mention matches (docs/inbox-rules.md), applied before the mentions are written.
        var flagged = await Automation.RuleRunner.ApplyNewAsync(db, fresh, tags, ct);
        await MentionInserts.InsertAsync(db, fresh, ct);
        // The originals of this batch have their ids now.
        foreach (var (repeat, original) in repeats) repeat.RepeatOf = original.Id;
        await MentionInserts.SetRepeatOfAsync(db, repeats.Select(r => r.Repeat).ToList(), ct);
        await Listening.ListeningTagger.SaveNewAsync(db, tags, ct);
        await Automation.RuleRunner.FlagNewAsync(db, flagged, ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return new IngestOutcome(fresh.Count, duplicates, []);
    }

    /// <summary>
    /// Several ingests (a batch's source kinds) in one transaction, each <see cref="IngestAsync"/> joining it: one commit
    /// instead of one per source kind (a commit writes the log and may checkpoint it). A signed hook's message brings its
    /// own transaction (IngestHookService.AcceptAsync), which this joins too.
    /// </summary>
    public async Task InOneTransactionAsync(Func<Task> work, CancellationToken ct = default)
    {
        using var turn = db.Database.CurrentTransaction is null ? await WriterTurnAsync(ct) : null;
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await work();
        if (transaction is not null) await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// SQLite has one writer at a time, and a batch writes from its first statement (BEGIN IMMEDIATE) to its commit. Batches
    /// of the same portal wait for their turn here, without a thread and for as long as their request lasts, rather than
    /// in SQLite's busy handler, whose 30-second timeout answered a 500 to the fourth of four concurrent batches on a
    /// loaded machine (docs/inbox.md, "Figures"). Other writers (triage, jobs) still meet the batch in SQLite as before.
    /// PostgreSQL takes row locks, not a file lock: no queue.
    /// </summary>
    private async Task<IDisposable?> WriterTurnAsync(CancellationToken ct)
    {
        if (db.IsPostgres) return null;
        await SqliteIngestWriter.WaitAsync(ct);
        return new Turn();
    }

    private static readonly SemaphoreSlim SqliteIngestWriter = new(1, 1);

    private sealed class Turn : IDisposable
    {
        private int released;
        public void Dispose() { if (Interlocked.Exchange(ref released, 1) == 0) SqliteIngestWriter.Release(); }
    }

    /// <summary>Every problem of a batch, fields named as the API's body names them (<c>mentions[3].text</c>).</summary>
    public static List<Problem> Check(string sourceKind, IReadOnlyList<ListenedItem> items)
    {
        var problems = new List<Problem>();
        if (!MentionRules.SourceKindPattern().IsMatch(sourceKind ?? ""))
            problems.Add(new Problem("source", "\"{0}\" is not a source kind. Use lowercase letters, digits and hyphens, e.g. \"rss\" or \"api\".", sourceKind ?? ""));
        if (items.Count > MaxBatch)
        {
            problems.Add(new Problem("mentions", "A batch holds at most {0} mentions; this one has {1}. Send it in several parts.", MaxBatch, items.Count));
            return problems;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (string.IsNullOrWhiteSpace(item.ExternalId) || item.ExternalId.Trim().Length > 300)
                problems.Add(new Problem($"mentions[{i}].externalId", "Give the source's id for the mention (1 to {0} characters).", 300));
            if (string.IsNullOrWhiteSpace(item.Text))
                problems.Add(new Problem($"mentions[{i}].text", "The mention has no text."));
            else if (item.Text.Length > MaxTextLength)
                problems.Add(new Problem($"mentions[{i}].text", "The text is longer than {0} characters.", MaxTextLength));
            // Half of a character (a lone surrogate, such as an HTML entity &#xD800; decoded) is not text: said where, never stored.
            foreach (var (field, value) in new[] { ("text", item.Text), ("title", item.Title), ("author", item.Author), ("authorHandle", item.AuthorHandle),
                         ("externalId", item.ExternalId), ("url", item.Url) })
                if (MentionRules.LoneSurrogateAt(value) is > 0 and var at)
                    problems.Add(new Problem($"mentions[{i}].{field}",
                        "Character {0} is half of a character (a lone UTF-16 surrogate): send whole characters, encoded in UTF-8.", at));
        }
        return problems;
    }

    /// <summary>
    /// A field of <see cref="Check"/> for items that were one group of a bigger batch, named as in that batch:
    /// "mentions[1].text" of a group whose items were the batch's 4 and 7 becomes "mentions[7].text"; "source" names the group's first.
    /// </summary>
    public static string BatchField(string? field, IReadOnlyList<int> indexes)
    {
        field ??= "";
        if (field == "source") return $"mentions[{indexes[0]}].source";
        var end = field.IndexOf(']');
        return field.StartsWith("mentions[", StringComparison.Ordinal) && end > 9 && int.TryParse(field[9..end], out var local) && local < indexes.Count
            ? $"mentions[{indexes[local]}]{field[(end + 1)..]}" : field;
    }

    public Task<Mention?> FindAsync(long id, CancellationToken ct = default) =>
        db.Mentions.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);

    /// <summary>How many mentions of the workspace are in each status (the inbox's counters).</summary>
    public async Task<IReadOnlyDictionary<MentionStatus, int>> CountByStatusAsync(CancellationToken ct = default)
    {
        var counts = await db.Mentions.AsNoTracking().GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return Enum.GetValues<MentionStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Key == s)?.Count ?? 0);
    }

    /// <summary>The workspace's members, by name, for the assignee list.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> MembersAsync(CancellationToken ct = default) =>
        (await members.ListAsync(workspace.Required.Id, ct)).Select(m => (m.UserId, m.User?.DisplayName ?? m.User?.Email ?? "?")).ToList();

    public Task<TriageOutcome> SetStatusAsync(long id, int version, MentionStatus status, CancellationToken ct = default) =>
        ChangeAsync(id, version, m => { m.Status = status; return []; }, ct);

    public async Task<TriageOutcome> AssignAsync(long id, int version, Guid? assigneeId, string? note, CancellationToken ct = default)
    {
        if (assigneeId is { } who && !(await MembersAsync(ct)).Any(m => m.Id == who))
            return new TriageOutcome(null, Problems: [new Problem("assigneeId", "Assign the mention to a member of this workspace.")]);
        return await ChangeAsync(id, version, m =>
        {
            if (note is { Length: > 1000 }) return [new Problem("assigneeNote", "The note is longer than {0} characters.", 1000)];
            m.AssigneeId = assigneeId;
            m.AssigneeNote = assigneeId is null ? null : MentionRules.CleanOrNull(note, 1000);
            return [];
        }, ct);
    }

    public Task<TriageOutcome> SetLabelsAsync(long id, int version, IEnumerable<string> labels, CancellationToken ct = default) =>
        ChangeAsync(id, version, m => { m.Labels = MentionRules.JoinLabels(labels); return []; }, ct);

    /// <summary>The most mentions one bulk change takes: the 25 a list page shows.</summary>
    public const int MaxBulk = 25;

    /// <summary>
    /// One triage change (status, assignee with a note, a label added or removed) to several mentions picked on the list
    /// page, each given with the version the page showed. Everything is validated first; the change is then applied in
    /// one transaction. A mention someone changed meanwhile keeps its state and is counted as stale; ids of another
    /// workspace or unknown are counted as not found (the workspace filter never loads them).
    /// </summary>
    public async Task<BulkOutcome> BulkAsync(IReadOnlyList<(long Id, int Version)> picked, BulkChange change, CancellationToken ct = default)
    {
        var problems = new List<Problem>();
        if (picked.Count == 0) problems.Add(new Problem("ids", "Select at least one mention."));
        else if (picked.Count > MaxBulk) problems.Add(new Problem("ids", "Select at most {0} mentions at once.", MaxBulk));
        if (change.Assign && change.AssigneeId is { } who && !(await MembersAsync(ct)).Any(m => m.Id == who))
            problems.Add(new Problem("assigneeId", "Assign the mention to a member of this workspace."));
        if (change.AssigneeNote is { Length: > 1000 }) problems.Add(new Problem("assigneeNote", "The note is longer than {0} characters.", 1000));
        var label = MentionRules.JoinLabels(change.AddLabel is null && change.RemoveLabel is null ? [] : [change.AddLabel ?? change.RemoveLabel ?? ""]);
        if ((change.AddLabel ?? change.RemoveLabel) is not null && label is null) problems.Add(new Problem("label", "Give a label."));
        if (change.Status is null && !change.Assign && label is null && problems.Count == 0)
            problems.Add(new Problem("action", "Choose what to do with the selected mentions."));
        if (problems.Count > 0) return new BulkOutcome(0, 0, 0, problems);

        var versions = picked.GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.First().Version);
        var ids = versions.Keys.ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var found = await db.Mentions.Where(m => ids.Contains(m.Id)).ToListAsync(ct);
        var stale = 0;
        var changed = 0;
        foreach (var mention in found)
        {
            if (mention.Version != versions[mention.Id]) { stale++; db.Entry(mention).State = EntityState.Unchanged; continue; }
            if (change.Status is { } status) mention.Status = status;
            if (change.Assign)
            {
                mention.AssigneeId = change.AssigneeId;
                mention.AssigneeNote = change.AssigneeId is null ? null : MentionRules.CleanOrNull(change.AssigneeNote, 1000);
            }
            if (label is not null)
            {
                var labels = MentionRules.SplitLabels(mention.Labels).ToList();
                var name = label.Trim('|');
                if (change.AddLabel is not null) { if (!labels.Contains(name)) labels.Add(name); }
                else labels.Remove(name);
                mention.Labels = MentionRules.JoinLabels(labels);
            }
            mention.Version++;
            changed++;
        }
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another change landed between our read and our write: nothing of this batch is kept, all are reported stale.
            db.ChangeTracker.Clear();
            return new BulkOutcome(0, found.Count, ids.Count - found.Count, []);
        }
        return new BulkOutcome(changed, stale, ids.Count - found.Count, []);
    }

    /// <summary>
    /// Language and tone, read once as the mention comes in (the analyzer works from the declared language when the
    /// source gives one, and detects it otherwise). A member's correction later replaces the tone and is kept.
    /// </summary>
    private void Read(Mention mention)
    {
        var reading = sentiment.Read(mention.Title is { Length: > 0 } title && !mention.Text.StartsWith(title, StringComparison.Ordinal)
            ? title + "\n" + mention.Text : mention.Text, mention.Language);
        mention.Language ??= reading.Language;
        mention.Sentiment = reading.Sentiment.ToString().ToLowerInvariant();
        mention.SentimentScore = Math.Round(reading.Score, 3);
        Listening.MentionWords.Of(mention); // cut here, on every core, rather than in the turn to write
    }

    /// <summary>A member's reading of the sentiment replaces the computed one and is kept (SentimentCorrectedBy).</summary>
    public Task<TriageOutcome> CorrectSentimentAsync(long id, int version, string sentiment, Guid memberId, CancellationToken ct = default) =>
        ChangeAsync(id, version, m =>
        {
            if (!MentionRules.Sentiments.Contains(sentiment))
                return [new Problem("sentiment", "Choose a sentiment: negative, neutral or positive.")];
            m.Sentiment = sentiment;
            m.SentimentScore = sentiment switch { "negative" => -1, "positive" => 1, _ => 0 };
            m.SentimentCorrectedBy = memberId;
            return [];
        }, ct);

    private async Task<TriageOutcome> ChangeAsync(long id, int version, Func<Mention, IReadOnlyList<Problem>> change, CancellationToken ct)
    {
        var mention = await db.Mentions.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (mention is null) return TriageOutcome.NotFound;
        if (mention.Version != version) return TriageOutcome.Conflict;
        var problems = change(mention);
        if (problems.Count > 0) { db.ChangeTracker.Clear(); return new TriageOutcome(null, Problems: problems); }
        mention.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { db.ChangeTracker.Clear(); return TriageOutcome.Conflict; }
        return new TriageOutcome(mention);
    }
}
