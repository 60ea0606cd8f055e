using System.Globalization;
using System.Text;
using CmPortal.Core.Networks;
using CmPortal.Core.Text;
using CmPortal.Core.Validation;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Modules.ContentCalendar.Csv;

/// <summary>A problem of an imported file, where a spreadsheet user finds it: the line and the column.</summary>
/// <param name="Column">The column's name in the header; null for a problem of the whole line or file.</param>
internal sealed record CsvProblem(int Line, string? Column, Problem Problem);

/// <summary>A line of the file as the post it will create.</summary>
internal sealed record CsvPostRow(int Line, PostInput Input, PostState State)
{
    public List<CsvProblem> Problems { get; } = [];
}

/// <summary>An imported file read: its rows, the problems of the file itself, and how it was read.</summary>
internal sealed record CsvPostFile(IReadOnlyList<CsvPostRow> Rows, IReadOnlyList<CsvProblem> FileProblems, char Separator, bool Windows1252)
{
    public IEnumerable<CsvProblem> Problems => FileProblems.Concat(Rows.SelectMany(r => r.Problems));
}

/// <summary>
/// The CSV form of posts: what the export writes and the import reads. Columns: date (dd/MM/yyyy), time (HH:mm),
/// networks (ids separated by commas or |), text, text_{network} for a network's own text, pillar, campaign (slug),
/// state, recurrence (optional RRULE). Written with semicolons and a UTF-8 BOM, as French spreadsheets open it.
/// </summary>
internal static class PostCsv
{
    public const char Separator = ';';
    public const int MaxRows = 20000;
    public const int MaxBytes = 20 * 1024 * 1024;
    private const string VariantPrefix = "text_";
    private static readonly string[] Required = ["date", "time", "networks", "text"];
    private static readonly string[] Optional = ["pillar", "campaign", "state", "recurrence"];
    private static readonly LocalDatePattern Day = LocalDatePattern.CreateWithInvariantCulture("dd'/'MM'/'uuuu");
    private static readonly LocalTimePattern Hour = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");
    private static readonly LocalTimePattern ShortHour = LocalTimePattern.CreateWithInvariantCulture("H':'mm");

    /// <summary>The file's bytes: a UTF-8 BOM, then the header and one line per post.</summary>
    public static byte[] Export(IReadOnlyList<Post> posts, IReadOnlyDictionary<Guid, string> campaignSlugs)
    {
        var used = posts.SelectMany(p => p.Variants).Where(v => v.Text is not null).Select(v => v.Network).ToHashSet(StringComparer.Ordinal);
        var networks = SocialNetworks.All.Select(n => n.Id).Where(used.Contains).ToList();
        var text = new StringBuilder();
        text.Append(CsvText.Line(Required.Concat(networks.Select(n => VariantPrefix + n)).Concat(Optional), Separator));
        foreach (var post in posts)
        {
            var start = PostRules.ParseStart(post.StartsLocal);
            var variants = post.Variants.OrderBy(v => v.Position).ToList();
            text.Append(CsvText.Line(
            [
                start is { } s ? Day.Format(s.Date) : "",
                start is { } t ? Hour.Format(t.TimeOfDay) : "",
                string.Join(',', variants.Select(v => v.Network)),
                post.Text,
                .. networks.Select(n => variants.FirstOrDefault(v => v.Network == n)?.Text),
                post.Pillar,
                post.CampaignId is { } id ? campaignSlugs.GetValueOrDefault(id) : null,
                StateName(post.State),
                post.Recurrence,
            ], Separator));
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>"in-review" for <see cref="PostState.InReview"/>: what the file's state column holds.</summary>
    public static string StateName(PostState state) =>
        string.Concat(state.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static PostState? ParseState(string text)
    {
        var key = new string(text.Where(char.IsLetter).ToArray());
        return Enum.TryParse<PostState>(key, ignoreCase: true, out var state) && Enum.IsDefined(state) ? state : null;
    }

    /// <summary>Reads an uploaded file into the posts it would create, with the problems of the file and of each line.</summary>
    public static CsvPostFile Read(byte[] bytes)
    {
        var text = CsvText.Decode(bytes, out var windows1252);
        var separator = CsvText.DetectSeparator(text);
        var fileProblems = new List<CsvProblem>();
        var rows = new List<CsvPostRow>();
        List<CsvRecord> records;
        try
        {
            records = CsvText.Read(text, separator).Take(MaxRows + 2).ToList();
        }
        catch (FormatException e)
        {
            var line = int.Parse(e.Message, CultureInfo.InvariantCulture);
            fileProblems.Add(new CsvProblem(line, null, new Problem(null, "A field between double quotes starts on this line and is never closed: its closing double quote is missing.")));
            return new CsvPostFile(rows, fileProblems, separator, windows1252);
        }
        if (records.Count == 0)
        {
            fileProblems.Add(new CsvProblem(1, null, new Problem(null, "The file is empty: it needs a header line (date;time;networks;text…) and a line per post.")));
            return new CsvPostFile(rows, fileProblems, separator, windows1252);
        }
        if (records.Count > MaxRows + 1)
        {
            fileProblems.Add(new CsvProblem(MaxRows + 2, null, new Problem(null, "The file has more than {0} posts: split it into several files.", MaxRows)));
            return new CsvPostFile(rows, fileProblems, separator, windows1252);
        }

        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            if (name.Length == 0) continue;
            if (columns.ContainsKey(name))
                fileProblems.Add(new CsvProblem(1, name, new Problem(null, "The column “{0}” is given twice.", name)));
            else if (Required.Contains(name) || Optional.Contains(name)) columns[name] = i;
            else if (name.StartsWith(VariantPrefix, StringComparison.Ordinal) && SocialNetworks.Find(name[VariantPrefix.Length..]) is not null) columns[name] = i;
            else if (name.StartsWith(VariantPrefix, StringComparison.Ordinal))
                fileProblems.Add(new CsvProblem(1, name, new Problem(null, "“{0}” is not a network the portal knows. Use one of: {1}.", name[VariantPrefix.Length..], SocialNetworks.Ids)));
            else
                fileProblems.Add(new CsvProblem(1, name, new Problem(null, "The column “{0}” is unknown. The columns are: {1}.", name,
                    ProblemValue.List(Required.Concat(Optional).Append("text_instagram")))));
        }
        foreach (var missing in Required.Where(r => !columns.ContainsKey(r)))
            fileProblems.Add(new CsvProblem(1, missing, new Problem(null, "The column “{0}” is missing from the header line.", missing)));
        if (fileProblems.Count > 0) return new CsvPostFile(rows, fileProblems, separator, windows1252);

        foreach (var record in records.Skip(1))
            rows.Add(ReadRow(record, columns));
        if (rows.Count == 0)
            fileProblems.Add(new CsvProblem(1, null, new Problem(null, "The file has a header line but no post.")));
        return new CsvPostFile(rows, fileProblems, separator, windows1252);
    }

    private static CsvPostRow ReadRow(CsvRecord record, IReadOnlyDictionary<string, int> columns)
    {
        string Get(string column) => columns.TryGetValue(column, out var i) && i < record.Fields.Count ? record.Fields[i].Trim() : "";
        var problems = new List<CsvProblem>();
        void Add(Problem problem) => problems.Add(new CsvProblem(record.Line, problem.Field, problem));

        if (record.Fields.Count > columns.Values.Max() + 1)
            problems.Add(new CsvProblem(record.Line, null, new Problem(null,
                "The line has {0} fields, more than the {1} columns of the header: a field holding the separator must be between double quotes.",
                record.Fields.Count, columns.Values.Max() + 1)));

        string? startsAt = null;
        var (dateText, timeText) = (Get("date"), Get("time"));
        LocalDate? date = null;
        if (dateText.Length > 0)
        {
            if (Day.Parse(dateText) is { Success: true } d) date = d.Value;
            else Add(new Problem("date", "“{0}” is not a date: write it as 22/03/2027 (day/month/year).", dateText));
        }
        LocalTime? time = null;
        if (timeText.Length > 0)
        {
            if (ShortHour.Parse(timeText) is { Success: true } t) time = t.Value;
            else Add(new Problem("time", "“{0}” is not a time: write it as 09:30.", timeText));
        }
        if (date is not null && time is null && timeText.Length == 0) Add(new Problem("time", "Give the time of the post (09:30), or neither date nor time for the backlog."));
        if (date is null && dateText.Length == 0 && time is not null) Add(new Problem("date", "Give the date of the post (22/03/2027), or neither date nor time for the backlog."));
        if (date is { } day && time is { } hour) startsAt = PostRules.Format(day.At(hour));

        var networks = Get("networks").Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).ToList();
        var variants = new Dictionary<string, VariantInput>(StringComparer.Ordinal);
        foreach (var (column, _) in columns.Where(c => c.Key.StartsWith(VariantPrefix, StringComparison.Ordinal)))
            if (Get(column) is { Length: > 0 } own) variants[column[VariantPrefix.Length..]] = new VariantInput(own);

        var state = PostState.Draft;
        if (Get("state") is { Length: > 0 } stateText)
        {
            if (ParseState(stateText) is { } parsed) state = parsed;
            else Add(new Problem("state", "“{0}” is not a state. Use one of: {1}.", stateText, ProblemValue.List(Enum.GetValues<PostState>().Select(StateName))));
        }
        var input = new PostInput
        {
            Text = Get("text"), Networks = networks, Variants = variants, StartsAt = startsAt,
            Recurrence = Get("recurrence") is { Length: > 0 } rule ? rule : null,
            Pillar = Get("pillar") is { Length: > 0 } pillar ? pillar : null,
            Campaign = Get("campaign") is { Length: > 0 } campaign ? campaign : null,
        };
        var row = new CsvPostRow(record.Line, input, state);
        row.Problems.AddRange(problems);
        return row;
    }

    /// <summary>The column of the file a problem of the post service is about ("startsAt" → date, "variants.x.text" → text_x).</summary>
    public static string? Column(string? field) => field switch
    {
        null or "" => null,
        "startsAt" => "date",
        "recurrence" or "skippedDates" => "recurrence",
        "media" or "keyDate" or "persona" or "assigneeId" or "labels" or "notes" => null,
        _ when field.StartsWith("variants.", StringComparison.Ordinal) && field.Split('.') is { Length: >= 2 } parts => VariantPrefix + parts[1],
        _ => field,
    };
}
