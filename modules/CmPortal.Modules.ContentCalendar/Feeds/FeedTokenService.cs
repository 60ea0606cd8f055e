using System.Security.Claims;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Feeds;

/// <summary>What a feed's secret opens: the feed, its workspace (now the current one) and its member.</summary>
internal sealed record FeedAccess(FeedToken Feed, WorkspaceEntry Workspace, PortalUser User);

/// <summary>
/// A member's private calendar feed of the workspace's scheduled posts (<c>/feeds/{token}.ics</c>): one active feed per
/// member per workspace. Creating a feed replaces (revokes) the one the member had; revoking stops it at once. Only the
/// SHA-256 of the secret is stored, so the database alone opens nothing, and the secret is shown once.
/// </summary>
internal sealed class FeedTokenService(CalendarDbContext db, IServiceProvider services, WorkspaceContext workspace, PermissionService permissions, IClock clock)
{
    /// <summary>The member's active feed in the current workspace, or null.</summary>
    public async Task<FeedToken?> CurrentAsync(Guid userId, CancellationToken ct = default) =>
        await db.FeedTokens.AsNoTracking().Where(t => t.UserId == userId && t.RevokedUtc == null)
            .OrderByDescending(t => t.CreatedUtc).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Makes a new feed for the acting member and revokes the one they had, in one save. The secret comes back once;
    /// nothing stored lets anyone see it again.
    /// </summary>
    public async Task<(FeedToken? Feed, string? Secret, IReadOnlyList<Problem> Problems)> CreateAsync(PostActor actor, CancellationToken ct = default)
    {
        if (actor.UserId is not { } userId || !actor.Holds(CalendarPermissions.View.Name))
            return (null, null, [new Problem(null, "Only a member who sees the content calendar may subscribe to it.")]);
        var now = Now;
        foreach (var old in await db.FeedTokens.Where(t => t.UserId == userId && t.RevokedUtc == null).ToListAsync(ct))
            old.RevokedUtc = now;
        var secret = SecretTokens.New();
        var feed = new FeedToken { Id = Guid.NewGuid(), UserId = userId, Sha256 = SecretTokens.Sha256(secret), CreatedUtc = now };
        db.FeedTokens.Add(feed);
        await db.SaveChangesAsync(ct);
        return (feed, secret, []);
    }

    /// <summary>Revokes the member's feed in the current workspace: its address answers 404 from now on. False when they had none.</summary>
    public async Task<bool> RevokeAsync(Guid userId, CancellationToken ct = default)
    {
        var active = await db.FeedTokens.Where(t => t.UserId == userId && t.RevokedUtc == null).ToListAsync(ct);
        foreach (var feed in active) feed.RevokedUtc = Now;
        await db.SaveChangesAsync(ct);
        return active.Count > 0;
    }

    /// <summary>
    /// The feed a secret opens, checked at every request: null (answered 404, nothing to learn) for an unknown or revoked
    /// secret, one a newer feed of the same member replaced, a member locked out, no longer in the workspace or no longer
    /// seeing the calendar, or a workspace where the calendar is off. When it opens, its workspace becomes the current one.
    /// </summary>
    public async Task<FeedAccess?> OpenAsync(string token, CancellationToken ct = default)
    {
        if (!SecretTokens.HasPlausibleLength(token)) return null;
        var hash = SecretTokens.Sha256(token);
        // Across workspaces on purpose: the address names none, the secret is the only key.
        var all = db.FeedTokens.IgnoreQueryFilters().AsNoTracking();
        var feed = await all.FirstOrDefaultAsync(t => t.Sha256 == hash, ct);
        if (feed is null || feed.RevokedUtc is not null) return null;
        // Two feeds created at the same moment: the newer one alone is the member's feed.
        if (await all.AnyAsync(t => t.WorkspaceId == feed.WorkspaceId && t.UserId == feed.UserId && t.RevokedUtc == null && t.CreatedUtc > feed.CreatedUtc, ct))
            return null;

        var core = services.GetRequiredService<CoreDbContext>();
        var user = await core.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == feed.UserId, ct);
        if (user is null || user.LockoutEndUtc > Now) return null;
        var key = await core.Workspaces.AsNoTracking().Where(w => w.Id == feed.WorkspaceId).Select(w => w.Key).FirstOrDefaultAsync(ct);
        var entry = key is null ? null : await services.GetRequiredService<WorkspaceDirectory>().FindAsync(key, services, ct);
        if (entry is null || !entry.EnabledModules.Contains("ContentCalendar")) return null;
        if (!await permissions.HasAsync(PrincipalOf(user), entry.Workspace, CalendarPermissions.View.Name, ct)) return null;
        workspace.Set(entry.Workspace, entry.EnabledModules);
        return new FeedAccess(feed, entry, user);
    }

    /// <summary>The member as the permission rules know them (host administrators see every workspace's calendar, as in the admin).</summary>
    private static ClaimsPrincipal PrincipalOf(PortalUser user)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id.ToString())], "calendar-feed");
        if (user.IsHostAdmin) identity.AddClaim(new Claim(PermissionService.HostAdminClaim, "true"));
        return new ClaimsPrincipal(identity);
    }

    private DateTime Now => clock.GetCurrentInstant().ToDateTimeUtc();
}
