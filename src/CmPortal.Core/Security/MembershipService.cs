using System.Security.Cryptography;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Security;

/// <summary>A request to give someone a role in a workspace; invites them when the address has no account yet.</summary>
public sealed record MemberRequest(string Email, Guid RoleId, string? DisplayName = null);

/// <summary>What became of a <see cref="MemberRequest"/>: problems, or done — with the invitation link's token when one was made.</summary>
public sealed record MemberOutcome(IReadOnlyList<Problem> Problems, string? InvitationToken = null, DateTime? InvitationExpiresUtc = null)
{
    public static MemberOutcome Refused(params Problem[] problems) => new(problems);
}

/// <summary>An invitation as its link shows it to the invited person.</summary>
public sealed record InvitationView(Guid Id, Guid WorkspaceId, Guid RoleId, string WorkspaceKey, string WorkspaceName, string Email, string? DisplayName, string RoleName, DateTime ExpiresUtc);

/// <summary>
/// Who belongs to a workspace, with which role. The one place the rule "a member never grants more than
/// they hold" is enforced: an actor assigns only roles they may grant (<see cref="WorkspaceAccess.MayGrant"/>),
/// and changes or removes only members whose current role they could have granted.
/// </summary>
public sealed class MembershipService(CoreDbContext db, PortalConnection connection, UserManager<PortalUser> users, TimeProvider time)
{
    /// <summary>How long an invitation link works.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    public Task<List<Membership>> ListAsync(Guid workspaceId, CancellationToken ct = default) =>
        db.Memberships.AsNoTracking().Include(m => m.User).Include(m => m.Role).ThenInclude(r => r!.Permissions)
            .Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.User!.DisplayName).ToListAsync(ct);

    /// <summary>Every account of the portal, by name (the host's user list).</summary>
    public Task<List<PortalUser>> AllUsersAsync(CancellationToken ct = default) =>
        db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ToListAsync(ct);

    /// <summary>The host administrators, by name: they see every workspace without being members.</summary>
    public Task<List<PortalUser>> HostAdministratorsAsync(CancellationToken ct = default) =>
        db.Users.AsNoTracking().Where(u => u.IsHostAdmin).OrderBy(u => u.DisplayName).ToListAsync(ct);

    /// <summary>The name a user goes by (an invitation says who invites), null when there is no such user.</summary>
    public Task<string?> DisplayNameAsync(Guid userId, CancellationToken ct = default) =>
        db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);

    /// <summary>The name of one of the workspace's roles, null when it has no such role.</summary>
    public Task<string?> RoleNameAsync(Guid workspaceId, Guid roleId, CancellationToken ct = default) =>
        db.Roles.AsNoTracking().Where(r => r.Id == roleId && r.WorkspaceId == workspaceId).Select(r => r.Name).FirstOrDefaultAsync(ct);

    /// <summary>The workspace's roles the actor may hand out, in display order.</summary>
    public async Task<List<WorkspaceRole>> GrantableRolesAsync(WorkspaceAccess actor, Guid workspaceId, CancellationToken ct = default)
    {
        var roles = await db.Roles.AsNoTracking().Include(r => r.Permissions).Where(r => r.WorkspaceId == workspaceId).ToListAsync(ct);
        return DefaultRoles.InDisplayOrder(roles.Where(actor.MayGrant)).ToList();
    }

    /// <summary>
    /// Gives an existing account the role, or invites the address (a single-use link, valid <see cref="InvitationLifetime"/>).
    /// Nothing is stored when there are problems.
    /// </summary>
    public async Task<MemberOutcome> AssignAsync(WorkspaceAccess actor, Guid actorId, Guid workspaceId, MemberRequest request, CancellationToken ct = default)
    {
        var role = await db.Roles.AsNoTracking().Include(r => r.Permissions).FirstOrDefaultAsync(r => r.Id == request.RoleId && r.WorkspaceId == workspaceId, ct);
        if (role is null) return MemberOutcome.Refused(new Problem("roleId", "Choose a role of this workspace."));
        if (!actor.MayGrant(role))
            return MemberOutcome.Refused(new Problem("roleId", "You cannot give the role \"{0}\": it allows things your own role does not. Ask an administrator.", ProblemValue.Role(role.Name)));

        var email = request.Email.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is null) return await InviteAsync(actorId, workspaceId, email, request.DisplayName, role, ct);

        var membership = await db.Memberships.Include(m => m.Role).ThenInclude(r => r!.Permissions)
            .FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == user.Id, ct);
        if (membership is not null && !actor.MayGrant(membership.Role!))
            return MemberOutcome.Refused(new Problem("email", "{0} has the role \"{1}\", which allows things your own role does not. Only someone who holds all of it can change it.", email, ProblemValue.Role(membership.Role!.Name)));
        if (membership is null) db.Memberships.Add(new Membership { WorkspaceId = workspaceId, UserId = user.Id, RoleId = role.Id });
        else membership.RoleId = role.Id;
        await db.SaveChangesAsync(ct);
        return new MemberOutcome([]);
    }

    private async Task<MemberOutcome> InviteAsync(Guid actorId, Guid workspaceId, string email, string? displayName, WorkspaceRole role, CancellationToken ct)
    {
        displayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if (displayName is not null && Validation.DisplayNames.Check(displayName, 100) is { } problem) return MemberOutcome.Refused(problem with { Field = "displayName" });
        var now = time.GetUtcNow().UtcDateTime;
        // A new link replaces the address's earlier pending one in this workspace.
        await db.Invitations.Where(i => i.WorkspaceId == workspaceId && i.Email == email && i.AcceptedUtc == null).ExecuteDeleteAsync(ct);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        db.Invitations.Add(new Invitation
        {
            WorkspaceId = workspaceId, Email = email, DisplayName = displayName, RoleId = role.Id, TokenHash = Hash(token),
            InvitedBy = actorId, CreatedUtc = now, ExpiresUtc = now + InvitationLifetime,
        });
        await db.SaveChangesAsync(ct);
        return new MemberOutcome([], token, now + InvitationLifetime);
    }

    public Task<List<Invitation>> PendingInvitationsAsync(Guid workspaceId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Invitations.AsNoTracking().Include(i => i.Role)
            .Where(i => i.WorkspaceId == workspaceId && i.AcceptedUtc == null && i.ExpiresUtc > now).OrderBy(i => i.Email).ToListAsync(ct);
    }

    /// <summary>Withdraws a pending invitation: its link stops working. False when there is no such invitation.</summary>
    public async Task<bool> RevokeInvitationAsync(Guid workspaceId, Guid invitationId, CancellationToken ct = default) =>
        await db.Invitations.Where(i => i.Id == invitationId && i.WorkspaceId == workspaceId && i.AcceptedUtc == null).ExecuteDeleteAsync(ct) > 0;

    /// <summary>The invitation a link names, while it can still be used; null otherwise (unknown, used, expired or withdrawn).</summary>
    public async Task<InvitationView?> InvitationAsync(string token, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hash = Hash(token);
        return await db.Invitations.AsNoTracking()
            .Where(i => i.TokenHash == hash && i.AcceptedUtc == null && i.ExpiresUtc > now)
            .Join(db.Workspaces, i => i.WorkspaceId, w => w.Id, (i, w) => new InvitationView(i.Id, i.WorkspaceId, i.RoleId, w.Key, w.Name, i.Email, i.DisplayName, i.Role!.Name, i.ExpiresUtc))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Creates the invited person's account with the password they chose and their membership, and uses the link up.
    /// Returns the new user, or the problems (nothing stored).
    /// </summary>
    public async Task<(PortalUser? User, IReadOnlyList<Problem> Problems)> AcceptAsync(string token, string? displayName, string password, CancellationToken ct = default)
    {
        var view = await InvitationAsync(token, ct);
        if (view is null) return (null, [new Problem(null, "This invitation link no longer works: it was used, it expired or it was withdrawn. Ask for a new one.")]);
        if (DisplayNames.Check(displayName?.Trim(), 100) is { } nameProblem) return (null, [nameProblem with { Field = "displayName" }]);
        if (await users.FindByEmailAsync(view.Email) is not null)
            return (null, [new Problem(null, "An account already uses {0}. Sign in with it, and ask to be given the role again.", view.Email)]);

        // The account, the membership and the used-up link are stored together or not at all.
        await connection.BeginTransactionAsync(ct);
        try
        {
            var user = new PortalUser { Email = view.Email, NormalizedEmail = users.NormalizeEmail(view.Email), DisplayName = displayName!.Trim() };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                await connection.RollbackAsync();
                return (null, created.Errors.Select(e => new Problem("password", "{0}", e.Description)).ToList());
            }
            var used = await db.Invitations.Where(i => i.Id == view.Id && i.AcceptedUtc == null)
                .ExecuteUpdateAsync(i => i.SetProperty(x => x.AcceptedUtc, time.GetUtcNow().UtcDateTime), ct);
            if (used == 0) // the same link accepted meanwhile in another tab
            {
                await connection.RollbackAsync();
                return (null, [new Problem(null, "This invitation link no longer works: it was used, it expired or it was withdrawn. Ask for a new one.")]);
            }
            db.Memberships.Add(new Membership { WorkspaceId = view.WorkspaceId, UserId = user.Id, RoleId = view.RoleId });
            await db.SaveChangesAsync(ct);
            await connection.CommitAsync(ct);
            return (user, []);
        }
        catch
        {
            if (connection.Transaction is not null) await connection.RollbackAsync();
            throw;
        }
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    /// <summary>Removes a member; null when there is no such member in the workspace.</summary>
    public async Task<IReadOnlyList<Problem>?> RemoveAsync(WorkspaceAccess actor, Guid workspaceId, Guid membershipId, CancellationToken ct = default)
    {
        var membership = await db.Memberships.Include(m => m.Role).ThenInclude(r => r!.Permissions).Include(m => m.User)
            .FirstOrDefaultAsync(m => m.Id == membershipId && m.WorkspaceId == workspaceId, ct);
        if (membership is null) return null;
        if (!actor.MayGrant(membership.Role!))
            return [new Problem(null, "{0} has the role \"{1}\", which allows things your own role does not. Only someone who holds all of it can remove them.", membership.User!.Email, ProblemValue.Role(membership.Role!.Name))];
        db.Memberships.Remove(membership);
        // Who leaves no longer sees what the workspace told them (review requests of its posts...).
        db.Notifications.RemoveRange(await db.Notifications.Where(n => n.WorkspaceId == workspaceId && n.UserId == membership.UserId).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
        return [];
    }
}
