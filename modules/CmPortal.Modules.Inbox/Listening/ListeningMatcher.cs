using CmPortal.Modules.Inbox.Search;

namespace CmPortal.Modules.Inbox.Listening;

/// <summary>
/// A parsed query ready to be tried in memory on many mentions, each term's words folded once, matched against a
/// mention's words folded as the search folds them (<see cref="MentionWords"/>: lower case, accents removed, runs of
/// letters and digits), so that a mention is tagged at ingest exactly when the full-text search would find it: words
/// anywhere, phrases as consecutive words, prefixes on the last word, OR groups, exclusions.
/// </summary>
internal sealed class ListeningMatcher
{
    private readonly Term[][] _required;
    private readonly Term[] _excluded;

    public ListeningMatcher(MentionQuery query)
    {
        _required = query.Required.Select(group => group.Select(Term.Of).ToArray()).ToArray();
        _excluded = query.Excluded.Select(Term.Of).ToArray();
    }

    public bool Matches(MentionWords words)
    {
        if (_required.Length == 0) return false;
        foreach (var group in _required)
            if (!Any(group, words)) return false;
        return !Any(_excluded, words);
    }

    /// <summary>True when a mention in <paramref name="language"/> is within the query's languages (none: every language).</summary>
    public static bool InLanguages(string? languages, string? language) =>
        string.IsNullOrEmpty(languages) || (language is { Length: > 0 } && languages.Split(',').Contains(language, StringComparer.OrdinalIgnoreCase));

    private static bool Any(Term[] terms, MentionWords words)
    {
        foreach (var term in terms)
            if (term.IsIn(words)) return true;
        return false;
    }

    /// <summary>A term's folded words; a lone whole word is looked up in the mention's set, a phrase or a prefix walked.</summary>
    private readonly record struct Term(string[] Words, bool IsPrefix)
    {
        public static Term Of(QueryTerm term) => new(term.Words.ToArray(), term.IsPrefix);

        public bool IsIn(MentionWords mention)
        {
            if (Words.Length == 0) return false;
            if (Words.Length == 1 && !IsPrefix) return mention.Has(Words[0]);
            var words = mention.InOrder;
            for (var start = 0; start + Words.Length <= words.Count; start++)
            {
                var all = true;
                for (var k = 0; k < Words.Length && all; k++)
                {
                    var last = k == Words.Length - 1;
                    all = IsPrefix && last ? words[start + k].StartsWith(Words[k], StringComparison.Ordinal) : words[start + k] == Words[k];
                }
                if (all) return true;
            }
            return false;
        }
    }
}
