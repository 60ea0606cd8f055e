using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Workspaces;

/// <summary>
/// Host name → workspace key, kept in memory so that serving a bound host costs no query.
/// Reloaded when a workspace changes on this node, and at most a minute late for changes
/// made on another node.
/// </summary>
public sealed class WorkspaceHostMap(IServiceScopeFactory scopes, PortalHostNames portalHosts)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(IReadOnlyDictionary<string, string> KeysByHost, DateTime LoadedUtc);

    public void Invalidate() => _snapshot = null;

    public async ValueTask<string?> FindKeyAsync(string host, CancellationToken ct)
    {
        if (portalHosts.IsReserved(host)) return null; // the portal's own address is never a brand's, whatever a row says
        var snapshot = _snapshot;
        if (snapshot is null || DateTime.UtcNow - snapshot.LoadedUtc > MaxAge)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CoreDbContext>();
            var pairs = await db.WorkspaceHosts.AsNoTracking()
                .Join(db.Workspaces, h => h.WorkspaceId, w => w.Id, (h, w) => new { h.HostName, w.Key })
                .ToListAsync(ct);
            _snapshot = snapshot = new Snapshot(pairs.ToDictionary(p => p.HostName, p => p.Key, StringComparer.OrdinalIgnoreCase), DateTime.UtcNow);
        }
        return snapshot.KeysByHost.GetValueOrDefault(host);
    }
}
