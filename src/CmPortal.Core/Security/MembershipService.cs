using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Security;

/// <summary>A request to give someone a role in a workspace; creates the account when the address has none.</summary>
public sealed record MemberRequest(string Email, Guid RoleId, string? DisplayName = null, string? TemporaryPassword = null);

/// <summary>
/// Who belongs to a workspace, with which role. The one place the rule "a member never grants more than
/// they hold" is enforced: an actor assigns only roles they may grant (<see cref="WorkspaceAccess.MayGrant"/>),
/// and changes or removes only members whose current role they could have granted.
/// </summary>
public sealed class MembershipService(CoreDbContext db, UserManager<PortalUser> users)
{
    public Task<List<Membership>> ListAsync(Guid workspaceId, CancellationToken ct = default) =>
        db.Memberships.AsNoTracking().Include(m => m.User).Include(m => m.Role).ThenInclude(r => r!.Permissions)
            .Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.User!.DisplayName).ToListAsync(ct);

    /// <summary>The workspace's roles the actor may hand out, in display order.</summary>
    public async Task<List<WorkspaceRole>> GrantableRolesAsync(WorkspaceAccess actor, Guid workspaceId, CancellationToken ct = default)
    {
        var roles = await db.Roles.AsNoTracking().Include(r => r.Permissions).Where(r => r.WorkspaceId == workspaceId).ToListAsync(ct);
        return DefaultRoles.InDisplayOrder(roles.Where(actor.MayGrant)).ToList();
    }

    /// <summary>Adds the member or changes their role. Returns the problems; nothing is stored when there are any.</summary>
    public async Task<IReadOnlyList<Problem>> AssignAsync(WorkspaceAccess actor, Guid workspaceId, MemberRequest request, CancellationToken ct = default)
    {
        var role = await db.Roles.AsNoTracking().Include(r => r.Permissions).FirstOrDefaultAsync(r => r.Id == request.RoleId && r.WorkspaceId == workspaceId, ct);
        if (role is null) return [new Problem("roleId", "Choose a role of this workspace.")];
        if (!actor.MayGrant(role))
            return [new Problem("roleId", "You cannot give the role \"{0}\": it allows things your own role does not. Ask an administrator.", role.Name)];

        var email = request.Email.Trim();
        var user = await users.FindByEmailAsync(email);
        var membership = user is null ? null : await db.Memberships.Include(m => m.Role).ThenInclude(r => r!.Permissions)
            .FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == user.Id, ct);
        if (membership is not null && !actor.MayGrant(membership.Role!))
            return [new Problem("email", "{0} has the role \"{1}\", which allows things your own role does not. Only someone who holds all of it can change it.", email, membership.Role!.Name)];

        if (user is null)
        {
            if (string.IsNullOrWhiteSpace(request.DisplayName) || string.IsNullOrEmpty(request.TemporaryPassword))
                return [new Problem("email", "No account uses this address yet. Give a display name and a temporary password to create it.")];
            user = new PortalUser { Email = email, NormalizedEmail = users.NormalizeEmail(email), DisplayName = request.DisplayName.Trim() };
            var created = await users.CreateAsync(user, request.TemporaryPassword);
            if (!created.Succeeded) return created.Errors.Select(e => new Problem("password", "{0}", e.Description)).ToList(); // Identity's text may quote the address
        }
        if (membership is null) db.Memberships.Add(new Membership { WorkspaceId = workspaceId, UserId = user.Id, RoleId = role.Id });
        else membership.RoleId = role.Id;
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>Removes a member; null when there is no such member in the workspace.</summary>
    public async Task<IReadOnlyList<Problem>?> RemoveAsync(WorkspaceAccess actor, Guid workspaceId, Guid membershipId, CancellationToken ct = default)
    {
        var membership = await db.Memberships.Include(m => m.Role).ThenInclude(r => r!.Permissions).Include(m => m.User)
            .FirstOrDefaultAsync(m => m.Id == membershipId && m.WorkspaceId == workspaceId, ct);
        if (membership is null) return null;
        if (!actor.MayGrant(membership.Role!))
            return [new Problem(null, "{0} has the role \"{1}\", which allows things your own role does not. Only someone who holds all of it can remove them.", membership.User!.Email, membership.Role!.Name)];
        db.Memberships.Remove(membership);
        await db.SaveChangesAsync(ct);
        return [];
    }
}
