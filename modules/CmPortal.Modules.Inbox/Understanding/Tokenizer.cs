using System.Globalization;

namespace CmPortal.Modules.Inbox.Understanding;

internal enum TokenKind { Word, Emoji, Emoticon, Exclamation, Contrast }

/// <summary>One piece of a post: a span of the original text, never a copied string.</summary>
internal readonly record struct Token(int Start, int Length, TokenKind Kind, bool AllCaps, bool HasFrenchAccent, bool ElidedFrench)
{
    /// <summary>Lower-cased, accent-free form written into <paramref name="buffer"/> (apostrophes dropped: "don't" → "dont").</summary>
    public ReadOnlySpan<char> Fold(string text, Span<char> buffer)
    {
        var written = 0;
        var end = Start + Length;
        for (var i = Start; i < end && written < buffer.Length; i++)
        {
            var c = text[i];
            if (c is '\'' or '’' || char.IsSurrogate(c)) continue;
            if (c == '#') continue;
            buffer[written++] = TextFolding.Fold(c);
        }
        return buffer[..written];
    }
}

/// <summary>
/// Walks a post once, without regular expressions or allocations: words (with French elisions split off, "n'est" →
/// "n" + "est", and English contractions kept whole, "don't"), emoji, emoticons and exclamation marks. Links and
/// @handles are skipped: a brand's handle says nothing about the tone.
/// </summary>
internal ref struct Tokenizer(string text)
{
    // Hand-written: the French elided words ("l'", "j'", "qu'"...) that an apostrophe separates from the next word.
    private static bool IsFrenchElision(ReadOnlySpan<char> word) => word.Length <= 7 && word switch
    {
        "l" or "L" or "j" or "J" or "n" or "N" or "d" or "D" or "c" or "C" or "s" or "S" or "m" or "M" or "t" or "T"
            or "qu" or "Qu" or "QU" or "jusqu" or "lorsqu" or "puisqu" or "quoiqu" => true,
        _ => false,
    };

    private int position = 0;

    public bool Next(out Token token)
    {
        while (position < text.Length)
        {
            var c = text[position];
            if (char.IsWhiteSpace(c)) { position++; continue; }
            if (c == '!') { token = new Token(position++, 1, TokenKind.Exclamation, false, false, false); return true; }
            if (c == '@' || StartsLink()) { SkipToWhitespace(); continue; }
            if (TryEmoticon(out token)) return true;
            if (char.IsLetterOrDigit(c) || (c == '#' && position + 1 < text.Length && char.IsLetter(text[position + 1])))
            {
                token = ReadWord();
                return true;
            }
            if (char.IsHighSurrogate(c) && position + 1 < text.Length)
            {
                var start = position;
                position += 2;
                // Skin tones, variation selectors and joiners belong to the emoji before them.
                while (position < text.Length && (text[position] == '\uFE0F' || text[position] == '\u200D'
                       || (char.IsHighSurrogate(text[position]) && position + 1 < text.Length && text[position] == '\uD83C'
                           && text[position + 1] >= '\uDFFB' && text[position + 1] <= '\uDFFF')))
                    position += char.IsHighSurrogate(text[position]) ? 2 : 1;
                token = new Token(start, 2, TokenKind.Emoji, false, false, false);
                return true;
            }
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherSymbol)
            {
                token = new Token(position++, 1, TokenKind.Emoji, false, false, false);
                while (position < text.Length && text[position] == '\uFE0F') position++;
                return true;
            }
            position++;
        }
        token = default;
        return false;
    }

    private Token ReadWord()
    {
        var start = position;
        bool upper = true, accent = false;
        var letters = 0;
        if (text[position] == '#') position++;
        while (position < text.Length)
        {
            var c = text[position];
            if (char.IsLetterOrDigit(c) || c == '-' && position + 1 < text.Length && char.IsLetter(text[position + 1]))
            {
                if (char.IsLetter(c)) { letters++; if (!char.IsUpper(c)) upper = false; }
                if (c is 'é' or 'è' or 'ê' or 'à' or 'ç' or 'ù' or 'â' or 'î' or 'ô' or 'û' or 'ë' or 'ï' or 'É') accent = true;
                position++;
                continue;
            }
            if ((c == '\'' || c == '’') && position + 1 < text.Length && char.IsLetter(text[position + 1]))
            {
                if (IsFrenchElision(text.AsSpan(start, position - start)))
                {
                    var elided = new Token(start, position - start, TokenKind.Word, false, accent, true);
                    position++; // the next call reads the word after the apostrophe
                    return elided;
                }
                position++;
                continue;
            }
            break;
        }
        var length = position - start;
        var word = new Token(start, length, TokenKind.Word, upper && letters >= 3, accent, false);
        return IsContrast(text.AsSpan(start, length)) ? word with { Kind = TokenKind.Contrast } : word;
    }

    private static bool IsContrast(ReadOnlySpan<char> word) =>
        word.Equals("mais", StringComparison.OrdinalIgnoreCase) || word.Equals("but", StringComparison.OrdinalIgnoreCase)
        || word.Equals("however", StringComparison.OrdinalIgnoreCase) || word.Equals("pourtant", StringComparison.OrdinalIgnoreCase)
        || word.Equals("cependant", StringComparison.OrdinalIgnoreCase) || word.Equals("sauf", StringComparison.OrdinalIgnoreCase);

    private bool StartsLink() =>
        (text[position] is 'h' or 'w') && (text.AsSpan(position).StartsWith("http://") || text.AsSpan(position).StartsWith("https://")
                                          || text.AsSpan(position).StartsWith("www."));

    private void SkipToWhitespace()
    {
        while (position < text.Length && !char.IsWhiteSpace(text[position])) position++;
    }

    private bool TryEmoticon(out Token token)
    {
        token = default;
        var c = text[position];
        if (c is not (':' or ';' or '=' or '<' or '^' or 'x' or 'X' or 'D')) return false;
        if (position > 0 && char.IsLetterOrDigit(text[position - 1])) return false;
        var length = Emoticons.MatchLength(text.AsSpan(position));
        if (length == 0) return false;
        token = new Token(position, length, TokenKind.Emoticon, false, false, false);
        position += length;
        return true;
    }
}

/// <summary>Hand-written: the few text emoticons people type, with a valence on the AFINN scale (-5..5).</summary>
internal static class Emoticons
{
    private static readonly (string Text, double Valence)[] Known =
    [
        (":-)", 2), (":)", 2), ("=)", 2), (";-)", 1), (";)", 1), (":-D", 3), (":D", 3), ("xD", 2), ("XD", 2), ("<3", 3),
        ("^^", 2), (":p", 1), (":P", 1), (":-(", -2), (":(", -2), (":'(", -3), ("=(", -2), (":/", -1), (":-/", -1),
        (">:(", -3), ("</3", -3),
    ];

    public static int MatchLength(ReadOnlySpan<char> text)
    {
        foreach (var (known, _) in Known)
        {
            if (!text.StartsWith(known, StringComparison.Ordinal)) continue;
            // "xD" must stand alone, not start "xDrive"; ":/" must not be the start of a link.
            if (text.Length > known.Length && char.IsLetterOrDigit(text[known.Length])) continue;
            return known.Length;
        }
        return 0;
    }

    public static double Valence(ReadOnlySpan<char> text)
    {
        foreach (var (known, valence) in Known)
            if (text.SequenceEqual(known)) return valence;
        return 0;
    }
}
