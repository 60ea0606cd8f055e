using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>
/// The loop every node runs: claim due deliveries, send them with bounded parallelism, and look again (every
/// ~300 ms when idle). A claim is a conditional UPDATE on the delivery's version — exactly one node's UPDATE
/// affects the row — so on SQLite and on PostgreSQL, with any number of nodes, a delivery is sent by one of them.
/// A delivery whose lease ran out while sending (a crash) is claimed again and reconciled before anything is sent.
/// </summary>
internal sealed class OutboxDispatcher(IServiceScopeFactory scopes, OutboxOptions options, TimeProvider clock, ILogger<OutboxDispatcher> logger)
    : BackgroundService
{
    /// <summary>This node's name on the leases it holds (a process may host several portals in tests).</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private int _claimed;

    /// <summary>How many deliveries this node has claimed since it started (its share of the work).</summary>
    public int Claimed => Volatile.Read(ref _claimed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.DispatcherEnabled) return;
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = 0;
            try { worked = await RunOnceAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { logger.LogError(e, "The publishing dispatcher failed a round; it goes on"); }
            if (worked == 0)
            {
                try { await Task.Delay(options.PollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Claims what is due and sends it; returns how many deliveries this node took.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var claimed = await ClaimAsync(ct);
        if (claimed.Count == 0) return 0;
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct },
            async (claim, token) =>
            {
                try { await SendAsync(claim, token); }
                catch (OperationCanceledException) when (token.IsCancellationRequested) { }
                catch (Exception e) { logger.LogError(e, "Delivery {Delivery} could not be processed; its lease will run out and it will be reconciled", claim.Id); }
            });
        return claimed.Count;
    }

    private async Task<List<Claim>> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PublishingDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        // Across workspaces: the dispatcher serves them all (each delivery is then handled inside its own workspace).
        var active = db.Channels.IgnoreQueryFilters().Where(c => c.State == ChannelState.Active).Select(c => c.Id);
        var candidates = await db.Deliveries.IgnoreQueryFilters().AsNoTracking()
            .Where(d => active.Contains(d.ChannelId) &&
                        ((d.State == DeliveryState.Pending && d.DueUtc <= now && (d.NextAttemptUtc == null || d.NextAttemptUtc <= now)) ||
                         (d.State == DeliveryState.Sending && d.LeaseUntilUtc < now)))
            .OrderBy(d => d.DueUtc).Take(options.BatchSize)
            .Select(d => new { d.Id, d.WorkspaceId, d.Version, d.State }).ToListAsync(ct);
        var claimed = new List<Claim>();
        var until = now + options.Lease;
        foreach (var candidate in candidates)
        {
            var state = candidate.State;
            var rows = await db.Deliveries.IgnoreQueryFilters()
                .Where(d => d.Id == candidate.Id && d.Version == candidate.Version && d.State == state)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.State, DeliveryState.Sending)
                    .SetProperty(d => d.LeaseOwner, Node)
                    .SetProperty(d => d.LeaseUntilUtc, until)
                    .SetProperty(d => d.Version, d => d.Version + 1), ct);
            if (rows == 1) Interlocked.Increment(ref _claimed);
            if (rows == 1) claimed.Add(new Claim(candidate.Id, candidate.WorkspaceId, candidate.Version + 1, Reconcile: state == DeliveryState.Sending));
        }
        return claimed;
    }

    private async Task SendAsync(Claim claim, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var workspace = await scope.ServiceProvider.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking()
            .FirstOrDefaultAsync(w => w.Id == claim.WorkspaceId, ct);
        if (workspace is null) return;
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
        await scope.ServiceProvider.GetRequiredService<DeliverySender>().SendAsync(claim, Node, ct);
    }
}

/// <summary>A delivery this node won: its version after the claim, and whether it must be reconciled first.</summary>
internal sealed record Claim(Guid Id, Guid WorkspaceId, int Version, bool Reconcile);
