namespace CmPortal.Modules.Publishing.Contracts;

/// <summary>
/// What another module may know of the current workspace's channels: the blog asks whether it is already connected,
/// to offer connecting it from its own page (connecting stays the channels page's form and its service's rules).
/// </summary>
public interface IPublishingChannels
{
    /// <summary>The name of the workspace's first channel of <paramref name="kind"/>, or null when there is none.</summary>
    Task<string?> NameOfKindAsync(string kind, CancellationToken ct);
}
