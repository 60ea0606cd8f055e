using System.Threading.Channels;
using CmPortal.Core.Modules;
using CmPortal.Core.Networks;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Channel = CmPortal.Modules.Publishing.Data.Channel;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>
/// Deliveries due soon, prepared before their instant so that the instant costs one call to the network each
/// (docs/publishing.md, *Dispatcher*):
/// <list type="number">
/// <item><b>Stage</b> (up to <see cref="OutboxOptions.StageAhead"/> before): claim plain pending deliveries (first attempt,
/// not a reply, not an article or its teaser; one conditional UPDATE, so each is staged by one node), read each post
/// occurrence once, the channels once, build the requests. The rows stay <c>Pending</c>, leased by this node until
/// their due time plus the usual lease: a person can still cancel them, the planner still cancels them, and the
/// one-by-one dispatcher leaves them alone until the lease runs out (a node that died after staging).</item>
/// <item><b>At the instant</b>: the posts' versions, the channels (active, same version), the module and the crisis hold
/// are read again in a few queries; a delivery that changed in any way, or whose channel has no token left, is given
/// back to the one-by-one path; the others become <c>Sending</c> with their attempt written, in one transaction,
/// before the network hears of any of them; then they are sent, many at once.</item>
/// <item><b>Outcomes</b>: publications are recorded in batches (one transaction each, "is the occurrence done?" once per
/// post occurrence); any other outcome is recorded one by one, as <see cref="DeliverySender"/> always does.</item>
/// </list>
/// </summary>
internal sealed class OutboxStager(string node, IServiceScopeFactory scopes, OutboxOptions options, TimeProvider clock, ChannelRateLimits rateLimits,
    Func<DateTime, int, DateTime> uniqueLeaseEnd, ILogger logger)
{
    /// <summary>Deliveries due sooner than this are not staged: the one-by-one path takes them at once.</summary>
    private static readonly TimeSpan MinLead = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan RecordEvery = TimeSpan.FromMilliseconds(100);
    private const int RecordBatch = 500;

    /// <summary>
    /// Taken at the instant in chunks that grow: the first one small, so that its transaction is short and the first
    /// sends start within milliseconds of the due time; each next one twice as large (taken while the previous ones
    /// are sent), up to <see cref="TakeChunk"/>.
    /// </summary>
    private const int FirstChunk = 8;
    private const int TakeChunk = 500;

    private readonly Lock _lock = new();
    private readonly List<Staged> _staged = []; // waiting for their instant, under _lock
    private readonly Dictionary<Guid, DateTime> _notStaged = []; // looked at and left to the one-by-one path (until due), under _lock
    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _sends = new(options.StageParallelism, options.StageParallelism);
    private readonly Channel<Sent> _outcomes = System.Threading.Channels.Channel.CreateUnbounded<Sent>(new UnboundedChannelOptions { SingleReader = true });

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>How many staged deliveries wait for their instant on this node.</summary>
    public int Waiting { get { lock (_lock) return _staged.Count; } }

    /// <summary>Stages, fires at each instant and records, until stopped; sends under way are awaited.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        if (options.StageAhead <= TimeSpan.Zero) return;
        var inFlight = new List<Task>();
        var recording = Task.Run(() => RecordLoopAsync(stop), CancellationToken.None);
        var firing = Task.Run(() => FireLoopAsync(inFlight, stop), CancellationToken.None);
        while (!stop.IsCancellationRequested)
        {
            var staged = 0;
            try { staged = await StageAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { logger.LogError(e, "The publishing stager failed a round; it goes on"); }
            if (staged >= options.StageBatchSize) continue; // more to stage: at once
            try { await Task.Delay(TimeSpan.FromSeconds(1), clock, stop); }
            catch (OperationCanceledException) { break; }
        }
        await firing;
        Task[] sends;
        lock (inFlight) sends = [.. inFlight];
        await Task.WhenAll(sends);
        _outcomes.Writer.TryComplete();
        await recording;
    }

    /// <summary>One staging round: claims up to a batch of plain deliveries due soon and prepares them. Returns how many it claimed.</summary>
    public async Task<int> StageAsync(CancellationToken ct)
    {
        var now = Now;
        var (from, to) = (now + MinLead, now + options.StageAhead);
        List<Guid> skip;
        lock (_lock)
        {
            foreach (var gone in _notStaged.Where(n => n.Value < now).Select(n => n.Key).ToList()) _notStaged.Remove(gone);
            skip = [.. _notStaged.Keys];
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PublishingDbContext>();
        // Across workspaces, as the dispatcher; blog and manual channels go the one-by-one way (an article, a person).
        var active = db.Channels.IgnoreQueryFilters()
            .Where(c => c.State == ChannelState.Active && c.Kind != ArticleLink.Network && c.Kind != "manual").Select(c => c.Id);
        var candidates = await db.Deliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => active.Contains(d.ChannelId) && d.State == DeliveryState.Pending && d.LeaseOwner == null && d.Attempts == 0 &&
                        d.NextAttemptUtc == null && d.ReplyId == null && d.Network != ArticleLink.Network && d.DueUtc > from && d.DueUtc <= to &&
                        !skip.Contains(d.Id))
            .OrderBy(d => d.DueUtc).Take(options.StageBatchSize).Select(d => new { d.Id, d.DueUtc }).ToListAsync(ct);
        if (candidates.Count == 0) return 0;

        // The lease covers the last one's instant plus the usual lease; unique to this round, so the round reads back what it won.
        var lease = UniqueLeaseEnd(candidates.Max(c => c.DueUtc) + options.Lease);
        var ids = candidates.Select(c => c.Id).ToList();
        await db.Deliveries.IgnoreQueryFilters()
            .Where(d => ids.Contains(d.Id) && d.State == DeliveryState.Pending && d.LeaseOwner == null && d.Attempts == 0 && d.NextAttemptUtc == null &&
                        d.DueUtc > from)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.LeaseOwner, node)
                .SetProperty(d => d.LeaseUntilUtc, lease)
                .SetProperty(d => d.Version, d => d.Version + 1), ct);
        var won = await db.Deliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => ids.Contains(d.Id) && d.LeaseOwner == node && d.LeaseUntilUtc == lease).ToListAsync(ct);
        if (won.Count == 0) return candidates.Count;

        var workspaceIds = won.Select(d => d.WorkspaceId).Distinct().ToList();
        var workspaces = await scope.ServiceProvider.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking()
            .Where(w => workspaceIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
        var staged = new List<Staged>();
        var refused = new List<Delivery>();
        foreach (var group in won.GroupBy(d => d.WorkspaceId))
        {
            if (!workspaces.TryGetValue(group.Key, out var workspace))
            {
                refused.AddRange(group);
                continue;
            }
            await using var inWorkspace = scopes.CreateAsyncScope();
            inWorkspace.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
            await PrepareAsync(inWorkspace.ServiceProvider, workspace, [.. group], lease, staged, refused, ct);
        }
        if (refused.Count > 0)
        {
            lock (_lock)
                foreach (var d in refused) _notStaged[d.Id] = d.DueUtc;
            var back = refused.Select(d => d.Id).ToList();
            await db.Deliveries.IgnoreQueryFilters()
                .Where(d => back.Contains(d.Id) && d.State == DeliveryState.Pending && d.LeaseOwner == node && d.LeaseUntilUtc == lease)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.LeaseOwner, (string?)null)
                    .SetProperty(d => d.LeaseUntilUtc, (DateTime?)null)
                    .SetProperty(d => d.Version, d => d.Version + 1), ct);
        }
        lock (_lock) _staged.AddRange(staged);
        _wake.Release();
        logger.LogInformation("Staged {Staged} deliveries due by {Due:O}; {Refused} left to go one by one", staged.Count, candidates.Max(c => c.DueUtc), refused.Count);
        return candidates.Count;
    }

    /// <summary>Reads each post occurrence once and each channel once, and builds the requests of one workspace's staged deliveries.</summary>
    private async Task PrepareAsync(IServiceProvider services, Workspace workspace, List<Delivery> deliveries, DateTime lease, List<Staged> staged,
        List<Delivery> refused, CancellationToken ct)
    {
        var db = services.GetRequiredService<PublishingDbContext>();
        // Publishing off, or a crisis (promotional posts held): the one-by-one path decides for each at its instant.
        if (!await services.GetRequiredService<ModuleFeatures>().IsEnabledAsync(workspace.Id, PublishingModule.ModuleId, ct) ||
            await db.PromotionHolds.AsNoTracking().AnyAsync(ct))
        {
            refused.AddRange(deliveries);
            return;
        }
        var schedule = services.GetRequiredService<IPublishingSchedule>();
        var channels = services.GetRequiredService<ChannelService>();
        var sender = services.GetRequiredService<DeliverySender>();
        var channelIds = deliveries.Select(d => d.ChannelId).Distinct().ToList();
        var byId = await db.Channels.AsNoTracking().Where(c => channelIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var contents = new Dictionary<(Guid, DateTime), ScheduledContent?>();
        var accounts = new Dictionary<Guid, ChannelAccount>();
        foreach (var delivery in deliveries)
        {
            var key = (delivery.PostId, delivery.OccurrenceUtc);
            if (!contents.TryGetValue(key, out var content)) contents[key] = content = await schedule.ContentAsync(delivery.PostId, delivery.OccurrenceUtc, ct);
            if (content is null || !byId.TryGetValue(delivery.ChannelId, out var channel) || channel.State != ChannelState.Active)
            {
                refused.Add(delivery); // gone, moved, paused: the one-by-one path says why at the instant
                continue;
            }
            if (!accounts.TryGetValue(channel.Id, out var account)) accounts[channel.Id] = account = AccountOf(channels, channel, workspace);
            if (sender.StagedRequestOf(delivery, channel, content, account) is { } request)
                staged.Add(new Staged(delivery.Id, workspace, delivery.PostId, delivery.OccurrenceUtc, delivery.DueUtc, delivery.Version, content.Version, lease,
                    channel, request));
            else refused.Add(delivery);
        }
    }

    /// <summary>The channel's account, its secret read once for all its staged deliveries; a refreshed session is saved in a scope of its own.</summary>
    private ChannelAccount AccountOf(ChannelService channels, Channel channel, Workspace workspace) =>
        channels.AccountOf(channel, async (secret, token) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
            var protector = scope.ServiceProvider.GetRequiredService<ChannelService>();
            await scope.ServiceProvider.GetRequiredService<PublishingDbContext>().Channels.Where(c => c.Id == channel.Id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.ProtectedSecret, protector.ProtectSecret(secret)).SetProperty(c => c.Version, c => c.Version + 1), token);
        });

    private async Task FireLoopAsync(List<Task> inFlight, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var due = TakeDue(out var next);
                if (due.Count == 0)
                {
                    var wait = next is { } at ? at - Now : TimeSpan.FromSeconds(1);
                    if (wait > TimeSpan.FromSeconds(1)) wait = TimeSpan.FromSeconds(1);
                    if (wait > TimeSpan.Zero) await _wake.WaitAsync(wait, stop);
                    continue;
                }
                var sends = await FireAsync(due, stop);
                lock (inFlight)
                {
                    inFlight.RemoveAll(t => t.IsCompleted);
                    inFlight.Add(sends);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                // Staged rows not sent keep their lease: when it runs out, the one-by-one path takes them.
                logger.LogError(e, "The publishing stager failed to send staged deliveries; their lease will run out and they will go one by one");
            }
        }
    }

    /// <summary>The staged deliveries due now (taken out of the waiting list), and the next instant after them.</summary>
    private List<Staged> TakeDue(out DateTime? next)
    {
        var now = Now;
        lock (_lock)
        {
            var due = _staged.Where(s => s.DueUtc <= now).ToList();
            if (due.Count > 0) _staged.RemoveAll(s => s.DueUtc <= now);
            next = _staged.Count == 0 ? null : _staged.Min(s => s.DueUtc);
            return due;
        }
    }

    /// <summary>
    /// For tests, which move the portal's clock by hand: sends the staged deliveries due now, as the loop does at their
    /// instant, and records the outcomes. Returns how many went to the network.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var due = TakeDue(out _);
        if (due.Count == 0) return 0;
        var sent = 0;
        await FireAsync(due, ct, onSent: () => Interlocked.Increment(ref sent)).Unwrap();
        await FlushAsync(ct);
        return sent;
    }

    private Task<Task> FireAsync(List<Staged> due, CancellationToken ct) => FireAsync(due, ct, onSent: null);

    /// <summary>
    /// Re-checks the due staged deliveries and takes those still as staged (one transaction, their attempts written),
    /// then starts their sends. Returns once they are taken; the task it gives ends when the sends are done.
    /// </summary>
    private async Task<Task> FireAsync(List<Staged> due, CancellationToken ct, Action? onSent)
    {
        var sends = new List<Task>();
        // In chunks: the first ones go to the network while the next ones are taken.
        foreach (var group in due.GroupBy(s => s.Workspace.Id).SelectMany(g => GrowingChunks([.. g])))
        {
            var scope = scopes.CreateAsyncScope(); // lives until this group's sends are done (the networks are resolved in it)
            try
            {
                var workspace = group.First().Workspace;
                scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
                var taken = await TakeAsync(scope.ServiceProvider, workspace, [.. group], ct);
                var channels = scope.ServiceProvider.GetRequiredService<ChannelService>();
                var groupSends = taken.Select(t => SendAsync(t.Staged, t.AttemptId, t.Request, channels.NetworkOf(t.Staged.Channel.Kind), onSent, ct)).ToList();
                sends.Add(Task.WhenAll(groupSends).ContinueWith(_ => scope.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap());
            }
            catch
            {
                await scope.DisposeAsync();
                throw;
            }
        }
        return Task.WhenAll(sends);
    }

    /// <summary>The deliveries in chunks of <see cref="FirstChunk"/>, then twice as many each time, up to <see cref="TakeChunk"/>.</summary>
    internal static IEnumerable<List<T>> GrowingChunks<T>(List<T> items)
    {
        var size = FirstChunk;
        for (var i = 0; i < items.Count; i += size, size = Math.Min(size * 2, TakeChunk))
            yield return items.GetRange(i, Math.Min(size, items.Count - i));
    }

    /// <summary>
    /// The instant's checks, then in one transaction: deliveries that changed, or whose channel has no token left, go
    /// back to the one-by-one path; the others become Sending with their attempt on record.
    /// </summary>
    private async Task<List<(Staged Staged, Guid AttemptId, SendRequest Request)>> TakeAsync(IServiceProvider services, Workspace workspace,
        List<Staged> due, CancellationToken ct)
    {
        var db = services.GetRequiredService<PublishingDbContext>();
        var now = Now;
        var go = new List<Staged>();
        var back = new List<(Staged Staged, DateTime? NextAttemptUtc)>();
        if (!await services.GetRequiredService<ModuleFeatures>().IsEnabledAsync(workspace.Id, PublishingModule.ModuleId, ct) ||
            await db.PromotionHolds.AsNoTracking().AnyAsync(ct))
            back.AddRange(due.Select(s => (s, (DateTime?)null)));
        else
        {
            var postIds = due.Select(s => s.PostId).Distinct().ToList();
            var versions = await services.GetRequiredService<IPublishingSchedule>().VersionsAsync(postIds, ct);
            var channelIds = due.Select(s => s.Channel.Id).Distinct().ToList();
            var channels = await db.Channels.AsNoTracking().Where(c => channelIds.Contains(c.Id))
                .Select(c => new { c.Id, c.State, c.Version }).ToDictionaryAsync(c => c.Id, ct);
            foreach (var staged in due)
            {
                // An edit, a move, an unschedule, a deletion of the post; a paused, reconnected or changed channel: one by one.
                if (versions.GetValueOrDefault(staged.PostId, -1) != staged.PostVersion ||
                    channels.GetValueOrDefault(staged.Channel.Id) is not { State: ChannelState.Active } channel || channel.Version != staged.Channel.Version)
                    back.Add((staged, null));
                else if (rateLimits.TryTake(staged.Channel.Id, staged.Channel.Kind, now) is { } wait)
                    back.Add((staged, now + wait)); // no token: later, no attempt spent
                else go.Add(staged);
            }
        }

        var sendLease = UniqueLeaseEnd(now + options.Lease);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var group in back.GroupBy(b => (b.Staged.Version, b.NextAttemptUtc)))
        {
            var ids = group.Select(b => b.Staged.Id).ToList();
            var (version, next) = group.Key;
            await db.Deliveries.Where(d => ids.Contains(d.Id) && d.Version == version && d.State == DeliveryState.Pending && d.LeaseOwner == node)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.LeaseOwner, (string?)null)
                    .SetProperty(d => d.LeaseUntilUtc, (DateTime?)null)
                    .SetProperty(d => d.NextAttemptUtc, next)
                    .SetProperty(d => d.Version, d => d.Version + 1), ct);
        }
        foreach (var group in go.GroupBy(s => s.Version))
        {
            var ids = group.Select(s => s.Id).ToList();
            var version = group.Key;
            await db.Deliveries.Where(d => ids.Contains(d.Id) && d.Version == version && d.State == DeliveryState.Pending && d.LeaseOwner == node)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.State, DeliveryState.Sending)
                    .SetProperty(d => d.LeaseUntilUtc, sendLease)
                    .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                    .SetProperty(d => d.FirstAttemptUtc, d => d.FirstAttemptUtc ?? now)
                    .SetProperty(d => d.Version, d => d.Version + 1), ct);
        }
        var goIds = go.Select(s => s.Id).ToList();
        var won = goIds.Count == 0 ? new Dictionary<Guid, DateTime?>() : (await db.Deliveries.AsNoTracking()
            .Where(d => goIds.Contains(d.Id) && d.State == DeliveryState.Sending && d.LeaseOwner == node && d.LeaseUntilUtc == sendLease)
            .Select(d => new { d.Id, d.FirstAttemptUtc }).ToListAsync(ct)).ToDictionary(d => d.Id, d => d.FirstAttemptUtc);
        var taken = go.Where(s => won.ContainsKey(s.Id))
            .Select(s => (Staged: s, AttemptId: Guid.NewGuid(), Request: s.Request with { Attempt = 1, FirstAttemptUtc = won[s.Id] })).ToList();
        if (db.Database.IsPostgres())
        {
            foreach (var t in taken) db.Attempts.Add(new DeliveryAttempt { Id = t.AttemptId, DeliveryId = t.Staged.Id, StartedUtc = now, Outcome = "Sending" });
            await db.SaveChangesAsync(ct);
        }
        else StagedRows.InsertAttempts(db, workspace.Id, taken.Select(t => (t.AttemptId, t.Staged.Id)).ToList(), now);
        await transaction.CommitAsync(ct); // the attempts are on record: the network may hear of them now
        db.ChangeTracker.Clear();
        logger.LogInformation("At {Now:O}, {Taken} staged deliveries taken to send ({Late} ms after the first one's instant), {Back} given back to go one by one",
            now, taken.Count, (int)(now - due.Min(s => s.DueUtc)).TotalMilliseconds, due.Count - taken.Count);
        return taken;
    }

    private async Task SendAsync(Staged staged, Guid attemptId, SendRequest request, IChannelNetwork? network, Action? onSent, CancellationToken ct)
    {
        SendOutcome outcome;
        await _sends.WaitAsync(CancellationToken.None);
        try
        {
            if (network is null) outcome = SendOutcome.Refused(request.SentParts, new Problem(null, "This channel's network is not available on the portal."));
            else
            {
                try
                {
                    outcome = await network.SendAsync(request, ct);
                    onSent?.Invoke();
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    logger.LogWarning("Channel {Channel} ({Kind}) threw {Error} while sending delivery {Delivery}", staged.Channel.Id, staged.Channel.Kind,
                        e.GetType().Name, staged.Id);
                    outcome = new SendOutcome(SendStatus.Unknown, request.SentParts, "The network's client stopped without an answer.");
                }
            }
        }
        catch (OperationCanceledException) { return; } // stopping: the lease runs out, the delivery is reconciled
        finally { _sends.Release(); }
        _outcomes.Writer.TryWrite(new Sent(staged, attemptId, request, outcome, Now));
    }

    private async Task RecordLoopAsync(CancellationToken stop)
    {
        try
        {
            while (await _outcomes.Reader.WaitToReadAsync(CancellationToken.None))
            {
                // Gather what finishes meanwhile: one transaction for many outcomes.
                if (!stop.IsCancellationRequested) await Task.Delay(RecordEvery, clock, CancellationToken.None);
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (Exception e) { logger.LogError(e, "The publishing stager stopped recording outcomes; unrecorded deliveries will be reconciled"); }
    }

    /// <summary>Records the outcomes received so far: publications in batches, anything else one by one.</summary>
    private async Task FlushAsync(CancellationToken ct)
    {
        while (true)
        {
            var batch = new List<Sent>();
            while (batch.Count < RecordBatch && _outcomes.Reader.TryRead(out var sent)) batch.Add(sent);
            if (batch.Count == 0) return;
            foreach (var group in batch.GroupBy(s => s.Staged.Workspace.Id))
            {
                try { await RecordAsync([.. group], ct); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Outcomes of {Count} staged deliveries could not be recorded; their lease will run out and they will be reconciled", group.Count());
                }
            }
        }
    }

    private async Task RecordAsync(List<Sent> sent, CancellationToken ct)
    {
        var workspace = sent[0].Staged.Workspace;
        var published = sent.Where(s => s.Outcome.Status == SendStatus.Published && DeliverySender.HasProof(s.Outcome.SentParts, s.Request.Parts.Count)).ToList();
        var others = sent.Except(published).ToList();
        if (published.Count > 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
            var db = scope.ServiceProvider.GetRequiredService<PublishingDbContext>();
            try
            {
                if (db.Database.IsPostgres())
                {
                    foreach (var s in published) MarkPublished(db, workspace.Id, RowOf(s));
                    await db.SaveChangesAsync(ct);
                }
                else
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    var changed = StagedRows.WritePublished(db, workspace.Id, published.Select(RowOf).ToList()).Select(r => r.DeliveryId).ToHashSet();
                    await transaction.CommitAsync(ct);
                    // Changed meanwhile (its lease ran out and another node took it over): one by one.
                    others.AddRange(published.Where(s => changed.Contains(s.Staged.Id)));
                    published.RemoveAll(s => changed.Contains(s.Staged.Id));
                }
                await TellCalendarAsync(scope.ServiceProvider, db, published, ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // One of them changed meanwhile (its lease ran out and another node took it over): each one by one.
                others.AddRange(published);
            }
        }
        foreach (var s in others)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
            await scope.ServiceProvider.GetRequiredService<DeliverySender>()
                .RecordStagedAsync(s.Staged.Id, s.Staged.Version + 1, s.AttemptId, s.Staged.Channel, s.Request, s.Outcome, ct);
        }
    }

    /// <summary>The publication as <see cref="DeliverySender"/> records it: the first part's remote id and link, every part's proof.</summary>
    private static PublishedRow RowOf(Sent s)
    {
        var first = s.Outcome.SentParts.OrderBy(p => p.Index).First();
        return new PublishedRow(s.Staged.Id, s.Staged.Version + 1 /* as taken at the instant */, s.AttemptId,
            System.Text.Json.JsonSerializer.Serialize(s.Outcome.SentParts), first.RemoteId, first.RemoteUrl, s.FinishedUtc, s.Outcome.HttpStatus,
            s.Outcome.Message is { Length: > 2000 } m ? m[..2000] : s.Outcome.Message);
    }

    /// <summary>The publication written through EF without reading the row (its version checked): PostgreSQL's batched way.</summary>
    private static void MarkPublished(PublishingDbContext db, Guid workspaceId, PublishedRow row)
    {
        var delivery = new Delivery { Id = row.DeliveryId, WorkspaceId = workspaceId, Version = row.VersionTaken }; // the concurrency token's original value
        db.Deliveries.Attach(delivery);
        delivery.State = DeliveryState.Published;
        delivery.SentPartsJson = row.SentPartsJson;
        delivery.RemoteId = row.RemoteId;
        delivery.RemoteUrl = row.RemoteUrl;
        delivery.PublishedUtc = row.FinishedUtc;
        delivery.LastError = null;
        delivery.LeaseOwner = null;
        delivery.LeaseUntilUtc = null;
        delivery.Version = row.VersionTaken + 1;
        MarkModified(db.Entry(delivery), PublishedColumns);

        var attempt = new DeliveryAttempt { Id = row.AttemptId, WorkspaceId = workspaceId, DeliveryId = row.DeliveryId };
        db.Attempts.Attach(attempt);
        attempt.FinishedUtc = row.FinishedUtc;
        attempt.HttpStatus = row.HttpStatus;
        attempt.Message = row.Message;
        attempt.Outcome = nameof(SendStatus.Published);
        MarkModified(db.Entry(attempt), FinishedAttemptColumns);
    }

    // Written even when the new value equals the blank one the row was attached with (a null clears the column).
    private static readonly string[] PublishedColumns =
    [
        nameof(Delivery.State), nameof(Delivery.SentPartsJson), nameof(Delivery.RemoteId), nameof(Delivery.RemoteUrl), nameof(Delivery.PublishedUtc),
        nameof(Delivery.LastError), nameof(Delivery.LeaseOwner), nameof(Delivery.LeaseUntilUtc), nameof(Delivery.Version),
    ];

    private static readonly string[] FinishedAttemptColumns =
        [nameof(DeliveryAttempt.FinishedUtc), nameof(DeliveryAttempt.HttpStatus), nameof(DeliveryAttempt.Message), nameof(DeliveryAttempt.Outcome)];

    private static void MarkModified(EntityEntry entry, string[] columns)
    {
        foreach (var column in columns) entry.Property(column).IsModified = true;
    }

    /// <summary>"Is the occurrence done?" once per post occurrence of the batch: the calendar marks the post published when it is.</summary>
    private static async Task TellCalendarAsync(IServiceProvider services, PublishingDbContext db, List<Sent> published, CancellationToken ct)
    {
        var occurrences = published.Select(s => (s.Staged.PostId, s.Staged.OccurrenceUtc)).Distinct().ToList();
        var postIds = occurrences.Select(o => o.PostId).Distinct().ToList();
        var open = (await db.Deliveries.AsNoTracking()
                .Where(d => postIds.Contains(d.PostId) && d.State != DeliveryState.Published && d.State != DeliveryState.Canceled)
                .Select(d => new { d.PostId, d.OccurrenceUtc }).Distinct().ToListAsync(ct))
            .Select(d => (d.PostId, d.OccurrenceUtc)).ToHashSet();
        var schedule = services.GetRequiredService<IPublishingSchedule>();
        foreach (var occurrence in occurrences.Where(o => !open.Contains(o)))
            await schedule.RecordOutcomeAsync(occurrence.PostId, occurrence.OccurrenceUtc, published: true, null, ct);
    }

    /// <summary>A lease end no other claim or staging round of this node uses (the dispatcher's).</summary>
    private DateTime UniqueLeaseEnd(DateTime end) => uniqueLeaseEnd(end, 1);

    /// <summary>A delivery staged by this node: its version once staged, its post's version as read, its lease, its request.</summary>
    private sealed record Staged(Guid Id, Workspace Workspace, Guid PostId, DateTime OccurrenceUtc, DateTime DueUtc, int Version, int PostVersion,
        DateTime Lease, Channel Channel, SendRequest Request);

    private sealed record Sent(Staged Staged, Guid AttemptId, SendRequest Request, SendOutcome Outcome, DateTime FinishedUtc);
}
