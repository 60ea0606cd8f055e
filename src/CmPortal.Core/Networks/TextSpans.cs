using System.Text.RegularExpressions;

namespace CmPortal.Core.Networks;

public enum SpanKind
{
    /// <summary>A link written with its scheme: http://… or https://…</summary>
    Url,

    /// <summary>A link without scheme: "www.maisonlumen.fr", "maisonlumen.fr/atelier" (a known top-level domain is required).</summary>
    Domain,

    Email,

    /// <summary>"@maisonlumen", "@lumen.bsky.social", or a fediverse "@lumen@piaille.fr".</summary>
    Mention,

    /// <summary>"#MaisonLumen": a "#" not inside a word, then letters, digits or "_", at least one letter.</summary>
    Hashtag,
}

/// <summary>A piece of a post the networks treat as a whole, in UTF-16 offsets.</summary>
public readonly record struct TextSpan(SpanKind Kind, int Start, int Length)
{
    public int End => Start + Length;
    public bool Contains(int index) => index >= Start && index < End;
    public bool Overlaps(int start, int length) => start < End && Start < start + length;
}

/// <summary>Finds links, e-mail addresses, mentions and hashtags in a post, without overlaps, in text order.</summary>
public static partial class TextSpans
{
    /// <summary>
    /// Top-level domains recognised without "http(s)://". A short list on purpose: a full one
    /// would make "fin.Le" or "etc.it" links. X links every valid TLD; the ones a French brand
    /// writes are here.
    /// </summary>
    private const string KnownTlds =
        "com|net|org|fr|eu|be|ch|ca|lu|mc|re|io|co|info|biz|shop|store|app|dev|page|site|online|blog|art|studio|design|" +
        "paris|bzh|alsace|corsica|de|uk|es|it|nl|pt|us|me|tv|ly|gl|gg|xyz|ai|tech|boutique|fashion|media|news";

    [GeneratedRegex(@"(?<![\p{L}\p{N}._%+\-@])[\p{L}\p{N}._%+\-]*[\p{L}\p{N}_%+\-]@[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?)*\.\p{L}{2,}(?![\p{L}\p{N}\-])",
        RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}@])https?://[^\s<>""«»`{}|\\^]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}@#$_./\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:" + KnownTlds + @")(?![\p{L}\p{N}\-_@])(?:[/?#][^\s<>""«»`{}|\\^]*)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_.@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?(?:@[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?)?",
        RegexOptions.CultureInvariant)]
    private static partial Regex MentionPattern();

    [GeneratedRegex(@"(?<![\p{L}\p{M}\p{N}_&/#＃])[#＃](?=[\p{L}\p{M}\p{N}_]*\p{L})[\p{L}\p{M}\p{N}_]+", RegexOptions.CultureInvariant)]
    private static partial Regex HashtagPattern();

    public static IReadOnlyList<TextSpan> Find(string text)
    {
        var spans = new List<TextSpan>();
        void Add(SpanKind kind, int start, int length)
        {
            if (length > 0 && !spans.Any(s => s.Overlaps(start, length))) spans.Add(new TextSpan(kind, start, length));
        }

        foreach (Match m in UrlPattern().Matches(text)) Add(SpanKind.Url, m.Index, TrimLinkEnd(m.Value).Length);
        foreach (Match m in EmailPattern().Matches(text)) Add(SpanKind.Email, m.Index, m.Length);
        foreach (Match m in DomainPattern().Matches(text)) Add(SpanKind.Domain, m.Index, TrimLinkEnd(m.Value).Length);
        foreach (Match m in MentionPattern().Matches(text)) Add(SpanKind.Mention, m.Index, m.Length);
        foreach (Match m in HashtagPattern().Matches(text)) Add(SpanKind.Hashtag, m.Index, m.Length);
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return spans;
    }

    public static bool IsLink(this TextSpan span) => span.Kind is SpanKind.Url or SpanKind.Domain;

    /// <summary>
    /// A link does not end with the punctuation of the sentence around it: "(voir https://x.fr/a)."
    /// ends the link before ")." — a closing bracket stays when the link opened it.
    /// </summary>
    private static string TrimLinkEnd(string link)
    {
        var end = link.Length;
        while (end > 0)
        {
            var c = link[end - 1];
            if (c is ')' or ']')
            {
                var open = c == ')' ? '(' : '[';
                var body = link.AsSpan(0, end);
                if (body.Count(open) >= body.Count(c)) break;
                end--;
            }
            else if (c is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '’' or '"' or '»' or '…' or '*' or '~') end--;
            else break;
        }
        // "https://" alone is not a link.
        var text = link[..end];
        return text.EndsWith("://", StringComparison.Ordinal) ? "" : text;
    }
}
