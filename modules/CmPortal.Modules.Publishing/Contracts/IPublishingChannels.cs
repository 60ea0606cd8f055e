namespace CmPortal.Modules.Publishing.Contracts;

/// <summary>
/// What another module may know of the current workspace's channels: the blog asks whether it is already connected,
/// to offer connecting it from its own page (connecting stays the channels page's form and its service's rules).
/// </summary>
public interface IPublishingChannels
{
    /// <summary>The name of the workspace's first channel of <paramref name="kind"/>, or null when there is none.</summary>
    Task<string?> NameOfKindAsync(string kind, CancellationToken ct);

    /// <summary>
    /// The workspace's channels of <paramref name="kind"/> ("mastodon", "bluesky"), by name, whatever their state: the
    /// inbox lets a member pick the one it listens through (its session comes from <see cref="IChannelSessions"/>).
    /// </summary>
    Task<IReadOnlyList<ChannelSummary>> ChannelsOfKindAsync(string kind, CancellationToken ct);
}

/// <summary>A channel as another module may know it: no settings, no secret.</summary>
/// <param name="IsActive">False when the channel is paused or must be connected again.</param>
public sealed record ChannelSummary(Guid Id, string Kind, string Name, string? AccountName, bool IsActive);
