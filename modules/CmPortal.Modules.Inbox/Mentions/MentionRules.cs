using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CmPortal.Modules.Inbox.Search;

namespace CmPortal.Modules.Inbox.Mentions;

/// <summary>The de-duplication keys of a mention (docs/inbox.md, "De-duplication").</summary>
internal static partial class MentionRules
{
    /// <summary>
    /// The address without what only tracks the click — <c>utm_*</c>, <c>fbclid</c>, <c>gclid</c>, <c>mc_*</c> — with the
    /// host lower-cased, the default port and the fragment dropped; null for anything but an absolute http(s) address.
    /// Other parameters keep their order (they may choose the page).
    /// </summary>
    public static string? CanonicalUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)) return null;
        var kept = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsTracking(p.Split('=', 2)[0])).ToList();
        var builder = new StringBuilder().Append(uri.Scheme).Append("://").Append(uri.Host.ToLowerInvariant());
        if (!uri.IsDefaultPort) builder.Append(':').Append(uri.Port);
        builder.Append(uri.AbsolutePath);
        if (kept.Count > 0) builder.Append('?').Append(string.Join('&', kept));
        return builder.ToString();
    }

    private static bool IsTracking(string name)
    {
        name = Uri.UnescapeDataString(name).ToLowerInvariant();
        return name.StartsWith("utm_", StringComparison.Ordinal) || name.StartsWith("mc_", StringComparison.Ordinal)
            || name is "fbclid" or "gclid";
    }

    /// <summary>
    /// 64 bits of the SHA-256 of the text folded (case, accents) with its spaces collapsed: two mentions with the same
    /// hash are exact repeats ("copy-paste campaigns", retweets of a quote). 64 bits: no collision to expect below billions.
    /// The stored hashes were computed by <see cref="TextHashReference"/>: the one pass below gives the same bytes for the
    /// characters French and English posts are written with (Latin, punctuation, emoji), and hands any other text to it.
    /// </summary>
    public static long TextHash(string text)
    {
        var chars = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var length = FoldForHash(text, chars);
            return length < 0 ? TextHashReference(text) : Hash(chars.AsSpan(0, length));
        }
        finally { ArrayPool<char>.Shared.Return(chars); }
    }

    /// <summary>
    /// The hash's definition, two Unicode normalisations and a regular expression: <see cref="MentionQuery.Fold"/> (NFD,
    /// marks dropped, lower case, NFC), white space collapsed to one space, trimmed.
    /// </summary>
    internal static long TextHashReference(string text) => Hash(Spaces().Replace(MentionQuery.Fold(text), " ").Trim());

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static long Hash(ReadOnlySpan<char> normalised)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(normalised.Length));
        try
        {
            var count = Encoding.UTF8.GetBytes(normalised, bytes);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(bytes.AsSpan(0, count), hash);
            return BitConverter.ToInt64(hash[..8]);
        }
        finally { ArrayPool<byte>.Shared.Return(bytes); }
    }

    /// <summary>
    /// <see cref="TextHashReference"/>'s normalisation in one pass into <paramref name="output"/>; -1 at the first character
    /// whose folding may depend on its neighbours (a script that composes under NFC: Hangul, Indic; a lone surrogate) or
    /// that this table does not cover. Per character, Unicode's canonical decomposition only splits a letter from its marks,
    /// which are dropped: Latin letters, punctuation and emoji fold alone, as the reference folds them in context.
    /// </summary>
    private static int FoldForHash(string text, char[] output)
    {
        var written = 0;
        var space = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            char folded;
            if (c < 0x80)
            {
                if (c is ' ' or (>= '\t' and <= '\r')) { space = written > 0; continue; }
                if (c < ' ' || c == '\u007F') return -1; // control characters: Clean removed them before
                folded = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
            }
            else if (char.IsWhiteSpace(c)) { space = written > 0; continue; }
            else if (c < FoldTableEnd || c is >= '\u2000' and < '\u20D0')
            {
                folded = FoldTable.Value[c < FoldTableEnd ? c : c - 0x2000 + FoldTableEnd];
                if (folded == Dropped) continue;
                if (folded == Unsafe) return -1;
            }
            else if (c is >= '\uD83C' and <= '\uD83E' && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                // An emoji: no case, no decomposition, never composed with its neighbours.
                if (space) { output[written++] = ' '; space = false; }
                output[written++] = c;
                output[written++] = text[++i];
                continue;
            }
            else return -1;
            if (space) { output[written++] = ' '; space = false; }
            output[written++] = folded;
        }
        return written;
    }

    private const int FoldTableEnd = 0x0370; // Latin, IPA, spacing modifiers, combining diacritics; then 0x2000–0x20CF.
    private const char Dropped = '\0', Unsafe = '\uFFFF';

    /// <summary>Each covered character folded alone by the reference: one character, none (a mark), or unsafe.</summary>
    private static readonly Lazy<char[]> FoldTable = new(() =>
    {
        var table = new char[FoldTableEnd + 0xD0];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)(i < FoldTableEnd ? i : i - FoldTableEnd + 0x2000);
            var folded = MentionQuery.Fold(c.ToString());
            table[i] = folded.Length == 0 ? Dropped : folded.Length == 1 && folded[0] is not (Dropped or Unsafe) ? folded[0] : Unsafe;
        }
        return table;
    });

    /// <summary>Control characters other than line breaks and tabs are removed (they are also the snippet's marks).</summary>
    public static string Clean(string text)
    {
        if (!text.AsSpan().ContainsAny(Removed)) return text.Trim(); // most texts: nothing to remove, no copy
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) if (!char.IsControl(c) || c is '\n' or '\t') builder.Append(c == '\r' ? '\n' : c);
        return builder.ToString().Trim();
    }

    private static readonly SearchValues<char> Removed = SearchValues.Create(
        Enumerable.Range(0, 0xA0).Select(i => (char)i).Where(c => char.IsControl(c) && c is not ('\n' or '\t')).ToArray());

    public static string? CleanOrNull(string? text, int max)
    {
        if (text is null) return null;
        var clean = Clean(text);
        if (clean.Length == 0) return null;
        return Cut(clean, max);
    }

    /// <summary>
    /// At most <paramref name="max"/> characters, never half of one: an emoji (two UTF-16 units) at the limit is left
    /// out whole rather than cut in two — half of one is not text, and PostgreSQL refuses to store it.
    /// </summary>
    public static string Cut(string text, int max) =>
        text.Length <= max ? text : char.IsHighSurrogate(text[max - 1]) ? text[..(max - 1)] : text[..max];

    /// <summary>The position (from 1) of the first half of a character standing alone (a lone UTF-16 surrogate), or 0.</summary>
    public static int LoneSurrogateAt(string? text)
    {
        if (text is null) return 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i])) return i + 1;
        }
        return 0;
    }

    public static readonly string[] Sentiments = ["negative", "neutral", "positive"];

    [GeneratedRegex("^[a-z][a-z0-9-]{0,19}$")]
    public static partial Regex SourceKindPattern();

    /// <summary>Labels as stored: "|a|b|", each trimmed, lower-cased, at most 40 characters, without '|'.</summary>
    public static string? JoinLabels(IEnumerable<string> labels)
    {
        var clean = labels.Select(l => Clean(l).Replace("|", "", StringComparison.Ordinal).Trim().ToLowerInvariant())
            .Where(l => l.Length is > 0 and <= 40).Distinct().Take(10).ToList();
        return clean.Count == 0 ? null : "|" + string.Join('|', clean) + "|";
    }

    public static IReadOnlyList<string> SplitLabels(string? labels) =>
        labels is null ? [] : labels.Split('|', StringSplitOptions.RemoveEmptyEntries);
}
