using System.Text.Json;
using CmPortal.Modules.Inbox.Answers;

namespace CmPortal.Modules.Inbox.Moderation;

/// <summary>
/// Published profanity lists, embedded at build from npm (package.json pins them, docs/inbox-answers.md gives their
/// licences) and read once: naughty-words' French and English lists (LDNOOBW, CC-BY-4.0) and french-badwords-list (MIT).
/// Entries are folded (case, accents) and matched as whole words — or whole runs of words for an entry like
/// "fils de pute" — plurals of words longer than four letters included, so "Scunthorpe", "classe" or "connaissance" never match "cunt", "ass" or "con". Entries written
/// in leetspeak ("1mb3c1l3") or shorter than 3 letters are left out: they would only match by accident.
/// </summary>
internal sealed class ProfanityLists
{
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);
    private readonly List<string[]> _phrases = [];

    public int Count => _words.Count + _phrases.Count;

    public static ProfanityLists Load()
    {
        var lists = new ProfanityLists();
        foreach (var name in new[] { "Profanity/naughty-words-fr.json", "Profanity/naughty-words-en.json" })
            foreach (var entry in JsonSerializer.Deserialize<string[]>(Read(name)) ?? []) lists.Add(entry);
        foreach (var entry in Read("Profanity/french-badwords-list.txt").Split('\n')) lists.Add(entry);
        return lists;
    }

    /// <summary>A list from given entries (tests).</summary>
    public static ProfanityLists Of(params string[] entries)
    {
        var lists = new ProfanityLists();
        foreach (var entry in entries) lists.Add(entry);
        return lists;
    }

    private void Add(string entry)
    {
        var trimmed = entry.Trim();
        if (trimmed.Length < 3 || trimmed.Any(c => !(char.IsLetter(c) || c is ' ' or '-' or '\'' or '’'))) return;
        var words = ReplySuggestions.Words(trimmed);
        if (words.Count == 1) _words.Add(words[0]);
        else if (words.Count > 1) _phrases.Add([.. words]);
    }

    /// <summary>The first listed word or phrase the text holds, as the list folds it; null when there is none.</summary>
    public string? Find(string text)
    {
        var words = ReplySuggestions.Words(text);
        for (var i = 0; i < words.Count; i++)
        {
            if (_words.Contains(words[i])) return words[i];
            // A plural the lists do not spell out ("connards", "imbéciles"); short words are left alone ("cons" in "pros and cons").
            if (words[i].Length > 5 && words[i][^1] is 's' or 'x' && _words.Contains(words[i][..^1])) return words[i][..^1];
            foreach (var phrase in _phrases)
                if (phrase[0] == words[i] && i + phrase.Length <= words.Count && phrase.Select((w, k) => words[i + k] == w).All(x => x))
                    return string.Join(' ', phrase);
        }
        return null;
    }

    private static string Read(string name)
    {
        using var stream = typeof(ProfanityLists).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The profanity list {name} is not embedded: build the Inbox module (npm ci).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
