using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace CmPortal.Core.Text;

/// <summary>
/// HTML that a network or a feed sends (a Mastodon status's content, an entry's summary) as plain text, parsed as a
/// browser would: tags dropped, entities decoded, the content of scripts and styles dropped (a script's code must never
/// become words the portal stores or shows), whitespace collapsed as HTML renders it. Mastodon hides parts of long
/// links in <c>span.invisible</c>; dropping the tags puts the whole address back together.
/// </summary>
public static class HtmlText
{
    // Elements whose content is not text a reader sees.
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head", "title",
    };

    // Elements that end a paragraph: "<p>a</p><p>b</p>" reads "a", a blank line, "b".
    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
        "section", "article", "header", "footer", "figure", "hr", "dl", "dt", "dd",
    };

    // Elements that separate words without ending a paragraph: "<td>a</td><td>b</td>" reads "a b", not "ab".
    private static readonly HashSet<string> WordBreaks = new(StringComparer.OrdinalIgnoreCase) { "td", "th", "img", "figcaption" };

    private static readonly HtmlParser Parser = new();

    private const char LineMark = '\u2028';      // stands for <br> until whitespace is collapsed
    private const char ParagraphMark = '\u2029'; // stands for a paragraph's end

    /// <summary>Paragraphs kept (a blank line between them) and line breaks kept; everything else on its line.</summary>
    public static string ToPlainText(string? html) => Convert(html, keepLines: true);

    /// <summary>All of it on one line: a title, a feed entry's summary.</summary>
    public static string ToOneLine(string? html) => Convert(html, keepLines: false);

    private static string Convert(string? html, bool keepLines)
    {
        if (string.IsNullOrWhiteSpace(html)) return "";
        if (html.IndexOfAny(['<', '&']) < 0) return Collapse(html, keepLines); // no markup and no entity
        IDocument document;
        lock (Parser) document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html);
        var text = new StringBuilder(html.Length);
        Append(document.Body!, text);
        return Collapse(text.ToString(), keepLines);
    }

    private static void Append(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    // A text's own line marks are typed characters, not structure: they count as spaces.
                    text.Append(t.Data.Replace(LineMark, ' ').Replace(ParagraphMark, ' '));
                    break;
                case IElement e when Dropped.Contains(e.LocalName):
                    break;
                case IElement e when e.LocalName.Equals("br", StringComparison.OrdinalIgnoreCase):
                    text.Append(LineMark);
                    break;
                case IElement e:
                    var mark = Paragraphs.Contains(e.LocalName) ? ParagraphMark : WordBreaks.Contains(e.LocalName) ? ' ' : '\0';
                    if (mark != '\0') text.Append(mark);
                    Append(e, text);
                    if (mark != '\0') text.Append(mark);
                    break;
            }
        }
    }

    /// <summary>
    /// Runs of whitespace become one character: a paragraph break, a line break, a no-break space (French typography,
    /// « recommande ! », is kept) or a space; nothing at either end; zero-width spaces and control characters dropped.
    /// </summary>
    private static string Collapse(string text, bool keepLines)
    {
        var result = new StringBuilder(text.Length);
        var pending = Gap.None;
        var noBreak = '\u00A0';
        foreach (var c in text)
        {
            if (c == '\u200B') continue; // joins words visually: dropped, not turned into a space
            var gap = c switch
            {
                ParagraphMark => Gap.Paragraph,
                LineMark => Gap.Line,
                '\u00A0' or '\u202F' => Gap.NoBreak,
                _ when char.IsWhiteSpace(c) => Gap.Space,
                _ => Gap.None,
            };
            if (gap != Gap.None)
            {
                if (result.Length > 0 && gap > pending) pending = gap;
                if (gap == Gap.NoBreak && result.Length > 0) noBreak = c;
                continue;
            }
            if (char.IsControl(c)) continue;
            if (pending != Gap.None)
            {
                result.Append(pending switch
                {
                    Gap.Paragraph when keepLines => "\n\n",
                    Gap.Line when keepLines => "\n",
                    Gap.NoBreak => noBreak.ToString(),
                    _ => " ",
                });
                pending = Gap.None;
            }
            result.Append(c);
        }
        return result.ToString();
    }

    private enum Gap { None, Space, NoBreak, Line, Paragraph }
}
