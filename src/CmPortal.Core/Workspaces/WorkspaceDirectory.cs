using System.Collections.Concurrent;
using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Workspaces;

/// <summary>A workspace as requests see it, with the modules that are on in it.</summary>
public sealed record WorkspaceEntry(Workspace Workspace, IReadOnlySet<string> EnabledModules);

/// <summary>
/// Workspaces by key, with their enabled modules, kept in memory so that resolving the workspace
/// of a request costs no query. Dropped when a workspace or its modules change on this node; at
/// most <see cref="MaxAge"/> late for changes made on another node. The workspaces it hands out
/// are detached snapshots: edit through <see cref="WorkspaceService"/>.
/// </summary>
public sealed class WorkspaceDirectory
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (WorkspaceEntry? Entry, DateTime LoadedUtc)> _entries = new(StringComparer.Ordinal);
    private int _generation;

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <param name="services">The request's services: the <see cref="CoreDbContext"/> is only created on a miss, so a cached public page costs none.</param>
    public async ValueTask<WorkspaceEntry?> FindAsync(string key, IServiceProvider services, CancellationToken ct)
    {
        if (_entries.TryGetValue(key, out var cached) && DateTime.UtcNow - cached.LoadedUtc <= MaxAge) return cached.Entry;
        var db = services.GetRequiredService<CoreDbContext>();
        var generation = Volatile.Read(ref _generation);
        var workspace = await db.Workspaces.AsNoTracking().Include(w => w.Hosts).FirstOrDefaultAsync(w => w.Key == key, ct);
        WorkspaceEntry? entry = null;
        if (workspace is not null)
        {
            var modules = await db.WorkspaceModules.AsNoTracking().Where(m => m.WorkspaceId == workspace.Id).Select(m => m.ModuleId).ToListAsync(ct);
            entry = new WorkspaceEntry(workspace, modules.ToHashSet(StringComparer.Ordinal));
        }
        // A change made while this was loading must not be overwritten by what was read before it.
        if (generation == Volatile.Read(ref _generation)) _entries[key] = (entry, DateTime.UtcNow);
        return entry;
    }
}
