namespace CmPortal.Core.Validation;

/// <summary>
/// What a name shown to others may hold (a role, a workspace, a title): printable text on one line.
/// Control characters (NUL included) and bidirectional controls are refused: they hide or reorder
/// what a reader sees ("Admin\u202Enimda").
/// </summary>
public static class DisplayNames
{
    public static Problem? Check(string? name, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > maxLength)
            return new Problem(null, "A name has 1 to {0} characters.", maxLength);
        foreach (var c in name)
            if (IsInvisibleControl(c))
                return new Problem(null, "The name contains the invisible control character U+{0:X4}. Type the name again without it.", (int)c);
        return null;
    }

    /// <summary>C0 and C1 controls (tab and line breaks included: a name is one line) and the Unicode bidirectional controls.</summary>
    public static bool IsInvisibleControl(char c) =>
        char.IsControl(c) || c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
