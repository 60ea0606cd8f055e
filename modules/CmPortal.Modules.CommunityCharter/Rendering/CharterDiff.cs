using System.Text.RegularExpressions;
using CmPortal.Modules.CommunityCharter.Data;

namespace CmPortal.Modules.CommunityCharter.Rendering;

internal enum PieceKind { Same, Added, Removed }

/// <summary>A run of words that both texts share, or that only the new (added) or the old (removed) one has.</summary>
internal sealed record WordPiece(string Text, PieceKind Kind);

internal enum ChangeKind { Added, Removed, Changed }

/// <summary>The parts of a charter other than rules that a version can change.</summary>
internal enum CharterPart { Title, Description, Introduction, Section, SectionTitle, SectionIntroduction }

/// <summary>A change to the title, description, introduction or a section (added, removed, retitled…).</summary>
/// <param name="Subject">The section's title (its new one when retitled), for section parts.</param>
internal sealed record PartChange(CharterPart Part, ChangeKind Kind, string? Subject, string? Before, string? After)
{
    public IReadOnlyList<WordPiece> Words { get; } = WordDiff.Between(Before ?? "", After ?? "");
}

/// <summary>A rule added, removed or reworded; rules are matched by their stable id, so a move alone is no change.</summary>
/// <param name="Number">Its number in the new version ("3.2"), or in the old one when removed.</param>
internal sealed record RuleChange(ChangeKind Kind, string RuleId, string Number, string SectionTitle, string? Before, string? After)
{
    public IReadOnlyList<WordPiece> Words { get; } = WordDiff.Between(Before ?? "", After ?? "");
}

/// <summary>What a version changes from the one before it (<see cref="Previous"/> null for a first version).</summary>
internal sealed record CharterChanges(int? Previous, IReadOnlyList<PartChange> Parts, IReadOnlyList<RuleChange> Rules)
{
    public bool IsEmpty => Parts.Count == 0 && Rules.Count == 0;

    public RuleChange? For(string ruleId) => Rules.FirstOrDefault(r => r.RuleId == ruleId && r.Kind != ChangeKind.Removed);

    /// <summary>Compares two versions of a charter; with no earlier version, nothing is listed.</summary>
    public static CharterChanges Between(int? previousNumber, CharterDocument? before, CharterDocument after)
    {
        if (before is null) return new(null, [], []);
        before = before.Normalized();
        after = after.Normalized();
        var parts = new List<PartChange>();
        void Text(CharterPart part, string? subject, string? old, string? now)
        {
            old = string.IsNullOrWhiteSpace(old) ? null : old;
            now = string.IsNullOrWhiteSpace(now) ? null : now;
            if (old != now) parts.Add(new(part, ChangeKind.Changed, subject, old, now));
        }
        Text(CharterPart.Title, null, before.Title, after.Title);
        Text(CharterPart.Description, null, before.Description, after.Description);
        Text(CharterPart.Introduction, null, before.Introduction, after.Introduction);

        foreach (var section in after.Sections)
        {
            var old = before.Sections.FirstOrDefault(s => s.Id == section.Id);
            if (old is null) parts.Add(new(CharterPart.Section, ChangeKind.Added, section.Title, null, section.Title));
            else
            {
                if (old.Title != section.Title) parts.Add(new(CharterPart.SectionTitle, ChangeKind.Changed, section.Title, old.Title, section.Title));
                Text(CharterPart.SectionIntroduction, section.Title, old.Introduction, section.Introduction);
            }
        }
        foreach (var old in before.Sections.Where(s => after.Sections.All(n => n.Id != s.Id)))
            parts.Add(new(CharterPart.Section, ChangeKind.Removed, old.Title, old.Title, null));

        var rules = new List<RuleChange>();
        var oldRules = before.NumberedRules().ToList();
        var newRules = after.NumberedRules().ToList();
        foreach (var rule in newRules)
        {
            var old = oldRules.FirstOrDefault(r => r.Rule.Id == rule.Rule.Id);
            if (old is null) rules.Add(new(ChangeKind.Added, rule.Rule.Id, rule.Number, rule.Section.Title, null, rule.Rule.Text));
            else if (old.Rule.Text != rule.Rule.Text) rules.Add(new(ChangeKind.Changed, rule.Rule.Id, rule.Number, rule.Section.Title, old.Rule.Text, rule.Rule.Text));
        }
        foreach (var old in oldRules.Where(o => newRules.All(n => n.Rule.Id != o.Rule.Id)))
            rules.Add(new(ChangeKind.Removed, old.Rule.Id, old.Number, old.Section.Title, old.Rule.Text, null));
        return new(previousNumber, parts, rules);
    }
}

/// <summary>
/// A word diff for short texts (a rule, a title): the longest common subsequence of words, punctuation and
/// spaces. Texts too long for it (over <see cref="MaxCells"/> comparisons) show as wholly removed and added.
/// </summary>
internal static partial class WordDiff
{
    private const int MaxCells = 400_000;

    [GeneratedRegex(@"\w+|\s+|[^\w\s]", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    public static IReadOnlyList<WordPiece> Between(string before, string after)
    {
        var a = Token().Matches(before).Select(m => m.Value).ToArray();
        var b = Token().Matches(after).Select(m => m.Value).ToArray();
        var pieces = new List<WordPiece>();
        if ((long)a.Length * b.Length > MaxCells)
        {
            Add(pieces, before, PieceKind.Removed);
            Add(pieces, after, PieceKind.Added);
            return pieces;
        }
        // lengths[i, j]: the longest common subsequence of a[i..] and b[j..].
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        for (var j = b.Length - 1; j >= 0; j--)
            lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { Add(pieces, a[x], PieceKind.Same); x++; y++; }
            // On a tie, the old words go first: "menaces" struck, then "moqueries" added, as people read a correction.
            else if (x < a.Length && (y == b.Length || lengths[x + 1, y] >= lengths[x, y + 1])) Add(pieces, a[x++], PieceKind.Removed);
            else Add(pieces, b[y++], PieceKind.Added);
        }
        return pieces;
    }

    /// <summary>Appends to the last piece when it is of the same kind, so a changed phrase is one mark, not one per word.</summary>
    private static void Add(List<WordPiece> pieces, string text, PieceKind kind)
    {
        if (text.Length == 0) return;
        if (pieces.Count > 0 && pieces[^1].Kind == kind) pieces[^1] = pieces[^1] with { Text = pieces[^1].Text + text };
        else pieces.Add(new(text, kind));
    }
}
