using System.Globalization;
using System.Text.RegularExpressions;

namespace CmPortal.Modules.CommunityCharter.Data;

/// <summary>
/// One thing wrong with a charter: where (section and rule index, from 0, and field) and what to do.
/// <see cref="Message"/> is an English format string (a key of fr.json) filled with <see cref="Arguments"/>.
/// </summary>
internal sealed record CharterProblem(int? Section, int? Rule, string Field, string Message, params object[] Arguments)
{
    /// <summary>The recipe field path, e.g. "sections[2].rules[0].id".</summary>
    public string Path => Section is not { } s ? Field : Rule is not { } r ? $"sections[{s}].{Field}" : $"sections[{s}].rules[{r}].{Field}";

    /// <summary>The name of the admin form field, e.g. "Sections[2].Rules[0].Id".</summary>
    public string FormKey
    {
        get
        {
            var name = char.ToUpperInvariant(Field[0]) + Field[1..];
            return Section is not { } s ? name : Rule is not { } r ? $"Sections[{s}].{name}" : $"Sections[{s}].Rules[{r}].{name}";
        }
    }

    public string English => string.Format(CultureInfo.InvariantCulture, Message, Arguments);
}

/// <summary>The messages of <see cref="CharterRules"/>, in English; each is a key of Localization/fr.json.</summary>
internal static class CharterMessages
{
    public const string TitleMissing = "The title is empty. Give the charter a title, e.g. \"Community charter\".";
    public const string TitleTooLong = "The title is longer than {0} characters. Shorten it.";
    public const string DescriptionMissing = "The description is empty. Write one or two sentences that sum the charter up: search engines and social networks show them.";
    public const string DescriptionTooLong = "The description is longer than {0} characters. Shorten it: search engines show about 160.";
    public const string IntroductionTooLong = "The introduction is longer than {0} characters. Shorten it, or move text into sections.";
    public const string NoSection = "The charter has no section. Add at least one section with its rules.";
    public const string TooManySections = "The charter has more than {0} sections. Merge some of them.";
    public const string SectionIdMissing = "The section has no id. Give it a short id such as \"valeurs\": it is the anchor of its link and never changes.";
    public const string SectionIdInvalid = "\"{0}\" is not a valid section id. Use lowercase letters, digits and hyphens, e.g. \"valeurs\" ({1} characters at most).";
    public const string SectionIdTwice = "The section id \"{0}\" is already used by section {1}. Give each section its own id.";
    public const string SectionTitleMissing = "The section has no title. Give it one, e.g. \"Our values\".";
    public const string SectionTitleTooLong = "The section title is longer than {0} characters. Shorten it.";
    public const string SectionIntroductionTooLong = "The section introduction is longer than {0} characters. Shorten it, or turn parts of it into rules.";
    public const string SectionEmpty = "The section has neither an introduction nor rules. Add rules, or remove the section.";
    public const string TooManyRules = "The section has more than {0} rules. Split it into several sections.";
    public const string RuleIdMissing = "The rule has no id. Give it a short id such as \"respect\": moderation cites rules by id, so it never changes.";
    public const string RuleIdInvalid = "\"{0}\" is not a valid rule id. Use lowercase letters, digits and hyphens, e.g. \"respect\" ({1} characters at most).";
    public const string RuleIdTwice = "The rule id \"{0}\" is already used by rule {1}. Give each rule of the charter its own id.";
    public const string RuleTextMissing = "The rule has no text. Write the rule, or remove it.";
    public const string RuleTextTooLong = "The rule is longer than {0} characters. Shorten it, or split it into several rules.";
    public const string ChangeNoteMissing = "Say what changed in this version: a change note is required from version 2 on. It appears in the public change log.";
    public const string ChangeNoteTooLong = "The change note is longer than {0} characters. Shorten it.";
    public const string NothingToPublish = "The draft is the same as version {0}: there is nothing new to publish. Edit the draft first.";
    public const string PublishedMeanwhile = "Version {0} was published by someone else a moment ago. Reload the page to see it, then publish again if needed.";
    public const string NoDraft = "There is no draft to publish yet. Write the charter first.";
    public const string ChangedSinceReview = "The draft or the published charter changed since you reviewed the differences. Check them again below, then confirm.";
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
    public static IEnumerable<CharterProblem> Check(CharterDocument document)
    {
        if (document.Title.Length == 0) yield return new(null, null, "title", CharterMessages.TitleMissing);
        else if (document.Title.Length > TitleMaxLength) yield return new(null, null, "title", CharterMessages.TitleTooLong, TitleMaxLength);
        if (document.Description.Length == 0) yield return new(null, null, "description", CharterMessages.DescriptionMissing);
        else if (document.Description.Length > DescriptionMaxLength) yield return new(null, null, "description", CharterMessages.DescriptionTooLong, DescriptionMaxLength);
        if (document.Introduction.Length > IntroductionMaxLength)
            yield return new(null, null, "introduction", CharterMessages.IntroductionTooLong, IntroductionMaxLength);

        if (document.Sections.Count == 0) yield return new(null, null, "sections", CharterMessages.NoSection);
        else if (document.Sections.Count > MaxSections) yield return new(null, null, "sections", CharterMessages.TooManySections, MaxSections);

        var sectionIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var ruleIds = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var s = 0; s < document.Sections.Count; s++)
        {
            var section = document.Sections[s];
            if (section.Id.Length == 0) yield return new(s, null, "id", CharterMessages.SectionIdMissing);
            else if (!IsSlug(section.Id)) yield return new(s, null, "id", CharterMessages.SectionIdInvalid, section.Id, IdMaxLength);
            else if (sectionIds.TryGetValue(section.Id, out var first)) yield return new(s, null, "id", CharterMessages.SectionIdTwice, section.Id, first + 1);
            else sectionIds[section.Id] = s;

            if (section.Title.Length == 0) yield return new(s, null, "title", CharterMessages.SectionTitleMissing);
            else if (section.Title.Length > TitleMaxLength) yield return new(s, null, "title", CharterMessages.SectionTitleTooLong, TitleMaxLength);
            if (section.Introduction is { Length: > SectionIntroductionMaxLength })
                yield return new(s, null, "introduction", CharterMessages.SectionIntroductionTooLong, SectionIntroductionMaxLength);
            if (section.Rules.Count == 0 && section.Introduction is null)
                yield return new(s, null, "rules", CharterMessages.SectionEmpty);
            if (section.Rules.Count > MaxRulesPerSection) yield return new(s, null, "rules", CharterMessages.TooManyRules, MaxRulesPerSection);

            for (var r = 0; r < section.Rules.Count; r++)
            {
                var rule = section.Rules[r];
                if (rule.Id.Length == 0) yield return new(s, r, "id", CharterMessages.RuleIdMissing);
                else if (!IsSlug(rule.Id)) yield return new(s, r, "id", CharterMessages.RuleIdInvalid, rule.Id, IdMaxLength);
                else if (ruleIds.TryGetValue(rule.Id, out var number)) yield return new(s, r, "id", CharterMessages.RuleIdTwice, rule.Id, number);
                else ruleIds[rule.Id] = CharterDocument.Number(s, r);

                if (rule.Text.Length == 0) yield return new(s, r, "text", CharterMessages.RuleTextMissing);
                else if (rule.Text.Length > RuleTextMaxLength) yield return new(s, r, "text", CharterMessages.RuleTextTooLong, RuleTextMaxLength);
            }
        }
    }

    /// <summary>The change note of a new version: required from version 2 on.</summary>
    public static IEnumerable<CharterProblem> CheckChangeNote(string? changeNote, int nextNumber)
    {
        var note = CharterDocument.Clean(changeNote);
        if (note.Length == 0 && nextNumber > 1) yield return new(null, null, "changeNote", CharterMessages.ChangeNoteMissing);
        if (note.Length > ChangeNoteMaxLength) yield return new(null, null, "changeNote", CharterMessages.ChangeNoteTooLong, ChangeNoteMaxLength);
    }
}
