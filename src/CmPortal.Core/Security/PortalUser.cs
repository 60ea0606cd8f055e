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
    /// <summary>Set when an administrator chose the password (a temporary one): the user must change it before anything else.</summary>
    public bool MustChangePassword { get; set; }
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

/// <summary>
/// A single-use, expiring link that lets someone without an account join a workspace with a role, choosing
/// their own password. Only the SHA-256 of the link's token is stored: the link is shown once, to the inviter.
/// </summary>
public sealed class Invitation : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Email { get; set; }
    public string? DisplayName { get; set; }
    public Guid RoleId { get; set; }
    public WorkspaceRole? Role { get; set; }
    public required string TokenHash { get; set; }
    public Guid InvitedBy { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? AcceptedUtc { get; set; }
}
