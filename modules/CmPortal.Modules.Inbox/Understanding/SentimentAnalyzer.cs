using System.Collections.Frozen;

namespace CmPortal.Modules.Inbox.Understanding;

/// <summary>
/// Reads the tone of a post in French or English from published lexicons, with the rules people use to say it:
/// negation flips a word within three words ("pas mal", "I don't love it"), intensifiers and attenuators scale it,
/// the clause after "mais"/"but" weighs more, emoji and emoticons count, "!!!" and ALL CAPS amplify, praise marked
/// ironic (🙃 🙄 😒) is read as its opposite. Thread-safe:
/// the lexicons are frozen at startup and Read() works on spans of the text.
/// </summary>
internal sealed class SentimentAnalyzer
{
    /// <summary>Scores whose magnitude stays below this are neutral (tuned on the dev half of the evaluation set).</summary>
    internal const double NeutralBand = 0.10;

    private const double NegationFactor = -0.74;  // VADER's value: "not good" is less bad than "bad".
    private const double IntensifierFactor = 1.3;
    private const double AttenuatorFactor = 0.55;
    private const double CapsFactor = 1.3;
    private const double ExclamationBoost = 0.3;  // per mark, at most three
    private const double BeforeContrast = 0.5, AfterContrast = 1.5;
    private const double Normalisation = 15;      // VADER's alpha: score = s / sqrt(s² + alpha)

    private const int Negator = 1, Intensifier = 2, Attenuator = 3;

    // Hand-written per language (docs/inbox-sentiment.md): negators, intensifiers, attenuators, folded.
    private static readonly Dictionary<string, int> FrenchModifiers = new()
    {
        ["ne"] = Negator, ["n"] = Negator, ["pas"] = Negator, ["plus"] = Negator, ["jamais"] = Negator, ["aucun"] = Negator,
        ["aucune"] = Negator, ["sans"] = Negator, ["rien"] = Negator, ["ni"] = Negator,
        ["tres"] = Intensifier, ["trop"] = Intensifier, ["vraiment"] = Intensifier, ["super"] = Intensifier,
        ["hyper"] = Intensifier, ["extremement"] = Intensifier, ["tellement"] = Intensifier, ["grave"] = Intensifier,
        ["vachement"] = Intensifier, ["completement"] = Intensifier, ["totalement"] = Intensifier, ["si"] = Intensifier,
        ["peu"] = Attenuator, ["assez"] = Attenuator, ["plutot"] = Attenuator, ["moyennement"] = Attenuator,
    };

    private static readonly Dictionary<string, int> EnglishModifiers = new()
    {
        ["not"] = Negator, ["never"] = Negator, ["no"] = Negator, ["without"] = Negator, ["nor"] = Negator,
        ["dont"] = Negator, ["doesnt"] = Negator, ["didnt"] = Negator, ["isnt"] = Negator, ["wasnt"] = Negator,
        ["arent"] = Negator, ["werent"] = Negator, ["cant"] = Negator, ["cannot"] = Negator, ["wont"] = Negator,
        ["wouldnt"] = Negator, ["couldnt"] = Negator, ["shouldnt"] = Negator, ["havent"] = Negator, ["hasnt"] = Negator,
        ["aint"] = Negator, ["nothing"] = Negator,
        ["very"] = Intensifier, ["really"] = Intensifier, ["so"] = Intensifier, ["extremely"] = Intensifier,
        ["super"] = Intensifier, ["totally"] = Intensifier, ["absolutely"] = Intensifier, ["incredibly"] = Intensifier,
        ["too"] = Intensifier, ["soooo"] = Intensifier, ["sooo"] = Intensifier,
        ["slightly"] = Attenuator, ["somewhat"] = Attenuator, ["bit"] = Attenuator, ["kinda"] = Attenuator,
        ["kind"] = Attenuator, ["fairly"] = Attenuator, ["barely"] = Attenuator,
    };

    // Hand-written idioms whose meaning is not the sum of their words ("pas terrible" is bad, "pas mal" is handled by negation).
    private static readonly Dictionary<string, double> Idioms = new()
    {
        ["pas terrible"] = -2, ["pas top"] = -2, ["pas ouf"] = -2,
    };

    // The French lexicon's entries are Snowball-style stems ("merc" for merci, "magnif" for magnifique, "impecc" for
    // impeccable): a word is looked up as written, then without the first of these endings (longest first) that
    // leaves a known stem of three letters or more.
    private static readonly string[] FrenchEndings =
        ["issements", "issement", "atrices", "atrice", "ateurs", "ateur", "ations", "ation", "ements", "ement", "ances", "ance",
         "ences", "ence", "iques", "ique", "ismes", "isme", "ables", "able", "ibles", "ible", "istes", "iste", "euses", "euse",
         "ites", "ite", "antes", "ante", "ants", "ions", "ion", "ives", "ive", "ifs", "if", "aient", "ait", "ais", "ant", "eux",
         "ees", "ee", "ies", "ie", "es", "er", "ez", "ent", "is", "it", "e", "i", "s", "x"];

    // The endings by their last letter, each list in FrenchEndings' order (longest first): a word is tried only against
    // the endings it can end with (a handful instead of sixty EndsWith a word).
    private static readonly System.Collections.Frozen.FrozenDictionary<char, string[]> FrenchEndingsByLast =
        FrenchEndings.GroupBy(e => e[^1]).ToDictionary(g => g.Key, g => g.ToArray()).ToFrozenDictionary();

    private readonly Dictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> idioms = Idioms.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> frenchModifiers = FrenchModifiers.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> englishModifiers = EnglishModifiers.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly System.Collections.Frozen.FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> french;
    private readonly System.Collections.Frozen.FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> english;
    private readonly System.Collections.Frozen.FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> emoji;
    private readonly LanguageDetector detector;

    public SentimentAnalyzer(LanguageDetector detector) : this(detector, SentimentLexicons.Load()) { }

    internal SentimentAnalyzer(LanguageDetector detector, SentimentLexicons lexicons)
    {
        this.detector = detector;
        french = lexicons.French.GetAlternateLookup<ReadOnlySpan<char>>();
        english = lexicons.English.GetAlternateLookup<ReadOnlySpan<char>>();
        emoji = lexicons.Emoji.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public SentimentReading Read(string text, string? language)
    {
        var lang = Declared(language) ?? detector.Detect(text);
        if (string.IsNullOrWhiteSpace(text)) return new SentimentReading(Sentiment.Neutral, 0, lang);
        bool useFrench = lang != "en", useEnglish = lang != "fr"; // unknown language: both lexicons

        Span<char> current = stackalloc char[64];
        Span<char> previous = stackalloc char[64];
        Span<char> pair = stackalloc char[129];
        var previousLength = 0;
        // The modifiers of the last three words, most recent first.
        int m1 = 0, m2 = 0, m3 = 0;
        double sum = 0, beforeContrast = 0, lastContribution = 0;
        var contrast = false;
        var exclamations = 0;
        var irony = false;
        double kind = 0; // what the positive words counted, for irony

        var tokens = new Tokenizer(text);
        while (tokens.Next(out var token))
        {
            double valence = 0;
            switch (token.Kind)
            {
                case TokenKind.Exclamation:
                    exclamations++;
                    continue;
                case TokenKind.Contrast:
                    beforeContrast += sum;
                    sum = 0;
                    contrast = true;
                    m1 = m2 = m3 = 0;
                    previousLength = 0;
                    continue;
                case TokenKind.Emoticon:
                    sum += Emoticons.Valence(text.AsSpan(token.Start, token.Length));
                    continue;
                case TokenKind.Emoji:
                    var glyph = text.AsSpan(token.Start, token.Length);
                    if (emoji.TryGetValue(glyph, out var e)) sum += e;
                    if (IsIronyMarker(glyph)) irony = true;
                    continue;
            }

            var word = token.Fold(text, current);
            var modifier = Modifier(word, useFrench, useEnglish);
            if (previousLength > 0)
            {
                previous[..previousLength].CopyTo(pair);
                pair[previousLength] = ' ';
                word.CopyTo(pair[(previousLength + 1)..]);
                var phrase = pair[..(previousLength + 1 + word.Length)];
                if (idioms.TryGetValue(phrase, out var idiom) || (useEnglish && english.TryGetValue(phrase, out idiom)))
                {
                    // The phrase replaces what its first word counted, and carries its own negation.
                    sum += idiom - lastContribution;
                    lastContribution = 0;
                    m1 = m2 = m3 = 0;
                    previousLength = 0;
                    continue;
                }
            }

            if (modifier == 0) valence = Lookup(word, useFrench, useEnglish);
            lastContribution = 0;
            if (valence != 0)
            {
                if (m1 == Intensifier || m2 == Intensifier) valence *= IntensifierFactor;
                if (m1 == Attenuator || m2 == Attenuator) valence *= AttenuatorFactor;
                if (m1 == Negator || m2 == Negator || m3 == Negator) valence *= NegationFactor;
                if (token.AllCaps) valence *= CapsFactor;
                sum += valence;
                if (valence > 0) kind += valence;
                lastContribution = valence;
            }
            (m3, m2, m1) = (m2, m1, modifier);
            word.CopyTo(previous);
            previousLength = word.Length;
        }

        var total = contrast ? beforeContrast * BeforeContrast + sum * AfterContrast : sum;
        // "Super, livrée en vingt jours 🙃": kind words beside an upside-down face, an eye roll or an unamused face mean
        // their opposite, and as strongly; the unkind ones keep their sense.
        if (irony && kind > 0) total = Math.Min(total, 0) - kind;
        if (total != 0) total += Math.Sign(total) * ExclamationBoost * Math.Min(exclamations, 3);
        var score = total / Math.Sqrt(total * total + Normalisation);
        var label = score >= NeutralBand ? Sentiment.Positive : score <= -NeutralBand ? Sentiment.Negative : Sentiment.Neutral;
        return new SentimentReading(label, Math.Round(score, 4), lang);
    }

    /// <summary>🙃 🙄 😒: people add them to say they do not mean the kind words before.</summary>
    private static bool IsIronyMarker(ReadOnlySpan<char> glyph) =>
        glyph.StartsWith("\U0001F643") || glyph.StartsWith("\U0001F644") || glyph.StartsWith("\U0001F612");

    private static string? Declared(string? language)
    {
        if (string.IsNullOrEmpty(language) || language.Length < 2) return null;
        var code = language.AsSpan(0, 2);
        if (code.Equals("fr", StringComparison.OrdinalIgnoreCase)) return "fr";
        if (code.Equals("en", StringComparison.OrdinalIgnoreCase)) return "en";
        return null;
    }

    private int Modifier(ReadOnlySpan<char> word, bool useFrench, bool useEnglish)
    {
        if (useFrench && frenchModifiers.TryGetValue(word, out var m)) return m;
        if (useEnglish && englishModifiers.TryGetValue(word, out m)) return m;
        return 0;
    }

    private double Lookup(ReadOnlySpan<char> word, bool useFrench, bool useEnglish)
    {
        if (word.Length < 2) return 0;
        if (useEnglish)
        {
            if (english.TryGetValue(word, out var v)) return v;
            if (word.Length > 3 && word[^1] == 's' && english.TryGetValue(word[..^1], out v)) return v;
        }
        if (useFrench)
        {
            if (french.TryGetValue(word, out var v)) return v;
            if (!FrenchEndingsByLast.TryGetValue(word[^1], out var endings)) return 0;
            foreach (var ending in endings)
            {
                if (word.Length - ending.Length < 3 || !word.EndsWith(ending, StringComparison.Ordinal)) continue;
                if (french.TryGetValue(word[..^ending.Length], out v)) return v;
            }
        }
        return 0;
    }
}
