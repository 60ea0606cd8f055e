namespace CmPortal.Modules.Publishing.Contracts;

/// <summary>
/// How another module reads a network as a connected channel's account (the inbox listens to its mentions): where to
/// call and the bearer token to send. The credentials stay Publishing's: nothing else reads a channel's secret.
/// </summary>
public interface IChannelSessions
{
    /// <summary>
    /// The session of one of the current workspace's channels: Mastodon, its instance and access token; Bluesky, its
    /// PDS and the access token of its session — with <paramref name="renew"/> (the network said the token expired),
    /// renewed first and kept. Null when there is no such channel, its kind has no session, or the renewal failed
    /// (the channel must be connected again, or the network cannot be reached now).
    /// </summary>
    Task<ChannelSession?> OpenAsync(Guid channelId, bool renew, CancellationToken ct);
}

/// <param name="Kind">"mastodon" or "bluesky".</param>
/// <param name="BaseUrl">The Mastodon instance or the Bluesky PDS.</param>
/// <param name="AccessToken">The bearer token to send; never logged.</param>
public sealed record ChannelSession(Guid ChannelId, string Kind, Uri BaseUrl, string AccessToken)
{
    public override string ToString() => $"{Kind} session of channel {ChannelId} at {BaseUrl}";
}
