using System.Security.Claims;
using System.Security.Cryptography;
using CmPortal.Core.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Security;

/// <summary>
/// A signed-in browser. The sign-in cookie carries only this row's key, so a session ends for good
/// when its row goes: at sign-out, and for all of a user's sessions when their security stamp changes
/// (password changed or reset, account locked by an administrator).
/// </summary>
public sealed class UserSession
{
    public required string Id { get; set; }
    public Guid UserId { get; set; }
    public required byte[] Ticket { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
}

/// <summary>The cookie handler's session store, in the portal's database (shared by every node).</summary>
internal sealed class UserSessionStore(IServiceScopeFactory scopes, TimeProvider time, Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Identity.IdentityOptions> identity) : ITicketStore
{
    private string SecurityStampClaim => identity.Value.ClaimsIdentity.SecurityStampClaimType;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoreDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var userId = PermissionService.UserId(ticket.Principal) ?? throw new InvalidOperationException("A session needs a signed-in user.");
        // Sessions that ran out are kept no longer than the next sign-in of their user.
        await db.Sessions.Where(s => s.UserId == userId && s.ExpiresUtc < now).ExecuteDeleteAsync();
        db.Sessions.Add(new UserSession { Id = key, UserId = userId, Ticket = TicketSerializer.Default.Serialize(ticket), CreatedUtc = now, ExpiresUtc = Expiry(ticket, now) });
        await db.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoreDbContext>();
        var bytes = TicketSerializer.Default.Serialize(ticket);
        var now = time.GetUtcNow().UtcDateTime;
        var expires = Expiry(ticket, now);
        if (await db.Sessions.Where(s => s.Id == key).ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, bytes).SetProperty(x => x.ExpiresUtc, expires)) > 0)
            return;
        // The cookie handler renews the request's session key when it signs in again (after a password change,
        // whose new security stamp ended that session). Bring the row back only for a ticket of the current stamp:
        // a ticket of an ended stamp never comes back to life.
        var userId = PermissionService.UserId(ticket.Principal);
        var stamp = ticket.Principal.FindFirstValue(SecurityStampClaim);
        if (userId is null || stamp is null || !await db.Users.AnyAsync(u => u.Id == userId && u.SecurityStamp == stamp)) return;
        db.Sessions.Add(new UserSession { Id = key, UserId = userId.Value, Ticket = bytes, CreatedUtc = now, ExpiresUtc = expires });
        await db.SaveChangesAsync();
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoreDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var bytes = await db.Sessions.AsNoTracking().Where(s => s.Id == key && s.ExpiresUtc > now).Select(s => s.Ticket).FirstOrDefaultAsync();
        return bytes is null ? null : TicketSerializer.Default.Deserialize(bytes);
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CoreDbContext>().Sessions.Where(s => s.Id == key).ExecuteDeleteAsync();
    }

    private static DateTime Expiry(AuthenticationTicket ticket, DateTime now) =>
        ticket.Properties.ExpiresUtc?.UtcDateTime ?? now.AddHours(8);
}

/// <summary>Wires <see cref="UserSessionStore"/> into the sign-in cookie.</summary>
internal static class UserSessionRegistration
{
    public static IServiceCollection AddUserSessions(this IServiceCollection services, string scheme)
    {
        services.AddSingleton<UserSessionStore>();
        services.AddOptions<CookieAuthenticationOptions>(scheme)
            .Configure<UserSessionStore>((options, store) => options.SessionStore = store);
        return services;
    }

    /// <summary>The claim the cookie handler adds to name the session of a request.</summary>
    public const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    public static string? SessionId(ClaimsPrincipal user) => user.FindFirst(SessionIdClaim)?.Value;
}
