using System.Security.Claims;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Security;

/// <summary>Answers "may this user do that in this workspace?". Memoised for the scope (one request).</summary>
public sealed class PermissionService(CoreDbContext db)
{
    public const string HostAdminClaim = "cmportal:host-admin";
    private readonly Dictionary<(Guid User, Guid Workspace), WorkspaceAccess> _cache = [];

    public static Guid? UserId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static bool IsHostAdmin(ClaimsPrincipal user) => user.HasClaim(HostAdminClaim, "true");

    public async Task<bool> HasAsync(ClaimsPrincipal user, Workspace? workspace, string permission, CancellationToken ct = default)
    {
        if (UserId(user) is not { } userId || OutsideToken(user, workspace)) return false;
        if (IsHostAdmin(user) || permission == CorePermissions.SignedIn) return true;
        if (permission == CorePermissions.HostAdmin || workspace is null) return false;
        var access = await AccessAsync(userId, workspace.Id, ct);
        return access.IsAdministrator || access.Permissions.Contains(permission);
    }

    /// <summary>Whether the user belongs to the workspace at all (host administrators belong everywhere).</summary>
    public async Task<bool> IsMemberAsync(ClaimsPrincipal user, Workspace workspace, CancellationToken ct = default) =>
        UserId(user) is { } userId && !OutsideToken(user, workspace) && (IsHostAdmin(user) || (await AccessAsync(userId, workspace.Id, ct)).IsMember);

    /// <summary>What the user holds in the workspace: host administrators hold everything, as the Administrator role does.</summary>
    public async Task<WorkspaceAccess> AccessAsync(ClaimsPrincipal user, Workspace workspace, CancellationToken ct = default)
    {
        if (UserId(user) is not { } userId || OutsideToken(user, workspace)) return WorkspaceAccess.None;
        if (IsHostAdmin(user)) return new WorkspaceAccess(true, true, new HashSet<string>());
        return await AccessAsync(userId, workspace.Id, ct);
    }

    /// <summary>
    /// A personal access token acts in its one workspace only: there its user's permissions hold, anywhere else
    /// nothing (not even membership), so another workspace answers 404 as it does to a stranger.
    /// </summary>
    private static bool OutsideToken(ClaimsPrincipal user, Workspace? workspace) =>
        user.FindFirst(Api.AccessTokenClaims.Workspace) is { } claim && (workspace is null || claim.Value != workspace.Id.ToString());

    private async Task<WorkspaceAccess> AccessAsync(Guid userId, Guid workspaceId, CancellationToken ct)
    {
        if (_cache.TryGetValue((userId, workspaceId), out var cached)) return cached;
        var role = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId && m.WorkspaceId == workspaceId)
            .Select(m => new { m.Role!.Name, Permissions = m.Role.Permissions.Select(p => p.Permission).ToList() })
            .FirstOrDefaultAsync(ct);
        var access = role is null
            ? WorkspaceAccess.None
            : new WorkspaceAccess(true, role.Name == DefaultRoles.Administrator, role.Permissions.ToHashSet());
        return _cache[(userId, workspaceId)] = access;
    }

}

/// <summary>A user's standing in one workspace. An administrator holds every permission, listed or not.</summary>
public sealed record WorkspaceAccess(bool IsMember, bool IsAdministrator, IReadOnlySet<string> Permissions)
{
    public static readonly WorkspaceAccess None = new(false, false, new HashSet<string>());

    public bool Holds(string permission) => IsAdministrator || Permissions.Contains(permission);

    /// <summary>
    /// A member grants only what they hold: a role whose every permission they have, and the
    /// Administrator role only if they are administrators themselves.
    /// </summary>
    public bool MayGrant(WorkspaceRole role) =>
        IsAdministrator || (role.Name != DefaultRoles.Administrator && role.Permissions.All(p => Permissions.Contains(p.Permission)));
}
