using System.Globalization;
using System.Text;

namespace CmPortal.Modules.Inbox.Search;

/// <summary>
/// A mention's text cut into words the way FTS5's <c>unicode61 remove_diacritics 2</c> tokenizer cuts it (runs of
/// letters, numbers and private-use characters; case and accents folded), with each word's place in the original text:
/// the newest-first walk checks mentions against a query with it (<see cref="Matcher"/>) and the snippets mark the
/// words found in the text as typed (<see cref="SnippetHtml"/>) — no query to the full-text index per mention.
/// </summary>
internal static class MentionText
{
    /// <summary>How many words a snippet shows around the matches (FTS5's <c>snippet(…, 24)</c> of before).</summary>
    public const int SnippetWords = 24;

    /// <summary>A word: where it starts in the text, its length there, and its folded form.</summary>
    internal readonly record struct Token(int Start, int Length, string Word);

    /// <summary>The words of <paramref name="text"/>, in order, folded (<see cref="FoldWord"/>).</summary>
    public static List<Token> Tokens(string? text)
    {
        var tokens = new List<Token>();
        if (string.IsNullOrEmpty(text)) return tokens;
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordPart(text, i, out var width)) { i += width; continue; }
            var start = i;
            var ascii = true;
            while (i < text.Length && IsWordPart(text, i, out width))
            {
                ascii &= text[i] < 0x80;
                i += width;
            }
            var word = ascii ? LowerAscii(text, start, i - start) : FoldWord(text[start..i]);
            if (word.Length > 0) tokens.Add(new Token(start, i - start, word));
        }
        return tokens;
    }

    /// <summary>
    /// Letters (L*), numbers (N*) and private-use characters make words, as for unicode61; combining marks stay inside
    /// the word they follow (folding removes them: "e\u0301" is "e"). A surrogate pair is one character.
    /// </summary>
    private static bool IsWordPart(string text, int index, out int width)
    {
        var c = text[index];
        if (c < 0x80)
        {
            width = 1;
            return char.IsAsciiLetterOrDigit(c);
        }
        UnicodeCategory category;
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            width = 2;
            category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[index + 1]));
        }
        else
        {
            width = 1;
            category = CharUnicodeInfo.GetUnicodeCategory(c);
        }
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.PrivateUse
            or UnicodeCategory.NonSpacingMark;
    }

    /// <summary>
    /// Lower case, and the accents of Latin letters removed — only those, as <c>remove_diacritics 2</c> does: the
    /// voicing mark of a Japanese プ or a Devanagari sign stays (FTS5 keeps them, so a search for ランプ finds ランプ).
    /// </summary>
    private static string FoldWord(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var latin = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                if (!latin) builder.Append(c);
                continue;
            }
            latin = c < 0x0250 || c is >= '\u1E00' and <= '\u1EFF';
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string LowerAscii(string text, int start, int length) =>
        string.Create(length, (text, start), static (span, state) =>
        {
            for (var k = 0; k < span.Length; k++) span[k] = char.ToLowerInvariant(state.text[state.start + k]);
        });

    /// <summary>A term's folded words, computed once for a search rather than once per mention.</summary>
    internal readonly record struct Term(string[] Words, bool IsPrefix)
    {
        public Term(QueryTerm term) : this([.. term.Words], term.IsPrefix) { }
    }

    /// <summary>
    /// Checks mentions against a query as FTS5 matches it: every group has a term found in the title or the text, no
    /// excluded term is in either; a phrase (and a prefix's words) stays inside one of them.
    /// </summary>
    internal sealed class Matcher(MentionQuery query)
    {
        private readonly Term[][] _required = [.. query.Required.Select(group => group.Select(t => new Term(t)).ToArray())];
        private readonly Term[] _excluded = [.. query.Excluded.Select(t => new Term(t))];

        public bool Matches(string? title, string text)
        {
            if (_required.Length == 0) return false;
            var titleWords = Words(title);
            var textWords = Words(text);
            foreach (var group in _required)
            {
                var found = false;
                foreach (var term in group)
                    if (IndexOf(textWords, term, 0) >= 0 || IndexOf(titleWords, term, 0) >= 0) { found = true; break; }
                if (!found) return false;
            }
            foreach (var term in _excluded)
                if (IndexOf(textWords, term, 0) >= 0 || IndexOf(titleWords, term, 0) >= 0) return false;
            return true;
        }
    }

    private static List<string> Words(string? text)
    {
        var tokens = Tokens(text);
        var words = new List<string>(tokens.Count);
        foreach (var token in tokens) words.Add(token.Word);
        return words;
    }

    /// <summary>Where the term's words start in <paramref name="words"/> at or after <paramref name="from"/>; -1 if nowhere.</summary>
    private static int IndexOf(List<string> words, Term term, int from)
    {
        var wanted = term.Words;
        if (wanted.Length == 0) return -1;
        for (var start = from; start + wanted.Length <= words.Count; start++)
        {
            var all = true;
            for (var k = 0; k < wanted.Length && all; k++)
                all = term.IsPrefix && k == wanted.Length - 1
                    ? words[start + k].StartsWith(wanted[k], StringComparison.Ordinal)
                    : words[start + k] == wanted[k];
            if (all) return start;
        }
        return -1;
    }

    /// <summary>
    /// The part of the title or the text where the query's terms are found, about <see cref="SnippetWords"/> words,
    /// HTML-encoded with each match in &lt;mark&gt; and "…" where it is cut; null when no term is found in either
    /// (e.g. only an exclusion). Like FTS5's <c>snippet()</c>: the window with the most different terms, then the most
    /// matches, centred on them; the title when it scores as well as the text.
    /// </summary>
    public static string? SnippetHtml(MentionQuery query, string? title, string text)
    {
        var terms = query.Required.SelectMany(group => group).Select(t => new Term(t)).ToList();
        (string Text, List<Token> Tokens, List<(int Start, int End, int Term)> Hits, int Start, int Score)? best = null;
        foreach (var column in new[] { title, text })
        {
            if (string.IsNullOrEmpty(column)) continue;
            var tokens = Tokens(column);
            var words = tokens.ConvertAll(t => t.Word);
            var hits = new List<(int Start, int End, int Term)>();
            for (var t = 0; t < terms.Count; t++)
                for (var at = IndexOf(words, terms[t], 0); at >= 0; at = IndexOf(words, terms[t], at + 1))
                    hits.Add((at, at + terms[t].Words.Length - 1, t));
            if (hits.Count == 0) continue;
            hits.Sort();
            foreach (var hit in hits)
            {
                var (start, score) = Window(hits, hit.Start, tokens.Count);
                if (best is null || score > best.Value.Score) best = (column, tokens, hits, start, score);
            }
        }
        if (best is not { } chosen) return null;
        return Render(chosen.Text, chosen.Tokens, chosen.Hits, chosen.Start);
    }

    /// <summary>The window of words starting at a match: its score, and its start moved so its matches sit in the middle.</summary>
    private static (int Start, int Score) Window(List<(int Start, int End, int Term)> hits, int from, int count)
    {
        var seen = new HashSet<int>();
        int score = 0, first = -1, last = -1;
        foreach (var hit in hits)
        {
            if (hit.Start < from || hit.End >= from + SnippetWords) continue;
            score += seen.Add(hit.Term) ? 1000 : 1;
            if (first < 0) first = hit.Start;
            last = hit.End;
        }
        var start = first - (SnippetWords - (last - first + 1)) / 2;
        if (start + SnippetWords > count) start = count - SnippetWords;
        return (Math.Max(start, 0), score);
    }

    private static string Render(string text, List<Token> tokens, List<(int Start, int End, int Term)> hits, int first)
    {
        var last = Math.Min(first + SnippetWords, tokens.Count) - 1;
        // The marked runs of words inside the window, overlapping matches joined.
        var marks = new List<(int Start, int End)>();
        foreach (var hit in hits)
        {
            if (hit.End < first || hit.Start > last) continue;
            var (start, end) = (Math.Max(hit.Start, first), Math.Min(hit.End, last));
            if (marks.Count > 0 && start <= marks[^1].End) marks[^1] = (marks[^1].Start, Math.Max(end, marks[^1].End));
            else marks.Add((start, end));
        }
        var html = new StringBuilder();
        var from = first == 0 ? 0 : tokens[first].Start;
        if (first > 0) html.Append('…');
        foreach (var (start, end) in marks)
        {
            var markFrom = tokens[start].Start;
            var markTo = tokens[end].Start + tokens[end].Length;
            MentionSearch.Encode(text.AsSpan(from, markFrom - from), html);
            html.Append("<mark>");
            MentionSearch.Encode(text.AsSpan(markFrom, markTo - markFrom), html);
            html.Append("</mark>");
            from = markTo;
        }
        var to = last == tokens.Count - 1 ? text.Length : tokens[last].Start + tokens[last].Length;
        MentionSearch.Encode(text.AsSpan(from, to - from), html);
        if (last < tokens.Count - 1) html.Append('…');
        return html.ToString();
    }
}
