using System.Text.RegularExpressions;

namespace CmPortal.Core.Text;

/// <summary>
/// French typography for text a member wrote and a page shows: the space typed before « : ; ! ? % » and inside « »
/// becomes a no-break space, so that a narrow column (a phone) never starts a line with the sign. Only spaces already
/// typed change, nothing is added; in other languages such a space is rare, and a line break there is never wanted.
/// </summary>
public static partial class NoBreakSpaces
{
    [GeneratedRegex(@"[ \t]+(?=[:;!?%»])|(?<=«)[ \t]+")]
    private static partial Regex BreakableSpace();

    public static string Bind(string? text) => string.IsNullOrEmpty(text) ? "" : BreakableSpace().Replace(text, "\u00a0");
}
