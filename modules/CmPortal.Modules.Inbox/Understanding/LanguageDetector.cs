using System.Collections.Frozen;

namespace CmPortal.Modules.Inbox.Understanding;

/// <summary>
/// Tells French from English by their most frequent words and a few French-only characters. Says null when the text
/// is too short or the cues do not clearly point one way (a two-word post, an emoji, a mix of both languages).
/// </summary>
internal sealed class LanguageDetector
{
    // Hand-written: the most frequent function words of each language, folded (no accents), none shared by both.
    private static readonly FrozenSet<string> French = FrozenSet.ToFrozenSet(
    [
        "le", "la", "les", "un", "une", "des", "du", "de", "et", "est", "sont", "je", "tu", "il", "elle", "nous", "vous",
        "ils", "elles", "on", "ne", "pas", "plus", "que", "qui", "quoi", "pour", "avec", "sans", "dans", "sur", "mais",
        "ou", "donc", "car", "ce", "cette", "ces", "mon", "ma", "mes", "ton", "ta", "votre", "vos", "notre", "nos", "leur",
        "au", "aux", "tres", "trop", "bien", "tout", "toujours", "jamais", "rien", "encore", "deja", "aussi", "merci",
        "bonjour", "c", "j", "l", "n", "d", "qu", "m", "s", "ai", "avez", "etait", "ete", "fait", "faire", "chez", "comme",
        "vraiment", "franchement", "meme", "apres", "avant", "quand", "alors", "ca", "moi", "toi", "lui", "y", "en",
    ]);

    private static readonly FrozenSet<string> English = FrozenSet.ToFrozenSet(
    [
        "the", "a", "an", "and", "is", "are", "was", "were", "be", "been", "i", "you", "he", "she", "it", "we", "they",
        "not", "no", "of", "to", "in", "on", "for", "with", "without", "but", "or", "so", "this", "that", "these", "those",
        "my", "your", "our", "their", "his", "her", "its", "at", "by", "from", "have", "has", "had", "do", "does", "did",
        "dont", "doesnt", "didnt", "cant", "wont", "isnt", "im", "ive", "very", "really", "just", "never", "always",
        "what", "when", "why", "how", "who", "thanks", "thank", "hi", "hello", "again", "still", "will", "would", "can",
        "could", "should", "me", "them", "there", "here", "all", "any", "too", "also", "about", "got", "get",
    ]);

    public string? Detect(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        int french = 0, english = 0, words = 0;
        Span<char> buffer = stackalloc char[64];
        var tokens = new Tokenizer(text);
        var frenchLookup = French.GetAlternateLookup<ReadOnlySpan<char>>();
        var englishLookup = English.GetAlternateLookup<ReadOnlySpan<char>>();
        while (tokens.Next(out var token))
        {
            if (token.Kind != TokenKind.Word) continue;
            words++;
            var folded = token.Fold(text, buffer);
            if (frenchLookup.Contains(folded)) french++;
            if (englishLookup.Contains(folded)) english++;
            if (token.HasFrenchAccent) french++;
            if (token.ElidedFrench) french++;
        }
        if (words < 3) return null; // "Super produit", "love it": too little to tell.
        var total = french + english;
        if (total < 2) return null;
        // A clear majority of cues is required: mixed posts ("the service était nul") stay unknown.
        if (french >= 2 * english && french - english >= 2) return "fr";
        if (english >= 2 * french && english - french >= 2) return "en";
        return null;
    }
}
