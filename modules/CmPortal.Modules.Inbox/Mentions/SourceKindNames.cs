using CmPortal.Core.Networks;
using Microsoft.AspNetCore.Mvc.Localization;

namespace CmPortal.Modules.Inbox.Mentions;

/// <summary>
/// A mention's source kind as a reader names it: the network's own name (« Mastodon », « Bluesky », « Instagram »…),
/// « Flux RSS », « Import CSV », « Webhook », « API »; a kind the portal does not know (a script's own) as it is.
/// </summary>
internal static class SourceKindNames
{
    /// <summary>The kinds the inbox's source filter offers, in its order.</summary>
    public static readonly IReadOnlyList<string> Filterable = ["rss", "mastodon", "bluesky", "api", "csv"];

    public static string Of(string kind, IHtmlLocalizer T) => kind switch
    {
        "rss" => T["RSS feed"].Value,
        "csv" => T["CSV import"].Value,
        "webhook" => T["Webhook"].Value,
        "api" => T["API"].Value,
        _ => SocialNetworks.Find(kind)?.Name ?? kind,
    };
}
