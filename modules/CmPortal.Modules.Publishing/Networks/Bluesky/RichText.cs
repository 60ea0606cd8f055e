using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CmPortal.Modules.Publishing.Networks.Bluesky;

/// <summary>
/// Bluesky's rich text: a post's length in graphemes (the limit is 300, and 3,000 UTF-8 bytes) and its facets —
/// links, @mentions and #hashtags — found as Bluesky's own client finds them (<c>@atproto/api</c> rich-text
/// detection) and addressed by UTF-8 byte offsets, start inclusive, end exclusive (<c>app.bsky.richtext.facet</c>).
/// Links are the ones written with http:// or https:// (bare domains are left as text).
/// </summary>
internal static partial class RichText
{
    public const int MaxGraphemes = 300;
    public const int MaxBytes = 3000;
    public const int MaxTagGraphemes = 64;

    public enum FacetKind { Link, Mention, Tag }

    /// <summary>A facet found in a text: its byte range, and the URL, the handle (without "@") or the tag (without "#").</summary>
    public sealed record Found(FacetKind Kind, int ByteStart, int ByteEnd, string Value);

    /// <summary>User-perceived characters (extended grapheme clusters): "é" and "👩‍💻" are one each.</summary>
    public static int Graphemes(string text) => new StringInfo(text).LengthInTextElements;

    public static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>The UTF-8 byte offset of a UTF-16 index of the text.</summary>
    public static int ByteOffset(string text, int utf16Index) => Encoding.UTF8.GetByteCount(text.AsSpan(0, utf16Index));

    public static IReadOnlyList<Found> Detect(string text)
    {
        var found = new List<Found>();
        foreach (Match m in Mention().Matches(text))
        {
            var handle = m.Groups["handle"];
            if (!IsHandle(handle.Value)) continue; // "@midi" is not a handle
            found.Add(new Found(FacetKind.Mention, ByteOffset(text, handle.Index - 1), ByteOffset(text, handle.Index + handle.Length), handle.Value.ToLowerInvariant()));
        }
        foreach (Match m in Url().Matches(text))
        {
            var url = m.Groups["url"];
            var (start, end) = (url.Index, url.Index + url.Length);
            // A sentence's final punctuation, or a closing parenthesis the link did not open, is not part of it.
            if (".,;:!?".Contains(text[end - 1], StringComparison.Ordinal)) end--;
            if (text[end - 1] == ')' && !text.AsSpan(start, end - start).Contains('(')) end--;
            var uri = text[start..end];
            if (!Uri.TryCreate(uri, UriKind.Absolute, out _)) continue;
            found.Add(new Found(FacetKind.Link, ByteOffset(text, start), ByteOffset(text, end), uri));
        }
        foreach (Match m in Tag().Matches(text))
        {
            var group = m.Groups["tag"];
            if (!group.Success) continue;
            var tag = TrailingPunctuation().Replace(group.Value.Trim(), "");
            if (tag.Length == 0 || Graphemes(tag) > MaxTagGraphemes) continue;
            var hash = group.Index - 1; // the "#" (or the full-width "＃")
            found.Add(new Found(FacetKind.Tag, ByteOffset(text, hash), ByteOffset(text, group.Index + tag.Length), tag));
        }
        return found.OrderBy(f => f.ByteStart).ToList();
    }

    /// <summary>A handle is a domain name: at least two labels of letters, digits and hyphens, not starting or ending with a hyphen.</summary>
    public static bool IsHandle(string handle) => handle.Length <= 253 && Handle().IsMatch(handle);

    [GeneratedRegex(@"(?<=^|\s|\()@(?<handle>[a-zA-Z0-9.-]+)\b")]
    private static partial Regex Mention();

    [GeneratedRegex(@"(?<=^|\s|\()(?<url>https?://\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    // Bluesky's TAG_REGEX: a tag is not only digits and punctuation; zero-width characters end it.
    [GeneratedRegex(@"(?<=^|\s)[#＃](?<tag>(?!\uFE0F)[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2]*[^\d\s\p{P}\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2]+[^\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2]*)?")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\p{P}+$")]
    private static partial Regex TrailingPunctuation();

    [GeneratedRegex(@"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")]
    private static partial Regex Handle();
}
