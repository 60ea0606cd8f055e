using System.Globalization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Import;

/// <summary>A hook just made, with its secret in clear: shown once, never again.</summary>
internal sealed record NewIngestHook(IngestHook Hook, string Secret);

/// <summary>How a signed message stands before its mentions are read.</summary>
internal enum HookCheck { Accepted, UnknownHook, BadSignature, Stale, Replayed }

/// <summary>
/// Ingest hooks: made (secret shown once, kept encrypted like Publishing's channel secrets), listed, revoked, and the
/// Standard Webhooks checks of what is sent to them — signature, timestamp within <see cref="Tolerance"/>, message id
/// not seen yet (docs/inbox-import.md).
/// </summary>
internal sealed class IngestHookService(InboxDbContext db, IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>The Data Protection purpose of hook secrets: a secret protected for anything else does not open.</summary>
    public const string SecretPurpose = "CmPortal.Inbox.IngestHookSecret";
    /// <summary>How far a message's timestamp may be from the portal's clock, either way (Standard Webhooks' usual 5 minutes).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    public const int MaxBody = 1024 * 1024;
    public const int MaxHooks = 20;

    private IDataProtector Protector => protection.CreateProtector(SecretPurpose);

    public Task<List<IngestHook>> ListAsync(CancellationToken ct = default) =>
        db.IngestHooks.AsNoTracking().OrderBy(h => h.CreatedUtc).ToListAsync(ct);

    public async Task<(NewIngestHook? Hook, IReadOnlyList<Problem> Problems)> CreateAsync(string? name, Guid? createdBy, CancellationToken ct = default)
    {
        name = MentionRules.CleanOrNull(name, 200);
        if (name is null || name.Length > 100)
            return (null, [new Problem("name", "Name the hook (1 to {0} characters), e.g. “Zapier — Facebook comments”.", 100)]);
        if (await db.IngestHooks.CountAsync(ct) >= MaxHooks)
            return (null, [new Problem("name", "A workspace has at most {0} ingest hooks: revoke one you no longer use first.", MaxHooks)]);
        var secret = WebhookSignature.NewSecret();
        var hook = new IngestHook
        {
            Id = Guid.NewGuid(), Name = name, ProtectedSecret = Protector.Protect(secret), CreatedUtc = clock.GetUtcNow().UtcDateTime, CreatedBy = createdBy,
        };
        db.IngestHooks.Add(hook);
        await db.SaveChangesAsync(ct);
        return (new NewIngestHook(hook, secret), []);
    }

    /// <summary>Deletes the hook: what its bridge sends next is refused (404), the mentions it brought stay.</summary>
    public async Task<bool> RevokeAsync(Guid id, CancellationToken ct = default)
    {
        await db.IngestHookDeliveries.Where(d => d.HookId == id).ExecuteDeleteAsync(ct);
        return await db.IngestHooks.Where(h => h.Id == id).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>
    /// The checks of a message before its body is read, in the order a forger meets them: the hook, the timestamp, the
    /// signature, then the id (a replay of an accepted message answers its first counts: <paramref name="earlier"/>).
    /// </summary>
    public async Task<(HookCheck Check, IngestHookDelivery? Earlier)> CheckAsync(Guid hookId, string? messageId, string? timestamp, string? signature,
        string body, CancellationToken ct = default)
    {
        var hook = await db.IngestHooks.AsNoTracking().FirstOrDefaultAsync(h => h.Id == hookId, ct);
        if (hook is null) return (HookCheck.UnknownHook, null);
        if (string.IsNullOrWhiteSpace(messageId) || messageId.Length > 200 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return (HookCheck.BadSignature, null);
        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
        if ((clock.GetUtcNow() - sent).Duration() > Tolerance) return (HookCheck.Stale, null);
        string secret;
        try { secret = Protector.Unprotect(hook.ProtectedSecret); }
        catch (System.Security.Cryptography.CryptographicException) { return (HookCheck.BadSignature, null); } // keys lost: make a new hook
        if (WebhookSignature.KeyOf(secret) is not { } key || !WebhookSignature.Verify(key, messageId, seconds, body, signature))
            return (HookCheck.BadSignature, null);
        var earlier = await db.IngestHookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.HookId == hookId && d.MessageId == messageId, ct);
        return earlier is null ? (HookCheck.Accepted, null) : (HookCheck.Replayed, earlier);
    }

    /// <summary>
    /// Runs the ingest of an accepted message and records its id in ONE transaction: a retry after a failure finds
    /// neither, one after success finds both. <paramref name="counts"/> tells the counts of a success, null otherwise.
    /// </summary>
    public async Task<T> AcceptAsync<T>(Guid hookId, string messageId, Func<Task<T>> ingest, Func<T, (int Stored, int Duplicates)?> counts,
        CancellationToken ct = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await ingest();
        if (counts(result) is not { } done) return result; // problems: rolled back with the transaction
        await RecordAsync(hookId, messageId, done.Stored, done.Duplicates, ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Records an accepted message (in the caller's transaction, with its mentions) and the hook's last use; forgets the
    /// ids older than twice the tolerance — a message that old is refused by its timestamp anyway.
    /// </summary>
    private async Task RecordAsync(Guid hookId, string messageId, int stored, int duplicates, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var forgotten = now - 2 * Tolerance;
        await db.IngestHookDeliveries.Where(d => d.ReceivedUtc < forgotten).ExecuteDeleteAsync(ct);
        await db.IngestHooks.Where(h => h.Id == hookId).ExecuteUpdateAsync(s => s.SetProperty(h => h.LastUsedUtc, now), ct);
        db.IngestHookDeliveries.Add(new IngestHookDelivery { HookId = hookId, MessageId = messageId, ReceivedUtc = now, Stored = stored, Duplicates = duplicates });
        await db.SaveChangesAsync(ct);
    }
}
