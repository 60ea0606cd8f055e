using System.Globalization;
using System.Text;

namespace CmPortal.Modules.Inbox.Understanding;

/// <summary>
/// Lower-cases and strips diacritics one character at a time through a table built once, so that "Équipe", "equipe"
/// and "ÉQUIPE" meet the same lexicon entry without a Normalize() call (and its allocation) per token.
/// </summary>
internal static class TextFolding
{
    private const int TableSize = 0x0250; // Latin-1 and Latin Extended-A/B cover French and English text.
    private static readonly char[] Table = BuildTable();

    private static char[] BuildTable()
    {
        var table = new char[TableSize];
        for (var c = 0; c < TableSize; c++)
        {
            var decomposed = ((char)c).ToString().Normalize(NormalizationForm.FormD);
            var baseChar = decomposed.Length > 0 ? decomposed[0] : (char)c;
            table[c] = char.ToLowerInvariant(baseChar);
        }
        table['œ'] = 'o'; // "cœur" is folded to "cour"-like stems only partially; keep one char to stay span-sized.
        table['Œ'] = 'o';
        return table;
    }

    public static char Fold(char c) => c < TableSize ? Table[c] : char.ToLowerInvariant(c);

    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                builder.Append(Fold(c));
        }
        return builder.ToString();
    }
}
