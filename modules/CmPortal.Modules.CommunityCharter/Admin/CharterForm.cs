using System.Globalization;
using System.Text;
using CmPortal.Modules.CommunityCharter.Data;

namespace CmPortal.Modules.CommunityCharter.Admin;

/// <summary>
/// The draft editor's form: indexed fields (<c>Sections[2].Rules[0].Id</c>), with blank rows to add a section or
/// a rule. A row left blank is dropped, which is also how one removes a section or a rule.
/// </summary>
internal sealed class CharterForm
{
    public const int BlankRulesPerSection = 2;

    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Introduction { get; set; }
    public List<SectionForm> Sections { get; set; } = [];

    public static CharterForm From(CharterDocument document) => new()
    {
        Title = document.Title,
        Description = document.Description,
        Introduction = document.Introduction,
        Sections = document.Sections.Select(s => new SectionForm
        {
            Id = s.Id, Title = s.Title, Introduction = s.Introduction,
            Rules = s.Rules.Select(r => new RuleForm { Id = r.Id, Text = r.Text }).ToList(),
        }).ToList(),
    };

    public CharterDocument ToDocument() => new CharterDocument(Title ?? "", Description ?? "", Introduction ?? "",
        Sections.Select(s => new CharterSection(s.Id ?? "", s.Title ?? "", s.Introduction,
            s.Rules.Select(r => new CharterRule(r.Id ?? "", r.Text ?? "")).ToList())).ToList()).Normalized();

    /// <summary>Drops blank rules and blank sections (the ways to remove one).</summary>
    public CharterForm Compact()
    {
        foreach (var section in Sections) section.Rules.RemoveAll(r => r.IsBlank);
        Sections.RemoveAll(s => s.IsBlank);
        return this;
    }

    /// <summary>Adds the blank rows the editor shows: a couple of rules per section and one more section.</summary>
    public CharterForm WithBlankRows()
    {
        Compact();
        Sections.Add(new SectionForm());
        foreach (var section in Sections)
            for (var i = 0; i < BlankRulesPerSection; i++) section.Rules.Add(new RuleForm());
        return this;
    }

    /// <summary>
    /// Gives an id to a section or rule that has content but no id, from its title or first words.
    /// Ids are then stable: later edits of the title or text do not change them.
    /// </summary>
    public void FillMissingIds()
    {
        var sectionIds = Sections.Where(s => !string.IsNullOrWhiteSpace(s.Id)).Select(s => s.Id!.Trim()).ToHashSet(StringComparer.Ordinal);
        var ruleIds = Sections.SelectMany(s => s.Rules).Where(r => !string.IsNullOrWhiteSpace(r.Id)).Select(r => r.Id!.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var section in Sections)
        {
            if (string.IsNullOrWhiteSpace(section.Id) && !string.IsNullOrWhiteSpace(section.Title))
                section.Id = Unique(Slug(section.Title, 4), sectionIds);
            foreach (var rule in section.Rules)
                if (string.IsNullOrWhiteSpace(rule.Id) && !string.IsNullOrWhiteSpace(rule.Text))
                    rule.Id = Unique(Slug(rule.Text, 3), ruleIds);
        }
    }

    /// <summary>Applies a move button: "section:{s}:up|down" or "rule:{s}:{r}:up|down" (indexes of the posted form).</summary>
    public bool Move(string command)
    {
        var parts = command.Split(':');
        var up = parts[^1] == "up";
        if (parts is ["section", var s, _] && int.TryParse(s, out var section))
            return Swap(Sections, section, up ? section - 1 : section + 1);
        if (parts is ["rule", var s2, var r, _] && int.TryParse(s2, out var inSection) && int.TryParse(r, out var rule)
            && inSection >= 0 && inSection < Sections.Count)
            return Swap(Sections[inSection].Rules, rule, up ? rule - 1 : rule + 1);
        return false;
    }

    private static bool Swap<T>(List<T> list, int from, int to)
    {
        if (from < 0 || to < 0 || from >= list.Count || to >= list.Count) return false;
        (list[from], list[to]) = (list[to], list[from]);
        return true;
    }

    private static string Unique(string slug, HashSet<string> taken)
    {
        if (slug.Length == 0) slug = "regle";
        var candidate = slug;
        for (var n = 2; !taken.Add(candidate); n++) candidate = $"{slug}-{n}";
        return candidate;
    }

    /// <summary>"Pas d’insultes, ni de menaces" → "pas-d-insultes" (lowercase ASCII, hyphens).</summary>
    internal static string Slug(string text, int words)
    {
        // The first 40 characters as they were, even in the middle of a word: stored rule ids stay the same.
        var slug = CmPortal.Core.Text.Slugs.From(text, words, int.MaxValue);
        return slug.Length <= 40 ? slug : slug[..40].TrimEnd('-');
    }
}

internal sealed class SectionForm
{
    public string? Id { get; set; }
    public string? Title { get; set; }
    public string? Introduction { get; set; }
    public List<RuleForm> Rules { get; set; } = [];

    public bool IsBlank => string.IsNullOrWhiteSpace(Id) && string.IsNullOrWhiteSpace(Title) && string.IsNullOrWhiteSpace(Introduction) && Rules.All(r => r.IsBlank);
}

internal sealed class RuleForm
{
    public string? Id { get; set; }
    public string? Text { get; set; }

    public bool IsBlank => string.IsNullOrWhiteSpace(Id) && string.IsNullOrWhiteSpace(Text);
}
