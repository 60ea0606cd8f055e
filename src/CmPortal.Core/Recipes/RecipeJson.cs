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
            var field = JsonFieldTypes.FieldOf(e.Path);
            context.Error(Explain(e, typeof(T), field));
            return null;
        }
    }

    private static Problem Explain(JsonException e, Type model, string? field)
    {
        var message = e.Message;
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
            return new Problem(field, "\"{0}\" is not a field of this step. Remove it or check its spelling (fields: {1}).", unmapped.Groups[1].Value, ProblemValue.List(FieldNames(model)));
        if (MissingRequired().Match(message) is { Success: true } missing)
            return new Problem(field, "Required field {0} is missing. Add it to the step.", missing.Groups[1].Value.Replace('\'', '"'));
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase))
            return new Problem(field, "This field cannot be null. Give it a value.");
        return (field is null ? null : JsonFieldTypes.TypeAt(model, field)) switch
        {
            { IsEnum: true } type => new Problem(field, "The value has the wrong type or format: expected one of {0}.",
                ProblemValue.List(Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))),
            { } type => new Problem(field, "The value has the wrong type or format: expected {0}.", JsonFieldTypes.Describe(type)),
            null => new Problem(field, "The value has the wrong type or format."),
        };
    }

    private static IEnumerable<string> FieldNames(Type model) =>
        model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name));
}
