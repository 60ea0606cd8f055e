using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>
/// The loop every node runs: keep up to <see cref="OutboxOptions.Parallelism"/> deliveries in flight, claiming more
/// as sends finish (and looking again every ~300 ms when idle). A claim is one conditional UPDATE over a batch of
/// due deliveries that re-checks their state, so on SQLite and on PostgreSQL, with any number of nodes, a delivery
/// is sent by one of them. A delivery whose lease ran out while sending (a crash) is claimed again and reconciled
/// before anything is sent.
/// </summary>
internal sealed class OutboxDispatcher : BackgroundService
{
    private readonly IServiceScopeFactory scopes;
    private readonly OutboxOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger<OutboxDispatcher> logger;

    public OutboxDispatcher(IServiceScopeFactory scopes, OutboxOptions options, TimeProvider clock, ChannelRateLimits rateLimits, ILogger<OutboxDispatcher> logger)
    {
        (this.scopes, this.options, this.clock, this.logger) = (scopes, options, clock, logger);
        Stager = new OutboxStager(Node, scopes, options, clock, rateLimits, UniqueLeaseEnd, logger);
    }

    /// <summary>This node's name on the leases it holds (a process may host several portals in tests).</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Prepares deliveries due soon and sends them at their instant (<see cref="OutboxStager"/>); tests step it.</summary>
    public OutboxStager Stager { get; }

    private static readonly TimeSpan GatherWait = TimeSpan.FromMilliseconds(10);
    private int _claimed;
    private readonly Lock _leaseLock = new();
    private DateTime _lastLeaseEnd;

    /// <summary>How many deliveries this node has claimed since it started (its share of the work).</summary>
    public int Claimed => Volatile.Read(ref _claimed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.DispatcherEnabled) return;
        await Task.Yield();
        var staging = Task.Run(() => Stager.RunAsync(stoppingToken), CancellationToken.None);
        try { await DispatchAsync(stoppingToken); }
        finally { await staging; }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var slots = new SemaphoreSlim(options.Parallelism, options.Parallelism);
        var inFlight = new List<Task>(); // only this loop touches it
        while (!stoppingToken.IsCancellationRequested)
        {
            var held = 0; // slots this loop holds and has not handed to a send: given back if the round fails
            try
            {
                held = await TakeFreeSlotsAsync(slots, stoppingToken);
                var claims = await ClaimAsync(held, stoppingToken);
                if (held > claims.Count) slots.Release(held - claims.Count);
                held = claims.Count;
                if (claims.Count == 0)
                {
                    await Task.Delay(options.PollInterval, clock, stoppingToken);
                    continue;
                }
                var workspaces = await WorkspacesOfAsync(claims, stoppingToken);
                inFlight.RemoveAll(t => t.IsCompleted);
                foreach (var claim in claims)
                {
                    // Sends go on while the loop claims the next ones; each gives its slot back when done.
                    inFlight.Add(Task.Run(async () =>
                    {
                        try { await SendLoggedAsync(claim, workspaces.GetValueOrDefault(claim.WorkspaceId), stoppingToken); }
                        finally { slots.Release(); }
                    }, CancellationToken.None));
                    held--;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception e)
            {
                // Claimed deliveries not handed to a send keep their lease: it runs out and they are reconciled.
                if (held > 0) slots.Release(held);
                logger.LogError(e, "The publishing dispatcher failed a round; it goes on");
                try { await Task.Delay(options.PollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { break; }
            }
        }
        await Task.WhenAll(inFlight); // a send cut short by the stop leaves its lease to run out: reconciled by the next claim
    }

    /// <summary>
    /// Waits for a free slot, then takes the others free now (up to a batch), so that claims go in batches when
    /// the node is idle and one by one as sends finish when it is busy.
    /// </summary>
    private async Task<int> TakeFreeSlotsAsync(SemaphoreSlim slots, CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        var held = 1;
        while (held < options.BatchSize && slots.Wait(0)) held++;
        // Busy (most slots in flight): a few milliseconds more gather the sends finishing now into the same claim,
        // one claim round for several deliveries instead of one each.
        var gather = Math.Min(8, Math.Min(options.BatchSize, options.Parallelism));
        while (held < gather && await slots.WaitAsync(GatherWait, ct)) held++;
        return held;
    }

    /// <summary>Claims what is due (a batch) and sends it; returns how many deliveries this node took. Tests use it to step the outbox.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var claimed = await ClaimAsync(options.BatchSize, ct);
        if (claimed.Count == 0) return 0;
        var workspaces = await WorkspacesOfAsync(claimed, ct);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct },
            async (claim, token) => await SendLoggedAsync(claim, workspaces.GetValueOrDefault(claim.WorkspaceId), token));
        return claimed.Count;
    }

    private async Task SendLoggedAsync(Claim claim, Workspace? workspace, CancellationToken ct)
    {
        if (workspace is null) return;
        try { await SendAsync(claim, workspace, ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e) { logger.LogError(e, "Delivery {Delivery} could not be processed; its lease will run out and it will be reconciled", claim.Id); }
    }

    private async Task<List<Claim>> ClaimAsync(int count, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PublishingDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        // Across workspaces: the dispatcher serves them all (each delivery is then handled inside its own workspace).
        var active = db.Channels.IgnoreQueryFilters().Where(c => c.State == ChannelState.Active).Select(c => c.Id);
        var candidates = await db.Deliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => active.Contains(d.ChannelId) &&
                        ((d.State == DeliveryState.Pending && d.DueUtc <= now && (d.NextAttemptUtc == null || d.NextAttemptUtc <= now) &&
                          (d.LeaseUntilUtc == null || d.LeaseUntilUtc < now)) ||
                         (d.State == DeliveryState.Sending && d.LeaseUntilUtc < now)))
            .OrderBy(d => d.DueUtc).Take(count)
            .Select(d => new { d.Id, d.State }).ToListAsync(ct);
        if (candidates.Count == 0) return [];

        // One UPDATE per kind of candidate, each re-checking what made the delivery claimable: another node's
        // UPDATE (or a cancel, an edit) in between makes the row fail the check, so it is never claimed twice.
        // Each kind gets its own lease end, which tells afterwards which rows this round won and how.
        var (fresh, stale) = NextLeaseEnds(now);
        var pendingIds = candidates.Where(c => c.State == DeliveryState.Pending).Select(c => c.Id).ToList();
        var staleIds = candidates.Where(c => c.State == DeliveryState.Sending).Select(c => c.Id).ToList();
        if (pendingIds.Count > 0)
            await db.Deliveries.IgnoreQueryFilters()
                .Where(d => pendingIds.Contains(d.Id) && d.State == DeliveryState.Pending && d.DueUtc <= now &&
                            (d.NextAttemptUtc == null || d.NextAttemptUtc <= now) && (d.LeaseUntilUtc == null || d.LeaseUntilUtc < now))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.State, DeliveryState.Sending)
                    .SetProperty(d => d.LeaseOwner, Node)
                    .SetProperty(d => d.LeaseUntilUtc, fresh)
                    .SetProperty(d => d.Version, d => d.Version + 1), ct);
        if (staleIds.Count > 0)
            await db.Deliveries.IgnoreQueryFilters()
                .Where(d => staleIds.Contains(d.Id) && d.State == DeliveryState.Sending && d.LeaseUntilUtc < now)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.LeaseOwner, Node)
                    .SetProperty(d => d.LeaseUntilUtc, stale)
                    .SetProperty(d => d.Version, d => d.Version + 1), ct);
        var ids = candidates.Select(c => c.Id).ToList();
        var won = await db.Deliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => ids.Contains(d.Id) && d.LeaseOwner == Node && (d.LeaseUntilUtc == fresh || d.LeaseUntilUtc == stale))
            .Select(d => new { d.Id, d.WorkspaceId, d.Version, d.LeaseUntilUtc, d.DueUtc }).ToListAsync(ct);
        Interlocked.Add(ref _claimed, won.Count);
        return won.OrderBy(w => w.DueUtc).Select(w => new Claim(w.Id, w.WorkspaceId, w.Version, Reconcile: w.LeaseUntilUtc == stale)).ToList();
    }

    /// <summary>
    /// Two lease ends for a claim round, unique to it on this node (so the round can read back what it won), in whole
    /// milliseconds (PostgreSQL keeps microseconds, SQLite the text it is given: both compare them exactly).
    /// </summary>
    private (DateTime Fresh, DateTime Stale) NextLeaseEnds(DateTime now)
    {
        var end = UniqueLeaseEnd(now + options.Lease, span: 2);
        return (end, end.AddMilliseconds(1));
    }

    /// <summary>
    /// A lease end at or just after <paramref name="end"/> that no other claim or staging round of this node uses (it
    /// takes <paramref name="span"/> milliseconds), in whole milliseconds.
    /// </summary>
    private DateTime UniqueLeaseEnd(DateTime end, int span = 1)
    {
        end = new DateTime(end.Ticks - end.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        lock (_leaseLock)
        {
            if (end <= _lastLeaseEnd) end = _lastLeaseEnd.AddMilliseconds(1);
            _lastLeaseEnd = end.AddMilliseconds(span - 1);
            return end;
        }
    }

    /// <summary>The claimed deliveries' workspaces, read once per round rather than once per delivery.</summary>
    private async Task<Dictionary<Guid, Workspace>> WorkspacesOfAsync(List<Claim> claims, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var ids = claims.Select(c => c.WorkspaceId).Distinct().ToList();
        return await scope.ServiceProvider.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking()
            .Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, ct);
    }

    private async Task SendAsync(Claim claim, Workspace workspace, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
        await scope.ServiceProvider.GetRequiredService<DeliverySender>().SendAsync(claim, Node, ct);
    }
}

/// <summary>A delivery this node won: its version after the claim, and whether it must be reconciled first.</summary>
internal sealed record Claim(Guid Id, Guid WorkspaceId, int Version, bool Reconcile);
