using System.Text.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Recipes;

namespace CmPortal.Modules.BrandIdentity.Documents;

/// <summary>Documents as stored (JSON in the recipe's shape) and what changed between two of them.</summary>
internal static class DocumentChanges
{
    public static string Serialize<T>(T document) => JsonSerializer.Serialize(document, RecipeJson.Options);

    public static T Deserialize<T>(string json) where T : new() => JsonSerializer.Deserialize<T>(json, StoredOptions) ?? new T();

    /// <summary>Stored documents are read leniently: a field added in a later version simply takes its default.</summary>
    private static readonly JsonSerializerOptions StoredOptions = new(RecipeJson.Options)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The JSON paths whose value differs, e.g. "mission", "pillars[1].share", "palette[3]" (added or removed).</summary>
    public static List<string> Between(string? before, string after)
    {
        var changes = new List<string>();
        Compare(before is null ? null : JsonNode.Parse(before), JsonNode.Parse(after), "", changes);
        return changes;
    }

    private static void Compare(JsonNode? a, JsonNode? b, string path, List<string> changes)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                    Compare(x[key], y[key], path.Length == 0 ? key : $"{path}.{key}", changes);
                break;
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
                    Compare(i < x.Count ? x[i] : null, i < y.Count ? y[i] : null, $"{path}[{i}]", changes);
                break;
            default:
                if (!JsonNode.DeepEquals(a, b)) changes.Add(path.Length == 0 ? "(all)" : path);
                break;
        }
    }
}
