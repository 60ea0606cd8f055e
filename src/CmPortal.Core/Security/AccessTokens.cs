using System.Security.Cryptography;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Security;

/// <summary>
/// A personal access token: lets a member's scripts (spreadsheets, n8n) call the API of one workspace with the member's
/// permissions. The secret is shown once, when it is made; only its SHA-256 is stored, with its first characters to
/// tell tokens apart in the list.
/// </summary>
public sealed class AccessToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required string SecretHash { get; set; }
    /// <summary>The secret's first <see cref="AccessTokenService.PrefixLength"/> characters, for display only.</summary>
    public required string Prefix { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? LastUsedUtc { get; set; }
    public DateTime? ExpiresUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }
}

/// <summary>What a member asks for: a name, a workspace they belong to, and an optional last day of validity.</summary>
public sealed record AccessTokenRequest(string? Name, string? WorkspaceKey, DateOnly? ExpiresOn = null);

/// <summary>A token made: the secret (to show once) or the problems (nothing stored).</summary>
public sealed record AccessTokenOutcome(IReadOnlyList<Problem> Problems, string? Secret = null, AccessToken? Token = null);

/// <summary>A token as its owner's list shows it.</summary>
public sealed record AccessTokenView(Guid Id, string Name, string Prefix, string WorkspaceKey, string WorkspaceName, string TimeZone,
    DateTime CreatedUtc, DateTime? LastUsedUtc, DateTime? ExpiresUtc, DateTime? RevokedUtc);

/// <summary>Who a valid token speaks for, and for which workspace.</summary>
public sealed record AccessTokenIdentity(Guid TokenId, PortalUser User, Guid WorkspaceId);

/// <summary>
/// Personal access tokens: made, listed and revoked by their owner (account page, command line), and checked on every
/// API request. The one place their rules live.
/// </summary>
public sealed class AccessTokenService(CoreDbContext db, TimeProvider time)
{
    /// <summary>Every secret starts with this, so that a leaked one is recognised (secret scanners, logs).</summary>
    public const string SecretPrefix = "cmp_";
    public const int PrefixLength = 8;
    public const int NameLength = 100;
    /// <summary>How stale <see cref="AccessToken.LastUsedUtc"/> may be: one write a minute at most per token, not one a request.</summary>
    public static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    /// <summary>Makes a token for a member of the workspace. Nothing is stored when there are problems.</summary>
    public async Task<AccessTokenOutcome> CreateAsync(Guid userId, AccessTokenRequest request, CancellationToken ct = default)
    {
        var problems = new List<Problem>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) problems.Add(new Problem("name", "Give the token a name that says where it is used, such as \"n8n\"."));
        else if (name.Length > NameLength) problems.Add(new Problem("name", "The name is longer than {0} characters. Shorten it.", NameLength));
        else if (TextRules.IndexOfUnsafe(name, singleLine: true) is var i and >= 0)
            problems.Add(new Problem("name", "The name contains {0} at position {1}. Write it on one line with visible characters only: remove line breaks, tabs, control characters and direction marks.", ProblemValue.Character(name[i]), i + 1));

        var workspace = string.IsNullOrWhiteSpace(request.WorkspaceKey) ? null
            : await db.Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Key == request.WorkspaceKey, ct);
        // A workspace the user does not belong to is answered as one that does not exist. Host administrators belong
        // everywhere (as PermissionService says).
        if (workspace is null || !(await IsHostAdminAsync(userId, ct) || await db.Memberships.AnyAsync(m => m.WorkspaceId == workspace.Id && m.UserId == userId, ct)))
            problems.Add(new Problem("workspace", "Choose a workspace you are a member of."));

        var now = time.GetUtcNow().UtcDateTime;
        DateTime? expires = null;
        if (request.ExpiresOn is { } day)
        {
            // Valid through the whole of the day chosen, in UTC.
            expires = day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            if (expires <= now) problems.Add(new Problem("expiresOn", "The expiry date {0} is past. Choose a later day, or none.", day));
        }
        if (problems.Count > 0) return new AccessTokenOutcome(problems);

        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new AccessToken
        {
            UserId = userId, WorkspaceId = workspace!.Id, Name = name!, SecretHash = Hash(secret), Prefix = secret[..PrefixLength],
            CreatedUtc = now, ExpiresUtc = expires,
        };
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new AccessTokenOutcome([], secret, token);
    }

    /// <summary>The user's own tokens, newest first; revoked ones stay listed (with their date) so their owner knows.</summary>
    public Task<List<AccessTokenView>> ListAsync(Guid userId, CancellationToken ct = default) =>
        db.AccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedUtc)
            .Join(db.Workspaces, t => t.WorkspaceId, w => w.Id, (t, w) => new AccessTokenView(t.Id, t.Name, t.Prefix, w.Key, w.Name, w.TimeZone,
                t.CreatedUtc, t.LastUsedUtc, t.ExpiresUtc, t.RevokedUtc))
            .ToListAsync(ct);

    /// <summary>Revokes one of the user's own tokens: it stops working at once. False when the user has no such live token.</summary>
    public async Task<bool> RevokeAsync(Guid userId, Guid tokenId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.AccessTokens.Where(t => t.Id == tokenId && t.UserId == userId && t.RevokedUtc == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedUtc, now), ct) > 0;
    }

    /// <summary>
    /// The user and workspace a secret speaks for; null when it is unknown, revoked, expired, or its user is locked out.
    /// Notes the use (at most once per <see cref="LastUseResolution"/>).
    /// </summary>
    public async Task<AccessTokenIdentity?> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 100) return null;
        var now = time.GetUtcNow().UtcDateTime;
        var hash = Hash(secret);
        var found = await db.AccessTokens.AsNoTracking()
            .Where(t => t.SecretHash == hash && t.RevokedUtc == null && (t.ExpiresUtc == null || t.ExpiresUtc > now))
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.Id, t.WorkspaceId, t.LastUsedUtc, User = u })
            .FirstOrDefaultAsync(ct);
        if (found is null || found.User.LockoutEndUtc > now) return null;
        if (found.LastUsedUtc is null || found.LastUsedUtc <= now - LastUseResolution)
        {
            var staleBefore = now - LastUseResolution;
            await db.AccessTokens.Where(t => t.Id == found.Id && (t.LastUsedUtc == null || t.LastUsedUtc <= staleBefore))
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedUtc, now), ct);
        }
        return new AccessTokenIdentity(found.Id, found.User, found.WorkspaceId);
    }

    /// <summary>The workspaces the user may make a token for: those they are a member of (all for a host administrator), by name.</summary>
    public async Task<List<Workspace>> WorkspacesOfAsync(Guid userId, CancellationToken ct = default) =>
        await IsHostAdminAsync(userId, ct)
            ? await db.Workspaces.AsNoTracking().OrderBy(w => w.Name).ToListAsync(ct)
            : await db.Memberships.AsNoTracking().Where(m => m.UserId == userId)
                .Join(db.Workspaces, m => m.WorkspaceId, w => w.Id, (m, w) => w).OrderBy(w => w.Name).ToListAsync(ct);

    private Task<bool> IsHostAdminAsync(Guid userId, CancellationToken ct) => db.Users.AnyAsync(u => u.Id == userId && u.IsHostAdmin, ct);

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));
}
