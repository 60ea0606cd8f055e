using System.Globalization;
using System.Text;

namespace CmPortal.Modules.BrandIdentity.Checking;

/// <summary>
/// A text folded for matching terms — lower case, accents removed ("É" → "e", "e" + ◌́ → "e"),
/// "œ" → "oe", "æ" → "ae", typographic apostrophes → "'", any run of spaces → one space — with the
/// way back to the original's UTF-16 offsets.
/// </summary>
internal sealed class FoldedText
{
    private readonly List<int> _start = [];
    private readonly List<int> _end = [];

    private FoldedText(string original)
    {
        var folded = new StringBuilder(original.Length);
        var index = 0;
        foreach (var rune in original.EnumerateRunes())
        {
            var length = rune.Utf16SequenceLength;
            if (Rune.IsWhiteSpace(rune))
            {
                if (folded.Length > 0 && folded[^1] == ' ') _end[^1] = index + length;
                else Append(folded, ' ', index, length);
            }
            else
            {
                var before = folded.Length;
                foreach (var c in Fold(rune)) Append(folded, c, index, length);
                // A combining mark on its own folds to nothing: it belongs to the letter before it.
                if (folded.Length == before && _end.Count > 0) _end[^1] = index + length;
            }
            index += length;
        }
        Text = folded.ToString();
    }

    public string Text { get; }

    public static FoldedText Of(string text) => new(text);

    /// <summary>Folds a term the way texts are folded, trimmed.</summary>
    public static string Fold(string term) => new FoldedText(term.Trim()).Text.Trim();

    /// <summary>The original range of folded characters [start, start + length).</summary>
    public (int Start, int Length) Original(int start, int length) => (_start[start], _end[start + length - 1] - _start[start]);

    /// <summary>
    /// Whole-word occurrences of an already folded term, as folded offsets: no letter or digit
    /// right before or after (when the term itself starts or ends with one).
    /// </summary>
    public IEnumerable<(int Start, int Length)> Occurrences(string foldedTerm)
    {
        if (foldedTerm.Length == 0) yield break;
        var from = 0;
        while (from <= Text.Length - foldedTerm.Length)
        {
            var at = Text.IndexOf(foldedTerm, from, StringComparison.Ordinal);
            if (at < 0) yield break;
            var end = at + foldedTerm.Length;
            var startsClean = !IsWordChar(foldedTerm[0]) || at == 0 || !IsWordChar(Text[at - 1]);
            var endsClean = !IsWordChar(foldedTerm[^1]) || end == Text.Length || !IsWordChar(Text[end]);
            if (startsClean && endsClean)
            {
                yield return (at, foldedTerm.Length);
                from = end;
            }
            else from = at + 1;
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark;

    private void Append(StringBuilder folded, char c, int start, int length)
    {
        folded.Append(c);
        _start.Add(start);
        _end.Add(start + length);
    }

    private static IEnumerable<char> Fold(Rune rune)
    {
        switch (rune.Value)
        {
            case '’' or '‘' or 'ʼ' or '′' or '`': yield return '\''; yield break;
            case '‐' or '‑': yield return '-'; yield break;
            case 'œ' or 'Œ': yield return 'o'; yield return 'e'; yield break;
            case 'æ' or 'Æ': yield return 'a'; yield return 'e'; yield break;
            case 'ß': yield return 's'; yield return 's'; yield break;
        }
        var decomposed = rune.ToString().Normalize(NormalizationForm.FormD);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark) continue;
            yield return char.ToLowerInvariant(c);
        }
    }
}
