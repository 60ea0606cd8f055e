using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Markdig;

namespace CmPortal.Core.Text;

/// <summary>
/// Markdown → sanitised HTML, for any text a member types and the public site shows (the community charter's rules,
/// blog articles). Markdig runs with raw HTML disabled (so <c>&lt;script&gt;</c> typed in a rule
/// shows as text), and its output then goes through an allow-list sanitiser: only plain formatting elements
/// survive, attributes are dropped except a few checked ones, and links keep only http, https, mailto and
/// in-page anchors. External links get <c>rel="nofollow ugc noopener"</c>. The space typed before « : ; ! ? % » and inside
/// « » becomes a no-break space (<see cref="NoBreakSpaces"/>).
/// </summary>
public static partial class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    /// <param name="topHeading">The highest heading level the text may use (the page keeps the ones above for itself):
    /// 3 where the page has h1 and h2 of its own, 2 under an article's title.</param>
    public static string ToHtml(string? markdown, int topHeading = 3) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : SafeHtml.Sanitize(Markdown.ToHtml(markdown, Pipeline), topHeading).Trim();

    /// <summary>The text a reader sees, without Markdown marks (for summaries, feeds and meta descriptions).</summary>
    public static string ToPlainText(string? markdown) =>
        string.IsNullOrWhiteSpace(markdown) ? "" : Markdown.ToPlainText(markdown, Pipeline).Trim();
}

/// <summary>An allow-list HTML sanitiser over AngleSharp's HTML5 parser (the same parsing a browser does).</summary>
public static partial class SafeHtml
{
    /// <summary>Elements kept (with their allowed attributes only).</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "p", "br", "strong", "em", "b", "i", "u", "del", "s", "ins", "mark", "sub", "sup", "code", "pre", "kbd", "blockquote",
        "ul", "ol", "li", "a", "hr", "h2", "h3", "h4", "h5", "h6", "span", "abbr",
        "table", "thead", "tbody", "tr", "th", "td",
    };

    /// <summary>Elements removed with everything inside them: active content, embedded documents and forms.</summary>
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "noembed", "noframes",
        "template", "svg", "math", "form", "input", "button", "textarea", "select", "option", "link", "meta", "base",
        "title", "head", "audio", "video", "source", "track", "canvas", "picture", "portal", "xmp", "plaintext", "dialog",
    };

    private static readonly HashSet<string> LinkSchemes = new(StringComparer.Ordinal) { "http", "https", "mailto" };

    [GeneratedRegex("^#[A-Za-z0-9_.:-]*$")]
    private static partial Regex InPageAnchor();

    [GeneratedRegex("^language-[a-z0-9_+-]{1,30}$")]
    private static partial Regex CodeLanguage();

    private static readonly HtmlParser Parser = new();

    public static string Sanitize(string html, int topHeading = 3)
    {
        topHeading = Math.Clamp(topHeading, 1, 6);
        var document = Parser.ParseDocument("<!DOCTYPE html><html><head></head><body></body></html>");
        var container = document.CreateElement("div");
        foreach (var node in Parser.ParseFragment(html, document.Body!).ToList()) container.AppendChild(node);
        CleanChildren(container, topHeading);
        BindSpaces(container);
        return container.InnerHtml;
    }

    /// <summary>No-break spaces before « : ; ! ? % » and inside « » (<see cref="NoBreakSpaces"/>) in the text, not in code, which is copied as typed.</summary>
    private static void BindSpaces(INode parent)
    {
        foreach (var node in parent.ChildNodes)
        {
            if (node is IText text) text.Data = NoBreakSpaces.Bind(text.Data);
            else if (node is IElement { LocalName: not ("code" or "pre" or "kbd") } element) BindSpaces(element);
        }
    }

    private static void CleanChildren(INode parent, int topHeading)
    {
        foreach (var node in parent.ChildNodes.ToList())
        {
            switch (node)
            {
                case IText:
                    break;
                case IElement element:
                    CleanElement(element, topHeading);
                    break;
                default: // comments, processing instructions, doctypes
                    node.RemoveFromParent();
                    break;
            }
        }
    }

    private static void CleanElement(IElement element, int topHeading)
    {
        var name = element.LocalName.ToLowerInvariant();
        if (element.NamespaceUri is { } ns && ns != "http://www.w3.org/1999/xhtml") name = "foreign:" + name;
        if (Dropped.Contains(name) || name.StartsWith("foreign:", StringComparison.Ordinal))
        {
            element.RemoveFromParent();
            return;
        }
        if (name == "img")
        {
            // No images: they would load from anywhere. Their text alternative stays.
            var alt = element.GetAttribute("alt");
            if (!string.IsNullOrWhiteSpace(alt)) element.Parent!.InsertBefore(element.Owner!.CreateTextNode(alt), element);
            element.RemoveFromParent();
            return;
        }
        if (name is ['h', >= '1' and <= '6'] && name[1] - '0' < topHeading)
        {
            // The page's own headings come first (a charter's title and sections): text headings come below them.
            var heading = element.Owner!.CreateElement("h" + topHeading);
            while (element.FirstChild is { } child) heading.AppendChild(child);
            element.Parent!.ReplaceChild(heading, element);
            CleanChildren(heading, topHeading);
            return;
        }
        CleanChildren(element, topHeading);
        if (!Allowed.Contains(name))
        {
            // Unknown element: keep its (cleaned) content, drop the element.
            while (element.FirstChild is { } child) element.Parent!.InsertBefore(child, element);
            element.RemoveFromParent();
            return;
        }
        CleanAttributes(element, name);
    }

    private static void CleanAttributes(IElement element, string name)
    {
        foreach (var attribute in element.Attributes.ToList())
        {
            var attributeName = attribute.LocalName.ToLowerInvariant();
            if (name == "a" && attributeName == "href" && SafeHref(attribute.Value) is { } safe)
            {
                attribute.Value = safe;
                continue;
            }
            var keep = (name, attributeName) switch
            {
                ("a", "title") or ("abbr", "title") => true,
                ("ol", "start") => int.TryParse(attribute.Value, out _),
                ("code", "class") => CodeLanguage().IsMatch(attribute.Value),
                _ => false,
            };
            if (!keep) element.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
        }
        if (name == "a" && element.GetAttribute("href") is { } href && !href.StartsWith('#') && !href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            element.SetAttribute("rel", "nofollow ugc noopener");
    }

    /// <summary>The link when it is an absolute http, https or mailto URL, or an in-page anchor; null otherwise.</summary>
    internal static string? SafeHref(string? href)
    {
        if (string.IsNullOrEmpty(href)) return null;
        var value = href.Trim();
        if (value.StartsWith('#')) return InPageAnchor().IsMatch(value) ? value : null;
        // Browsers ignore tabs and new lines inside a scheme ("java\tscript:"): refuse any such character.
        if (value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !LinkSchemes.Contains(uri.Scheme)) return null;
        // "http:" without a host, or a scheme-relative trick, is not a link anyone meant.
        if (uri.Scheme != "mailto" && string.IsNullOrEmpty(uri.Host)) return null;
        return value;
    }
}
