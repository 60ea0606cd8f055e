namespace CmPortal.Core;

/// <summary>
/// Characters stored text refuses, wherever it comes from (a recipe, a form). Two levels:
/// <list type="bullet">
/// <item><b>Any text</b> refuses NUL and the other control characters (U+0000–U+001F, U+007F–U+009F) except tab,
/// line feed and carriage return, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), which reorder what a reader sees without showing themselves.</item>
/// <item><b>One-line text</b> (names, titles) also refuses tab, line breaks (CR, LF, U+2028, U+2029) and the invisible
/// direction marks U+200E, U+200F and U+061C, which have no use in a name but to make two names look alike.</item>
/// </list>
/// Multi-line text (descriptions, Markdown) keeps tabs, line breaks and direction marks, which right-to-left writing uses.
/// </summary>
public static class TextRules
{
    /// <summary>The index of the first character <paramref name="text"/> may not hold, or -1.</summary>
    public static int IndexOfUnsafe(ReadOnlySpan<char> text, bool singleLine)
    {
        for (var i = 0; i < text.Length; i++)
            if (IsUnsafe(text[i], singleLine)) return i;
        return -1;
    }

    public static bool IsUnsafe(char c, bool singleLine) => c switch
    {
        '\t' or '\n' or '\r' => singleLine,
        _ when char.IsControl(c) => true,
        >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' => true,
        '\u2028' or '\u2029' or '\u200E' or '\u200F' or '\u061C' => singleLine,
        _ => false,
    };

    /// <summary>True when <paramref name="text"/> is one line of visible text (null counts as safe: emptiness is checked elsewhere).</summary>
    public static bool IsSafeSingleLine(string? text) => text is null || IndexOfUnsafe(text, singleLine: true) < 0;

    /// <summary>True when <paramref name="text"/> holds no control character but tabs and line breaks, and no direction override.</summary>
    public static bool IsSafeMultiLine(string? text) => text is null || IndexOfUnsafe(text, singleLine: false) < 0;

    /// <summary>The text with every character one-line text refuses written as <c>\u202E</c>, for messages that echo what a person wrote.</summary>
    public static string Visible(string text)
    {
        if (IndexOfUnsafe(text, singleLine: true) < 0) return text;
        var visible = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
            if (IsUnsafe(c, singleLine: true)) visible.Append($"\\u{(int)c:X4}");
            else visible.Append(c);
        return visible.ToString();
    }

    /// <summary>The character as a person can look it up: <c>U+202E (right-to-left override)</c>.</summary>
    public static string Describe(char c) => $"U+{(int)c:X4} ({CharacterName(c)})";

    /// <summary>The English name of an unsafe character (translated where a page shows it: <see cref="Validation.ProblemValue.Character"/>).</summary>
    public static string CharacterName(char c) =>
        Names.TryGetValue(c, out var name) ? name : char.IsControl(c) ? "control character" : "invisible character";

    /// <summary>Every name <see cref="CharacterName"/> gives.</summary>
    public static IEnumerable<string> CharacterNames => Names.Values.Append("control character").Append("invisible character");

    private static readonly Dictionary<char, string> Names = new()
    {
        ['\0'] = "NUL",
        ['\t'] = "tab",
        ['\n'] = "line feed",
        ['\r'] = "carriage return",
        ['\u2028'] = "line separator",
        ['\u2029'] = "paragraph separator",
        ['\u202A'] = "left-to-right embedding",
        ['\u202B'] = "right-to-left embedding",
        ['\u202C'] = "pop directional formatting",
        ['\u202D'] = "left-to-right override",
        ['\u202E'] = "right-to-left override",
        ['\u2066'] = "left-to-right isolate",
        ['\u2067'] = "right-to-left isolate",
        ['\u2068'] = "first strong isolate",
        ['\u2069'] = "pop directional isolate",
        ['\u200E'] = "left-to-right mark",
        ['\u200F'] = "right-to-left mark",
        ['\u061C'] = "Arabic letter mark",
    };
}
