using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CmPortal.Core.Events;

/// <summary>
/// Delivers stored module events to their handlers: each handler in a scope of its own, set to the event's
/// workspace, only where the handler's module is on. A handler that succeeded is recorded and never run again
/// for that event; when one fails, the event is tried again later (backoff) up to <see cref="MaxAttempts"/> rounds.
/// </summary>
public sealed class ModuleEventDispatcher(IServiceScopeFactory scopes, IEnumerable<ModuleEventHandlerRegistration> registrations,
    TimeProvider time, ILogger<ModuleEventDispatcher> logger)
{
    public const int MaxAttempts = 8;
    private const int BatchSize = 50;
    /// <summary>How long handled events are kept (to see what happened) before the drain deletes them.</summary>
    public static readonly TimeSpan KeepHandled = TimeSpan.FromDays(30);
    private DateTime _nextPurgeUtc = DateTime.MinValue;
    /// <summary>How long a dispatcher holds an event it is delivering; a node that stops meanwhile leaves it to another after that.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _draining = new(1, 1);
    private readonly ILookup<string, ModuleEventHandlerRegistration> _handlers = registrations.ToLookup(r => r.EventName);

    /// <summary>The wait before round <paramref name="attempts"/> + 1: 10 s, 20 s, 40 s… at most an hour.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 10 * Math.Pow(2, attempts - 1)));

    /// <summary>Handles every committed event that is due; returns how many events it went through.</summary>
    public async Task<int> DrainAsync(CancellationToken ct = default)
    {
        // One drain at a time on this node (the job and a test, say); across nodes, the clustered job does not overlap.
        await _draining.WaitAsync(ct);
        try
        {
            var total = 0;
            while (true)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CoreDbContext>();
                var now = time.GetUtcNow().UtcDateTime;
                var due = await db.ModuleEvents.Where(e => e.State == ModuleEventState.Pending && e.NextAttemptUtc <= now)
                    .OrderBy(e => e.RaisedUtc).Take(BatchSize).ToListAsync(ct);
                foreach (var stored in due) await DeliverAsync(db, stored, ct);
                total += due.Count;
                if (due.Count < BatchSize)
                {
                    await PurgeAsync(db, now, ct);
                    return total;
                }
            }
        }
        finally
        {
            _draining.Release();
        }
    }

    /// <summary>At most once an hour: events handled long ago go, so the table holds what is pending and recent history.</summary>
    private async Task PurgeAsync(CoreDbContext db, DateTime now, CancellationToken ct)
    {
        if (now < _nextPurgeUtc) return;
        _nextPurgeUtc = now.AddHours(1);
        var before = now - KeepHandled;
        await db.ModuleEvents.Where(e => e.State == ModuleEventState.Handled && e.HandledUtc < before).ExecuteDeleteAsync(ct);
    }

    private async Task DeliverAsync(CoreDbContext db, StoredModuleEvent stored, CancellationToken ct)
    {
        // Claim the event first (moving its next attempt to the lease's end, where it still is as read): another node, or
        // another dispatcher, that read it too finds it claimed and leaves it, so no handler runs twice at once.
        var lease = time.GetUtcNow().UtcDateTime + Lease;
        var seen = stored.NextAttemptUtc;
        var claimed = await db.ModuleEvents.Where(e => e.Id == stored.Id && e.State == ModuleEventState.Pending && e.NextAttemptUtc == seen)
            .ExecuteUpdateAsync(u => u.SetProperty(e => e.NextAttemptUtc, lease), ct);
        if (claimed == 0)
        {
            db.Entry(stored).State = EntityState.Detached;
            return;
        }
        db.Entry(stored).Property(e => e.NextAttemptUtc).OriginalValue = lease;
        stored.NextAttemptUtc = lease;
        var workspace = await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == stored.WorkspaceId, ct);
        var done = (await db.ModuleEventDeliveries.Where(d => d.EventId == stored.Id).Select(d => d.Handler).ToListAsync(ct)).ToHashSet();
        var errors = new List<string>();
        if (workspace is not null)
        {
            var enabled = await db.WorkspaceModules.Where(m => m.WorkspaceId == workspace.Id).Select(m => m.ModuleId).ToListAsync(ct);
            foreach (var handler in _handlers[stored.Name].Where(h => !done.Contains(h.Key) && enabled.Contains(h.ModuleId)))
            {
                if (await RunAsync(handler, workspace, stored, ct) is { } error) { errors.Add(error); continue; }
                // Recorded at once: if a later handler fails (or the node stops), this one is not run again.
                db.ModuleEventDeliveries.Add(new ModuleEventDelivery { EventId = stored.Id, Handler = handler.Key, HandledUtc = time.GetUtcNow().UtcDateTime });
                await db.SaveChangesAsync(ct);
            }
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (errors.Count == 0)
        {
            stored.State = ModuleEventState.Handled;
            stored.HandledUtc = now;
        }
        else
        {
            stored.Attempts++;
            stored.LastError = Truncate(string.Join(Environment.NewLine, errors), 2000);
            if (stored.Attempts >= MaxAttempts)
            {
                stored.State = ModuleEventState.Failed;
                logger.LogError("Event {Event} {Id} gave up after {Attempts} attempts: {Error}", stored.Name, stored.Id, stored.Attempts, stored.LastError);
            }
            else stored.NextAttemptUtc = now + Backoff(stored.Attempts);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Runs one handler in a scope of its own; returns the error, or null when it succeeded.</summary>
    private async Task<string?> RunAsync(ModuleEventHandlerRegistration handler, Workspace workspace, StoredModuleEvent stored, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
        try
        {
            await handler.InvokeAsync(scope.ServiceProvider, stored.Payload, ct);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var error = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            logger.LogWarning(error, "Handler {Handler} failed on event {Event} {Id} (attempt {Attempt}) in workspace {Workspace}",
                handler.Key, stored.Name, stored.Id, stored.Attempts + 1, workspace.Key);
            return $"{handler.Key}: {error.GetType().Name}: {error.Message}";
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>The Quartz job that drains stored events every few seconds (and once at start, for those a stop left behind).</summary>
[DisallowConcurrentExecution]
internal sealed class ModuleEventsJob(ModuleEventDispatcher dispatcher) : IJob
{
    public static readonly JobKey Key = new("ModuleEvents", "Core");
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await dispatcher.DrainAsync(ct);
}
