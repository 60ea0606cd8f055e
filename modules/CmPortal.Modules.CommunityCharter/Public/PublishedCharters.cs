using System.Collections.Concurrent;
using CmPortal.Core.Caching;
using CmPortal.Modules.CommunityCharter.Data;
using CmPortal.Modules.CommunityCharter.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace CmPortal.Modules.CommunityCharter.Public;

/// <summary>A version in the public change log.</summary>
internal sealed record CharterVersionInfo(int Number, DateTime PublishedUtc, string? ChangeNote);

/// <summary>
/// A published version as the public pages show it, with the change log of the whole charter and what this
/// version changed from the one before it (computed once, when the version is loaded into the cache).
/// </summary>
internal sealed record PublishedCharter(
    int Number, DateTime PublishedUtc, string? ChangeNote, CharterDocument Document, string Html,
    int CurrentNumber, IReadOnlyList<CharterVersionInfo> History, CharterChanges Changes)
{
    public bool IsCurrent => Number == CurrentNumber;
}

/// <summary>
/// Published versions in memory, keyed by workspace id (and version number). Every entry of a workspace
/// hangs on one change token: publishing cancels it, so the next request reads the new version. Entries
/// also go when the workspace's public version moves (<see cref="PublicPageVersions"/>), which is how another
/// node of a cluster learns of a publication, and after a few minutes in any case.
/// </summary>
internal sealed class CharterCache(IMemoryCache cache, PublicPageVersions pages)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _tokens = new();

    private sealed record Held(PublishedCharter? Value);

    public async Task<PublishedCharter?> GetOrLoadAsync(Guid workspaceId, int? number, Func<Task<PublishedCharter?>> load)
    {
        var key = (typeof(CharterCache), workspaceId, number ?? 0);
        if (cache.TryGetValue(key, out Held? held) && held is not null) return held.Value;
        // The token is taken before loading: a publication during the load expires what the load returns.
        var token = _tokens.GetOrAdd(workspaceId, _ => new CancellationTokenSource()).Token;
        var value = await load();
        using (var entry = cache.CreateEntry(key))
        {
            entry.Value = new Held(value);
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = MaxAge;
            entry.AddExpirationToken(new CancellationChangeToken(token));
            entry.AddExpirationToken(pages.Watch(workspaceId)); // a publication seen from another node
        }
        return value;
    }

    /// <summary>Forgets every cached version of the workspace (after a publication is committed).</summary>
    public void Invalidate(Guid workspaceId)
    {
        if (_tokens.TryRemove(workspaceId, out var source)) source.Cancel();
    }
}

/// <summary>
/// Reads published versions (never the draft), through <see cref="CharterCache"/>. The DbContext is only
/// created on a cache miss: a cached page costs no database work at all.
/// </summary>
internal sealed class PublishedCharters(IServiceProvider services, CharterCache cache)
{
    public Task<PublishedCharter?> CurrentAsync(Guid workspaceId, CancellationToken ct) =>
        cache.GetOrLoadAsync(workspaceId, null, () => LoadAsync(workspaceId, null, ct));

    public async Task<PublishedCharter?> VersionAsync(Guid workspaceId, int number, CancellationToken ct)
    {
        var current = await CurrentAsync(workspaceId, ct);
        // Only numbers that exist reach the cache or the database.
        if (current is null || number < 1 || number > current.CurrentNumber) return null;
        if (number == current.Number) return current;
        return await cache.GetOrLoadAsync(workspaceId, number, () => LoadAsync(workspaceId, number, ct));
    }

    private async Task<PublishedCharter?> LoadAsync(Guid workspaceId, int? number, CancellationToken ct)
    {
        // Explicit workspace: the site-link source may ask for a workspace other than the request's.
        var db = services.GetRequiredService<CommunityCharterDbContext>();
        var versions = db.Versions.IgnoreQueryFilters().AsNoTracking().Where(v => v.WorkspaceId == workspaceId);
        var history = await versions.OrderByDescending(v => v.Number)
            .Select(v => new CharterVersionInfo(v.Number, v.PublishedUtc, v.ChangeNote)).ToListAsync(ct);
        if (history.Count == 0) return null;
        var wanted = number ?? history[0].Number;
        var version = await versions.FirstOrDefaultAsync(v => v.Number == wanted, ct);
        if (version is null) return null;
        var document = CharterDocument.FromJson(version.Document);
        var previous = await versions.Where(v => v.Number == wanted - 1).Select(v => v.Document).FirstOrDefaultAsync(ct);
        var changes = CharterChanges.Between(previous is null ? null : wanted - 1, previous is null ? null : CharterDocument.FromJson(previous), document);
        return new PublishedCharter(version.Number, version.PublishedUtc, version.ChangeNote, document, version.Html, history[0].Number, history, changes);
    }
}
