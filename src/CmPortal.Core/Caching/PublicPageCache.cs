using System.Collections.Concurrent;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace CmPortal.Core.Caching;

/// <summary>
/// What modules call when they change something the public site shows (a charter published, the graphic charter
/// saved, a workspace's settings or modules changed): the workspace's cached public pages are dropped, on this node
/// at once and on every other node within <see cref="PublicPageVersions.RecheckAfter"/>.
/// </summary>
public interface IPublicPageCache
{
    /// <summary>
    /// Drops the workspace's cached public pages. Inside the scope's transaction the change to the shared counter
    /// commits or rolls back with it; call it again after the commit (the recipe runner does) so that a page
    /// rendered meanwhile from the older data is dropped too.
    /// </summary>
    Task EvictAsync(Guid workspaceId, CancellationToken ct = default);
}

/// <summary>
/// The public pages' output cache: the policy name endpoints opt in with, and the tag of a workspace's pages.
/// MVC: <c>[OutputCache(PolicyName = PublicPageCache.Policy)]</c>; minimal API: <c>.CacheOutput(PublicPageCache.Policy)</c>.
/// Only for pages every anonymous visitor sees alike, with no form: see docs/architecture.md, "Public page cache".
/// </summary>
public sealed class PublicPageCache(CoreDbContext db, PublicPageVersions versions) : IPublicPageCache
{
    public const string Policy = "PublicPage";

    public static string Tag(Guid workspaceId) => $"public:{workspaceId:N}";

    public async Task EvictAsync(Guid workspaceId, CancellationToken ct = default)
    {
        // One statement that both providers understand; it joins the scope's transaction if one is open.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
             INSERT INTO "Core_PublicPageVersions" ("WorkspaceId", "Version") VALUES ({workspaceId}, 1)
             ON CONFLICT ("WorkspaceId") DO UPDATE SET "Version" = "Core_PublicPageVersions"."Version" + 1
             """, ct);
        await versions.ChangedHereAsync(workspaceId, ct);
    }
}

/// <summary>
/// The public version of each workspace as this node last read it from <c>Core_PublicPageVersions</c>. It is read
/// again at most every <see cref="RecheckAfter"/> (one small query per workspace, not per request), and at once
/// after a change on this node. When the number moves, whoever made the change, the workspace's pages leave the
/// output cache and <see cref="Watch"/> tokens fire, so in-memory copies of what the pages show (published charters,
/// brand styles, the workspace directory) are read again too.
/// </summary>
public sealed class PublicPageVersions(IOutputCacheStore store, WorkspaceDirectory directory, TimeProvider time)
{
    /// <summary>How late another node can be to see a change: the bound on serving a stale public page.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(2);

    private sealed class State
    {
        public long Version;
        public bool Loaded;
        public long CheckedAt;          // TimeProvider timestamp of the last read
        public int Generation;          // moved by a change on this node: a read started before it does not count
        public int CheckedGeneration = -1;
        public int Reading;             // 1 while one request reads the number after RecheckAfter
        public CancellationTokenSource Changed = new();
    }

    private readonly ConcurrentDictionary<Guid, State> _states = new();

    /// <summary>
    /// The workspace's public version, from memory unless it is older than <see cref="RecheckAfter"/>. The scope's
    /// <see cref="CoreDbContext"/> is taken from <paramref name="services"/> only when the number is read.
    /// </summary>
    public async ValueTask<long> CurrentAsync(Guid workspaceId, IServiceProvider services, CancellationToken ct)
    {
        var state = _states.GetOrAdd(workspaceId, _ => new State());
        var generation = Volatile.Read(ref state.Generation);
        var forced = !state.Loaded || state.CheckedGeneration != generation;
        if (!forced && time.GetElapsedTime(Volatile.Read(ref state.CheckedAt)) < RecheckAfter) return Volatile.Read(ref state.Version);
        // After RecheckAfter one request reads while the others keep serving the known version; after a change
        // here, every request reads until one has seen it, so the next page shows the change.
        if (!forced && Interlocked.CompareExchange(ref state.Reading, 1, 0) != 0) return Volatile.Read(ref state.Version);
        try
        {
            var version = await services.GetRequiredService<CoreDbContext>().PublicPageVersions.AsNoTracking().Where(v => v.WorkspaceId == workspaceId)
                .Select(v => (long?)v.Version).FirstOrDefaultAsync(ct) ?? 0;
            lock (state)
            {
                var moved = state.Loaded && version != state.Version;
                state.Version = version;
                state.Loaded = true;
                if (Volatile.Read(ref state.Generation) == generation)
                {
                    state.CheckedGeneration = generation;
                    Volatile.Write(ref state.CheckedAt, time.GetTimestamp());
                }
                if (moved) Drop(workspaceId, state);
            }
            return version;
        }
        finally
        {
            if (!forced) Volatile.Write(ref state.Reading, 0);
        }
    }

    /// <summary>A token that fires when the workspace's public pages change, here or on another node.</summary>
    public IChangeToken Watch(Guid workspaceId)
    {
        var state = _states.GetOrAdd(workspaceId, _ => new State());
        lock (state) return new CancellationChangeToken(state.Changed.Token);
    }

    internal async Task ChangedHereAsync(Guid workspaceId, CancellationToken ct)
    {
        var state = _states.GetOrAdd(workspaceId, _ => new State());
        lock (state)
        {
            state.Generation++;
            Drop(workspaceId, state);
        }
        await store.EvictByTagAsync(PublicPageCache.Tag(workspaceId), ct);
    }

    private void Drop(Guid workspaceId, State state)
    {
        var changed = state.Changed;
        state.Changed = new CancellationTokenSource();
        changed.Cancel(); // not disposed: tokens handed out earlier may still be asked whether they fired
        directory.Invalidate();
        _ = store.EvictByTagAsync(PublicPageCache.Tag(workspaceId), CancellationToken.None).AsTask();
    }
}
