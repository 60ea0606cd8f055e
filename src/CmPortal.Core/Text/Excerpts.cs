namespace CmPortal.Core.Text;

/// <summary>The start of a text on one line, as lists and messages name something that has no title (a post, a reply).</summary>
public static class Excerpts
{
    public static string OneLine(string text, int length = 80)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= length ? line : string.Concat(line.AsSpan(0, length - 1).TrimEnd(), "…");
    }
}
