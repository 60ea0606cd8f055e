using System.Text.Json;
using CmPortal.Modules.ContentCalendar.Data;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>One field of a post that a save changed, as the history shows it.</summary>
internal sealed record PostChange(string Field, string? From, string? To);

/// <summary>A post's fields as text, to compare before and after a save.</summary>
internal static class PostChanges
{
    public static Dictionary<string, string?> Fields(Post post)
    {
        var fields = new Dictionary<string, string?>
        {
            ["text"] = post.Text,
            ["state"] = post.State.ToString(),
            ["startsAt"] = post.StartsLocal,
            ["recurrence"] = post.Recurrence,
            ["skippedDates"] = post.SkippedDates,
            ["pillar"] = post.Pillar,
            ["campaign"] = post.CampaignId?.ToString(),
            ["keyDate"] = post.KeyDate,
            ["persona"] = post.Persona,
            ["assigneeId"] = post.AssigneeId?.ToString(),
            ["labels"] = post.Labels,
            ["notes"] = post.Notes,
            ["evergreen"] = post.Evergreen ? "true" : null,
            ["media"] = post.Media,
            ["channels"] = post.Channels,
            ["networks"] = string.Join(',', post.Variants.OrderBy(v => v.Position).Select(v => v.Network)),
        };
        foreach (var variant in post.Variants)
        {
            fields[$"variants.{variant.Network}.text"] = variant.Text;
            fields[$"variants.{variant.Network}.link"] = variant.Link;
            fields[$"variants.{variant.Network}.media"] = variant.Media;
            fields[$"variants.{variant.Network}.thread"] = variant.Thread;
        }
        return fields;
    }

    public static List<PostChange> Between(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after) =>
        before.Keys.Union(after.Keys)
            .Select(k => new PostChange(k, before.GetValueOrDefault(k), after.GetValueOrDefault(k)))
            .Where(c => !string.Equals(Blank(c.From), Blank(c.To), StringComparison.Ordinal))
            .ToList();

    /// <summary>Changes that alter what goes out (text, variants, media, networks): they send an approved post back to review.</summary>
    public static bool TouchContent(IEnumerable<PostChange> changes) =>
        changes.Any(c => c.Field is "text" or "media" or "networks" || c.Field.StartsWith("variants.", StringComparison.Ordinal));

    public static string Serialize(IEnumerable<PostChange> changes) => JsonSerializer.Serialize(changes, Json);

    public static IReadOnlyList<PostChange> Deserialize(string json) => JsonSerializer.Deserialize<List<PostChange>>(json, Json) ?? [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
