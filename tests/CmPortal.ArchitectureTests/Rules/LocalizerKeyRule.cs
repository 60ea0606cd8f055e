using System.Text.RegularExpressions;

namespace CmPortal.ArchitectureTests.Rules;

/// <summary>
/// Rule 4: a localizer key is a string literal. <c>T[role.Name]</c> makes user data a translation key,
/// an HTML string (the view localizer writes its result unencoded) and a format string (<c>{</c> breaks
/// the page). Texts declared in code go through <c>T.Declared(...)</c>, <c>T.Template(...)</c> or
/// <c>T.Role(...)</c> (CmPortal.Core.Localization.DeclaredText), which encode and never format.
/// </summary>
public static partial class LocalizerKeyRule
{
    /// <summary>An indexer on a localizer (T, L, Localizer, or a field named *Localizer) not preceded by a member access.</summary>
    [GeneratedRegex(@"(?<![\w.])(?:T|L|Localizer|\w+Localizer)\[\s*(?<key>[^\s\]])")]
    private static partial Regex LocalizerIndexer();

    /// <summary>Every localizer indexer in the .cs and .cshtml files under the folders whose first key is not a plain literal.</summary>
    public static IReadOnlyList<string> Check(string root, params string[] folders)
    {
        var violations = new List<string>();
        foreach (var folder in folders)
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                     .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
                     .Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            foreach (Match match in LocalizerIndexer().Matches(lines[i]))
            {
                // A key that starts with a quote is a literal; $"..." (interpolated) and @"..." are not plain literals.
                if (match.Groups["key"].Value == "\"") continue;
                violations.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {match.Value}… — use a literal key, or T.Declared/T.Template/T.Role");
            }
        }
        return violations;
    }
}
