using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Understanding;

namespace CmPortal.Modules.Inbox.Answers;

/// <summary>A saved reply offered for a mention: the text with its variables filled in, and how close it came.</summary>
internal sealed record ReplySuggestion(SavedReply Reply, string FilledText, double Score);

/// <summary>
/// The saved replies closest to a mention (docs/inbox-answers.md, "Suggestions"): TF-IDF over the library, in memory.
/// A library is tens of replies, a few hundred at most — ranking them costs well under a millisecond, needs no index
/// kept in step by triggers, and ranks the same way on SQLite and PostgreSQL. Words are folded (case, accents), short
/// and common words dropped, then cut to their first 5 letters: a light stemming that makes "livraison", "livrée"
/// and "livrer" meet on "livra"/"livre" often enough for a short library, in French and in English. A reply's title
/// and tags (its keywords) count twice its text. Then what the mention is about (<see cref="Meanings"/>: "pas arrivée"
/// is a delivery, "ne s'allume plus" a repair) is matched against what each reply's keywords are about: sharing it
/// adds up to <see cref="MeaningBonus"/> to the score — more than any stray word — so a late parcel finds « Retard de
/// livraison » rather than the reply that happens to share "commande" and "semaines" with it.
/// </summary>
internal static class ReplySuggestions
{
    public const int Count = 3;
    private const int StemLength = 5;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        // French
        "les", "des", "une", "que", "qui", "quoi", "est", "pour", "par", "pas", "plus", "sur", "dans", "avec", "sans", "mais",
        "vous", "nous", "votre", "vos", "notre", "nos", "mon", "mes", "ton", "tes", "son", "ses", "leur", "leurs", "cette", "ces",
        "cet", "ete", "etre", "avoir", "avez", "ont", "sont", "fait", "tres", "bien", "aussi", "tout", "tous", "toute", "comme",
        "elle", "ils", "elles", "lui", "moi", "toi", "ceci", "cela", "alors", "donc", "encore", "deja", "bonjour", "merci", "maison", "lumen",
        // English
        "the", "and", "for", "you", "your", "our", "are", "was", "were", "with", "this", "that", "have", "has", "had", "not",
        "but", "from", "they", "them", "their", "will", "would", "can", "could", "just", "very", "all", "any", "its", "hello", "thanks",
    };

    /// <summary>
    /// What community managers answer about, each with the stems (folded, first 5 letters, French and English) that say
    /// it. Short on purpose: the usual reasons to write to a brand, not a thesaurus. "complaint" is vaguer than the
    /// others (a late parcel is also a complaint) and counts half.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Meanings = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["delivery"] = ["livra", "livre", "colis", "arriv", "atten", "retar", "exped", "suivi", "recep", "deliv", "parce", "shipp", "track", "late", "waiti"],
        ["made-to-order"] = ["fabri", "mesur", "surme", "perso", "custo", "bespo"],
        ["where-to-buy"] = ["achet", "achat", "bouti", "reven", "magas", "buy", "store", "shop", "stock", "retai"],
        ["repair"] = ["garan", "panne", "repar", "casse", "brise", "fendu", "defec", "defau", "allum", "fonct", "warra", "broke", "repai", "fault"],
        ["thanks"] = ["merci", "remer", "bravo", "magni", "super", "subli", "adore", "ravie", "ravis", "genia", "thank", "love", "lovel", "beaut", "gorge"],
        ["bulb"] = ["ampou", "culot", "varia", "led", "e27", "e14", "bulb", "bulbs", "dimme", "watt", "kelvi"],
        ["complaint"] = ["decu", "decue", "decus", "inadm", "honte", "rembo", "scand", "recla", "probl", "plain", "disap", "refun", "terri", "horri"],
    };

    /// <summary>What a reply whose keywords share every meaning of the mention adds to its score (a cosine is at most 1).</summary>
    public const double MeaningBonus = 0.5;

    private static readonly Dictionary<string, string> MeaningOfStem =
        Meanings.SelectMany(m => m.Value.Select(stem => (stem, m.Key))).ToDictionary(p => p.stem, p => p.Key, StringComparer.Ordinal);

    private static double MeaningWeight(string meaning) => meaning == "complaint" ? 0.5 : 1;

    /// <summary>The question words of the documented rule (folded); a '?' anywhere counts too.</summary>
    private static readonly string[][] QuestionPhrases =
    [
        ["comment"], ["pourquoi"], ["quand"], ["combien"], ["quel"], ["quelle"], ["quels"], ["quelles"], ["est", "ce", "que"],
        ["est", "ce", "qu"], ["savez", "vous"], ["quelqu", "un", "sait"], ["how"], ["when"], ["where"], ["why"], ["what"], ["which"],
        ["does", "anyone"], ["can", "i"], ["is", "there"],
    ];

    /// <summary>
    /// Does the mention ask a question? A question mark anywhere, or one of the question words as whole words
    /// ("comment", "pourquoi", "quand", "combien", "quel(le)(s)", "est-ce que", "savez-vous", "quelqu'un sait",
    /// "how", "when", "where", "why", "what", "which", "does anyone", "can I", "is there"). Said on the page; the
    /// suggestions are offered either way.
    /// </summary>
    public static bool AsksAQuestion(string text)
    {
        if (text.Contains('?', StringComparison.Ordinal) || text.Contains('？', StringComparison.Ordinal)) return true;
        var words = Words(text);
        for (var i = 0; i < words.Count; i++)
            foreach (var phrase in QuestionPhrases)
                if (i + phrase.Length <= words.Count && phrase.Select((w, k) => words[i + k] == w).All(x => x)) return true;
        return false;
    }

    /// <summary>The <see cref="Count"/> closest replies with a score above zero, best first (ties: by title).</summary>
    public static IReadOnlyList<ReplySuggestion> Rank(Mention mention, IReadOnlyList<SavedReply> library, string brand)
    {
        if (library.Count == 0) return [];
        // The title and tags twice: they say what the reply is for; its text also says much else.
        var documents = library.Select(r =>
        {
            var keywords = r.Title + " " + (r.Tags ?? "").Replace('|', ' ');
            return Terms(keywords + " " + keywords + " " + ReplyVariables.Strip(r.Text));
        }).ToList();
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in documents)
            foreach (var term in document.Keys) frequency[term] = frequency.GetValueOrDefault(term) + 1;
        double Idf(string term) => Math.Log(1 + (double)library.Count / (frequency.GetValueOrDefault(term) + 1)) + 0.1;

        var said = (mention.Title ?? "") + " " + mention.Text;
        var query = Weights(Terms(said), Idf);
        var about = MeaningsOf(said);
        if (query.Count == 0 && about.Count == 0) return [];
        var aboutWeight = about.Sum(MeaningWeight);
        var author = mention.Author ?? mention.AuthorHandle;
        return library.Select((reply, i) =>
            {
                var score = Cosine(query, Weights(documents[i], Idf));
                if (aboutWeight > 0)
                    score += MeaningBonus * MeaningsOf(reply.Title + " " + (reply.Tags ?? "").Replace('|', ' ')).Where(about.Contains).Sum(MeaningWeight) / aboutWeight;
                // A reply written for another language than the mention's is a weaker fit, not a wrong one.
                if (reply.Language is { } language && mention.Language is { } said && language != said) score *= 0.5;
                return new ReplySuggestion(reply, ReplyVariables.Fill(reply.Text, author, brand), score);
            })
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Reply.Title, StringComparer.Ordinal)
            .Take(Count).ToList();
    }

    private static Dictionary<string, double> Weights(Dictionary<string, int> terms, Func<string, double> idf) =>
        terms.ToDictionary(t => t.Key, t => (1 + Math.Log(t.Value)) * idf(t.Key), StringComparer.Ordinal);

    /// <summary>The <see cref="Meanings"/> a text's words say.</summary>
    internal static HashSet<string> MeaningsOf(string text)
    {
        var meanings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(text))
            if (word.Length >= 3 && MeaningOfStem.TryGetValue(word.Length > StemLength ? word[..StemLength] : word, out var meaning)) meanings.Add(meaning);
        return meanings;
    }

    private static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        double dot = 0, na = 0, nb = 0;
        foreach (var (term, weight) in a) { na += weight * weight; if (b.TryGetValue(term, out var other)) dot += weight * other; }
        foreach (var weight in b.Values) nb += weight * weight;
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static Dictionary<string, int> Terms(string text)
    {
        var terms = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in Words(text))
        {
            if (word.Length < 3 || StopWords.Contains(word) || word.All(char.IsDigit)) continue;
            var stem = word.Length > StemLength ? word[..StemLength] : word;
            terms[stem] = terms.GetValueOrDefault(stem) + 1;
        }
        return terms;
    }

    /// <summary>The runs of letters and digits, folded (lower case, no accents).</summary>
    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var c in TextFolding.Fold(text))
        {
            if (char.IsLetterOrDigit(c)) current.Append(c);
            else if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words;
    }
}
