using System.Net;
using System.Text.RegularExpressions;

namespace CmPortal.Core.Text;

/// <summary>
/// HTML a network or a feed sends (a Mastodon status's content, an entry's summary) as plain text: paragraphs and
/// line breaks kept, tags dropped, entities decoded. Mastodon hides parts of long links in <c>span.invisible</c>;
/// dropping the tags puts the whole address back together.
/// </summary>
public static partial class HtmlText
{
    public static string ToPlainText(string? html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var text = ParagraphBreak().Replace(html, "\n\n");
        text = LineBreak().Replace(text, "\n");
        text = Tag().Replace(text, "");
        return WebUtility.HtmlDecode(text);
    }

    [GeneratedRegex(@"</p>\s*<p[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();
}
