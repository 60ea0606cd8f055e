using CmPortal.Core.Validation;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CmPortal.Core.Recipes;

public enum RecipeParameterType { String, Integer, Number, Boolean }

/// <param name="Translations">The description by language ("fr", "en"), when the recipe gives it as an object.</param>
public sealed record RecipeParameter(string Name, RecipeParameterType Type, bool Required, JsonNode? Default, string? Description,
    IReadOnlyDictionary<string, string>? Translations = null)
{
    /// <summary>The description in the language of <paramref name="culture"/> when the recipe has it, else <see cref="Description"/>.</summary>
    public string? DescriptionIn(CultureInfo culture) => RecipeDocument.In(culture, Description, Translations);

    /// <summary>The default written as a person types it in a form (<c>fr-FR</c>, <c>2027</c>, <c>true</c>), or null.</summary>
    public string? DefaultText => Default is null ? null : Default.GetValueKind() == JsonValueKind.String ? Default.GetValue<string>() : Default.ToJsonString();
}

/// <summary>A recipe file, parsed but not yet bound to parameter values.</summary>
public sealed partial class RecipeDocument
{
    private RecipeDocument(string file, string name, (string? Text, IReadOnlyDictionary<string, string>? Translations) title,
        (string? Text, IReadOnlyDictionary<string, string>? Translations) description, IReadOnlyList<RecipeParameter> parameters, JsonArray steps)
    {
        File = file; Name = name; Title = title.Text; _titles = title.Translations;
        Description = description.Text; _descriptions = description.Translations; Parameters = parameters; _steps = steps;
    }

    private readonly IReadOnlyDictionary<string, string>? _titles;
    private readonly IReadOnlyDictionary<string, string>? _descriptions;

    private readonly JsonArray _steps;

    public string File { get; }
    public string Name { get; }

    /// <summary>What people call the recipe ("Espace de marque vide"); its name when it has none.</summary>
    public string? Title { get; }
    public string? Description { get; }
    public IReadOnlyList<RecipeParameter> Parameters { get; }

    /// <summary>The description in the language of <paramref name="culture"/> when the recipe has it, else <see cref="Description"/>.</summary>
    public string? DescriptionIn(CultureInfo culture) => In(culture, Description, _descriptions);

    /// <summary>The title in the language of <paramref name="culture"/>, else its other text, else the recipe's name.</summary>
    public string TitleIn(CultureInfo culture) => In(culture, Title, _titles) ?? Name;

    internal static string? In(CultureInfo culture, string? text, IReadOnlyDictionary<string, string>? translations) =>
        translations is not null && translations.TryGetValue(culture.TwoLetterISOLanguageName, out var translated) ? translated : text;

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex LanguageCode();

    /// <summary>
    /// A text shown to people (a description): a string, or an object of strings by two-letter language code,
    /// <c>{ "en": "…", "fr": "…" }</c>, whose "en" entry (else the first) is the text for other languages.
    /// </summary>
    private static (string? Text, IReadOnlyDictionary<string, string>? Translations)? ReadText(JsonNode node)
    {
        if (node.GetValueKind() == JsonValueKind.String)
            return string.IsNullOrWhiteSpace(node.GetValue<string>()) ? null : (node.GetValue<string>(), null);
        if (node is not JsonObject texts || texts.Count == 0) return null;
        var translations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (language, value) in texts)
        {
            if (!LanguageCode().IsMatch(language) || value?.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetValue<string>())) return null;
            translations[language] = value.GetValue<string>();
        }
        return (translations.GetValueOrDefault("en") ?? translations.Values.First(), translations);
    }

    /// <summary>How a text is written in a recipe: a value of the messages, as JSON is the same in every language.</summary>
    private const string TextShape = "{ \"en\": \"…\", \"fr\": \"…\" }";

    public int StepCount => _steps.Count;

    /// <summary>The step names, in order, as written (for showing progress before a run).</summary>
    public IReadOnlyList<string> StepNames => _steps.Select(s => s?["step"]?.GetValueKind() == JsonValueKind.String ? s["step"]!.GetValue<string>() : "?").ToList();

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ParameterName();

    /// <summary>The largest recipe file the portal reads: 16 MiB.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>The most steps a recipe may have.</summary>
    public const int MaxSteps = 20_000;

    /// <summary>The deepest nesting of objects and arrays a recipe may have (the recipe object itself is level 1).</summary>
    public const int MaxDepth = 32;

    /// <summary>Reads a recipe file; errors name it by its file name.</summary>
    public static RecipeDocument Load(string path) => Load(path, Path.GetFileName(path));

    /// <summary>Reads a recipe file whose errors name it <paramref name="file"/>; its size is checked before it is read.</summary>
    public static RecipeDocument Load(string path, string file)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxBytes) throw TooLarge(file, length);
        return Parse(System.IO.File.ReadAllBytes(path), file);
    }

    /// <summary>Reads the recipe's structure; throws <see cref="RecipeException"/> naming what is wrong.</summary>
    public static RecipeDocument Parse(string json, string file) => Parse(Encoding.UTF8.GetBytes(json), file);

    /// <summary>
    /// Reads the recipe's structure from the file's bytes, which must be UTF-8; throws <see cref="RecipeException"/>
    /// naming what is wrong. Size, encoding, duplicate keys, nesting, unsafe characters and the number of steps are
    /// checked in one pass over the bytes before anything else is built.
    /// </summary>
    public static RecipeDocument Parse(byte[] utf8, string file)
    {
        if (utf8.Length > MaxBytes) throw TooLarge(file, utf8.Length);
        var bytes = utf8.AsMemory();
        if (bytes.Span.StartsWith(Utf8Bom)) bytes = bytes[Utf8Bom.Length..];
        RecipeScan.Check(bytes.Span, file);

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes.Span, documentOptions: new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false, MaxDepth = MaxDepth + 1,
            });
        }
        catch (JsonException e)
        {
            // The scan has read the same bytes with the same rules; this is a safety net.
            throw Fail(file, null, "The file is not valid JSON: {0}", e.Message);
        }
        if (root is not JsonObject recipe) throw Fail(file, null, "The recipe must be a JSON object with \"name\" and \"steps\".");

        var errors = new List<RecipeError>();
        string? Text(string field, bool required)
        {
            var node = recipe[field];
            if (node is null)
            {
                if (required) errors.Add(new(file, null, null, new Problem(field, "\"{0}\" is missing. Add it at the top of the recipe.", field)));
                return null;
            }
            if (node.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(node.GetValue<string>()))
            {
                errors.Add(new(file, null, null, new Problem(field, "\"{0}\" must be a non-empty string.", field)));
                return null;
            }
            return node.GetValue<string>();
        }
        // A text shown to people (title, description), optional: one text, or one per language.
        (string? Text, IReadOnlyDictionary<string, string>? Translations) Shown(string field)
        {
            if (recipe[field] is not { } node) return (null, null);
            if (ReadText(node) is { } text) return text;
            errors.Add(new(file, null, null, new Problem(field, "\"{0}\" must be a non-empty text. Write one text, or one per language: {1} (two-letter language codes, non-empty texts).", field, TextShape)));
            return (null, null);
        }
        var name = Text("name", required: true);
        var title = Shown("title");
        var description = Shown("description");
        foreach (var property in recipe)
        {
            if (property.Key is not ("name" or "title" or "description" or "parameters" or "steps"))
                errors.Add(new(file, null, null, new Problem(property.Key, "\"{0}\" is not a recipe field. Use name, title, description, parameters and steps.", property.Key)));
        }

        var parameters = ParseParameters(file, recipe["parameters"], errors);

        if (recipe["steps"] is not JsonArray steps)
        {
            errors.Add(new(file, null, null, new Problem("steps", "\"steps\" must be an array of steps, each an object with a \"step\" name.")));
            steps = [];
        }
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is not JsonObject step || step["step"] is not JsonValue stepName || stepName.GetValueKind() != JsonValueKind.String)
                errors.Add(new(file, i + 1, null, new Problem("step", "Each step must be an object whose \"step\" field names it, e.g. {0}.", "{ \"step\": \"modules\", ... }")));
        }
        if (errors.Count > 0) throw new RecipeException(errors);
        return new RecipeDocument(file, name!, title, description, parameters, steps);
    }

    private static List<RecipeParameter> ParseParameters(string file, JsonNode? node, List<RecipeError> errors)
    {
        var parameters = new List<RecipeParameter>();
        var declared = new Dictionary<string, int>(StringComparer.Ordinal);
        if (node is null) return parameters;
        if (node is not JsonArray array)
        {
            errors.Add(new(file, null, null, new Problem("parameters", "\"parameters\" must be an array of {0} objects.", "{ \"name\", \"type\", \"required\", \"default\" }")));
            return parameters;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var field = $"parameters[{i}]";
            if (array[i] is not JsonObject p || p["name"]?.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(new(file, null, null, new Problem(field, "A parameter must be an object with a \"name\".")));
                continue;
            }
            var name = p["name"]!.GetValue<string>();
            if (!ParameterName().IsMatch(name))
                errors.Add(new(file, null, null, new Problem($"{field}.name",
                    "\"{0}\" is not a parameter name. Use letters, digits and _, not starting with a digit, e.g. \"brand_name\".", TextRules.Visible(name))));
            else if (declared.TryGetValue(name, out var first))
                errors.Add(new(file, null, null, new Problem($"{field}.name",
                    "The parameter \"{0}\" is declared twice (also parameters[{1}]). Declare each parameter once.", name, first)));
            else declared[name] = i;
            var typeText = p["type"]?.GetValueKind() == JsonValueKind.String ? p["type"]!.GetValue<string>() : "string";
            if (!Enum.TryParse<RecipeParameterType>(typeText, ignoreCase: true, out var type))
            {
                errors.Add(new(file, null, null, new Problem($"{field}.type", "Parameter \"{0}\" has type \"{1}\". Use string, integer, number or boolean.", name, typeText)));
                continue;
            }
            foreach (var key in p.Select(x => x.Key).Where(k => k is not ("name" or "type" or "required" or "default" or "description")))
                errors.Add(new(file, null, null, new Problem($"{field}.{key}", "\"{0}\" is not a parameter field. Use name, type, required, default and description.", key)));
            var required = p["required"]?.GetValueKind() == JsonValueKind.True;
            JsonNode? defaultValue = null;
            if (p["default"] is { } given)
            {
                // Stored with the parameter's type, so that "2027" for an integer substitutes as 2027.
                defaultValue = ConvertValue(given.GetValueKind() == JsonValueKind.String ? given.GetValue<string>() : given.ToJsonString(), type);
                if (defaultValue is null)
                    errors.Add(new(file, null, null, new Problem($"{field}.default", "The default of parameter \"{0}\" must be {1}.", name, Article(type))));
            }
            (string? Text, IReadOnlyDictionary<string, string>? Translations) description = (null, null);
            if (p["description"] is { } describedAs)
            {
                if (ReadText(describedAs) is { } text) description = text;
                else errors.Add(new(file, null, null, new Problem($"{field}.description", "The description of parameter \"{0}\" must be a non-empty text. Write one text, or one per language: {1} (two-letter language codes, non-empty texts).", name, TextShape)));
            }
            parameters.Add(new RecipeParameter(name, type, required, defaultValue, description.Text, description.Translations));
        }
        return parameters;
    }

    /// <summary>Parses a parameter value given as text (command line, form) into a typed JSON value, or null.</summary>
    public static JsonNode? ConvertValue(string text, RecipeParameterType type) => type switch
    {
        RecipeParameterType.String => JsonValue.Create(text),
        RecipeParameterType.Integer => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : null,
        RecipeParameterType.Number => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : null,
        RecipeParameterType.Boolean => bool.TryParse(text, out var b) ? JsonValue.Create(b) : null,
        _ => null,
    };

    /// <summary>
    /// Substitutes <c>{{name}}</c> placeholders with the given values (or defaults). A string
    /// that is only a placeholder takes the parameter's type; inside text it is spliced as text.
    /// </summary>
    public IReadOnlyList<JsonObject> Bind(IReadOnlyDictionary<string, string> values)
    {
        var errors = new List<RecipeError>();
        var typed = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var name in values.Keys.Where(k => Parameters.All(p => p.Name != k)))
            errors.Add(new(File, null, null, Parameters.Count == 0
                ? new Problem($"parameters.{TextRules.Visible(name)}", "The recipe has no parameter \"{0}\". It has no parameters.", TextRules.Visible(name))
                : new Problem($"parameters.{TextRules.Visible(name)}", "The recipe has no parameter \"{0}\". Its parameters are: {1}.",
                    TextRules.Visible(name), ProblemValue.List(Parameters.Select(p => p.Name)))));
        foreach (var parameter in Parameters)
        {
            // An empty value for a required parameter is no value: "--param key=" must not create a workspace without a key.
            if (values.TryGetValue(parameter.Name, out var text) && !(parameter.Required && string.IsNullOrWhiteSpace(text)))
            {
                var value = ConvertValue(text, parameter.Type);
                if (TextRules.IndexOfUnsafe(text, singleLine: false) is var unsafeAt and >= 0)
                    errors.Add(new(File, null, null, new Problem($"parameters.{parameter.Name}",
                        "The value of parameter \"{0}\" contains {1} at position {2}. " +
                        "Remove it: recipe values may not hold control characters (other than tab and line breaks) or direction overrides.",
                        parameter.Name, ProblemValue.Character(text[unsafeAt]), unsafeAt + 1)));
                else if (value is null)
                    errors.Add(new(File, null, null, new Problem($"parameters.{parameter.Name}",
                        "Parameter \"{0}\" must be {1}; \"{2}\" is not. Give a value such as {3}.", parameter.Name, Article(parameter.Type), text, Example(parameter.Type))));
                typed[parameter.Name] = value;
            }
            else if (parameter.Default is not null && !values.ContainsKey(parameter.Name)) typed[parameter.Name] = parameter.Default;
            else if (parameter.Required)
                errors.Add(new(File, null, null, new Problem($"parameters.{parameter.Name}",
                    "Parameter \"{0}\" is required. Give it with --param {0}=VALUE (or in the form).", parameter.Name)));
            else typed[parameter.Name] = null;
        }
        if (errors.Count > 0) throw new RecipeException(errors);

        var steps = new List<JsonObject>();
        for (var i = 0; i < _steps.Count; i++)
        {
            var step = (JsonObject)_steps[i]!.DeepClone();
            var stepName = step["step"]!.GetValue<string>();
            steps.Add((JsonObject)Substitute(step, typed, (field, placeholder) =>
                errors.Add(new(File, i + 1, stepName, new Problem(field,
                    "\"{0}\" names no parameter of this recipe. Declare it under \"parameters\" or fix the name.", "{{" + placeholder + "}}"))), "")!);
        }
        if (errors.Count > 0) throw new RecipeException(errors);
        return steps;
    }

    private static JsonNode? Substitute(JsonNode? node, Dictionary<string, JsonNode?> values, Action<string, string> unknown, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                    obj[key] = Substitute(obj[key]?.DeepClone(), values, unknown, path.Length == 0 ? key : $"{path}.{key}");
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) array[i] = Substitute(array[i]?.DeepClone(), values, unknown, $"{path}[{i}]");
                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var whole = Placeholder().Match(text);
                if (whole.Success && whole.Length == text.Length)
                {
                    if (values.TryGetValue(whole.Groups[1].Value, out var typed)) return typed?.DeepClone();
                    unknown(path, whole.Groups[1].Value);
                    return node;
                }
                return JsonValue.Create(Placeholder().Replace(text, m =>
                {
                    if (values.TryGetValue(m.Groups[1].Value, out var v)) return v is null ? "" : v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
                    unknown(path, m.Groups[1].Value);
                    return m.Value;
                }));
            default:
                return node;
        }
    }

    /// <summary>What a parameter of this type takes, declared here and translated where shown.</summary>
    private static DeclaredValue Article(RecipeParameterType type) => type switch
    {
        RecipeParameterType.Integer => ProblemValue.Declared("an integer"),
        RecipeParameterType.Number => ProblemValue.Declared("a number"),
        RecipeParameterType.Boolean => ProblemValue.Declared("true or false"),
        _ => ProblemValue.Declared("a string"),
    };

    private static string Example(RecipeParameterType type) => type switch
    {
        RecipeParameterType.Integer => "12",
        RecipeParameterType.Number => "12.5",
        RecipeParameterType.Boolean => "true",
        _ => "\"text\"",
    };

    private static RecipeException Fail(string file, string? field, string template, params object?[] values) =>
        new([new RecipeError(file, null, null, new Problem(field, template, values))]);

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static RecipeException TooLarge(string file, long length) => Fail(file, null,
        "The file has {0:N0} bytes; a recipe may have {1:N0} bytes (16 MiB) at most. Split it into several recipes applied one after the other.", length, MaxBytes);
}
