using System.Text;

namespace CmPortal.Core.Text;

/// <summary>One record of a CSV file and the line of the file it starts on (1 for the header), for messages.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A small RFC 4180 reader and writer: fields quoted with <c>"</c> may hold the separator, line breaks and doubled
/// quotes; lines end with CRLF or LF. What a French spreadsheet writes (semicolons) and what others write (commas).
/// </summary>
public static class CsvText
{
    /// <summary>The separator of the file, from its header line: a semicolon if the header has one, else a comma.</summary>
    public static char DetectSeparator(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        return header.Contains(';') ? ';' : header.Contains(',') ? ',' : ';';
    }

    /// <summary>The records of <paramref name="text"/>; blank lines between records are skipped.</summary>
    /// <exception cref="FormatException">A quoted field is not closed (its line in the message's data).</exception>
    public static IEnumerable<CsvRecord> Read(string text, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var quotedField = false;
        while (i <= text.Length)
        {
            if (i == text.Length)
            {
                if (fields.Count > 0 || field.Length > 0 || quotedField)
                {
                    fields.Add(field.ToString());
                    yield return new CsvRecord(recordLine, fields);
                }
                yield break;
            }
            var c = text[i];
            if (c == '"' && field.Length == 0 && !quotedField)
            {
                // A quoted field: read to its closing quote, keeping separators and line breaks.
                var start = line;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new FormatException(start.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (text[i] == '\n') line++;
                    field.Append(text[i++]);
                }
                quotedField = true;
                continue;
            }
            if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
                quotedField = false;
                i++;
                continue;
            }
            if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++;
                if (fields.Count > 0 || field.Length > 0 || quotedField)
                {
                    fields.Add(field.ToString());
                    yield return new CsvRecord(recordLine, fields);
                    fields = [];
                    field.Clear();
                    quotedField = false;
                }
                line++;
                recordLine = line;
                continue;
            }
            field.Append(c);
            i++;
        }
    }

    /// <summary>A field as RFC 4180 writes it: quoted when it holds the separator, a quote or a line break.</summary>
    public static string Field(string? value, char separator)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value.IndexOfAny([separator, '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Line(IEnumerable<string?> values, char separator) => string.Join(separator, values.Select(v => Field(v, separator))) + "\r\n";

    /// <summary>
    /// The text of an uploaded file: UTF-8 with or without its BOM; bytes that are not valid UTF-8 are read as
    /// Windows-1252, the encoding older spreadsheets save French text in (<paramref name="windows1252"/> then true).
    /// </summary>
    public static string Decode(byte[] bytes, out bool windows1252)
    {
        windows1252 = false;
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(span);
        }
        catch (DecoderFallbackException)
        {
            windows1252 = true;
            return Windows1252.GetString(span);
        }
    }

    private static Encoding Windows1252
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1252);
        }
    }
}
