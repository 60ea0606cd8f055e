namespace CmPortal.Core.Workspaces;

/// <summary>A brand workspace: the tenant of the portal. Every module row belongs to one.</summary>
public sealed class Workspace
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Key { get; set; }
    public required string Name { get; set; }
    public string Culture { get; set; } = "fr-FR";
    public string TimeZone { get; set; } = "Europe/Paris";
    public required string SiteTheme { get; set; }
    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
    public List<WorkspaceHost> Hosts { get; set; } = [];
    public List<WorkspaceModule> Modules { get; set; } = [];
}

/// <summary>A host name bound to a workspace: its public pages answer there at the root.</summary>
public sealed class WorkspaceHost
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; set; }
    public required string HostName { get; set; }
}

public sealed class WorkspaceModule
{
    public Guid WorkspaceId { get; set; }
    public required string ModuleId { get; set; }
}

/// <summary>A row that belongs to one workspace. Module DbContexts scope every query by it.</summary>
public interface IWorkspaceOwned
{
    Guid WorkspaceId { get; set; }
}
