using System.Security.Claims;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;

namespace CmPortal.Core.Admin;

/// <summary>
/// An entry of a workspace's admin menu; <see cref="Path"/> is relative to <c>/admin/{workspace}/</c>;
/// <see cref="Icon"/> names a Bootstrap icon (<c>calendar-event</c> for <c>bi-calendar-event</c>).
/// </summary>
public sealed record AdminMenuItem(string Section, string Text, string Path, string Permission, int Order, string? ModuleId, string Icon = "dot");

/// <summary>Collects the admin menu entries a module contributes.</summary>
public sealed class AdminMenuBuilder(string? moduleId)
{
    internal List<AdminMenuItem> Items { get; } = [];

    public AdminMenuBuilder Add(string section, string text, string path, Permission permission, int order = 100, string icon = "dot")
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(icon, "^[a-z0-9-]{1,40}$"))
            throw new ArgumentException($"\"{icon}\" is not a Bootstrap icon name (lowercase letters, digits and hyphens, e.g. \"calendar-event\").", nameof(icon));
        Items.Add(new AdminMenuItem(section, text, path, permission.Name, order, moduleId, icon));
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
        builder.Add("Workspace", "Dashboard", "", CorePermissions.ViewAdmin, 0, "speedometer2")
            .Add("Administration", "Settings", "settings", CorePermissions.ManageSettings, 900, "gear")
            .Add("Administration", "Modules", "modules", CorePermissions.ManageModules, 910, "puzzle")
            .Add("Administration", "Members", "members", CorePermissions.ManageMembers, 920, "people")
            .Add("Administration", "Roles", "roles", CorePermissions.ManageRoles, 930, "shield-lock")
            .Add("Administration", "Export", "export", CorePermissions.ExportWorkspace, 940, "box-arrow-up");
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
