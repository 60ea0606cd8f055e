using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmPortal.Modules.CommunityCharter.Data;

/// <summary>
/// The charter as its authors write it: a title, a short description (meta and Open Graph), a Markdown
/// introduction and ordered sections of ordered rules. Ids are stable slugs; numbers come from positions.
/// </summary>
internal sealed record CharterDocument(string Title, string Description, string Introduction, IReadOnlyList<CharterSection> Sections)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CharterDocument FromJson(string json) =>
        JsonSerializer.Deserialize<CharterDocument>(json, Json) ?? throw new InvalidOperationException("A stored charter document is empty.");

    /// <summary>The same document with text trimmed, line ends as \n and empty optional text as null: equal content, equal JSON.</summary>
    public CharterDocument Normalized() => new(
        Clean(Title), Clean(Description), Clean(Introduction),
        Sections.Select(s => new CharterSection(Clean(s.Id), Clean(s.Title), Optional(s.Introduction),
            (s.Rules ?? []).Select(r => new CharterRule(Clean(r.Id), Clean(r.Text))).ToList())).ToList());

    /// <summary>Same content once normalised (what publishing and the recipe step compare).</summary>
    public bool SameContentAs(CharterDocument? other) => other is not null && Normalized().ToJson() == other.Normalized().ToJson();

    /// <summary>Every rule with its section and its number ("3.2": 2nd rule of the 3rd section).</summary>
    public IEnumerable<NumberedRule> NumberedRules() =>
        Sections.SelectMany((section, s) => (section.Rules ?? []).Select((rule, r) => new NumberedRule(section, rule, Number(s, r))));

    public NumberedRule? FindRule(string ruleId) => NumberedRules().FirstOrDefault(r => r.Rule.Id == ruleId);

    public static string Number(int sectionIndex, int ruleIndex) => $"{sectionIndex + 1}.{ruleIndex + 1}";

    internal static string Clean(string? text) => (text ?? "").Replace("\r\n", "\n").Replace('\r', '\n').Trim();

    private static string? Optional(string? text) => Clean(text) is { Length: > 0 } clean ? clean : null;
}

internal sealed record CharterSection(string Id, string Title, string? Introduction, IReadOnlyList<CharterRule> Rules);

internal sealed record CharterRule(string Id, string Text);

internal sealed record NumberedRule(CharterSection Section, CharterRule Rule, string Number);
