using CmPortal.Core.Modules;
using CmPortal.Core.Networks;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Channels;

/// <summary>
/// The workspace's limits per network, from its connected channels (a Mastodon instance's <c>max_characters</c>,
/// <c>characters_reserved_per_url</c>, <c>max_media_attachments</c>, image size and types, as last read): for a post
/// that names channels, the tightest of those of the network; otherwise the tightest of the network's active
/// channels; the catalogue's when no channel says more, or where publishing is off. The calendar and the draft
/// checker read it through <see cref="INetworkLimits"/>, without knowing this module.
/// </summary>
internal sealed class ChannelNetworkLimits(PublishingDbContext db, ModuleFeatures features, WorkspaceContext workspace) : INetworkLimits
{
    /// <summary>The workspace's channels that carry limits, read once per request (the editor asks for every network).</summary>
    private List<(Channel Channel, string? Network, NetworkLimits Limits)>? _channels;

    public async Task<NetworkRules> ForAsync(string networkId, IReadOnlyCollection<Guid>? channelIds = null, CancellationToken ct = default)
    {
        var catalogue = SocialNetworks.Find(networkId)
            ?? throw new ArgumentException($"Unknown network \"{networkId}\". Known networks: {SocialNetworks.Ids}.", nameof(networkId));
        if (workspace.Current is not { } current) return NetworkRules.Of(catalogue);
        if (_channels is null)
        {
            if (!await features.IsEnabledAsync(current.Id, PublishingModule.ModuleId, ct)) _channels = [];
            else
                _channels = (await db.Channels.AsNoTracking().Where(c => c.LimitsJson != null).ToListAsync(ct))
                    .Select(c => (Channel: c, Network: OutboxPlanner.NetworkOf(c), Limits: ChannelService.LimitsOf(c)))
                    .Where(c => c.Limits is not null).Select(c => (c.Channel, c.Network, c.Limits!)).ToList();
        }
        var ofNetwork = _channels.Where(c => c.Network == networkId).ToList();
        var named = channelIds is { Count: > 0 } ? ofNetwork.Where(c => channelIds.Contains(c.Channel.Id)).ToList() : [];
        var chosen = named.Count > 0 ? named : ofNetwork.Where(c => c.Channel.State == ChannelState.Active).ToList();
        return Tightest(catalogue, chosen.Select(c => (c.Channel.Name, c.Limits)).ToList());
    }

    /// <summary>
    /// What every one of the channels accepts: the smallest length, image count and image size, the largest count
    /// per link, the image types they all take; the catalogue's where none says. Named after the channels.
    /// </summary>
    internal static NetworkRules Tightest(SocialNetwork catalogue, IReadOnlyList<(string Name, NetworkLimits Limits)> channels)
    {
        if (channels.Count == 0) return NetworkRules.Of(catalogue);
        var limits = channels.Select(c => c.Limits).ToList();
        var network = catalogue with
        {
            MaxLength = limits.Min(l => l.MaxCharacters),
            UrlLength = limits.Max(l => l.CharactersReservedPerUrl ?? catalogue.UrlLength),
        };
        var typed = limits.Where(l => l.SupportedMimeTypes is { Count: > 0 }).Select(l => l.SupportedMimeTypes!).ToList();
        IReadOnlyList<string>? types = typed.Count == 0 ? null
            : typed.Skip(1).Aggregate((IEnumerable<string>)typed[0], (all, next) => all.Intersect(next, StringComparer.OrdinalIgnoreCase)).ToList();
        return new NetworkRules(network,
            limits.Min(l => l.MaxMediaAttachments),
            limits.Min(l => l.ImageSizeLimit),
            types is { Count: 0 } ? typed[0] : types, // channels with no type in common: the first one's, rather than "any"
            string.Join(", ", channels.Select(c => c.Name)));
    }
}
