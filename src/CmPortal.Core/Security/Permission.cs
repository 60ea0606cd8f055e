namespace CmPortal.Core.Security;

/// <summary>
/// Something a role may do. Declared by a module with the default roles that get it
/// when the module is enabled for a workspace. Names read "Module.Verb", e.g. "KeyDates.Manage".
/// </summary>
public sealed record Permission(string Name, string Description, params string[] DefaultRoles);

/// <summary>The roles every workspace starts with.</summary>
public static class DefaultRoles
{
    public const string Administrator = "Administrator";
    public const string BrandManager = "Brand manager";
    public const string CommunityManager = "Community manager";
    public const string Contributor = "Contributor";
    public const string Analyst = "Analyst";

    public static readonly IReadOnlyList<string> All = [Administrator, BrandManager, CommunityManager, Contributor, Analyst];

    /// <summary>The default roles first, in their usual order, then the workspace's own roles by name.</summary>
    public static IEnumerable<WorkspaceRole> InDisplayOrder(IEnumerable<WorkspaceRole> roles) =>
        roles.OrderBy(r => All.Contains(r.Name) ? All.ToList().IndexOf(r.Name) : All.Count).ThenBy(r => r.Name, StringComparer.Ordinal);

    /// <summary>Editors of a workspace's content: every default role but Analyst.</summary>
    public static readonly string[] Editors = [BrandManager, CommunityManager, Contributor];
    public static readonly string[] Managers = [BrandManager];
    public static readonly string[] Everyone = [BrandManager, CommunityManager, Contributor, Analyst];
}

/// <summary>Permissions of the engine itself (workspace administration).</summary>
public static class CorePermissions
{
    public static readonly Permission ViewAdmin = new("Workspace.ViewAdmin", "Open the workspace's admin dashboard", DefaultRoles.Everyone);
    public static readonly Permission ManageSettings = new("Workspace.ManageSettings", "Edit the workspace's name, culture, time zone, host names and theme", DefaultRoles.Managers);
    public static readonly Permission ManageModules = new("Workspace.ManageModules", "Enable and disable modules", DefaultRoles.Managers);
    public static readonly Permission ManageMembers = new("Workspace.ManageMembers", "Invite members and assign their roles", DefaultRoles.Managers);
    public static readonly Permission ManageRoles = new("Workspace.ManageRoles", "Edit what each role may do");
    public static readonly Permission ExportWorkspace = new("Workspace.Export", "Export the workspace as a recipe", DefaultRoles.Managers);

    public static readonly IReadOnlyList<Permission> All = [ViewAdmin, ManageSettings, ManageModules, ManageMembers, ManageRoles, ExportWorkspace];

    /// <summary>Host-level: only host administrators (create workspaces, manage all users, apply recipes).</summary>
    public const string HostAdmin = "Host.Admin";

    /// <summary>Held by every signed-in user: the workspace chooser at /admin.</summary>
    public const string SignedIn = "Portal.SignedIn";
}
