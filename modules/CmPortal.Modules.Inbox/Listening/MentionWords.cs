using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Search;

namespace CmPortal.Modules.Inbox.Listening;

/// <summary>
/// A mention's title and text cut into folded words once (<see cref="MentionQuery.WordsOf"/>), for every listening
/// query and automation rule tried on it: with a set of the words besides their order, a lone word is found without
/// walking the text.
/// </summary>
internal sealed class MentionWords
{
    private HashSet<string>? _set;

    public MentionWords(string text) => InOrder = MentionQuery.WordsOf(text);

    public IReadOnlyList<string> InOrder { get; }

    /// <summary>The words of a mention's title and text, cut once: the ingest cuts them on every core before its turn to write.</summary>
    public static MentionWords Of(Mention mention) =>
        mention.Words ??= new MentionWords(mention.Title is { Length: > 0 } title ? title + " " + mention.Text : mention.Text);

    /// <summary>True when the word appears as a whole word.</summary>
    public bool Has(string word) => (_set ??= new HashSet<string>(InOrder, StringComparer.Ordinal)).Contains(word);
}
