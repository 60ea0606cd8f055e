using System.Security.Claims;
using CmPortal.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CmPortal.Core.Security;

/// <summary>ASP.NET Core Identity's view of <see cref="PortalUser"/>: the email is the user name.</summary>
internal sealed class PortalUserStore(CoreDbContext db) :
    IUserPasswordStore<PortalUser>, IUserEmailStore<PortalUser>, IUserLockoutStore<PortalUser>, IUserSecurityStampStore<PortalUser>
{
    public Task<string> GetUserIdAsync(PortalUser user, CancellationToken ct) => Task.FromResult(user.Id.ToString());
    public Task<string?> GetUserNameAsync(PortalUser user, CancellationToken ct) => Task.FromResult<string?>(user.Email);
    public Task SetUserNameAsync(PortalUser user, string? userName, CancellationToken ct) { user.Email = userName ?? ""; return Task.CompletedTask; }
    public Task<string?> GetNormalizedUserNameAsync(PortalUser user, CancellationToken ct) => Task.FromResult<string?>(user.NormalizedEmail);
    public Task SetNormalizedUserNameAsync(PortalUser user, string? normalizedName, CancellationToken ct) { user.NormalizedEmail = normalizedName ?? ""; return Task.CompletedTask; }

    public async Task<IdentityResult> CreateAsync(PortalUser user, CancellationToken ct)
    {
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(PortalUser user, CancellationToken ct)
    {
        if (db.Entry(user).State == EntityState.Detached) db.Users.Update(user);
        // A new security stamp (password changed or reset, account locked) ends every session of the user at once.
        var stamp = db.Entry(user).Property(u => u.SecurityStamp);
        if (stamp.IsModified && stamp.OriginalValue != stamp.CurrentValue)
            await db.Sessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> DeleteAsync(PortalUser user, CancellationToken ct)
    {
        db.Users.Remove(user);
        await db.SaveChangesAsync(ct);
        return IdentityResult.Success;
    }

    public async Task<PortalUser?> FindByIdAsync(string userId, CancellationToken ct) =>
        Guid.TryParse(userId, out var id) ? await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) : null;

    public Task<PortalUser?> FindByNameAsync(string normalizedUserName, CancellationToken ct) =>
        db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalizedUserName, ct);

    public Task SetPasswordHashAsync(PortalUser user, string? passwordHash, CancellationToken ct) { user.PasswordHash = passwordHash; return Task.CompletedTask; }
    public Task<string?> GetPasswordHashAsync(PortalUser user, CancellationToken ct) => Task.FromResult(user.PasswordHash);
    public Task<bool> HasPasswordAsync(PortalUser user, CancellationToken ct) => Task.FromResult(user.PasswordHash is not null);

    public Task SetEmailAsync(PortalUser user, string? email, CancellationToken ct) { user.Email = email ?? ""; return Task.CompletedTask; }
    public Task<string?> GetEmailAsync(PortalUser user, CancellationToken ct) => Task.FromResult<string?>(user.Email);
    // Accounts are created by an administrator who knows the address: no confirmation round-trip.
    public Task<bool> GetEmailConfirmedAsync(PortalUser user, CancellationToken ct) => Task.FromResult(true);
    public Task SetEmailConfirmedAsync(PortalUser user, bool confirmed, CancellationToken ct) => Task.CompletedTask;
    public Task<PortalUser?> FindByEmailAsync(string normalizedEmail, CancellationToken ct) => FindByNameAsync(normalizedEmail, ct);
    public Task<string?> GetNormalizedEmailAsync(PortalUser user, CancellationToken ct) => Task.FromResult<string?>(user.NormalizedEmail);
    public Task SetNormalizedEmailAsync(PortalUser user, string? normalizedEmail, CancellationToken ct) { user.NormalizedEmail = normalizedEmail ?? ""; return Task.CompletedTask; }

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(PortalUser user, CancellationToken ct) =>
        Task.FromResult(user.LockoutEndUtc is { } end ? new DateTimeOffset(end, TimeSpan.Zero) : (DateTimeOffset?)null);
    public Task SetLockoutEndDateAsync(PortalUser user, DateTimeOffset? lockoutEnd, CancellationToken ct) { user.LockoutEndUtc = lockoutEnd?.UtcDateTime; return Task.CompletedTask; }
    public Task<int> IncrementAccessFailedCountAsync(PortalUser user, CancellationToken ct) => Task.FromResult(++user.AccessFailedCount);
    public Task ResetAccessFailedCountAsync(PortalUser user, CancellationToken ct) { user.AccessFailedCount = 0; return Task.CompletedTask; }
    public Task<int> GetAccessFailedCountAsync(PortalUser user, CancellationToken ct) => Task.FromResult(user.AccessFailedCount);
    public Task<bool> GetLockoutEnabledAsync(PortalUser user, CancellationToken ct) => Task.FromResult(true);
    public Task SetLockoutEnabledAsync(PortalUser user, bool enabled, CancellationToken ct) => Task.CompletedTask;

    public Task SetSecurityStampAsync(PortalUser user, string stamp, CancellationToken ct) { user.SecurityStamp = stamp; return Task.CompletedTask; }
    public Task<string?> GetSecurityStampAsync(PortalUser user, CancellationToken ct) => Task.FromResult<string?>(user.SecurityStamp);

    public void Dispose() { }
}

/// <summary>Adds the display name and the host-administrator flag to the sign-in cookie.</summary>
internal sealed class PortalClaimsFactory(UserManager<PortalUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser>(users, options)
{
    /// <summary>The user signed in with a password an administrator chose: the admin sends them to change it first.</summary>
    public const string MustChangePasswordClaim = "cmportal:must-change-password";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.GivenName, user.DisplayName));
        if (user.IsHostAdmin) identity.AddClaim(new Claim(PermissionService.HostAdminClaim, "true"));
        if (user.MustChangePassword) identity.AddClaim(new Claim(MustChangePasswordClaim, "true"));
        return identity;
    }
}
