namespace CmPortal.ArchitectureTests.Rules;

/// <summary>
/// Rule 4b: in a view, a localized text given arguments is not read with <c>.Value</c>. The view localizer's
/// <c>T["Part {0}", n]</c> is a <c>LocalizedHtmlString</c> whose <c>Value</c> is the template before formatting: the
/// page shows « Partie {0} ». Write the text itself (<c>@T["Part {0}", n]</c>), or, for a string inside code,
/// <c>T.GetString("Part {0}", n).Value</c>, which is formatted.
/// </summary>
public static class FormattedValueRule
{
    /// <summary>Every <c>T[…, …].Value</c> in the .cshtml files under the folders.</summary>
    public static IReadOnlyList<string> Check(string root, params string[] folders)
    {
        var violations = new List<string>();
        foreach (var folder in folders)
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cshtml", SearchOption.AllDirectories)
                     .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
                     .Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            for (var at = text.IndexOf("T[", StringComparison.Ordinal); at >= 0; at = text.IndexOf("T[", at + 2, StringComparison.Ordinal))
            {
                if (at > 0 && (char.IsLetterOrDigit(text[at - 1]) || text[at - 1] is '_' or '.')) continue;
                if (IndexerEnd(text, at + 2) is not (var end, true)) continue;
                if (string.CompareOrdinal(text, end, ".Value", 0, 6) != 0) continue;
                var line = text.AsSpan(0, at).Count('\n') + 1;
                violations.Add($"{Path.GetRelativePath(root, file)}:{line}: {text[at..Math.Min(end + 6, at + 60)]} — the unformatted template; use T.GetString(…).Value");
            }
        }
        return violations;
    }

    /// <summary>Where the indexer opened before <paramref name="from"/> closes, and whether it took more than its key.</summary>
    private static (int End, bool HasArguments)? IndexerEnd(string text, int from)
    {
        var (depth, inString, arguments) = (1, false, false);
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case '"': inString = true; break;
                case '[' or '(': depth++; break;
                case ']' or ')' when --depth == 0: return (i + 1, arguments);
                case ',' when depth == 1: arguments = true; break;
            }
        }
        return null;
    }
}
