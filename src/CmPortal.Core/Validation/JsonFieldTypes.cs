using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace CmPortal.Core.Validation;

/// <summary>
/// What a field of a JSON document takes, found from the model it binds to: the type a JSON path names
/// (<c>mentions[3].publishedAt</c>, <c>variants.bluesky.text</c>) and how to say it to the person who wrote the JSON
/// (a recipe's author, an API client). Used to explain a value of the wrong type.
/// </summary>
public static partial class JsonFieldTypes
{
    /// <summary>A JSON path as System.Text.Json writes it (<c>$.a[3].b</c>) without its <c>$.</c>: null for the whole document.</summary>
    public static string? FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>The type of the field <paramref name="field"/> names in <paramref name="model"/> (the model itself for null); null when the path leaves the model.</summary>
    public static Type? TypeAt(Type model, string? field)
    {
        var type = Nullable.GetUnderlyingType(model) ?? model;
        if (field is null) return type;
        foreach (Match segment in Segments().Matches(field))
        {
            if (segment.Groups["index"].Success)
            {
                if (ElementType(type) is not { } element) return null;
                type = element;
            }
            else
            {
                var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["key"].Value.Replace("''", "'");
                if (ValueType(type) is { } value) type = value;
                else if (type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p =>
                             string.Equals(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, name, StringComparison.OrdinalIgnoreCase)) is { } property)
                    type = property.PropertyType;
                else return null;
            }
            type = Nullable.GetUnderlyingType(type) ?? type;
        }
        return type;
    }

    /// <summary>The type of an array's items (arrays, lists, read-only lists, enumerables; not a string, not a dictionary).</summary>
    public static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (type == typeof(string) || ValueType(type) is not null) return null;
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    /// <summary>What a field of this type takes, declared here and translated where shown.</summary>
    public static DeclaredValue Describe(Type type) => type switch
    {
        _ when type == typeof(string) => ProblemValue.Declared("a string"),
        _ when type == typeof(int) || type == typeof(long) => ProblemValue.Declared("an integer"),
        _ when type == typeof(decimal) || type == typeof(double) => ProblemValue.Declared("a number"),
        _ when type == typeof(bool) => ProblemValue.Declared("true or false"),
        _ when type == typeof(DateOnly) => ProblemValue.Declared("a date written YYYY-MM-DD"),
        _ when type == typeof(TimeOnly) => ProblemValue.Declared("a time written HH:mm"),
        _ when type == typeof(DateTime) => ProblemValue.Declared("a date-time written YYYY-MM-DDTHH:mm:ssZ"),
        _ when type == typeof(DateTimeOffset) => ProblemValue.Declared("an instant written YYYY-MM-DDTHH:mm:ssZ (or with its offset, +01:00)"),
        _ when type == typeof(Guid) => ProblemValue.Declared("an id written as a UUID (5f0c6b7e-2d4a-4c1e-9a8b-3e7d1f2a6c90)"),
        _ when ValueType(type) is not null => ProblemValue.Declared("an object whose fields are named by the documentation"),
        _ when ElementType(type) is not null => ProblemValue.Declared("an array"),
        _ => ProblemValue.Declared("an object of the documented shape"),
    };

    /// <summary>The type of a dictionary's values, for a type keyed by strings; null for any other type.</summary>
    private static Type? ValueType(Type type)
    {
        var dictionary = type.IsGenericType && IsDictionary(type.GetGenericTypeDefinition())
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && IsDictionary(i.GetGenericTypeDefinition()));
        return dictionary?.GetGenericArguments() is [var key, var value] && key == typeof(string) ? value : null;
    }

    private static bool IsDictionary(Type definition) =>
        definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>);

    /// <summary>The steps of a path: <c>.name</c> (or a leading <c>name</c>), <c>[3]</c>, <c>['odd.key']</c>.</summary>
    [GeneratedRegex(@"\G(?:\.?(?<name>[^.\[\]']+)|\[(?<index>\d+)\]|\['(?<key>(?:[^']|'')*)'\])")]
    private static partial Regex Segments();
}
