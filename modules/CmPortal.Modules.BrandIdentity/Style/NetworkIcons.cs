using CmPortal.Core.Networks;
using CmPortal.Core.Themes;
using CmPortal.Modules.BrandIdentity.Documents;

namespace CmPortal.Modules.BrandIdentity.Style;

/// <summary>
/// The networks' logos, one SVG per network of <see cref="SocialNetworks"/>, copied by the build into
/// <c>wwwroot/lib/networks/</c> and addressed by <see cref="SocialNetwork.IconUrl"/>: from simple-icons (CC0), except LinkedIn, which simple-icons withdrew, and the brand
/// blog, which has no brand: those two come from bootstrap-icons (MIT). They are single-colour shapes; pages paint them
/// in the text colour with a CSS mask (class <c>network-icon</c>), so they read on any background.
/// </summary>
internal static class NetworkIcons
{
    private static readonly HashSet<string> FromBootstrapIcons = ["linkedin", "blog"];

    /// <summary>Where the icon comes from and under which licence, for the brand book's credits.</summary>
    public static string Source(string networkId) => FromBootstrapIcons.Contains(networkId) ? "bootstrap-icons (MIT)" : "simple-icons (CC0 1.0)";

    /// <summary>The brand's profiles the public site links to, in catalogue order.</summary>
    public static IReadOnlyList<NetworkProfile> Profiles(EditorialLine line) =>
        line.Networks
            .Where(g => g.ProfileUrl is { } url && EditorialLineRules.IsProfileUrl(url))
            .Select(g => SocialNetworks.Find(g.Network) is { } network ? new NetworkProfile(network.Name, g.ProfileUrl!, network.IconUrl) : null)
            .OfType<NetworkProfile>()
            .ToList();
}
