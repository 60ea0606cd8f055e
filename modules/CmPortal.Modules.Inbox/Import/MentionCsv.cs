using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CmPortal.Core.Text;
using CmPortal.Core.Validation;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Sources;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Modules.Inbox.Import;

/// <summary>A problem of an imported file where a spreadsheet user finds it: the line and the column (as the header names it).</summary>
/// <param name="Line">The file's line (1 is the header); 0 for the file as a whole.</param>
/// <param name="Column">The column's name in the header, or null for a problem of the line or file.</param>
internal sealed record ImportProblem(int Line, string? Column, Problem Problem);

/// <summary>A line of the file as the mention it gives, with the source kind it is filed under.</summary>
internal sealed record ImportRow(int Line, string SourceKind, ListenedItem Item);

/// <summary>
/// The file read: its header, which column each field was taken from (-1: none), the rows, the problems, and how it
/// was read (separator, encoding).
/// </summary>
internal sealed record ImportFile(IReadOnlyList<string> Header, IReadOnlyDictionary<string, int> Columns, IReadOnlyList<ImportRow> Rows,
    IReadOnlyList<ImportProblem> Problems, char Separator, bool Windows1252);

/// <summary>
/// Comment exports of other tools (Agorapulse, Hootsuite, Sprout Social…) read as mentions: the columns are found by
/// their header names in French or English (or chosen by hand), dates read in the workspace's time zone when they
/// carry no offset (docs/inbox-import.md).
/// </summary>
internal static class MentionCsv
{
    public const int MaxRows = 50000;
    public const int MaxBytes = 20 * 1024 * 1024;

    /// <summary>The fields a mention takes from a file, in the order the page shows them.</summary>
    public static readonly string[] Fields = ["text", "author", "date", "url", "id", "network", "language"];

    /// <summary>Header names (folded: lower case, no accents, words joined by one space) that name each field.</summary>
    private static readonly Dictionary<string, string[]> Names = new()
    {
        ["text"] = ["text", "texte", "message", "comment", "commentaire", "comment text", "message text", "content", "contenu", "body", "corps"],
        ["author"] = ["author", "auteur", "author name", "nom de l auteur", "from", "de", "user", "username", "utilisateur", "name", "nom", "profile", "profil"],
        ["date"] = ["date", "published", "publie le", "published at", "published on", "publication", "date de publication", "created at", "created time", "created", "cree le", "time", "timestamp", "heure"],
        ["url"] = ["url", "lien", "link", "permalink", "permalien", "adresse", "comment url", "message url"],
        ["id"] = ["id", "comment id", "message id", "external id", "identifiant", "post id", "identifier"],
        ["network"] = ["network", "reseau", "reseau social", "social network", "platform", "plateforme", "source", "channel", "canal"],
        ["language"] = ["language", "langue", "lang", "locale"],
    };

    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
        "dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss", "d/M/yyyy H:mm", "d/M/yyyy H:mm:ss", "dd/MM/yyyy", "d/M/yyyy",
    ];

    private static readonly string[] OffsetFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd HH:mm:sszzz"];

    /// <summary>The column each field is read from, found from the header's names; -1 for a field no column names.</summary>
    public static Dictionary<string, int> DetectColumns(IReadOnlyList<string> header)
    {
        var folded = header.Select(Fold).ToList();
        var columns = Fields.ToDictionary(f => f, _ => -1);
        // Exact names first, then a header holding a field's name as a word ("Comment Text", "Date de création").
        foreach (var exact in new[] { true, false })
            foreach (var field in Fields)
            {
                if (columns[field] >= 0) continue;
                for (var i = 0; i < folded.Count; i++)
                {
                    if (columns.ContainsValue(i)) continue;
                    var words = folded[i].Split(' ');
                    if (exact ? Names[field].Contains(folded[i]) : Names[field].Any(n => n.Length > 2 && !n.Contains(' ') && words.Contains(n)))
                    {
                        columns[field] = i;
                        break;
                    }
                }
            }
        return columns;
    }

    /// <summary>
    /// Reads an uploaded file into mentions, with every problem of the file and of its lines. <paramref name="chosen"/>
    /// overrides the detected column of a field (by index; -1 leaves the field out).
    /// </summary>
    public static ImportFile Read(byte[] bytes, DateTimeZone zone, string? sourceName, IReadOnlyDictionary<string, int>? chosen = null)
    {
        var text = CsvText.Decode(bytes, out var windows1252);
        var separator = CsvText.DetectSeparator(text);
        var problems = new List<ImportProblem>();
        var rows = new List<ImportRow>();
        ImportFile Done(IReadOnlyList<string> header, IReadOnlyDictionary<string, int> columns) =>
            new(header, columns, rows, problems, separator, windows1252);
        var none = new Dictionary<string, int>();
        if (bytes.Length > MaxBytes)
        {
            problems.Add(new ImportProblem(0, null, new Problem(null, "The file is larger than {0} MB: split it into several files.", MaxBytes / 1024 / 1024)));
            return Done([], none);
        }
        List<CsvRecord> records;
        try
        {
            records = CsvText.Read(text, separator).Take(MaxRows + 2).ToList();
        }
        catch (FormatException e)
        {
            problems.Add(new ImportProblem(int.Parse(e.Message, CultureInfo.InvariantCulture), null,
                new Problem(null, "A field between double quotes starts on this line and is never closed: its closing double quote is missing.")));
            return Done([], none);
        }
        if (records.Count == 0)
        {
            problems.Add(new ImportProblem(1, null, new Problem(null, "The file is empty: it needs a header line (text, author, date…) and a line per mention.")));
            return Done([], none);
        }
        if (records.Count > MaxRows + 1)
        {
            problems.Add(new ImportProblem(records[^1].Line, null, new Problem(null, "The file has more than {0} lines: split it into several files.", MaxRows)));
            return Done(records[0].Fields, none);
        }
        var header = records[0].Fields.Select(h => h.Trim()).ToList();
        var columns = DetectColumns(header);
        if (chosen is not null)
            foreach (var (field, index) in chosen)
                if (columns.ContainsKey(field)) columns[field] = index >= 0 && index < header.Count ? index : -1;
        if (columns["text"] < 0)
            problems.Add(new ImportProblem(1, null, new Problem(null, "No column gives the mentions' text: name one “text”, “texte”, “message” or “comment”, or choose it below.")));
        if (columns["date"] < 0)
            problems.Add(new ImportProblem(1, null, new Problem(null, "No column gives the mentions' date: name one “date”, “published” or “publié le”, or choose it below.")));
        if (problems.Count > 0) return Done(header, columns);

        foreach (var record in records.Skip(1))
            ReadRow(record, header, columns, zone, sourceName, rows, problems);
        if (rows.Count == 0 && problems.Count == 0)
            problems.Add(new ImportProblem(1, null, new Problem(null, "The file has a header line but no mention.")));
        return Done(header, columns);
    }

    private static void ReadRow(CsvRecord record, IReadOnlyList<string> header, IReadOnlyDictionary<string, int> columns, DateTimeZone zone,
        string? sourceName, List<ImportRow> rows, List<ImportProblem> problems)
    {
        string Get(string field) => columns[field] is var i and >= 0 && i < record.Fields.Count ? record.Fields[i].Trim() : "";
        var before = problems.Count;
        void Add(string field, Problem problem) => problems.Add(new ImportProblem(record.Line, header[columns[field]], problem with { Field = field }));

        if (record.Fields.Count > header.Count)
            problems.Add(new ImportProblem(record.Line, null, new Problem(null,
                "The line has {0} fields, more than the {1} columns of the header: a field holding the separator must be between double quotes.",
                record.Fields.Count, header.Count)));
        var text = Get("text");
        if (text.Length == 0) Add("text", new Problem(null, "The mention has no text."));
        else if (text.Length > MentionService.MaxTextLength) Add("text", new Problem(null, "The text is longer than {0} characters.", MentionService.MaxTextLength));
        var dateText = Get("date");
        DateTimeOffset published = default;
        if (dateText.Length == 0) Add("date", new Problem(null, "The date is missing. Write 2026-02-28 or 28/02/2026 14:30."));
        else if (ParseDate(dateText, zone) is { } date) published = date;
        else
        {
            var example = Suggestion(dateText);
            Add("date", new Problem(null, "“{0}” is not a date. Write {1} or {2}.", dateText,
                example.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), example.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) + " 14:30"));
        }
        var url = Get("url");
        if (url.Length > 0 && MentionRules.CanonicalUrl(url) is null)
            Add("url", new Problem(null, "“{0}” is not a web address: write it whole, https://….", url));
        var id = Get("id");
        if (id.Length > 300) Add("id", new Problem(null, "The id is longer than {0} characters.", 300));
        if (problems.Count > before) return;

        // Without an id, the address is one; without either, the line's own content is (a file imported twice stores nothing twice).
        if (id.Length == 0) id = url.Length > 0 ? url : "csv-" + Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes($"{Get("author")}\n{published:O}\n{text}")).AsSpan(0, 12));
        var item = new ListenedItem(CmPortal.Modules.Inbox.Mentions.MentionRules.Cut(id, 300), url.Length > 0 ? url : null, text, null, NullIfEmpty(Get("author")), null, null,
            published, NullIfEmpty(Get("language")));
        rows.Add(new ImportRow(record.Line, SourceKind(Get("network")), item));
    }

    /// <summary>The source kind a network's name files mentions under ("Instagram" → instagram, "X (Twitter)" → x-twitter); "csv" without one.</summary>
    public static string SourceKind(string network)
    {
        var slug = Slugs.From(network, maxLength: 20).Trim('-');
        return MentionRules.SourceKindPattern().IsMatch(slug) ? slug : "csv";
    }

    /// <summary>
    /// An ISO 8601 instant (with its offset or Z), or a local time — ISO, <c>dd/MM/yyyy HH:mm</c>, <c>yyyy-MM-dd HH:mm:ss</c>
    /// — read in the workspace's time zone (a time skipped by a clock change moves forward, a repeated one takes the first).
    /// </summary>
    public static DateTimeOffset? ParseDate(string text, DateTimeZone zone)
    {
        text = text.Trim();
        if (text.EndsWith('Z') || text.EndsWith('z'))
            return DateTimeOffset.TryParseExact(text[..^1] + "+00:00", OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var utc) ? utc : null;
        if (DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset)) return withOffset;
        if (!DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        return LocalDateTime.FromDateTime(local).InZoneLeniently(zone).ToDateTimeOffset();
    }

    /// <summary>The date the writer probably meant, for the message: a day past the month's end becomes its last day (31/02 → 28/02).</summary>
    private static DateTime Suggestion(string text)
    {
        var parts = text.Split(['/', '-', ' ', 'T'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 3 && parts.Take(3).All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var n = parts.Take(3).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            var (year, month, day) = n[0] > 31 ? (n[0], n[1], n[2]) : (n[2], n[1], n[0]);
            if (year is >= 1900 and <= 2200 && month is >= 1 and <= 12 && day >= 1)
                return new DateTime(year, month, Math.Min(day, DateTime.DaysInMonth(year, month)));
        }
        return new DateTime(2026, 2, 28);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>A header name as compared: lower case, accents folded, anything but letters and digits a single space.</summary>
    private static string Fold(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            builder.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }
        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}

/// <summary>The problem of a line as a message: « Ligne 7, colonne « date » : … », in the reader's language.</summary>
internal static class ImportProblems
{
    public static string Located(this Microsoft.Extensions.Localization.IStringLocalizer T, ImportProblem problem) =>
        problem.Line == 0 ? CmPortal.Core.Localization.DeclaredText.Problem(T, problem.Problem).Value
        : problem.Column is null
        ? T["Line {0}: {1}", problem.Line, CmPortal.Core.Localization.DeclaredText.Problem(T, problem.Problem).Value].Value
        : T["Line {0}, column “{1}”: {2}", problem.Line, problem.Column, CmPortal.Core.Localization.DeclaredText.Problem(T, problem.Problem).Value].Value;
}
