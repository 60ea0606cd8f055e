using Microsoft.AspNetCore.WebUtilities;

namespace CmPortal.Modules.Inbox.Sources.Feeds;

/// <summary>
/// Feed links made real. (Feed text is made plain by Core's <c>HtmlText.ToOneLine</c>: the inbox stores text only, so
/// whatever a feed carries is shown inert later.)
/// </summary>
internal static class FeedText
{
    /// <summary>
    /// The real address behind a redirect wrapper: Google Alerts writes
    /// <c>https://www.google.com/url?rct=j&amp;sa=t&amp;url=TARGET&amp;ct=ga&amp;...</c>; the mention keeps TARGET.
    /// Anything that is not an absolute http(s) address gives null (a <c>javascript:</c> link is no link).
    /// </summary>
    public static string? RealLink(string? link, Uri? baseAddress = null)
    {
        if (string.IsNullOrWhiteSpace(link)) return null;
        link = link.Trim();
        // Resolved against the feed's address when there is one: on Linux "/path" alone would parse as a file URI.
        if (!(baseAddress is null ? Uri.TryCreate(link, UriKind.Absolute, out var uri) : Uri.TryCreate(baseAddress, link, out uri)))
            return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        if (IsGoogleRedirect(uri))
        {
            var query = QueryHelpers.ParseQuery(uri.Query);
            var target = query.TryGetValue("url", out var url) ? url.ToString() : query.TryGetValue("q", out var q) ? q.ToString() : null;
            if (Uri.TryCreate(target, UriKind.Absolute, out var real) && (real.Scheme == Uri.UriSchemeHttp || real.Scheme == Uri.UriSchemeHttps))
                return real.AbsoluteUri;
        }
        return uri.AbsoluteUri;
    }

    private static bool IsGoogleRedirect(Uri uri) =>
        uri.AbsolutePath == "/url"
        && (uri.Host.Equals("google.com", StringComparison.OrdinalIgnoreCase)
            || (uri.Host.StartsWith("www.google.", StringComparison.OrdinalIgnoreCase) && !uri.Host.EndsWith('.')));
}
