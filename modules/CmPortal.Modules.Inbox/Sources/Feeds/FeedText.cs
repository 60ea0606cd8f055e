using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.WebUtilities;

namespace CmPortal.Modules.Inbox.Sources.Feeds;

/// <summary>
/// Feed text made plain and links made real: titles, descriptions and content arrive as HTML (escaped or not);
/// the inbox stores text only, so whatever a feed carries is shown inert later.
/// </summary>
internal static class FeedText
{
    // Elements whose content is not text a reader sees: a script's code must never become a mention's words.
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head", "title",
    };

    // Elements that separate words: "<p>a</p><p>b</p>" reads "a b", not "ab".
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dt", "dd", "img",
    };

    private static readonly HtmlParser Parser = new();

    /// <summary>HTML as plain text: tags removed, script and style content dropped, entities decoded, whitespace collapsed.</summary>
    public static string Plain(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return "";
        // Fast path: no markup and no entity, only whitespace to collapse.
        if (html.IndexOfAny(['<', '&']) < 0) return Collapse(html);
        IDocument document;
        lock (Parser) document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html);
        var text = new StringBuilder(html.Length);
        Append(document.Body!, text);
        return Collapse(text.ToString());
    }

    private static void Append(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(t.Data);
                    break;
                case IElement e when Dropped.Contains(e.LocalName):
                    break;
                case IElement e:
                    var block = Blocks.Contains(e.LocalName);
                    if (block) text.Append(' ');
                    Append(e, text);
                    if (block) text.Append(' ');
                    break;
            }
        }
    }

    private static string Collapse(string text)
    {
        var result = new StringBuilder(text.Length);
        var pending = '\0'; // The one character a run of whitespace becomes.
        foreach (var c in text)
        {
            if (c == '\u200B') continue; // A zero-width space joins words visually: dropped, not turned into a space.
            if (char.IsWhiteSpace(c))
            {
                // A no-break space is typography (French "recommande !"), not layout: a run holding one keeps it.
                if (result.Length > 0) pending = c is '\u00A0' or '\u202F' ? c : pending == '\0' ? ' ' : pending;
                continue;
            }
            if (char.IsControl(c)) continue;
            if (pending != '\0') { result.Append(pending); pending = '\0'; }
            result.Append(c);
        }
        return result.ToString();
    }

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
