using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Http;
using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Admin;

public sealed record WorkspaceLink(string Key, string Name);

/// <summary>What the admin theme's layout shows around a page: who, where, and where they may go.</summary>
public sealed record AdminNavigationModel(
    string UserName, bool IsHostAdmin, Workspace? Workspace, IReadOnlyList<WorkspaceLink> Workspaces,
    IReadOnlyList<IGrouping<string, AdminMenuItem>> Menu, int UnreadNotifications = 0);

public sealed class AdminNavigation(WorkspaceContext workspace, AdminMenu menu, CoreDbContext db)
{
    public async Task<AdminNavigationModel> BuildAsync(HttpContext context)
    {
        var user = context.User;
        var hostAdmin = PermissionService.IsHostAdmin(user);
        var userId = PermissionService.UserId(user);
        var workspaces = hostAdmin
            ? await db.Workspaces.AsNoTracking().OrderBy(w => w.Name).Select(w => new WorkspaceLink(w.Key, w.Name)).ToListAsync()
            : await db.Memberships.AsNoTracking().Where(m => m.UserId == userId)
                .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => w).OrderBy(w => w.Name)
                .Select(w => new WorkspaceLink(w.Key, w.Name)).ToListAsync();
        var items = workspace.Current is { } current && userId is not null ? await menu.ForAsync(user, current) : [];
        return new AdminNavigationModel(
            user.FindFirst(System.Security.Claims.ClaimTypes.GivenName)?.Value ?? user.Identity?.Name ?? "",
            hostAdmin, workspace.Current, workspaces,
            items.GroupBy(i => i.Section).ToList(),
            userId is { } me ? await db.Notifications.CountAsync(n => n.UserId == me && n.ReadUtc == null) : 0);
    }
}
