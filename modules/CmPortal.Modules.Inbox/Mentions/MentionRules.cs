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
    /// </summary>
    public static long TextHash(string text)
    {
        var normalised = Spaces().Replace(MentionQuery.Fold(text), " ").Trim();
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalised), hash);
        return BitConverter.ToInt64(hash[..8]);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>Control characters other than line breaks and tabs are removed (they are also the snippet's marks).</summary>
    public static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text) if (!char.IsControl(c) || c is '\n' or '\t') builder.Append(c == '\r' ? '\n' : c);
        return builder.ToString().Trim();
    }

    public static string? CleanOrNull(string? text, int max)
    {
        if (text is null) return null;
        var clean = Clean(text);
        if (clean.Length == 0) return null;
        return clean.Length > max ? clean[..max] : clean;
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
