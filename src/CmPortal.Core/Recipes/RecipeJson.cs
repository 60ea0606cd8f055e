using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace CmPortal.Core.Recipes;

/// <summary>Strict JSON binding for recipe steps, with errors that name the field.</summary>
public static partial class RecipeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
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

    [GeneratedRegex("converted to ([^.]+(?:\\.[^.]+)*?)\\. Path")]
    private static partial Regex ConvertTarget();

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
            context.Error(FieldOf(e.Path), Explain(e, typeof(T)));
            return null;
        }
    }

    private static string? FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.") ? path[2..] : path.TrimStart('$');

    private static string Explain(JsonException e, Type model)
    {
        var message = e.Message;
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
            return $"\"{unmapped.Groups[1].Value}\" is not a field of this step. Remove it or check its spelling (fields: {string.Join(", ", FieldNames(model))}).";
        if (MissingRequired().Match(message) is { Success: true } missing)
            return $"Required field {missing.Groups[1].Value.Replace('\'', '"')} is missing. Add it to the step.";
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.OrdinalIgnoreCase))
            return "This field cannot be null. Give it a value.";
        if (ConvertTarget().Match(message) is { Success: true } target)
            return $"The value has the wrong type or format: expected {Describe(target.Groups[1].Value)}.";
        return "The value has the wrong type or format.";
    }

    private static IEnumerable<string> FieldNames(Type model) =>
        model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name));

    private static string Describe(string clrType) => clrType switch
    {
        "System.String" => "a string",
        "System.Int32" or "System.Int64" => "an integer",
        "System.Decimal" or "System.Double" => "a number",
        "System.Boolean" => "true or false",
        "System.DateOnly" => "a date written YYYY-MM-DD",
        "System.TimeOnly" => "a time written HH:mm",
        "System.DateTime" => "a date-time written YYYY-MM-DDTHH:mm:ssZ",
        _ when clrType.StartsWith("System.Collections.Generic.List") || clrType.EndsWith("[]") => "an array",
        _ => "an object of the documented shape",
    };
}
