namespace CmPortal.Modules.BrandIdentity.Admin;

/// <summary>
/// The editors' rows: the document keeps the rows a person filled in, the form shows every row, blank ones included.
/// A rule's path counts the document's rows; the error has to show next to the form's row.
/// </summary>
internal static class FormRows
{
    /// <summary>
    /// "pillars[1].share" becomes "pillars[2].share" when the form's second row was left blank: the index is
    /// counted among the form's rows. Paths of other lists are returned unchanged.
    /// </summary>
    public static string Field<T>(string path, string list, IReadOnlyList<T> rows, Func<T, bool> kept)
    {
        if (!path.StartsWith(list + "[", StringComparison.Ordinal)) return path;
        var close = path.IndexOf(']');
        if (close < 0 || !int.TryParse(path.AsSpan(list.Length + 1, close - list.Length - 1), out var index)) return path;
        var seen = -1;
        for (var row = 0; row < rows.Count; row++)
            if (kept(rows[row]) && ++seen == index)
                return $"{list}[{row}]{path[(close + 1)..]}";
        return path;
    }

    /// <summary>The form's name for a JSON path: each segment in PascalCase ("pillars[2].share" → "Pillars[2].Share").</summary>
    public static string Pascal(string path) =>
        string.Join('.', path.Split('.').Select(segment => segment.Length == 0 ? segment : char.ToUpperInvariant(segment[0]) + segment[1..]));
}
