namespace CmPortal.Core.Networks;

/// <summary>How a network counts the length of a post.</summary>
public enum LengthCounting
{
    /// <summary>User-perceived characters (grapheme clusters): "é", "👍🏽" and "🇫🇷" count one.</summary>
    Graphemes,

    /// <summary>X's weighted count: Latin and common punctuation count one, other scripts and emoji two (twitter-text v3).</summary>
    WeightedX,
}

/// <summary>An image format a network displays well.</summary>
public sealed record NetworkImageFormat(string Name, int RatioWidth, int RatioHeight, int MinWidth, int MinHeight);

/// <summary>
/// A network a brand can post to, with the limits the network itself enforces. A workspace's
/// editorial line may set stricter limits per network; never looser ones.
/// </summary>
public sealed record SocialNetwork(
    string Id, string Name, int? MaxLength, LengthCounting Counting, int? UrlLength, int? MaxHashtags,
    IReadOnlyList<NetworkImageFormat> ImageFormats)
{
    /// <summary>
    /// The network's single-colour logo (SVG). The files ship with the brand-identity module, which copies them at
    /// build from simple-icons and bootstrap-icons (see its <c>NetworkIcons</c> for sources and licences).
    /// </summary>
    public string IconUrl => $"{SocialNetworks.IconRoot}/{Id}.svg";
}

/// <summary>The networks the portal knows, in display order. Limits as documented by each network in 2026.</summary>
public static class SocialNetworks
{
    /// <summary>Where the networks' logos are served from: the brand-identity module's static files.</summary>
    public const string IconRoot = "/_content/CmPortal.Modules.BrandIdentity/lib/networks";

    public static readonly IReadOnlyList<SocialNetwork> All =
    [
        new("facebook", "Facebook", 63206, LengthCounting.Graphemes, null, null,
            [new("Post carré", 1, 1, 1080, 1080), new("Post portrait", 4, 5, 1080, 1350), new("Story", 9, 16, 1080, 1920)]),
        new("instagram", "Instagram", 2200, LengthCounting.Graphemes, null, 30,
            [new("Post carré", 1, 1, 1080, 1080), new("Post portrait", 4, 5, 1080, 1350), new("Story / Reel", 9, 16, 1080, 1920)]),
        new("linkedin", "LinkedIn", 3000, LengthCounting.Graphemes, null, null,
            [new("Post paysage", 191, 100, 1200, 627), new("Post carré", 1, 1, 1200, 1200)]),
        // X counts every URL as 23 characters (t.co) and weighs characters (twitter-text v3).
        new("x", "X", 280, LengthCounting.WeightedX, 23, null,
            [new("Image paysage", 16, 9, 1600, 900), new("Image carrée", 1, 1, 1080, 1080)]),
        new("youtube", "YouTube", 5000, LengthCounting.Graphemes, null, 15,
            [new("Miniature", 16, 9, 1280, 720), new("Short", 9, 16, 1080, 1920)]),
        new("tiktok", "TikTok", 2200, LengthCounting.Graphemes, null, null,
            [new("Vidéo", 9, 16, 1080, 1920)]),
        new("pinterest", "Pinterest", 500, LengthCounting.Graphemes, null, 20,
            [new("Épingle", 2, 3, 1000, 1500)]),
        new("snapchat", "Snapchat", 250, LengthCounting.Graphemes, null, null,
            [new("Story / Spotlight", 9, 16, 1080, 1920)]),
        new("twitch", "Twitch", 140, LengthCounting.Graphemes, null, null,
            [new("Bannière de profil", 16, 5, 1200, 380), new("Miniature", 16, 9, 1280, 720)]),
        // Mastodon counts every URL as 23 characters, whatever its length.
        new("mastodon", "Mastodon", 500, LengthCounting.Graphemes, 23, null,
            [new("Image paysage", 16, 9, 1280, 720), new("Image carrée", 1, 1, 1080, 1080)]),
        // Bluesky: 300 graphemes; a link counts as written (its facet points into the text).
        new("bluesky", "Bluesky", 300, LengthCounting.Graphemes, null, null,
            [new("Image paysage", 16, 9, 1280, 720), new("Image carrée", 1, 1, 1080, 1080)]),
        new("threads", "Threads", 500, LengthCounting.Graphemes, null, 1,
            [new("Post portrait", 4, 5, 1080, 1350), new("Post carré", 1, 1, 1080, 1080)]),
        new("blog", "Brand blog", null, LengthCounting.Graphemes, null, null,
            [new("Image de une", 16, 9, 1600, 900)]),
    ];

    public static SocialNetwork? Find(string? id) => All.FirstOrDefault(n => n.Id == id);

    public static string Ids => string.Join(", ", All.Select(n => n.Id));
}
