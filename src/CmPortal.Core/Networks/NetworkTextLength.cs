using System.Globalization;
using System.Text;

namespace CmPortal.Core.Networks;

/// <summary>One thing a network counts: a grapheme, or a whole link when the network counts links at a fixed length.</summary>
internal readonly record struct LengthUnit(int Start, int Length, int Weight)
{
    public int End => Start + Length;
}

/// <summary>
/// The length of a post as each network counts it.
/// <list type="bullet">
/// <item><see cref="LengthCounting.Graphemes"/>: user-perceived characters ("é" written e + ◌́, "👍🏽", "🇫🇷" count one);
/// a line break counts one, also when written CR LF.</item>
/// <item><see cref="LengthCounting.WeightedX"/> (twitter-text v3): each code point of the NFC text weighs 1 in
/// U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F, U+2032–U+2037 and 2 elsewhere (CJK, "…", "€"); an emoji weighs 2
/// however many code points it has.</item>
/// <item>Links: where the network sets <see cref="SocialNetwork.UrlLength"/>, each counts that many. X links
/// "maisonlumen.fr/atelier", "www.maisonlumen.fr" and "maisonlumen.com" as well as "https://…" (not a bare
/// "maisonlumen.fr"); Mastodon only links with a scheme. Elsewhere (Bluesky…) a link counts as written.</item>
/// <item>Mastodon counts a fediverse mention "@lumen@piaille.fr" as its local part "@lumen".</item>
/// </list>
/// </summary>
public static class NetworkTextLength
{
    /// <summary>The length of <paramref name="text"/> as the network <paramref name="networkId"/> counts it.</summary>
    /// <exception cref="ArgumentException">The id is not one of <see cref="SocialNetworks.All"/>.</exception>
    public static int Count(string networkId, string text) =>
        Count(SocialNetworks.Find(networkId)
            ?? throw new ArgumentException($"Unknown network \"{networkId}\". Known networks: {SocialNetworks.Ids}.", nameof(networkId)), text);

    public static int Count(SocialNetwork network, string text) => Units(network, text).Sum(u => u.Weight);

    /// <summary>Graphemes (extended grapheme clusters, as <see cref="StringInfo"/> finds them).</summary>
    public static int Graphemes(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>
    /// The limit that applies: a stricter one chosen by the brand (its editorial line's) when set and no looser
    /// than the network's, else the network's; null when neither has one (the brand blog).
    /// </summary>
    public static int? Limit(SocialNetwork network, int? chosen) =>
        (network.MaxLength, chosen) switch
        {
            (int n, int g) when g > 0 => Math.Min(n, g),
            (null, int g) when g > 0 => g,
            (var n, _) => n,
        };

    /// <summary>The counted units of <paramref name="text"/>, in order, covering it whole.</summary>
    internal static IEnumerable<LengthUnit> Units(SocialNetwork network, string text)
    {
        var weighted = network.Counting == LengthCounting.WeightedX;
        var spans = TextSpans.Find(text).Where(s => Counted(text, s, network)).ToList();
        var next = 0; // index in spans
        var index = 0;
        while (index < text.Length)
        {
            if (next < spans.Count && spans[next].Start == index)
            {
                var span = spans[next++];
                yield return new LengthUnit(span.Start, span.Length, SpanWeight(text, span, network));
                index = span.End;
                continue;
            }
            // A grapheme never straddles a span's edge in practice; cut it there to be sure.
            var grapheme = StringInfo.GetNextTextElement(text, index);
            if (next < spans.Count && index + grapheme.Length > spans[next].Start) grapheme = text[index..spans[next].Start];
            yield return new LengthUnit(index, grapheme.Length, weighted ? XWeight(grapheme) : 1);
            index += grapheme.Length;
        }
    }

    /// <summary>
    /// Where the text goes beyond <paramref name="limit"/>: the first unit that does not fit whole (a link
    /// counted at 23 starts there if it does not fit), or null when the text fits.
    /// </summary>
    public static int? FirstBeyond(SocialNetwork network, string text, int limit)
    {
        var total = 0;
        foreach (var unit in Units(network, text))
        {
            total += unit.Weight;
            if (total > limit) return unit.Start;
        }
        return null;
    }

    private static bool Counted(string text, TextSpan span, SocialNetwork network) =>
        span.Kind switch
        {
            SpanKind.Url => network.UrlLength is not null,
            // twitter-text links bare domains; Mastodon and the others do not.
            SpanKind.Domain => network.UrlLength is not null && network.Counting == LengthCounting.WeightedX
                               && !IsShortCcTldDomain(text.AsSpan(span.Start, span.Length)),
            SpanKind.Mention => IsMastodon(network),
            _ => false,
        };

    /// <summary>
    /// twitter-text does not link a bare "name.cc" (one label and a country TLD, no path: "maisonlumen.fr"),
    /// but links "maisonlumen.fr/atelier", "www.maisonlumen.fr" and "maisonlumen.com".
    /// </summary>
    private static bool IsShortCcTldDomain(ReadOnlySpan<char> domain)
    {
        if (domain.Contains('/')) return false;
        var end = domain.IndexOfAny('?', '#');
        if (end >= 0) domain = domain[..end];
        var dot = domain.IndexOf('.');
        return dot > 0 && domain.LastIndexOf('.') == dot && domain.Length - dot - 1 == 2;
    }

    private static int SpanWeight(string text, TextSpan span, SocialNetwork network)
    {
        if (span.IsLink()) return network.UrlLength!.Value;
        var value = text.Substring(span.Start, span.Length);
        if (span.Kind == SpanKind.Mention && IsMastodon(network))
        {
            var second = value.IndexOf('@', 1);
            if (second > 0) value = value[..second];
        }
        return network.Counting == LengthCounting.WeightedX
            ? Elements(value).Sum(XWeight)
            : Graphemes(value);
    }

    private static bool IsMastodon(SocialNetwork network) => network.Id == "mastodon";

    private static IEnumerable<string> Elements(string text)
    {
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext()) yield return e.GetTextElement();
    }

    /// <summary>The twitter-text v3 weight of one grapheme.</summary>
    internal static int XWeight(string grapheme)
    {
        if (grapheme is "\r\n") return 1;
        if (IsEmoji(grapheme)) return 2;
        string normalized;
        try { normalized = grapheme.Normalize(NormalizationForm.FormC); }
        catch (ArgumentException) { normalized = grapheme; } // a lone surrogate
        var weight = 0;
        foreach (var rune in normalized.EnumerateRunes()) weight += XWeight(rune.Value);
        return weight;
    }

    internal static int XWeight(int codePoint) =>
        codePoint is >= 0 and <= 4351 or >= 8192 and <= 8205 or >= 8208 and <= 8223 or >= 8242 and <= 8247 ? 1 : 2;

    /// <summary>
    /// An emoji grapheme: a pictograph (U+1F000–U+1FAFF, including flags and skin tones), a symbol with the
    /// emoji variation selector (U+FE0F: "❤️", "☀️"), a keycap ("1️⃣"), or a tag sequence (🏴 flags).
    /// Single-code-point symbols such as "☀" weigh 2 anyway.
    /// </summary>
    public static bool IsEmoji(string grapheme)
    {
        foreach (var rune in grapheme.EnumerateRunes())
        {
            var v = rune.Value;
            if (v is >= 0x1F000 and <= 0x1FAFF or 0xFE0F or 0x20E3 or >= 0xE0020 and <= 0xE007F) return true;
        }
        return false;
    }
}
