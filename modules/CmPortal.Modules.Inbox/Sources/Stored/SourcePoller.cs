using CmPortal.Core.Validation;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Sources.Bluesky;
using CmPortal.Modules.Inbox.Sources.Feeds;
using CmPortal.Modules.Inbox.Sources.Mastodon;
using CmPortal.Modules.Publishing.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CmPortal.Modules.Inbox.Sources.Stored;

/// <summary>How one read of a source ended, for the page's "read now" message.</summary>
internal sealed record SourceRead(SourceReadState State, int Stored, Problem? Error)
{
    public static readonly SourceRead Busy = new(SourceReadState.Busy, 0, null);
    public static readonly SourceRead Paused = new(SourceReadState.Paused, 0, null);
    public static readonly SourceRead Gone = new(SourceReadState.Gone, 0, null);
}

internal enum SourceReadState
{
    /// <summary>Read: by this call, or by the read that held the source when it was asked (its outcome is the answer).</summary>
    Read,
    /// <summary>Another read still holds the source after the wait: its mentions arrive when it ends.</summary>
    Busy,
    Paused,
    Gone,
}

/// <summary>
/// Reads the current workspace's due sources (docs/inbox-sources.md): each one is first CLAIMED by a conditional UPDATE
/// of its lease (only a source still due and not leased is taken, so two nodes — or two runs — never read it at once),
/// then read with its reader, its items ingested as mentions, and its state written back under the same lease.
/// A source that fails waits longer each time (1, 2, 4… minutes up to 6 hours, with jitter; a 429's wait is honoured);
/// whatever one source does, the others are read.
/// </summary>
internal sealed class SourcePoller(
    InboxDbContext db, MentionService mentions, FeedReader feeds, MastodonListening mastodon, BlueskyListening bluesky,
    IChannelSessions sessions, SourceAddresses addresses, TimeProvider clock, ILogger<SourcePoller> logger)
{
    /// <summary>A read takes at most a few minutes (5 pages of 30 s): past its lease, a crashed node's claim is taken over.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>Sources read per run and workspace; the rest are due at the next run (a minute later).</summary>
    public const int BatchSize = 25;

    private static readonly string Node = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>Reads every due source of the workspace this node can claim; returns how many it read.</summary>
    public async Task<int> PollDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Sources.AsNoTracking()
            .Where(s => !s.Paused && s.NextTryUtc <= now && (s.LeaseUntilUtc == null || s.LeaseUntilUtc < now))
            .OrderBy(s => s.NextTryUtc).Take(BatchSize).Select(s => s.Id).ToListAsync(ct);
        var read = 0;
        foreach (var id in due)
            if ((await ReadAsync(id, force: false, ct)).State == SourceReadState.Read) read++;
        return read;
    }

    /// <summary>How long "read now" waits for a read already under way (the minute's job, a colleague's click) before saying it is busy.</summary>
    public TimeSpan OtherReadWait { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Reads one source now ("read now" on the page). When another read holds it, that read's outcome is the answer
    /// (waited for up to <see cref="OtherReadWait"/>): the member who clicked at the top of the minute sees what the
    /// job found, not a refusal, and the network is not asked twice.
    /// </summary>
    public async Task<SourceRead> ReadNowAsync(Guid id, CancellationToken ct = default)
    {
        var read = await ReadAsync(id, force: true, ct);
        if (read.State != SourceReadState.Busy) return read;
        var waitUntil = DateTime.UtcNow + OtherReadWait; // wall time: the other read's lease runs on every node's clock
        while (true)
        {
            var state = await db.Sources.AsNoTracking().Where(s => s.Id == id)
                .Select(s => new { s.Paused, s.LeaseOwner, s.LastFoundCount, s.LastError }).FirstOrDefaultAsync(ct);
            if (state is null) return SourceRead.Gone;
            if (state.LeaseOwner is null)
                return state.Paused ? SourceRead.Paused : new SourceRead(SourceReadState.Read, state.LastFoundCount, SourceError.Read(state.LastError));
            if (DateTime.UtcNow >= waitUntil) return SourceRead.Busy;
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    private async Task<SourceRead> ReadAsync(Guid id, bool force, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claim = $"{Node}/{Guid.NewGuid():N}";
        // The claim: one conditional UPDATE re-checking what made the source due. Another node's claim in between makes
        // the row fail the check (0 rows), so exactly one reader wins.
        var won = await db.Sources
            .Where(s => s.Id == id && !s.Paused && (force || s.NextTryUtc <= now) && (s.LeaseUntilUtc == null || s.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.LeaseOwner, claim)
                .SetProperty(s => s.LeaseUntilUtc, now + Lease)
                .SetProperty(s => s.Version, s => s.Version + 1), ct);
        if (won != 1) return SourceRead.Busy;
        var source = await db.Sources.AsNoTracking().FirstAsync(s => s.Id == id, ct);

        Outcome outcome;
        try
        {
            outcome = await ReadWithReaderAsync(source, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Source {Source} ({Kind}) could not be read", source.Id, source.Kind);
            outcome = new Outcome(0, new Problem("source", "The portal failed while reading this source. It will try again later."));
        }
        await FinishAsync(source, claim, outcome, ct);
        return new SourceRead(SourceReadState.Read, outcome.Stored, outcome.Error);
    }

    /// <summary>What a read did: mentions stored, the problem (null when it went well), the reader's memory, a wait the network asked for.</summary>
    private sealed record Outcome(int Stored, Problem? Error, string? ETag = null, string? LastModified = null, string? Cursor = null,
        TimeSpan? TryAfter = null, bool HasMore = false, bool KeepsMemory = true);

    private async Task<Outcome> ReadWithReaderAsync(ListeningSource source, CancellationToken ct)
    {
        switch (source.Kind)
        {
            case SourceKinds.Feed:
            {
                // Checked again at each read: the name may point elsewhere since the source was saved.
                if (await addresses.CheckAsync("url", source.Url, ct) is { } refused) return new Outcome(0, refused);
                var fetch = await feeds.FetchAsync(source.Url!, source.ETag, source.LastModified, ct);
                if (!fetch.Succeeded) return new Outcome(0, fetch.Problem);
                if (fetch.NotModified) return new Outcome(0, null, fetch.ETag, fetch.LastModified);
                var stored = await IngestAsync(source, fetch.Items, ct);
                return new Outcome(stored, null, fetch.ETag, fetch.LastModified);
            }
            case SourceKinds.MastodonTag or SourceKinds.MastodonMentions:
            {
                Uri instance;
                string? token = null;
                if (source.ChannelId is { } channelId)
                {
                    if (await sessions.OpenAsync(channelId, renew: false, ct) is not { } session) return new Outcome(0, ChannelGone());
                    (instance, token) = (session.BaseUrl, session.AccessToken);
                }
                else
                {
                    if (await addresses.CheckAsync("url", source.Url, ct) is { } refused) return new Outcome(0, refused);
                    instance = new Uri(source.Url!);
                }
                var poll = source.Kind == SourceKinds.MastodonTag
                    ? await mastodon.HashtagAsync(instance, token, new MastodonHashtagQuery(source.Query!, SourceService.SplitTags(source.AnyTags),
                        SourceService.SplitTags(source.AllTags), SourceService.SplitTags(source.NoneTags)), source.Cursor, ct)
                    : await mastodon.MentionsAsync(instance, token!, source.Cursor, ct);
                return await OfPollAsync(source, poll, ct);
            }
            default:
            {
                if (source.ChannelId is not { } channelId || await sessions.OpenAsync(channelId, renew: false, ct) is not { } session)
                    return new Outcome(0, ChannelGone());
                var poll = await PollBlueskyAsync(source, session, ct);
                if (poll.Error == BlueskyListening.SessionExpired)
                {
                    // The access token ran out (they last minutes to hours): renewed once through Publishing, which keeps it.
                    if (await sessions.OpenAsync(channelId, renew: true, ct) is not { } renewed)
                        return new Outcome(0, new Problem("source", "Bluesky refused the channel's session and it could not be renewed: connect the channel again on the channels page."));
                    poll = await PollBlueskyAsync(source, renewed, ct);
                }
                return await OfPollAsync(source, poll, ct);
            }
        }
    }

    private Task<ListeningPoll> PollBlueskyAsync(ListeningSource source, ChannelSession session, CancellationToken ct)
    {
        var access = new BlueskyAccess(session.BaseUrl.ToString(), session.AccessToken);
        return source.Kind == SourceKinds.BlueskySearch
            ? bluesky.SearchAsync(access, source.Query!, null, source.Cursor, ct)
            : bluesky.NotificationsAsync(access, source.Cursor, ct);
    }

    /// <summary>A network poll's items are stored even when it stopped early (with the cursor that goes with them).</summary>
    private async Task<Outcome> OfPollAsync(ListeningSource source, ListeningPoll poll, CancellationToken ct)
    {
        var stored = await IngestAsync(source, poll.Items, ct);
        var cursor = poll.Cursor ?? source.Cursor;
        if (poll.TryAfter is { } wait)
            return new Outcome(stored, new Problem("source", "The network asks the portal to slow down; reading resumes after its wait."),
                Cursor: cursor, TryAfter: wait);
        return new Outcome(stored, poll.Error, Cursor: cursor, HasMore: poll.HasMore);
    }

    /// <summary>
    /// Stores the items as mentions of the source (kind "rss", "mastodon" or "bluesky", named after the source). An item
    /// the inbox cannot take (no text, no id) is left out rather than stopping the others; a text too long is cut.
    /// </summary>
    private async Task<int> IngestAsync(ListeningSource source, IReadOnlyList<ListenedItem> items, CancellationToken ct)
    {
        var usable = items
            .Select(i => i.Text.Length > MentionService.MaxTextLength ? i with { Text = i.Text[..MentionService.MaxTextLength] } : i)
            .Where(i => !string.IsNullOrWhiteSpace(i.Text) && !string.IsNullOrWhiteSpace(i.ExternalId) && i.ExternalId.Trim().Length <= 300)
            .ToList();
        var stored = 0;
        foreach (var chunk in usable.Chunk(MentionService.MaxBatch))
        {
            var outcome = await mentions.IngestAsync(SourceKinds.MentionKind(source.Kind), source.Name, chunk, ct);
            if (outcome.Problems.Count > 0) throw new InvalidOperationException("Ingest refused: " + string.Join(" ", outcome.Problems));
            stored += outcome.Stored;
        }
        return stored;
    }

    /// <summary>Writes the read's result back, under the claim (a source deleted meanwhile stays deleted), and lets the lease go.</summary>
    private async Task FinishAsync(ListeningSource source, string claim, Outcome outcome, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime next;
        int failures;
        if (outcome.Error is null)
        {
            failures = 0;
            next = now + (outcome.HasMore ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(source.IntervalMinutes));
        }
        else if (outcome.TryAfter is { } wait)
        {
            // Rate limited: not the source's fault; its failures in a row stay as they were.
            failures = source.ConsecutiveFailures;
            next = now + (wait < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait);
        }
        else
        {
            failures = source.ConsecutiveFailures + 1;
            next = now + SourceBackoff.Delay(failures, Random.Shared.NextDouble());
        }
        var error = outcome.Error is null ? null : SourceError.Write(outcome.Error);
        // Nobody else writes a source's state while this node holds its lease: the values read at the claim are current.
        var errorAt = error is null ? source.LastErrorUtc : now;
        var etag = outcome.Error is null ? outcome.ETag : source.ETag;
        var lastModified = outcome.Error is null ? outcome.LastModified : source.LastModified;
        var cursor = outcome.Cursor ?? source.Cursor;
        await db.Sources.Where(s => s.Id == source.Id && s.LeaseOwner == claim).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.LastFetchUtc, now)
            .SetProperty(s => s.LastFoundCount, outcome.Stored)
            .SetProperty(s => s.TotalFoundCount, s => s.TotalFoundCount + outcome.Stored)
            .SetProperty(s => s.LastError, error)
            .SetProperty(s => s.LastErrorUtc, errorAt)
            .SetProperty(s => s.ConsecutiveFailures, failures)
            .SetProperty(s => s.NextTryUtc, next)
            .SetProperty(s => s.ETag, etag)
            .SetProperty(s => s.LastModified, lastModified)
            .SetProperty(s => s.Cursor, cursor)
            .SetProperty(s => s.LeaseOwner, (string?)null)
            .SetProperty(s => s.LeaseUntilUtc, (DateTime?)null)
            .SetProperty(s => s.Version, s => s.Version + 1), ct);
    }

    private static Problem ChannelGone() =>
        new("channelId", "The channel this source reads through is gone or cannot be used: connect it again on the channels page, or choose another channel.");
}

/// <summary>How long a failing source waits: 1, 2, 4… minutes, at most 6 hours, each with ±20 % jitter (sources that failed together do not retry together).</summary>
internal static class SourceBackoff
{
    public static readonly TimeSpan Max = TimeSpan.FromHours(6);

    /// <param name="failures">Failures in a row, this one included (1 for the first).</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int failures, double random)
    {
        var minutes = Math.Pow(2, Math.Clamp(failures - 1, 0, 20)) * (0.8 + 0.4 * random);
        return TimeSpan.FromMinutes(Math.Min(minutes, Max.TotalMinutes));
    }
}

/// <summary>Every minute, on the job runner, in each workspace with the inbox on: reads the sources whose time has come.</summary>
internal sealed class PollSourcesJob(SourcePoller poller) : CmPortal.Core.Jobs.IWorkspaceJob
{
    public const string Cron = "0 * * * * ?";

    public Task RunAsync(CmPortal.Core.Workspaces.Workspace workspace, CancellationToken ct) => poller.PollDueAsync(ct);
}
