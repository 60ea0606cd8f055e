using CmPortal.Modules.BrandIdentity.Contracts;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>
/// How the editor tells draft-check issues apart: errors block approval and scheduling (the same rule as
/// <see cref="PostService.GatesAsync"/>: a text too long for its network), warnings can be acknowledged, and an
/// acknowledgement is kept under a key that stays valid while the words it was given for stay where they were.
/// </summary>
internal static class DraftWarnings
{
    public static bool IsError(DraftIssueKind kind) => kind == DraftIssueKind.TooLong;

    /// <summary>"Kind:start:text" — the words without commas or line breaks (the form joins keys with them).</summary>
    public static string Key(DraftIssue issue, string text)
    {
        var start = Math.Clamp(issue.Start, 0, text.Length);
        var words = text.Substring(start, Math.Clamp(issue.Length, 0, text.Length - start));
        var clean = new string(words.Where(c => c is not (',' or '\n' or '\r')).Take(60).ToArray());
        return $"{issue.Kind}:{issue.Start}:{clean}";
    }
}
