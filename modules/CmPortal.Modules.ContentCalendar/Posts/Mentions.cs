using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CmPortal.Core.Security;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>
/// "@Camille" or "@camille@lumen.test" in a comment names a member of the workspace: by e-mail, or by first name
/// (the first word of their name, accents and case aside) when only one member has it. Anything else stays text.
/// </summary>
internal static partial class Mentions
{
    [GeneratedRegex(@"(?<![\p{L}\p{N}_@])@([\p{L}\p{M}\p{N}._%+'-]+(?:@[\p{L}\p{N}.-]+)?)")]
    private static partial Regex Mention();

    public static IReadOnlyList<Guid> Resolve(string text, IEnumerable<Membership> members)
    {
        var people = members.Where(m => m.User is not null).Select(m => m.User!).ToList();
        var found = new List<Guid>();
        foreach (Match match in Mention().Matches(text))
        {
            var name = match.Groups[1].Value.TrimEnd('.', '\'', '-');
            var byEmail = people.FirstOrDefault(u => string.Equals(u.Email, name, StringComparison.OrdinalIgnoreCase));
            if (byEmail is not null) { found.Add(byEmail.Id); continue; }
            var byName = people.Where(u => Fold(FirstName(u.DisplayName)) == Fold(name)).ToList();
            if (byName.Count == 1) found.Add(byName[0].Id);
        }
        return found.Distinct().ToList();
    }

    private static string FirstName(string displayName) => displayName.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    /// <summary>"Chloé" and "chloe" are the same mention.</summary>
    private static string Fold(string s)
    {
        var decomposed = s.Normalize(NormalizationForm.FormD);
        var kept = decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark);
        return string.Concat(kept).ToLowerInvariant();
    }
}
