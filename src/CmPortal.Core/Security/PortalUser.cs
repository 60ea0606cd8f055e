using CmPortal.Core.Workspaces;

namespace CmPortal.Core.Security;

/// <summary>A person who signs in. Belongs to workspaces through memberships.</summary>
public sealed class PortalUser
{
    public Guid Id { get; set; }
    public required string Email { get; set; }
    public required string NormalizedEmail { get; set; }
    public required string DisplayName { get; set; }
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");
    public bool IsHostAdmin { get; set; }
    /// <summary>The admin language the user chose; null means the portal default (French).</summary>
    public string? PreferredCulture { get; set; }
    public int AccessFailedCount { get; set; }
    public DateTime? LockoutEndUtc { get; set; }
    public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
}

/// <summary>A role of one workspace, with the permissions it grants.</summary>
public sealed class WorkspaceRole : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public List<RolePermission> Permissions { get; set; } = [];
}

public sealed class RolePermission
{
    public Guid RoleId { get; set; }
    public required string Permission { get; set; }
}

/// <summary>A user's place in a workspace: one role.</summary>
public sealed class Membership : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid UserId { get; set; }
    public Guid RoleId { get; set; }
    public WorkspaceRole? Role { get; set; }
    public PortalUser? User { get; set; }
}
