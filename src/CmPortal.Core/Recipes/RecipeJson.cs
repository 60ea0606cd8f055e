using CmPortal.Core.Validation;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace CmPortal.Core.Recipes;

/// <summary>Strict JSON binding for recipe steps, with errors that name the field.</summary>
public static partial class RecipeJson
{
    /// <summary>
    /// camelCase field names, matched exactly: "Title" is not "title" (Web defaults would match either).
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("missing required properties including: (.+)\\.")]
    private static partial Regex MissingRequired();


    public static T? Bind<T>(JsonObject step, RecipeValidationContext context) where T : class
    {
        var body = new JsonObject();
        foreach (var property in step.Where(p => p.Key != "step")) body[property.Key] = property.Value?.DeepClone();
        try
        {
            var model = body.Deserialize<T>(Options);
            if (model is null) context.Error(null, "The step is empty.");
            return model;
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            context.Error(Explain(e, typeof(T), field));
            return null;
        }
    }

    private static string? FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.") ? path[2..] : path.TrimStart('$');

    private static Problem Explain(JsonException e, Type model, string? field)
    {
        var message = e.Message;
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
            return new Problem(field, "\"{0}\" is not a field of this step. Remove it or check its spelling (fields: {1}).", unmapped.Groups[1].Value, ProblemValue.List(FieldNames(model)));
        if (MissingRequired().Match(message) is { Success: true } missing)
            return new Problem(field, "Required field {0} is missing. Add it to the step.", missing.Groups[1].Value.Replace('\'', '"'));
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase))
            return new Problem(field, "This field cannot be null. Give it a value.");
        return TypeAt(model, field) switch
        {
            { IsEnum: true } type => new Problem(field, "The value has the wrong type or format: expected one of {0}.",
                ProblemValue.List(Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))),
            { } type => new Problem(field, "The value has the wrong type or format: expected {0}.", Describe(type)),
            null => new Problem(field, "The value has the wrong type or format."),
        };
    }

    private static IEnumerable<string> FieldNames(Type model) =>
        model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    /// <summary>The CLR type of the field a JSON path (e.g. "keyDates[0].start") names in the step's model.</summary>
    private static Type? TypeAt(Type model, string? field)
    {
        if (field is null) return null;
        var type = model;
        foreach (var segment in field.Split('.'))
        {
            var name = segment.Split('[')[0];
            var property = type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null) return null;
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (segment.Contains('[') && ElementType(type) is { } element) type = element;
        }
        return type;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    /// <summary>What a field of this type takes, declared here and translated where shown.</summary>
    private static DeclaredValue Describe(Type type) => type switch
    {
        _ when type == typeof(string) => ProblemValue.Declared("a string"),
        _ when type == typeof(int) || type == typeof(long) => ProblemValue.Declared("an integer"),
        _ when type == typeof(decimal) || type == typeof(double) => ProblemValue.Declared("a number"),
        _ when type == typeof(bool) => ProblemValue.Declared("true or false"),
        _ when type == typeof(DateOnly) => ProblemValue.Declared("a date written YYYY-MM-DD"),
        _ when type == typeof(TimeOnly) => ProblemValue.Declared("a time written HH:mm"),
        _ when type == typeof(DateTime) => ProblemValue.Declared("a date-time written YYYY-MM-DDTHH:mm:ssZ"),
        _ when ElementType(type) is not null => ProblemValue.Declared("an array"),
        _ => ProblemValue.Declared("an object of the documented shape"),
    };
}
