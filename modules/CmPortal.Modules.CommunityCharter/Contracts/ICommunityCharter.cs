using CmPortal.Core.Text;
namespace CmPortal.Modules.CommunityCharter.Contracts;

/// <summary>
/// The published community charter of the current workspace, for other modules (moderation cites the
/// rule a message broke). Only published versions are visible here, never the draft.
/// </summary>
public interface ICommunityCharter
{
    /// <summary>The number of the current version (1, 2, 3…), or null when nothing is published.</summary>
    Task<int?> CurrentVersionAsync(CancellationToken ct = default);

    /// <summary>
    /// The rule with this id in the given version (the current one when null), or null when there is no such
    /// version or the rule is not in it. Rule ids never change when rules move, so a moderation decision can
    /// store (rule id, version) and show the rule as it read then.
    /// </summary>
    Task<CharterRuleReference?> FindRuleAsync(string ruleId, int? version = null, CancellationToken ct = default);

    /// <summary>
    /// Every rule of the given version (the current one when null), in the charter's order (1.1, 1.2, 2.1…), so a
    /// moderator can pick the rule a message broke; empty when there is no such version or nothing is published.
    /// </summary>
    Task<IReadOnlyList<CharterRuleReference>> RulesAsync(int? version = null, CancellationToken ct = default);
}

/// <summary>A rule as a version of the charter states it.</summary>
/// <param name="Version">The version the rule was read in.</param>
/// <param name="Number">Its number in that version, from its position: "3.2" is the 2nd rule of the 3rd section.</param>
/// <param name="RuleId">Its stable id, e.g. "respect".</param>
/// <param name="SectionId">The stable id of its section.</param>
/// <param name="SectionTitle">The title of its section, as plain text.</param>
/// <param name="Text">The rule's text, in Markdown.</param>
/// <param name="Html">The rule's text rendered to sanitised HTML, safe to write into a page.</param>
/// <param name="Url">The path of the rule's anchor on that version's stable page, e.g. "/maison-lumen/charter/v/2#rule-respect".</param>
public sealed record CharterRuleReference(int Version, string Number, string RuleId, string SectionId, string SectionTitle, string Text, string Html, string Url)
{
    /// <summary>Longest <see cref="Title"/> taken from a rule without a bold lead.</summary>
    public const int TitleLength = 70;

    /// <summary>
    /// The rule's name for a list or a sentence, as plain text: its bold lead when it opens with one (« Le respect avant
    /// tout »), otherwise its first clause (« Les insultes », up to the first comma or full stop); never its id
    /// ("credit-createurs") nor Markdown marks.
    /// </summary>
    public string Title
    {
        get
        {
            var text = Text.TrimStart();
            if (text.StartsWith("**", StringComparison.Ordinal) && text.IndexOf("**", 2, StringComparison.Ordinal) is > 2 and var end)
                return SafeMarkdown.ToPlainText(text[2..end]).TrimEnd('.', ':', ' ');
            var plain = SafeMarkdown.ToPlainText(text);
            var clause = plain.IndexOfAny([',', '.', ';', ':', '!', '?', '(']) is > 0 and var stop ? plain[..stop].TrimEnd() : plain;
            return clause.Length > TitleLength ? clause[..TitleLength].TrimEnd() + "…" : clause;
        }
    }
}
