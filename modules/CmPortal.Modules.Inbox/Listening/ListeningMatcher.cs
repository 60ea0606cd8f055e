using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Search;

namespace CmPortal.Modules.Inbox.Listening;

/// <summary>
/// Evaluates a parsed query in memory against a mention's words, folded as the search folds them
/// (<see cref="MentionQuery.WordsOf"/>: lower case, accents removed, runs of letters and digits), so that a mention is
/// tagged at ingest exactly when the full-text search would find it: words anywhere, phrases as consecutive words,
/// prefixes on the last word, OR groups, exclusions.
/// </summary>
internal static class ListeningMatcher
{
    public static IReadOnlyList<string> WordsOf(Mention mention) =>
        MentionQuery.WordsOf(mention.Title is { Length: > 0 } title ? title + " " + mention.Text : mention.Text);

    public static bool Matches(MentionQuery query, IReadOnlyList<string> words)
    {
        if (query.Required.Count == 0) return false;
        foreach (var group in query.Required)
            if (!group.Any(term => Contains(words, term))) return false;
        return !query.Excluded.Any(term => Contains(words, term));
    }

    /// <summary>True when a mention in <paramref name="language"/> is within the query's languages (none: every language).</summary>
    public static bool InLanguages(string? languages, string? language) =>
        string.IsNullOrEmpty(languages) || (language is { Length: > 0 } && languages.Split(',').Contains(language, StringComparer.OrdinalIgnoreCase));

    private static bool Contains(IReadOnlyList<string> words, QueryTerm term)
    {
        var wanted = term.Words;
        if (wanted.Count == 0) return false;
        for (var start = 0; start + wanted.Count <= words.Count; start++)
        {
            var all = true;
            for (var k = 0; k < wanted.Count && all; k++)
            {
                var last = k == wanted.Count - 1;
                all = term.IsPrefix && last ? words[start + k].StartsWith(wanted[k], StringComparison.Ordinal) : words[start + k] == wanted[k];
            }
            if (all) return true;
        }
        return false;
    }
}
