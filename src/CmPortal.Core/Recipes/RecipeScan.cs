using CmPortal.Core.Validation;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CmPortal.Core.Recipes;

/// <summary>
/// The first look at a recipe file, one pass over its bytes before any JSON tree is built: the bytes must be UTF-8,
/// the JSON well formed, no object may repeat a key, nesting stays within <see cref="RecipeDocument.MaxDepth"/>,
/// no string holds a character <see cref="TextRules"/> refuses, and there are at most <see cref="RecipeDocument.MaxSteps"/> steps.
/// Each problem names the line it is on. Costs linear time in the file's size.
/// </summary>
internal static class RecipeScan
{
    /// <summary>Past this many problems the scan stops: fix these first.</summary>
    private const int MaxErrors = 50;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;
        public int Index { get; set; } = -1;
        public string? Property { get; set; }
        public HashSet<string>? Keys { get; set; }
    }

    public static void Check(ReadOnlySpan<byte> utf8, string file)
    {
        try { StrictUtf8.GetCharCount(utf8); }
        catch (DecoderFallbackException e)
        {
            var bytes = string.Join(" ", (e.BytesUnknown ?? []).Select(b => $"0x{b:X2}"));
            throw new RecipeException([new RecipeError(file, null, null, new Problem(null,
                "The file is not valid UTF-8: line {0} has the bytes {1}, which are not UTF-8 text. " +
                "Save the file with the UTF-8 encoding (in most editors: Save with encoding, UTF-8).", LineOf(utf8, e.Index), bytes))]);
        }

        var errors = new List<RecipeError>();
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            // One more than allowed, so the scan sees the level too many and says so (rather than a bare syntax error).
            MaxDepth = RecipeDocument.MaxDepth + 1,
        });

        // The template starts with "Line {0}: " and the line is the first value, so pages translate the whole sentence.
        void Error(string? path, string template, params object?[] values)
        {
            int? step = null;
            if (path is not null && path.StartsWith("steps[", StringComparison.Ordinal) && path.IndexOf(']') is var close and > 6
                && int.TryParse(path.AsSpan(6, close - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                step = index + 1;
                var rest = path[(close + 1)..];
                path = rest.StartsWith('.') ? rest[1..] : rest;
                if (path.Length == 0) path = null;
            }
            errors.Add(new RecipeError(file, step, null, new Problem(path, template, values)));
        }
        void Unpaired(int line) => Error(PathOf(frames),
            "Line {0}: The text has a \\u escape that is half of a character (an unpaired surrogate such as \\uD800). Write the whole character, or remove the escape.",
            line);

        try
        {
            while (reader.Read())
            {
                var top = frames.Count > 0 ? frames[^1] : null;
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray) && top is { IsArray: true })
                {
                    top.Index++;
                    if (frames.Count == 2 && frames[0] is { IsArray: false, Property: "steps" } && top.Index >= RecipeDocument.MaxSteps)
                    {
                        Error(null, "Line {0}: The recipe has more than {1:N0} steps, the most a recipe may have. Split it into several recipes applied one after the other.",
                            LineOf(utf8, reader.TokenStartIndex), RecipeDocument.MaxSteps);
                        break;
                    }
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (frames.Count >= RecipeDocument.MaxDepth)
                        {
                            Error(PathOf(frames),
                                "Line {0}: The recipe is nested too deeply: more than {1} levels of objects and arrays (the recipe object is level 1). " +
                                "No step needs that many; flatten the structure.", LineOf(utf8, reader.TokenStartIndex), RecipeDocument.MaxDepth);
                            throw new RecipeException(errors);
                        }
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        if (!TryGetString(ref reader, out var key))
                        {
                            Unpaired(LineOf(utf8, reader.TokenStartIndex));
                            top!.Property = "?";
                            break;
                        }
                        top!.Property = key;
                        if (TextRules.IndexOfUnsafe(key, singleLine: true) is var unsafeKey and >= 0)
                            Error(PathOf(frames), "Line {0}: The key \"{1}\" contains {2}. Keys are plain names: remove it.",
                                LineOf(utf8, reader.TokenStartIndex), TextRules.Visible(key), ProblemValue.Character(key[unsafeKey]));
                        else if (!(top.Keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(key))
                            Error(PathOf(frames), "Line {0}: The key \"{1}\" appears twice in the same object. " +
                                                  "JSON would keep only one of the two values: remove the other.", LineOf(utf8, reader.TokenStartIndex), key);
                        break;
                    case JsonTokenType.String:
                        if (!TryGetString(ref reader, out var text))
                            Unpaired(LineOf(utf8, reader.TokenStartIndex));
                        else if (TextRules.IndexOfUnsafe(text, singleLine: false) is var unsafeAt and >= 0)
                            Error(PathOf(frames), "Line {0}: The text contains {1} at position {2}. " +
                                                  "Remove it: a recipe may not hold control characters (other than tab and line breaks) or direction overrides.",
                                LineOf(utf8, reader.TokenStartIndex), ProblemValue.Character(text[unsafeAt]), unsafeAt + 1);
                        break;
                }
                if (errors.Count >= MaxErrors)
                {
                    errors.Add(new RecipeError(file, null, null, new Problem(null, "More problems may follow; the first {0} are listed. Fix them and apply the recipe again.", MaxErrors)));
                    break;
                }
            }
        }
        catch (JsonException e)
        {
            errors.Add(new RecipeError(file, null, null, new Problem(null,
                "The file is not valid JSON: line {0}, position {1}. Check for a missing comma, quote or brace near there.", e.LineNumber + 1, e.BytePositionInLine + 1)));
        }
        if (errors.Count > 0) throw new RecipeException(errors);
    }


    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    /// <summary>The JSON path of the current value, e.g. <c>steps[3].keyDates[0].title</c>.</summary>
    private static string? PathOf(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                if (frame.Index >= 0) path.Append('[').Append(frame.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (frame.Property is not null)
            {
                if (path.Length > 0) path.Append('.');
                path.Append(TextRules.Visible(frame.Property));
            }
        }
        return path.Length == 0 ? null : path.ToString();
    }

    private static int LineOf(ReadOnlySpan<byte> utf8, long index) =>
        utf8[..(int)Math.Min(index, utf8.Length)].Count((byte)'\n') + 1;
}
