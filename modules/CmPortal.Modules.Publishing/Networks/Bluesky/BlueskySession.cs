using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmPortal.Modules.Publishing.Networks.Bluesky;

/// <summary>
/// A Bluesky channel's secret, stored encrypted by the channel service: the session of <c>createSession</c> (access
/// and refresh JWTs), whose account it is (DID, handle) and where it lives (the PDS URL), and the app password, kept
/// only to log in again when the refresh token itself is refused. Saved again every time the session changes.
/// </summary>
internal sealed record BlueskySession(
    [property: JsonPropertyName("pdsUrl")] string PdsUrl,
    [property: JsonPropertyName("did")] string Did,
    [property: JsonPropertyName("handle")] string Handle,
    [property: JsonPropertyName("accessJwt")] string AccessJwt,
    [property: JsonPropertyName("refreshJwt")] string RefreshJwt,
    [property: JsonPropertyName("appPassword")] string AppPassword)
{
    public string ToSecret() => JsonSerializer.Serialize(this);

    /// <summary>The session in a channel's secret; null when there is none or it is not a Bluesky session.</summary>
    public static BlueskySession? FromSecret(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret)) return null;
        try
        {
            var session = JsonSerializer.Deserialize<BlueskySession>(secret);
            return session is { PdsUrl.Length: > 0, Did.Length: > 0, AccessJwt.Length: > 0, RefreshJwt.Length: > 0 } ? session : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Never the tokens or the password, even in a debugger or a log line.</summary>
    public override string ToString() => $"Bluesky session of {Handle} ({Did}) at {PdsUrl}";
}

/// <summary>
/// The newest session of each Bluesky channel in this process, and one lock per channel around renewing it, so that
/// deliveries sent at the same time on one channel refresh the session once (a refresh rotates the refresh token)
/// and never log in again because another delivery had just refreshed.
/// </summary>
internal sealed class BlueskySessions
{
    private readonly ConcurrentDictionary<Guid, BlueskySession> _latest = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();

    /// <summary>
    /// The newest session known for the channel: this process's, else the stored one (a channel connected again with
    /// another account or app password starts from what was stored).
    /// </summary>
    public BlueskySession Current(Guid channelId, BlueskySession stored) =>
        _latest.TryGetValue(channelId, out var latest) && latest.Did == stored.Did && latest.AppPassword == stored.AppPassword
            ? latest : stored;

    public void Remember(Guid channelId, BlueskySession session) => _latest[channelId] = session;

    public async Task<IDisposable> LockAsync(Guid channelId, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(channelId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release();
        }
    }
}
