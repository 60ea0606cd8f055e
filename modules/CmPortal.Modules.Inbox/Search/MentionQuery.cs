using System.Globalization;
using System.Text;
using CmPortal.Core.Validation;

namespace CmPortal.Modules.Inbox.Search;

/// <summary>A word, a prefix (<c>eclair*</c>) or an exact phrase (<c>"lampe de chevet"</c>) of a search.</summary>
/// <param name="Text">As the user typed it (without quotes, star or minus).</param>
internal sealed record QueryTerm(string Text, bool IsPhrase = false, bool IsPrefix = false)
{
    /// <summary>The runs of letters and digits of the term, lower-cased, accents removed: what both engines index.</summary>
    public IReadOnlyList<string> Words => MentionQuery.WordsOf(Text);
}

/// <summary>
/// A parsed search: every group is required (words side by side), each group is one term or several joined by OR;
/// excluded terms must not appear. Rebuilt for each engine (<see cref="ToFts5"/>, <see cref="MentionSearch"/> for
/// PostgreSQL): the user's text never reaches an engine as query syntax.
/// </summary>
internal sealed record MentionQuery(IReadOnlyList<IReadOnlyList<QueryTerm>> Required, IReadOnlyList<QueryTerm> Excluded)
{
    /// <summary>Longer searches are refused before parsing (a 10,000-character paste is a mistake, and costly).</summary>
    public const int MaxLength = 500;
    public const int MaxTerms = 30;

    /// <summary>The FTS5 MATCH expression: every term a double-quoted string (quotes doubled), prefixes as <c>"eclair" *</c>.</summary>
    public string ToFts5()
    {
        var builder = new StringBuilder();
        foreach (var group in Required)
        {
            if (builder.Length > 0) builder.Append(" AND ");
            builder.Append(group.Count == 1 ? Fts5Term(group[0]) : "(" + string.Join(" OR ", group.Select(Fts5Term)) + ")");
        }
        foreach (var term in Excluded) builder.Append(" NOT ").Append(Fts5Term(term));
        return builder.ToString();
    }

    private static string Fts5Term(QueryTerm term)
    {
        // Only the words (letters and digits), as one quoted phrase: what unicode61 would make of the text anyway,
        // without any character FTS5 could read as syntax.
        var quoted = "\"" + string.Join(' ', term.Words).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return term.IsPrefix ? quoted + " *" : quoted;
    }

    /// <summary>Lower-cased, accents removed (é → e, Ç → c): the form both indexes compare.</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) builder.Append(char.ToLowerInvariant(c));
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The folded words of a text, as FTS5 cuts them (<see cref="MentionText.Tokens"/>).</summary>
    internal static IReadOnlyList<string> WordsOf(string text) => MentionText.Tokens(text).ConvertAll(token => token.Word);

    /// <summary>Parses what a user typed; null and a problem (field "q") when it cannot be searched as typed.</summary>
    public static MentionQuery? Parse(string? text, out Problem? problem)
    {
        problem = null;
        // Typographic quotes (“ ” « » as a French keyboard or a phone types them) are quotes too.
        text = (text ?? "").Replace('“', '"').Replace('”', '"').Replace('«', '"').Replace('»', '"');
        if (text.Length > MaxLength)
        {
            problem = new Problem("q", "The search is {0} characters long; keep it under {1}.", text.Length, MaxLength);
            return null;
        }
        if (text.Count(c => c == '"') % 2 == 1)
        {
            problem = new Problem("q", "A quotation mark is not closed. Put the exact phrase between two quotation marks: \"lampe de chevet\".");
            return null;
        }
        if (text.IndexOfAny(['(', ')']) >= 0)
        {
            problem = new Problem("q", "Parentheses are not part of the search language. Use words, \"exact phrase\", prefix*, -excluded and OR.");
            return null;
        }

        var tokens = Tokenize(text);
        var required = new List<IReadOnlyList<QueryTerm>>();
        var excluded = new List<QueryTerm>();
        List<QueryTerm>? group = null;
        var afterOr = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token is { IsOr: true })
            {
                if (group is null || afterOr || i == tokens.Count - 1)
                {
                    problem = new Problem("q", "OR goes between two terms: lampe OR applique.");
                    return null;
                }
                afterOr = true;
                continue;
            }
            if (token.Text.Length == 0)
            {
                if (token.IsPhrase && !token.IsExcluded && !token.IsPrefix) continue; // "" : nothing to find
                problem = token.IsExcluded
                    ? new Problem("q", "A minus sign goes right before the word to leave out: -promo.")
                    : new Problem("q", "A star goes at the end of the start of a word: eclair* finds éclairage and éclairer.");
                return null;
            }
            var term = new QueryTerm(token.Text, token.IsPhrase, token.IsPrefix);
            if (term.Words.Count == 0) { if (afterOr) afterOr = false; continue; } // punctuation alone: nothing to find
            if (term.IsPrefix && term.Words[^1].Length < 2)
            {
                problem = new Problem("q", "Give at least two letters before the star: ec*.");
                return null;
            }
            if (token.IsExcluded)
            {
                if (afterOr || (i + 1 < tokens.Count && tokens[i + 1].IsOr))
                {
                    problem = new Problem("q", "An excluded term cannot be one side of OR. Write the OR first, then the exclusions: lampe OR applique -promo.");
                    return null;
                }
                excluded.Add(term);
                group = null;
                continue;
            }
            if (afterOr && group is not null) group.Add(term);
            else required.Add(group = [term]);
            afterOr = false;
        }
        if (required.Sum(g => g.Count) + excluded.Count > MaxTerms)
        {
            problem = new Problem("q", "The search has more than {0} terms. Keep the ones that matter.", MaxTerms);
            return null;
        }
        if (required.Count == 0 && excluded.Count > 0)
        {
            problem = new Problem("q", "A search cannot only exclude. Add at least one word to find, e.g. lampe -promo.");
            return null;
        }
        return new MentionQuery(required, excluded);
    }

    private sealed record Token(string Text, bool IsPhrase, bool IsPrefix, bool IsExcluded, bool IsOr);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            var excluded = false;
            if (text[i] == '-') { excluded = true; i++; }
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1); // balanced: checked before
                var phrase = text[(i + 1)..end];
                i = end + 1;
                var prefix = i < text.Length && text[i] == '*';
                if (prefix) i++;
                tokens.Add(new Token(phrase.Trim(), true, prefix, excluded, false));
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '"') i++;
            var word = text[start..i];
            if (!excluded && word == "OR") { tokens.Add(new Token(word, false, false, false, true)); continue; }
            var isPrefix = word.EndsWith('*');
            word = word.TrimEnd('*');
            if (word.Contains('*'))
            {
                // A star inside a word: read as the end of a prefix.
                word = word[..word.IndexOf('*')];
                isPrefix = true;
            }
            tokens.Add(new Token(word, false, isPrefix, excluded, false));
        }
        return tokens;
    }
}
