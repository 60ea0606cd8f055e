using System.Security.Claims;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;

namespace CmPortal.Core.Admin;

/// <summary>An entry of a workspace's admin menu; <see cref="Path"/> is relative to <c>/admin/{workspace}/</c>.</summary>
public sealed record AdminMenuItem(string Section, string Text, string Path, string Permission, int Order, string? ModuleId);

/// <summary>Collects the admin menu entries a module contributes.</summary>
public sealed class AdminMenuBuilder(string? moduleId)
{
    internal List<AdminMenuItem> Items { get; } = [];

    public AdminMenuBuilder Add(string section, string text, string path, Permission permission, int order = 100)
    {
        Items.Add(new AdminMenuItem(section, text, path, permission.Name, order, moduleId));
        return this;
    }
}

/// <summary>The menu a user sees in a workspace: entries of enabled modules that the user may open.</summary>
public sealed class AdminMenu(ModuleCatalog catalog, ModuleFeatures features, PermissionService permissions)
{
    private static readonly IReadOnlyList<AdminMenuItem> EngineItems = BuildEngineItems();

    private static IReadOnlyList<AdminMenuItem> BuildEngineItems()
    {
        var builder = new AdminMenuBuilder(null);
        builder.Add("Workspace", "Dashboard", "", CorePermissions.ViewAdmin, 0)
            .Add("Administration", "Settings", "settings", CorePermissions.ManageSettings, 900)
            .Add("Administration", "Modules", "modules", CorePermissions.ManageModules, 910)
            .Add("Administration", "Members", "members", CorePermissions.ManageMembers, 920)
            .Add("Administration", "Roles", "roles", CorePermissions.ManageRoles, 930)
            .Add("Administration", "Export", "export", CorePermissions.ExportWorkspace, 940);
        return builder.Items;
    }

    public async Task<IReadOnlyList<AdminMenuItem>> ForAsync(ClaimsPrincipal user, Workspace workspace, CancellationToken ct = default)
    {
        var enabled = await features.EnabledAsync(workspace.Id, ct);
        var candidates = EngineItems.Concat(catalog.Modules.Where(m => enabled.Contains(m.Id)).SelectMany(m =>
        {
            var builder = new AdminMenuBuilder(m.Id);
            m.BuildAdminMenu(builder);
            return builder.Items;
        }));
        var visible = new List<AdminMenuItem>();
        foreach (var item in candidates)
            if (await permissions.HasAsync(user, workspace, item.Permission, ct)) visible.Add(item);
        return visible.OrderBy(i => i.Order).ThenBy(i => i.Text).ToList();
    }
}
