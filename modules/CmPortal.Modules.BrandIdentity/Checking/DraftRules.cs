using CmPortal.Core.Localization;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CmPortal.Core.Networks;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.BrandIdentity.Documents;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Checking;

/// <summary>
/// The checks of a draft against an editorial line, for one network: a pure function of its
/// inputs (the spell checker aside). Messages go through the localizer given (English keys);
/// without one they are in English.
/// </summary>
internal static partial class DraftRules
{
    /// <summary>Something found in a draft, before its line and column are known.</summary>
    internal sealed record Finding(DraftIssueKind Kind, int Start, int Length, string Message, string? Suggestion)
    {
        public IReadOnlyList<string> Replacements { get; init; } = [];
        public string? Rule { get; init; }
    }

    /// <summary>Hunspell suggestions kept per misspelt word.</summary>
    public const int MaxSuggestions = 3;

    /// <summary>Suggestions cost Hunspell a few milliseconds each: beyond this many misspelt words, they are listed without.</summary>
    private const int MaxSuggestedWords = 30;

    /// <summary>Words, with inner apostrophes and hyphens ("l’atelier", "peut-être", "aujourd'hui").</summary>
    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+(?:['’\-‐‑][\p{L}\p{M}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>French elided articles and conjunctions before a word: l’, d’, j’, m’, n’, s’, t’, c’, qu’, jusqu’, lorsqu’, puisqu’, quoiqu’.</summary>
    [GeneratedRegex(@"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=[\p{L}\p{M}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FrenchElision();

    /// <param name="line">The workspace's editorial line (empty when none is saved).</param>
    /// <param name="spelling">The dictionary of the workspace's language; null when spelling is unavailable.</param>
    /// <param name="localizer">Formats the messages; English when null.</param>
    /// <param name="grammar">Grammar and typography findings already mapped (Grammalecte's, for French drafts); none when null.</param>
    /// <returns>
    /// The issues in text order. <see cref="DraftCheckResult.SpellingLanguage"/> is the checker's language,
    /// or null when <paramref name="spelling"/> is null.
    /// </returns>
    public static DraftCheckResult Check(EditorialLine line, string text, SocialNetwork network, ISpellChecker? spelling = null,
        IStringLocalizer? localizer = null, IEnumerable<Finding>? grammar = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var found = TextFindings(line, text, spelling, localizer, grammar).Concat(NetworkFindings(line, text, network, localizer));
        return new DraftCheckResult(network.Id, NetworkTextLength.Count(network, text), NetworkTextLength.Limit(network, line.GuidelineFor(network.Id)?.MaxLength),
            Issues(text, found), spelling is not null, spelling?.Language);
    }

    /// <summary>One network's side of a draft: its count, limits and the issues that depend on it (length, hashtags, emoji).</summary>
    public static NetworkCheck CheckNetwork(EditorialLine line, string text, SocialNetwork network, IStringLocalizer? localizer = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new NetworkCheck(network.Id, NetworkTextLength.Count(network, text), NetworkTextLength.Limit(network, line.GuidelineFor(network.Id)?.MaxLength),
            Emoji(text).Count, MaxEmoji(line.GuidelineFor(network.Id)), Issues(text, NetworkFindings(line, text, network, localizer)));
    }

    /// <summary>What depends on the network: length as it counts it, signature hashtag, number of hashtags and of emoji.</summary>
    public static List<Finding> NetworkFindings(EditorialLine line, string text, SocialNetwork network, IStringLocalizer? localizer = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(network);
        var T = localizer ?? EnglishText.Instance;
        var guideline = line.GuidelineFor(network.Id);
        var networkName = T.Declared(network.Name).Value; // "Brand blog" has a translation
        var spans = TextSpans.Find(text);
        var found = new List<Finding>();

        // Length, as the network counts it.
        var length = NetworkTextLength.Count(network, text);
        var limit = NetworkTextLength.Limit(network, guideline?.MaxLength);
        if (limit is int max && length > max && NetworkTextLength.FirstBeyond(network, text, max) is int beyond)
        {
            var excess = length - max;
            found.Add(new(DraftIssueKind.TooLong, beyond, text.Length - beyond,
                T["{0} characters, more than the {1} allowed on {2}", length, max, networkName].Value,
                excess == 1 ? T["Remove 1 character"].Value : T["Remove {0} characters", excess].Value));
        }

        // Hashtags: the signature, and how many.
        var hashtags = spans.Where(s => s.Kind == SpanKind.Hashtag).ToList();
        var signatures = line.SignatureHashtags.Select(NormalizeHashtag).Where(h => h.Length > 1).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (guideline is { RequireSignatureHashtag: true } && signatures.Count > 0)
        {
            var used = hashtags.Select(h => NormalizeHashtag(text.Substring(h.Start, h.Length))).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (!signatures.Any(used.Contains))
                found.Add(new(DraftIssueKind.MissingSignatureHashtag, text.Length, 0,
                    T["{0} posts carry a signature hashtag: {1}", networkName, string.Join(", ", signatures)].Value, signatures[0])
                {
                    // Inserted at the end of the draft, after a space unless the draft already ends with one.
                    Replacements = signatures.Select(h => (text.Length == 0 || char.IsWhiteSpace(text[^1]) ? "" : " ") + h).ToList(),
                });
        }
        var maxHashtags = (guideline?.MaxHashtags, network.MaxHashtags) switch
        {
            (int g, int n) when g >= 0 => Math.Min(g, n),
            (int g, null) when g >= 0 => g,
            (_, var n) => n,
        };
        if (maxHashtags is int most && hashtags.Count > most)
        {
            var first = hashtags[most];
            found.Add(new(DraftIssueKind.TooManyHashtags, first.Start, hashtags[^1].End - first.Start,
                T["{0} hashtags, more than the {1} allowed on {2}", hashtags.Count, most, networkName].Value,
                most switch
                {
                    0 => T["Remove the hashtags"].Value,
                    1 => T["Keep at most 1 hashtag"].Value,
                    _ => T["Keep at most {0} {0|hashtag|hashtags}", most].Value,
                }));
        }

        // Emoji, each grapheme cluster once ("👍🏽", "🇫🇷", "👩‍👩‍👧" are one each).
        if (MaxEmoji(guideline) is int allowed && Emoji(text) is { } emoji && emoji.Count > allowed)
        {
            var first = emoji[allowed];
            found.Add(new(DraftIssueKind.TooManyEmoji, first.Start, emoji[^1].End - first.Start,
                allowed == 1
                    ? T["{0} emoji, more than the one the editorial line allows on {1}", emoji.Count, networkName].Value
                    : T["{0} emoji, more than the {1} the editorial line allows on {2}", emoji.Count, allowed, networkName].Value,
                allowed switch
                {
                    0 => T["Remove the emoji"].Value,
                    1 => T["Keep at most 1 emoji"].Value,
                    _ => T["Keep at most {0} emoji", allowed].Value,
                }));
        }
        return found;
    }

    /// <summary>
    /// What does not depend on the network: banned and preferred terms, the "we don’t" list, spelling, and the
    /// grammar findings given.
    /// </summary>
    public static List<Finding> TextFindings(EditorialLine line, string text, ISpellChecker? spelling = null, IStringLocalizer? localizer = null,
        IEnumerable<Finding>? grammar = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(text);
        var T = localizer ?? EnglishText.Instance;
        var spans = TextSpans.Find(text);
        var found = new List<Finding>();

        // Banned and preferred terms, and the words the "we don’t" list quotes: whole words, case and accents
        // ignored; the longest wins where they overlap.
        var folded = FoldedText.Of(text);
        var terms = new List<(int Start, int Length, DraftIssueKind Kind, string Term, string? Reason)>();
        foreach (var banned in line.Vocabulary.Banned.Where(b => !string.IsNullOrWhiteSpace(b.Term)))
            foreach (var (start, len) in folded.Occurrences(FoldedText.Fold(banned.Term)))
                terms.Add((start, len, DraftIssueKind.BannedTerm, banned.Term.Trim(), string.IsNullOrWhiteSpace(banned.Reason) ? null : banned.Reason.Trim()));
        foreach (var preferred in line.Vocabulary.Preferred.Where(p => !string.IsNullOrWhiteSpace(p.Term)))
            foreach (var replaced in preferred.Replaces.Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.OrdinalIgnoreCase))
                foreach (var (start, len) in folded.Occurrences(FoldedText.Fold(replaced)))
                    terms.Add((start, len, DraftIssueKind.PreferredTerm, preferred.Term.Trim(), null));
        foreach (var item in line.Tone.Dont.Where(d => !string.IsNullOrWhiteSpace(d)))
            foreach (var quoted in QuotedWords(item).Distinct(StringComparer.OrdinalIgnoreCase))
                foreach (var (start, len) in folded.Occurrences(FoldedText.Fold(quoted)))
                    terms.Add((start, len, DraftIssueKind.WeDont, item.Trim(), null));
        var claimed = new List<(int Start, int Length)>(); // original ranges already reported as terms
        foreach (var term in terms.OrderBy(t => t.Start).ThenByDescending(t => t.Length).ThenBy(t => t.Kind switch
                 {
                     DraftIssueKind.BannedTerm => 0,
                     DraftIssueKind.WeDont => 1,
                     _ => 2,
                 }))
        {
            var (start, len) = folded.Original(term.Start, term.Length);
            if (claimed.Any(c => start < c.Start + c.Length && c.Start < start + len)) continue;
            // Links, addresses and handles are names, not words the brand chose.
            if (spans.Any(s => s.Kind is not SpanKind.Hashtag && s.Overlaps(start, len))) continue;
            claimed.Add((start, len));
            var written = text.Substring(start, len);
            found.Add(term.Kind switch
            {
                DraftIssueKind.BannedTerm => new(DraftIssueKind.BannedTerm, start, len, T["\"{0}\" is banned by the editorial line", written].Value,
                    term.Reason ?? T["Remove or rephrase"].Value),
                DraftIssueKind.WeDont => new(DraftIssueKind.WeDont, start, len,
                    T["\"{0}\" goes against what the editorial line says we don’t do: {1}", written, term.Term].Value, T["Rephrase"].Value),
                _ => new(DraftIssueKind.PreferredTerm, start, len, T["Say \"{0}\" rather than \"{1}\"", term.Term, written].Value,
                    MatchCase(term.Term, written)) { Replacements = [MatchCase(term.Term, written)] },
            });
        }

        // Spelling.
        if (spelling is not null)
            found.AddRange(Misspellings(line, text, spans, claimed, spelling)
                .Select(m => new Finding(DraftIssueKind.Misspelling, m.Start, m.Length, T["\"{0}\" is not in the dictionary", m.Word].Value,
                    m.Suggestions.Count == 0 ? null : string.Join(", ", m.Suggestions)) { Replacements = m.Suggestions }));

        // Grammar and typography, except inside links, addresses, mentions and hashtags (names, not sentences).
        if (grammar is not null)
            found.AddRange(grammar.Where(g => !spans.Any(s => s.Overlaps(g.Start, Math.Max(g.Length, 1)))));
        return found;
    }

    /// <summary>The findings as issues, in text order, with their line and column.</summary>
    public static IReadOnlyList<DraftIssue> Issues(string text, IEnumerable<Finding> found)
    {
        var positions = new Positions(text);
        return found
            .OrderBy(f => f.Start).ThenBy(f => f.Length) // at the same place the shorter first, then (stable) in the order of the checks
            .Select(f =>
            {
                var (lineNumber, column) = positions.Of(Math.Clamp(f.Start, 0, text.Length));
                return new DraftIssue(f.Kind, f.Start, f.Length, lineNumber, column, f.Message, f.Suggestion)
                {
                    Replacements = f.Replacements,
                    Rule = f.Rule,
                };
            })
            .ToList();
    }

    /// <summary>The emoji of a text, one range per grapheme cluster, in order.</summary>
    public static List<(int Start, int End)> Emoji(string text)
    {
        var emoji = new List<(int Start, int End)>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            var grapheme = e.GetTextElement();
            if (NetworkTextLength.IsEmoji(grapheme)) emoji.Add((e.ElementIndex, e.ElementIndex + grapheme.Length));
        }
        return emoji;
    }

    private static int? MaxEmoji(NetworkGuideline? guideline) => guideline?.MaxEmoji is int max && max >= 0 ? max : null;

    /// <summary>« apaise l’anxiété », “purifie l’air”, "prix cassés": the words quoted in a "we don’t" item.</summary>
    [GeneratedRegex(@"«\s*([^«»]+?)\s*»|“\s*([^“”]+?)\s*”|""\s*([^""]+?)\s*""", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedPattern();

    internal static IEnumerable<string> QuotedWords(string item) =>
        QuotedPattern().Matches(item)
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value)
            .Select(q => q.Trim().TrimEnd('.', ',', ';', '…').Trim())
            .Where(q => q.Any(char.IsLetterOrDigit));

    /// <summary>
    /// Suggestions in the order to offer them: first those that differ from what was written only by accents, case or
    /// apostrophes ("Decouvrez" → "Découvrez"), then the others as the checker ranked them.
    /// </summary>
    public static List<string> AccentFirst(string written, IEnumerable<string> suggestions)
    {
        var folded = FoldedText.Fold(written);
        var list = suggestions.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).ToList();
        return list.Where(s => FoldedText.Fold(s) == folded).Concat(list.Where(s => FoldedText.Fold(s) != folded)).ToList();
    }

    private static IEnumerable<(int Start, int Length, string Word, IReadOnlyList<string> Suggestions)> Misspellings(
        EditorialLine line, string text, IReadOnlyList<TextSpan> spans, List<(int Start, int Length)> claimed, ISpellChecker spelling)
    {
        var own = BrandWords(line);
        var french = spelling.Language == "fr";
        var suggested = 0;
        var suggestions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

        foreach (Match match in WordPattern().Matches(text))
        {
            var (start, length) = (match.Index, match.Length);
            if (spans.Any(s => s.Overlaps(start, length))) continue; // links, addresses, @mentions, #hashtags
            if (claimed.Any(c => start < c.Start + c.Length && c.Start < start + length)) continue; // reported as a term
            if (text.AsSpan(start, length).ContainsAny(Digits)) continue; // "2026", "h24", "3e"
            if (!match.Value.Any(IsLatinLetter)) continue; // "日本", "Москва": not for a French or English dictionary to judge
            if (IsAcronymOrBrandName(match.Value) || own.Contains(FoldedText.Fold(match.Value))) continue;

            foreach (var part in WrongParts(match.Value, start, french, spelling))
            {
                if (own.Contains(FoldedText.Fold(part.Word)) || IsAcronymOrBrandName(part.Word)) continue;
                if (!suggestions.TryGetValue(part.Word, out var suggestion))
                {
                    suggestion = suggested++ < MaxSuggestedWords ? Suggestions(part.Word, spelling) : [];
                    suggestions[part.Word] = suggestion;
                }
                yield return (part.Start, part.Word.Length, part.Word, suggestion);
            }
        }
    }

    /// <summary>Latin letters: ASCII and the Latin-1, Latin Extended-A/B and Additional blocks (é, œ, ß, ơ, ẞ).</summary>
    private static bool IsLatinLetter(char c) => char.IsLetter(c) && (c < 0x0250 || c is >= '\u1E00' and <= '\u1EFF');

    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    /// <summary>
    /// The misspelt parts of a word: none when the dictionary knows it; else, after a French elision
    /// ("l’ateleir" → "ateleir"), and in a hyphenated word, the parts it does not know.
    /// </summary>
    private static IEnumerable<(int Start, string Word)> WrongParts(string word, int start, bool french, ISpellChecker spelling)
    {
        if (Known(word, spelling)) yield break;
        var offset = 0;
        if (french && FrenchElision().Match(word) is { Success: true } elision)
        {
            offset = elision.Length;
            word = word[offset..];
            if (Known(word, spelling)) yield break;
        }
        var parts = SplitHyphens(word).ToList();
        if (parts.Count == 1)
        {
            if (GraphemeCount(word) >= 2) yield return (start + offset, word);
            yield break;
        }
        foreach (var (partStart, part) in parts)
            if (GraphemeCount(part) >= 2 && !IsAcronymOrBrandName(part) && !Known(part, spelling))
                yield return (start + offset + partStart, part);
    }

    private static IEnumerable<(int Start, string Part)> SplitHyphens(string word)
    {
        var from = 0;
        for (var i = 0; i <= word.Length; i++)
        {
            if (i < word.Length && word[i] is not ('-' or '‐' or '‑')) continue;
            if (i > from) yield return (from, word[from..i]);
            from = i + 1;
        }
    }

    /// <summary>Hunspell reads NFC text with straight apostrophes (its ICONV does the same for ’).</summary>
    private static bool Known(string word, ISpellChecker spelling) =>
        spelling.IsCorrect(ForDictionary(word));

    private static IReadOnlyList<string> Suggestions(string word, ISpellChecker spelling)
    {
        // Hunspell ranks by edit distance: a restored accent can come after a one-letter change, so read a few
        // more than kept (one call either way) and put the accent ones first.
        var list = spelling.Suggest(ForDictionary(word), MaxSuggestions * 3);
        var curly = word.Contains('’');
        return AccentFirst(word, list.Select(s => curly ? s.Replace('\'', '’') : s)).Take(MaxSuggestions).ToList();
    }

    private static string ForDictionary(string word)
    {
        try { word = word.Normalize(NormalizationForm.FormC); }
        catch (ArgumentException) { } // lone surrogate
        return word.Replace('’', '\'').Replace('‐', '-').Replace('‑', '-');
    }

    private static int GraphemeCount(string word) => new StringInfo(word).LengthInTextElements;

    /// <summary>"SNCF", "UGC" (all capitals, two letters or more) and "MaisonLumen", "iPhone" (a capital after a small letter): names the dictionary cannot know.</summary>
    private static bool IsAcronymOrBrandName(string word)
    {
        var letters = word.Where(char.IsLetter).ToList();
        if (letters.Count >= 2 && letters.All(char.IsUpper)) return true;
        for (var i = 1; i < word.Length; i++)
            if (char.IsUpper(word[i]) && char.IsLower(word[i - 1])) return true;
        return false;
    }

    /// <summary>The brand's own words, folded: its preferred terms, banned terms and signature hashtags (also split at capitals: "MaisonLumen" → "maison", "lumen").</summary>
    private static HashSet<string> BrandWords(EditorialLine line)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        var sources = line.Vocabulary.Preferred.Select(p => p.Term)
            .Concat(line.Vocabulary.Banned.Select(b => b.Term))
            .Concat(line.SignatureHashtags.Select(h => h.TrimStart('#', '＃')));
        foreach (var source in sources.Where(s => !string.IsNullOrWhiteSpace(s)))
            foreach (Match word in WordPattern().Matches(source))
            {
                words.Add(FoldedText.Fold(word.Value));
                foreach (var piece in CamelPieces(word.Value)) words.Add(FoldedText.Fold(piece));
            }
        return words;
    }

    private static IEnumerable<string> CamelPieces(string word)
    {
        var from = 0;
        for (var i = 1; i <= word.Length; i++)
        {
            if (i < word.Length && !(char.IsUpper(word[i]) && char.IsLower(word[i - 1])) && word[i] is not ('-' or '\'' or '’')) continue;
            if (i > from) yield return word[from..i].Trim('-', '\'', '’');
            from = i;
        }
    }

    /// <summary>"#maisonlumen" and "＃MaisonLumen" compare equal (ignoring case); "MaisonLumen" gets its "#".</summary>
    private static string NormalizeHashtag(string hashtag)
    {
        var tag = hashtag.Trim().TrimStart('#', '＃');
        return "#" + tag;
    }

    /// <summary>
    /// The preferred term with the case of the word it replaces: all capitals ("PRODUITS" → "CRÉATIONS"), a capital
    /// first letter ("Produits" → "Créations"); otherwise as the editorial line writes it ("produits" → "créations",
    /// "bougie parfumée" → "Lumineo": a capital there is a name's).
    /// </summary>
    internal static string MatchCase(string term, string written)
    {
        var letters = written.Where(char.IsLetter).ToList();
        if (letters.Count >= 2 && letters.All(char.IsUpper)) return term.ToUpper(CultureInfo.InvariantCulture);
        var index = term.TakeWhile(c => !char.IsLetter(c)).Count();
        if (index >= term.Length || letters.Count == 0 || !char.IsUpper(letters[0])) return term;
        return term[..index] + char.ToUpperInvariant(term[index]) + term[(index + 1)..];
    }

    /// <summary>1-based line and column (in graphemes) of UTF-16 offsets; CR LF, LF, CR, U+2028 and U+2029 end a line.</summary>
    private sealed class Positions
    {
        private readonly string _text;
        private readonly List<int> _lineStarts = [0];

        public Positions(string text)
        {
            _text = text;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                if (c is '\r' or '\n' or '\u2028' or '\u2029') _lineStarts.Add(i + 1);
            }
        }

        public (int Line, int Column) Of(int offset)
        {
            var index = _lineStarts.BinarySearch(offset);
            if (index < 0) index = ~index - 1;
            var start = _lineStarts[index];
            return (index + 1, GraphemeCount(_text[start..offset]) + 1);
        }
    }
}
