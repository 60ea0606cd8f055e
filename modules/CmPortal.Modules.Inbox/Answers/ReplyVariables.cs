using System.Text.RegularExpressions;
using CmPortal.Core.Validation;

namespace CmPortal.Modules.Inbox.Answers;

/// <summary>
/// The variables a saved reply may hold, each with a French and an English name (docs/inbox-answers.md):
/// <c>{auteur}</c> or <c>{author}</c> — the mention's author as the source names them (display name, else handle);
/// <c>{marque}</c> or <c>{brand}</c> — the workspace's name. Anything else between braces is refused when saving,
/// so a typo (<c>{auter}</c>) never reaches a reader.
/// </summary>
internal static partial class ReplyVariables
{
    public static readonly IReadOnlyList<string> AuthorNames = ["auteur", "author"];
    public static readonly IReadOnlyList<string> BrandNames = ["marque", "brand"];

    [GeneratedRegex(@"\{([^{}\r\n]{0,60})\}")]
    private static partial Regex Variable();

    /// <summary>One problem per unknown variable, naming it as written.</summary>
    public static List<Problem> Check(string text)
    {
        var problems = new List<Problem>();
        foreach (var name in Variable().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal))
            if (!AuthorNames.Contains(name.Trim().ToLowerInvariant()) && !BrandNames.Contains(name.Trim().ToLowerInvariant()))
                problems.Add(new Problem("text", "“{0}” is not a variable a reply can use. Write auteur or author (the author’s name), marque or brand (the brand’s name), between braces.", "{" + name + "}"));
        return problems;
    }

    /// <summary>The text with the variables filled in; an unknown author leaves the variable's place empty and tidy.</summary>
    public static string Fill(string text, string? author, string brand) =>
        Variable().Replace(text, m =>
        {
            var name = m.Groups[1].Value.Trim().ToLowerInvariant();
            if (AuthorNames.Contains(name)) return author ?? "";
            if (BrandNames.Contains(name)) return brand;
            return m.Value;
        }).Replace(" ,", ",", StringComparison.Ordinal).Replace("  ", " ", StringComparison.Ordinal);

    /// <summary>The text without its variables (what suggestions compare: "{marque}" is in every reply and says nothing).</summary>
    public static string Strip(string text) => Variable().Replace(text, " ");
}
