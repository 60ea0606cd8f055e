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
            throw new RecipeException([new RecipeError(file, null, null, null,
                $"The file is not valid UTF-8: line {LineOf(utf8, e.Index)} has the bytes {bytes}, which are not UTF-8 text. " +
                "Save the file with the UTF-8 encoding (in most editors: Save with encoding, UTF-8).")]);
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

        void Error(int line, string? path, string message)
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
            errors.Add(new RecipeError(file, step, null, path, $"Line {line}: {message}"));
        }

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
                        Error(LineOf(utf8, reader.TokenStartIndex), null, string.Create(CultureInfo.InvariantCulture,
                            $"The recipe has more than {RecipeDocument.MaxSteps:N0} steps, the most a recipe may have. Split it into several recipes applied one after the other."));
                        break;
                    }
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (frames.Count >= RecipeDocument.MaxDepth)
                        {
                            Error(LineOf(utf8, reader.TokenStartIndex), PathOf(frames),
                                $"The recipe is nested too deeply: more than {RecipeDocument.MaxDepth} levels of objects and arrays (the recipe object is level 1). " +
                                "No step needs that many; flatten the structure.");
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
                            Error(LineOf(utf8, reader.TokenStartIndex), PathOf(frames), UnpairedSurrogate);
                            top!.Property = "?";
                            break;
                        }
                        top!.Property = key;
                        if (TextRules.IndexOfUnsafe(key, singleLine: true) is var unsafeKey and >= 0)
                            Error(LineOf(utf8, reader.TokenStartIndex), PathOf(frames), $"The key \"{TextRules.Visible(key)}\" contains {TextRules.Describe(key[unsafeKey])}. " +
                                                                     "Keys are plain names: remove it.");
                        else if (!(top.Keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(key))
                            Error(LineOf(utf8, reader.TokenStartIndex), PathOf(frames), $"The key \"{key}\" appears twice in the same object. " +
                                                                     "JSON would keep only one of the two values: remove the other.");
                        break;
                    case JsonTokenType.String:
                        if (!TryGetString(ref reader, out var text))
                            Error(LineOf(utf8, reader.TokenStartIndex), PathOf(frames), UnpairedSurrogate);
                        else if (TextRules.IndexOfUnsafe(text, singleLine: false) is var unsafeAt and >= 0)
                            Error(LineOf(utf8, reader.TokenStartIndex), PathOf(frames), $"The text contains {TextRules.Describe(text[unsafeAt])} at position {unsafeAt + 1}. " +
                                                                     "Remove it: a recipe may not hold control characters (other than tab and line breaks) or direction overrides.");
                        break;
                }
                if (errors.Count >= MaxErrors)
                {
                    errors.Add(new RecipeError(file, null, null, null, $"More problems may follow; the first {MaxErrors} are listed. Fix them and apply the recipe again."));
                    break;
                }
            }
        }
        catch (JsonException e)
        {
            errors.Add(new RecipeError(file, null, null, null,
                $"The file is not valid JSON: line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}. " +
                "Check for a missing comma, quote or brace near there."));
        }
        if (errors.Count > 0) throw new RecipeException(errors);
    }

    private const string UnpairedSurrogate =
        "The text has a \\u escape that is half of a character (an unpaired surrogate such as \\uD800). Write the whole character, or remove the escape.";

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
