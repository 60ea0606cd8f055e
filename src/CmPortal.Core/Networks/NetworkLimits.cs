using CmPortal.Core.Validation;

namespace CmPortal.Core.Networks;

/// <summary>
/// What a network accepts from one workspace: the length and link count of <see cref="Network"/> (the catalogue's, or
/// those a connected account reads from its server, such as a Mastodon instance's <c>max_characters</c> and
/// <c>characters_reserved_per_url</c>), and the images it takes. Null image limits mean "not known": nothing is checked.
/// </summary>
/// <param name="Network">The catalogue's network with <see cref="SocialNetwork.MaxLength"/> and <see cref="SocialNetwork.UrlLength"/> as they apply.</param>
/// <param name="MaxImages">Images per post at most.</param>
/// <param name="MaxImageBytes">The size of one image at most, in bytes.</param>
/// <param name="ImageTypes">The MIME types of images accepted ("image/jpeg"…); null or empty: any.</param>
/// <param name="Source">Whose limits these are, for messages (channel names, "Mastodon (piaille.fr)"); null for the catalogue's.</param>
public sealed record NetworkRules(
    SocialNetwork Network, int? MaxImages = null, long? MaxImageBytes = null, IReadOnlyList<string>? ImageTypes = null, string? Source = null)
{
    /// <summary>The catalogue's rules for a network: its documented length and link count, no image limits.</summary>
    public static NetworkRules Of(SocialNetwork network) => new(network);

    /// <summary>
    /// Why the images of a post cannot go to this network: too many of them, one too large, one of a type it refuses.
    /// Each a <see cref="Problem"/> on the field <paramref name="field"/>; none when they fit or nothing is known.
    /// </summary>
    public IEnumerable<Problem> ImageProblems(IReadOnlyList<ImageFacts> images, string field)
    {
        var where = Source ?? Network.Name;
        if (MaxImages is { } most && images.Count > most)
            yield return new Problem(field, "{0} takes at most {1} {1|image|images} per post ({2}); this one has {3}. Remove {4}.",
                Network.Name, most, where, images.Count, images.Count - most);
        foreach (var image in images)
        {
            if (MaxImageBytes is { } limit && image.Length > limit)
                yield return new Problem(field, "The image “{0}” weighs {1} MB; {2} takes images up to {3} MB ({4}). Use a lighter file.",
                    image.FileName, Megabytes(image.Length, above: limit), Network.Name, Megabytes(limit), where);
            if (ImageTypes is { Count: > 0 } types && !types.Contains(image.ContentType, StringComparer.OrdinalIgnoreCase))
                yield return new Problem(field, "The image “{0}” is of type {1}, which {2} does not take ({3}). Use one of: {4}.",
                    image.FileName, image.ContentType, Network.Name, where, string.Join(", ", types));
        }
    }

    /// <summary>
    /// Megabytes (of 1,048,576 bytes, as Mastodon counts them) to one decimal place; a size just past
    /// <paramref name="above"/> is rounded up, never shown equal to the limit it breaks.
    /// </summary>
    internal static decimal Megabytes(long bytes, long? above = null)
    {
        var shown = Math.Round(bytes / 1_048_576m, 1, MidpointRounding.AwayFromZero);
        return above is { } limit && shown <= Megabytes(limit) ? Math.Ceiling(bytes / 1_048_576m * 10) / 10 : shown;
    }
}

/// <summary>What a rule needs to know of an image: its name for messages, its type and its size in bytes.</summary>
public readonly record struct ImageFacts(string FileName, string ContentType, long Length);

/// <summary>
/// The limits that apply to a workspace's posts per network. The engine's default gives the catalogue's
/// (<see cref="SocialNetworks"/>); a module that connects accounts (publishing) replaces it with what the accounts'
/// servers say. The draft checker and the calendar read limits only through this, so they depend on no such module.
/// </summary>
public interface INetworkLimits
{
    /// <summary>
    /// The rules for <paramref name="networkId"/> in the current workspace: for a post that names its channels
    /// (<paramref name="channelIds"/>), the tightest of those of this network; otherwise the tightest of the
    /// workspace's active accounts on it; the catalogue's when none says more.
    /// </summary>
    /// <exception cref="ArgumentException">The network id is not one of <see cref="SocialNetworks.All"/>.</exception>
    Task<NetworkRules> ForAsync(string networkId, IReadOnlyCollection<Guid>? channelIds = null, CancellationToken ct = default);
}

/// <summary>The default: the catalogue's limits, the same for every workspace.</summary>
public sealed class CatalogueNetworkLimits : INetworkLimits
{
    public static readonly CatalogueNetworkLimits Instance = new();

    public Task<NetworkRules> ForAsync(string networkId, IReadOnlyCollection<Guid>? channelIds = null, CancellationToken ct = default) =>
        Task.FromResult(NetworkRules.Of(SocialNetworks.Find(networkId)
            ?? throw new ArgumentException($"Unknown network \"{networkId}\". Known networks: {SocialNetworks.Ids}.", nameof(networkId))));
}
