using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Security;

/// <summary>
/// A workspace's roles and what each may do. An actor ticks or unticks only permissions they hold
/// themselves, so editing roles never hands out more than the editor has.
/// </summary>
public sealed class WorkspaceRoleService(CoreDbContext db, ModuleFeatures features)
{
    public const int MaxNameLength = 64;

    public async Task<List<WorkspaceRole>> ListAsync(Guid workspaceId, CancellationToken ct = default) =>
        DefaultRoles.InDisplayOrder(await db.Roles.AsNoTracking().Include(r => r.Permissions).Where(r => r.WorkspaceId == workspaceId).ToListAsync(ct)).ToList();

    /// <summary>
    /// Saves the grid: <paramref name="wanted"/> holds every ticked (role, permission). Permissions of modules that
    /// are off, and permissions the actor does not hold, are left as they are.
    /// </summary>
    public async Task SaveGrantsAsync(WorkspaceAccess actor, Guid workspaceId, IReadOnlySet<(Guid Role, string Permission)> wanted, CancellationToken ct = default)
    {
        var editable = (await features.GrantableAsync(workspaceId, ct)).Select(g => g.Permission.Name).Where(actor.Holds).ToHashSet();
        var roles = await db.Roles.Include(r => r.Permissions).Where(r => r.WorkspaceId == workspaceId && r.Name != DefaultRoles.Administrator).ToListAsync(ct);
        foreach (var role in roles)
        {
            role.Permissions.RemoveAll(p => editable.Contains(p.Permission) && !wanted.Contains((role.Id, p.Permission)));
            foreach (var (_, permission) in wanted.Where(w => w.Role == role.Id && editable.Contains(w.Permission) && role.Permissions.All(p => p.Permission != w.Permission)))
                role.Permissions.Add(new RolePermission { Permission = permission });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A new role starts with no permission.</summary>
    public async Task<IReadOnlyList<Problem>> CreateAsync(Guid workspaceId, string? name, CancellationToken ct = default)
    {
        name = name?.Trim();
        if (DisplayNames.Check(name, MaxNameLength) is { } problem) return [problem with { Field = "name" }];
        if (await db.Roles.AnyAsync(r => r.WorkspaceId == workspaceId && r.Name == name, ct))
            return [new Problem("name", "The role \"{0}\" already exists.", name)];
        db.Roles.Add(new WorkspaceRole { WorkspaceId = workspaceId, Name = name! });
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>Only a role the workspace added, and that nobody holds, can be deleted. Null: no such role.</summary>
    public async Task<(WorkspaceRole Role, IReadOnlyList<Problem> Problems)?> DeleteAsync(Guid workspaceId, Guid roleId, CancellationToken ct = default)
    {
        var role = await db.Roles.FirstOrDefaultAsync(r => r.Id == roleId && r.WorkspaceId == workspaceId, ct);
        if (role is null) return null;
        if (DefaultRoles.All.Contains(role.Name)) return (role, [new Problem(null, "The default roles cannot be deleted.")]);
        if (await db.Memberships.AnyAsync(m => m.RoleId == roleId, ct))
            return (role, [new Problem(null, "Members hold the role \"{0}\". Give them another role first.", ProblemValue.Role(role.Name))]);
        db.Roles.Remove(role);
        await db.SaveChangesAsync(ct);
        return (role, []);
    }
}
