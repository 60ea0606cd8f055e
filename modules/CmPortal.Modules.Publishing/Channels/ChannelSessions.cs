using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Networks.Bluesky;
using CmPortal.Modules.Publishing.Networks.Mastodon;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Channels;

/// <summary>
/// A connected channel's session for another module's reads (<see cref="IChannelSessions"/>): the channel is found in
/// the current workspace through the channel service; a renewed Bluesky session is saved at once, as a delivery does,
/// and shared with the deliveries through <see cref="BlueskySessions"/> (a refresh rotates the refresh token).
/// </summary>
internal sealed class ChannelSessions(ChannelService channels, PublishingDbContext db, BlueskySessions sessions, IHttpClientFactory http)
    : IChannelSessions
{
    public async Task<ChannelSession?> OpenAsync(Guid channelId, bool renew, CancellationToken ct)
    {
        if (await channels.FindAsync(channelId, ct) is not { } channel) return null;
        var account = channels.AccountOf(channel, async (secret, token) =>
            await db.Channels.Where(c => c.Id == channel.Id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.ProtectedSecret, channels.ProtectSecret(secret)).SetProperty(c => c.Version, c => c.Version + 1), token));
        return await SessionOfAsync(account, renew, ct);
    }

    /// <summary>The session of a channel as its network sees it (what <see cref="OpenAsync"/> does once the channel is read).</summary>
    internal async Task<ChannelSession?> SessionOfAsync(ChannelAccount account, bool renew, CancellationToken ct)
    {
        switch (account.Kind)
        {
            case MastodonNetwork.NetworkKind:
                return account.Settings.GetValueOrDefault(MastodonNetwork.Settings.InstanceUrl) is { } instance
                    && Uri.TryCreate(instance, UriKind.Absolute, out var url) && !string.IsNullOrEmpty(account.Secret)
                    ? new ChannelSession(account.ChannelId, account.Kind, url, account.Secret) : null;
            case BlueskyNetwork.NetworkKind:
                if (BlueskySession.FromSecret(account.Secret) is not { } stored) return null;
                var client = new BlueskyClient(http.CreateClient(BlueskyClient.HttpClientName), sessions, account, stored);
                if (renew)
                {
                    // Refused (the channel must be connected again), rate limited or unreachable: no session for now.
                    try { await client.RenewSessionAsync(client.Session, ct); }
                    catch (Exception e) when (e is BlueskyLoginRefusedException or XrpcException or HttpRequestException) { return null; }
                }
                return new ChannelSession(account.ChannelId, account.Kind, new Uri(client.Session.PdsUrl), client.Session.AccessJwt);
            default:
                return null;
        }
    }
}
