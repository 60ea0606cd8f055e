using CmPortal.Core.Caching;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Modules;

/// <summary>Which modules are on for a workspace; turning them on and off with their dependencies.</summary>
public sealed class ModuleFeatures(CoreDbContext db, ModuleCatalog catalog, WorkspaceDirectory directory, IPublicPageCache pages)
{
    public async Task<IReadOnlySet<string>> EnabledAsync(Guid workspaceId, CancellationToken ct = default) =>
        (await db.WorkspaceModules.Where(m => m.WorkspaceId == workspaceId).Select(m => m.ModuleId).ToListAsync(ct))
        .Where(catalog.Contains).ToHashSet();

    public async Task<bool> IsEnabledAsync(Guid workspaceId, string moduleId, CancellationToken ct = default) =>
        await db.WorkspaceModules.AnyAsync(m => m.WorkspaceId == workspaceId && m.ModuleId == moduleId, ct);

    /// <summary>
    /// Turns the module on with everything it depends on; newly enabled modules grant their
    /// default permissions to the workspace's roles. Returns the ids newly turned on.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnableAsync(Guid workspaceId, string moduleId, CancellationToken ct = default)
    {
        if (!catalog.Contains(moduleId)) throw new ModuleFeatureException(new Problem(null, "There is no module \"{0}\".", moduleId));
        var enabled = await EnabledAsync(workspaceId, ct);
        var added = catalog.WithDependencies(moduleId).Where(id => !enabled.Contains(id)).ToList();
        if (added.Count == 0) return added;
        var roles = await db.Roles.Include(r => r.Permissions).Where(r => r.WorkspaceId == workspaceId).ToListAsync(ct);
        foreach (var id in added)
        {
            db.WorkspaceModules.Add(new WorkspaceModule { WorkspaceId = workspaceId, ModuleId = id });
            foreach (var permission in catalog.Find(id)!.Permissions)
            foreach (var role in roles.Where(r => permission.DefaultRoles.Contains(r.Name) && r.Permissions.All(p => p.Permission != permission.Name)))
                role.Permissions.Add(new RolePermission { Permission = permission.Name });
        }
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        await pages.EvictAsync(workspaceId, ct);
        return added;
    }

    /// <summary>Turns the module off; refuses while an enabled module depends on it.</summary>
    public async Task DisableAsync(Guid workspaceId, string moduleId, CancellationToken ct = default)
    {
        var enabled = await EnabledAsync(workspaceId, ct);
        if (!enabled.Contains(moduleId)) return;
        var dependents = catalog.Dependents(moduleId, enabled);
        if (dependents.Count > 0)
            throw new ModuleFeatureException(dependents.Count == 1
                ? new Problem(null, "{0} cannot be turned off: {1} depends on it. Turn {1} off first.", Name(moduleId), Name(dependents[0]))
                : new Problem(null, "{0} cannot be turned off: {1} depend on it. Turn those off first.", Name(moduleId), ProblemValue.List(dependents.Select(Name))));
        db.WorkspaceModules.Remove(await db.WorkspaceModules.FirstAsync(m => m.WorkspaceId == workspaceId && m.ModuleId == moduleId, ct));
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        await pages.EvictAsync(workspaceId, ct);
    }

    /// <summary>A module's name, shown translated.</summary>
    private DeclaredValue Name(string moduleId) => ProblemValue.Declared(catalog.Find(moduleId)?.Name ?? moduleId);

    /// <summary>Every permission that can be granted in the workspace: the engine's and those of its enabled modules.</summary>
    public async Task<IReadOnlyList<(string Group, Permission Permission)>> GrantableAsync(Guid workspaceId, CancellationToken ct = default)
    {
        var enabled = await EnabledAsync(workspaceId, ct);
        return CorePermissions.All.Select(p => ("Workspace", p))
            .Concat(catalog.Modules.Where(m => enabled.Contains(m.Id)).SelectMany(m => m.Permissions.Select(p => (m.Name, p))))
            .ToList();
    }
}

/// <summary>A refusal to turn a module on or off; pages show its <see cref="Problem"/> translated.</summary>
public sealed class ModuleFeatureException(Problem problem) : Exception(problem.ToString())
{
    public Problem Problem { get; } = problem;
}
