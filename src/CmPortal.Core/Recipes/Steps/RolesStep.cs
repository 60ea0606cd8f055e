using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Recipes.Steps;

/// <summary>
/// <c>{ "step": "roles", "roles": [ { "name": "Community manager", "permissions": ["..."] } ] }</c>:
/// sets exactly the permissions of each listed role, creating the role if needed.
/// </summary>
internal sealed class RolesStep : RecipeStep<RolesStep.Model>
{
    public sealed record Model(List<RoleModel> Roles);
    public sealed record RoleModel(string Name, List<string> Permissions);

    public override string Name => "roles";

    public override string Label => "Roles";

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        // A new workspace gets the default roles first; an existing one has what is stored.
        var stored = context.Existing is { } existing
            ? await context.Services.GetRequiredService<CoreDbContext>().Roles.AsNoTracking().Include(r => r.Permissions)
                .Where(r => r.WorkspaceId == existing.Id).ToDictionaryAsync(r => r.Name, r => r.Permissions.Select(p => p.Permission).ToHashSet(StringComparer.Ordinal), ct)
            : null;
        var created = model.Roles.Where(r => stored is not null ? !stored.ContainsKey(r.Name) : !DefaultRoles.All.Contains(r.Name)).Select(r => r.Name).ToList();
        var changed = model.Roles.Where(r => stored is null ? DefaultRoles.All.Contains(r.Name)
                : stored.TryGetValue(r.Name, out var held) && !held.SetEquals(r.Permissions)).Select(r => r.Name).ToList();
        if (created.Count > 0) changes.Add(new RecipeChange("Roles created: {0}.", string.Join(", ", created)));
        if (changed.Count > 0) changes.Add(new RecipeChange("Permissions set exactly for: {0}.", string.Join(", ", changed)));
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var catalog = context.Services.GetRequiredService<ModuleCatalog>();
        var known = CorePermissions.All.Select(p => (Permission: p.Name, Module: (string?)null))
            .Concat(catalog.Modules.SelectMany(m => m.Permissions.Select(p => (Permission: p.Name, Module: (string?)m.Id))))
            .ToDictionary(p => p.Permission, p => p.Module);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Roles.Count; i++)
        {
            var role = model.Roles[i];
            if (WorkspaceRules.CheckRoleName(role.Name) is { } nameProblem)
                context.Error(nameProblem with { Field = $"roles[{i}].name" });
            if (role.Name == DefaultRoles.Administrator)
                context.Error($"roles[{i}].name", "The Administrator role always has every permission; leave it out of the step.");
            if (!seen.Add(role.Name))
                context.Error($"roles[{i}].name", "The role \"{0}\" is listed twice. List each role once.", role.Name);
            for (var j = 0; j < role.Permissions.Count; j++)
            {
                var permission = role.Permissions[j];
                if (!known.TryGetValue(permission, out var module))
                    context.Error($"roles[{i}].permissions[{j}]", "There is no permission \"{0}\". Check the spelling in docs/recipes.md.", permission);
                else if (module is not null && !context.EnabledModules.Contains(module))
                    context.Error($"roles[{i}].permissions[{j}]", "\"{0}\" belongs to module \"{1}\", which is off. Enable it in a \"modules\" step before.", permission, module);
            }
        }
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var db = context.Services.GetRequiredService<CoreDbContext>();
        var workspaceId = context.Workspace.Required.Id;
        var roles = await db.Roles.Include(r => r.Permissions).Where(r => r.WorkspaceId == workspaceId).ToListAsync(ct);
        foreach (var wanted in model.Roles)
        {
            var role = roles.FirstOrDefault(r => r.Name == wanted.Name);
            if (role is null) db.Roles.Add(role = new WorkspaceRole { WorkspaceId = workspaceId, Name = wanted.Name });
            var permissions = wanted.Permissions.ToHashSet(StringComparer.Ordinal);
            role.Permissions.RemoveAll(p => !permissions.Contains(p.Permission));
            var held = role.Permissions.Select(p => p.Permission).ToHashSet(StringComparer.Ordinal);
            foreach (var permission in wanted.Permissions.Where(held.Add))
                role.Permissions.Add(new RolePermission { Permission = permission });
        }
        await db.SaveChangesAsync(ct);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var workspaceId = context.Workspace.Required.Id;
        // Grants of modules that are off stay stored for when they come back, but an export lists only
        // what the recipe can grant: the engine's permissions and those of the modules it turns on.
        var grantable = (await context.Services.GetRequiredService<ModuleFeatures>().GrantableAsync(workspaceId, ct))
            .Select(g => g.Permission.Name).ToHashSet();
        var roles = await context.Services.GetRequiredService<CoreDbContext>().Roles.AsNoTracking().Include(r => r.Permissions)
            .Where(r => r.WorkspaceId == workspaceId && r.Name != DefaultRoles.Administrator).ToListAsync(ct);
        return new Model(DefaultRoles.InDisplayOrder(roles)
            .Select(r => new RoleModel(r.Name, r.Permissions.Select(p => p.Permission).Where(grantable.Contains).Order(StringComparer.Ordinal).ToList())).ToList());
    }
}
