using System.Globalization;
using System.Text.RegularExpressions;
using CmPortal.Core.Validation;

namespace CmPortal.Modules.CommunityCharter.Data;

/// <summary>
/// Where a charter problem points: its <see cref="Problem.Field"/> is the recipe path ("sections[2].rules[0].id"),
/// which the admin form turns into its own field name and its "Section 3, rule 3.1" label.
/// </summary>
internal static partial class CharterFields
{
    [GeneratedRegex(@"^sections\[(\d+)\](?:\.rules\[(\d+)\])?\.(\w+)$")]
    private static partial Regex SectionPath();

    /// <summary>The section and rule indexes (from 0) and the field's own name.</summary>
    public static (int? Section, int? Rule, string Field) Parse(string? path)
    {
        if (path is not null && SectionPath().Match(path) is { Success: true } m)
            return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
                m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null, m.Groups[3].Value);
        return (null, null, path ?? "");
    }

    /// <summary>The name of the admin form field, e.g. "Sections[2].Rules[0].Id".</summary>
    public static string FormKey(string? path)
    {
        var (section, rule, field) = Parse(path);
        var name = field.Length == 0 ? field : char.ToUpperInvariant(field[0]) + field[1..];
        return section is not { } s ? name : rule is not { } r ? $"Sections[{s}].{name}" : $"Sections[{s}].Rules[{r}].{name}";
    }
}

/// <summary>What makes a charter valid; shared by the admin form, publishing and the recipe step.</summary>
internal static partial class CharterRules
{
    public const int TitleMaxLength = 150;
    public const int DescriptionMaxLength = 300;
    public const int IntroductionMaxLength = 10_000;
    public const int MaxSections = 30;
    public const int IdMaxLength = 60;
    public const int SectionIntroductionMaxLength = 5_000;
    public const int MaxRulesPerSection = 50;
    public const int RuleTextMaxLength = 4_000;
    public const int ChangeNoteMaxLength = 500;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    internal static partial Regex SlugPattern();

    public static bool IsSlug(string? id) => id is { Length: > 0 and <= IdMaxLength } && SlugPattern().IsMatch(id);

    /// <summary>Checks a normalised document (see <see cref="CharterDocument.Normalized"/>).</summary>
    public static IEnumerable<Problem> Check(CharterDocument document)
    {
        if (document.Title.Length == 0) yield return new Problem("title", "The title is empty. Give the charter a title, e.g. \"Community charter\".");
        else if (document.Title.Length > TitleMaxLength) yield return new Problem("title", "The title is longer than {0} characters. Shorten it.", TitleMaxLength);
        if (document.Description.Length == 0) yield return new Problem("description", "The description is empty. Write one or two sentences that sum the charter up: search engines and social networks show them.");
        else if (document.Description.Length > DescriptionMaxLength) yield return new Problem("description", "The description is longer than {0} characters. Shorten it: search engines show about 160.", DescriptionMaxLength);
        if (document.Introduction.Length > IntroductionMaxLength)
            yield return new Problem("introduction", "The introduction is longer than {0} characters. Shorten it, or move text into sections.", IntroductionMaxLength);

        if (document.Sections.Count == 0) yield return new Problem("sections", "The charter has no section. Add at least one section with its rules.");
        else if (document.Sections.Count > MaxSections) yield return new Problem("sections", "The charter has more than {0} sections. Merge some of them.", MaxSections);

        var sectionIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var ruleIds = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var s = 0; s < document.Sections.Count; s++)
        {
            var section = document.Sections[s];
            if (section.Id.Length == 0) yield return new Problem($"sections[{s}].id", "The section has no id. Give it a short id such as \"valeurs\": it is the anchor of its link and never changes.");
            else if (!IsSlug(section.Id)) yield return new Problem($"sections[{s}].id", "\"{0}\" is not a valid section id. Use lowercase letters, digits and hyphens, e.g. \"valeurs\" ({1} characters at most).", section.Id, IdMaxLength);
            else if (sectionIds.TryGetValue(section.Id, out var first)) yield return new Problem($"sections[{s}].id", "The section id \"{0}\" is already used by section {1}. Give each section its own id.", section.Id, first + 1);
            else sectionIds[section.Id] = s;

            if (section.Title.Length == 0) yield return new Problem($"sections[{s}].title", "The section has no title. Give it one, e.g. \"Our values\".");
            else if (section.Title.Length > TitleMaxLength) yield return new Problem($"sections[{s}].title", "The section title is longer than {0} characters. Shorten it.", TitleMaxLength);
            if (section.Introduction is { Length: > SectionIntroductionMaxLength })
                yield return new Problem($"sections[{s}].introduction", "The section introduction is longer than {0} characters. Shorten it, or turn parts of it into rules.", SectionIntroductionMaxLength);
            if (section.Rules.Count == 0 && section.Introduction is null)
                yield return new Problem($"sections[{s}].rules", "The section has neither an introduction nor rules. Add rules, or remove the section.");
            if (section.Rules.Count > MaxRulesPerSection) yield return new Problem($"sections[{s}].rules", "The section has more than {0} rules. Split it into several sections.", MaxRulesPerSection);

            for (var r = 0; r < section.Rules.Count; r++)
            {
                var rule = section.Rules[r];
                if (rule.Id.Length == 0) yield return new Problem($"sections[{s}].rules[{r}].id", "The rule has no id. Give it a short id such as \"respect\": moderation cites rules by id, so it never changes.");
                else if (!IsSlug(rule.Id)) yield return new Problem($"sections[{s}].rules[{r}].id", "\"{0}\" is not a valid rule id. Use lowercase letters, digits and hyphens, e.g. \"respect\" ({1} characters at most).", rule.Id, IdMaxLength);
                else if (ruleIds.TryGetValue(rule.Id, out var number)) yield return new Problem($"sections[{s}].rules[{r}].id", "The rule id \"{0}\" is already used by rule {1}. Give each rule of the charter its own id.", rule.Id, number);
                else ruleIds[rule.Id] = CharterDocument.Number(s, r);

                if (rule.Text.Length == 0) yield return new Problem($"sections[{s}].rules[{r}].text", "The rule has no text. Write the rule, or remove it.");
                else if (rule.Text.Length > RuleTextMaxLength) yield return new Problem($"sections[{s}].rules[{r}].text", "The rule is longer than {0} characters. Shorten it, or split it into several rules.", RuleTextMaxLength);
            }
        }
    }

    /// <summary>The change note of a new version: required from version 2 on.</summary>
    public static IEnumerable<Problem> CheckChangeNote(string? changeNote, int nextNumber)
    {
        var note = CharterDocument.Clean(changeNote);
        if (note.Length == 0 && nextNumber > 1) yield return new Problem("changeNote", "Say what changed in this version: a change note is required from version 2 on. It appears in the public change log.");
        if (note.Length > ChangeNoteMaxLength) yield return new Problem("changeNote", "The change note is longer than {0} characters. Shorten it.", ChangeNoteMaxLength);
    }
}
