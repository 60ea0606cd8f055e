// The calendar window of one month through HTTP (the API's /calendar with a token) next to the same rows read by a
// plain SQL query, in a workspace holding 20,000 posts of which 500 are never-ending weekly rules.
// Usage: CalendarBench seed DBFILE WORKSPACE_KEY          (adds the posts straight into the SQLite database)
//        CalendarBench measure DBFILE BASE_URL WORKSPACE_KEY TOKEN REQUESTS [PORTAL_PID]
// With the portal's process id, also the CPU time it spent per request (user + system, from /proc): a figure that the
// machine's load does not inflate the way it inflates wall-clock percentiles on a shared machine.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;

const int Posts = 20_000, Recurring = 500;
const string From = "2027-03-01", To = "2027-04-01";
var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
string[] networks = ["instagram", "facebook", "linkedin", "mastodon", "bluesky"];
string[] days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

if (args is ["seed", var file, var key]) { Seed(file, key); return 0; }
if (args is ["measure", var db, var baseUrl, var ws, var token, var n, ..] && args.Length <= 7)
{
    await MeasureAsync(db, baseUrl, ws, token, int.Parse(n, CultureInfo.InvariantCulture), args.Length == 7 ? int.Parse(args[6], CultureInfo.InvariantCulture) : null);
    return 0;
}
Console.Error.WriteLine("usage: CalendarBench seed DBFILE KEY | measure DBFILE BASE_URL KEY TOKEN REQUESTS [PORTAL_PID]");
return 2;

string Utc(DateTime local) => TimeZoneInfo.ConvertTimeToUtc(local, paris).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

string WorkspaceId(SqliteConnection c, string key)
{
    using var q = c.CreateCommand();
    q.CommandText = "SELECT Id FROM Core_Workspaces WHERE Key = $k";
    q.Parameters.AddWithValue("$k", key);
    return (string)q.ExecuteScalar()!;
}

void Seed(string file, string key)
{
    using var c = new SqliteConnection($"Data Source={file}");
    c.Open();
    var workspace = WorkspaceId(c, key);
    using var tx = c.BeginTransaction();
    using var post = c.CreateCommand();
    post.CommandText = """
        INSERT INTO ContentCalendar_Posts (Id, WorkspaceId, Text, State, StartsLocal, StartsUtc, EndsUtc, Recurrence, Pillar, Networks, Evergreen, Approvals, Version, CreatedUtc, UpdatedUtc)
        VALUES ($id, $ws, $text, $state, $local, $utc, $end, $rule, 'Savoir-faire & atelier', $networks, 0, 0, 1, '2026-11-30 00:00:00', '2026-11-30 00:00:00')
        """;
    foreach (var p in new[] { "$id", "$ws", "$text", "$state", "$local", "$utc", "$end", "$rule", "$networks" }) post.Parameters.Add(new SqliteParameter(p, null));
    using var variant = c.CreateCommand();
    variant.CommandText = "INSERT INTO ContentCalendar_Variants (Id, WorkspaceId, PostId, Network, Position) VALUES ($id, $ws, $post, $network, $position)";
    foreach (var p in new[] { "$id", "$ws", "$post", "$network", "$position" }) variant.Parameters.Add(new SqliteParameter(p, null));
    string[] states = ["Draft", "InReview", "Approved", "Scheduled"];
    var random = new Random(42);
    for (var i = 0; i < Posts; i++)
    {
        var id = Guid.NewGuid().ToString().ToUpperInvariant();
        var recurring = i < Recurring;
        // One-off posts spread over 2027 and 2028 (about 830 a month); rules start in December 2026 and never end.
        var start = recurring
            ? new DateTime(2026, 12, 1 + i % 28, 8 + i % 10, 30, 0)
            : new DateTime(2027, 1, 1).AddMinutes(random.Next(0, 730 * 24 * 4) * 15);
        if (paris.IsInvalidTime(start)) start = start.AddHours(1); // the spring-forward gap: as the portal moves it
        var local = start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        post.Parameters["$id"].Value = id;
        post.Parameters["$ws"].Value = workspace;
        post.Parameters["$text"].Value = $"Publication de banc d’essai n° {i} : la cire d’abeille, l’atelier, les bougies de saison et les coulisses de la maison.";
        post.Parameters["$state"].Value = states[i % states.Length];
        post.Parameters["$local"].Value = local;
        post.Parameters["$utc"].Value = Utc(start);
        post.Parameters["$end"].Value = recurring ? DBNull.Value : Utc(start);
        post.Parameters["$rule"].Value = recurring ? $"FREQ=WEEKLY;BYDAY={days[i % 7]}" : DBNull.Value;
        // The post's networks in order, as the post service keeps them beside its variants.
        post.Parameters["$networks"].Value = string.Join(',', Enumerable.Range(0, 1 + i % 3).Select(v => networks[(i + v) % networks.Length]));
        post.ExecuteNonQuery();
        for (var v = 0; v < 1 + i % 3; v++)
        {
            variant.Parameters["$id"].Value = Guid.NewGuid().ToString().ToUpperInvariant();
            variant.Parameters["$ws"].Value = workspace;
            variant.Parameters["$post"].Value = id;
            variant.Parameters["$network"].Value = networks[(i + v) % networks.Length];
            variant.Parameters["$position"].Value = v;
            variant.ExecuteNonQuery();
        }
    }
    tx.Commit();
    Console.WriteLine($"seeded {Posts} posts ({Recurring} weekly rules) in {key}");
}

async Task MeasureAsync(string file, string baseUrl, string key, string token, int n, int? portal)
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var url = $"/api/v1/{key}/calendar?from={From}&to={To}";
    var first = await http.GetAsync(url);
    var body = await first.Content.ReadAsStringAsync();
    if (!first.IsSuccessStatusCode) throw new InvalidOperationException($"{first.StatusCode}: {body}");
    var occurrences = body.Split("\"postId\"").Length - 1;
    for (var i = 0; i < 20; i++) await (await http.GetAsync(url)).Content.ReadAsStringAsync(); // warm-up: JIT tiers, caches
    var api = new List<double>(n);
    var portalCpuBefore = CpuMilliseconds(portal);
    for (var i = 0; i < n; i++)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(url);
        await response.Content.ReadAsStringAsync();
        api.Add(watch.Elapsed.TotalMilliseconds);
    }
    var portalCpu = (CpuMilliseconds(portal) - portalCpuBefore) / n;

    // The same token, workspace and permission gate with no calendar behind it: the fixed cost of any API request.
    var gateUrl = $"/api/v1/{key}";
    for (var i = 0; i < 20; i++) await (await http.GetAsync(gateUrl)).Content.ReadAsStringAsync();
    var gate = new List<double>(n);
    for (var i = 0; i < n; i++)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(gateUrl);
        await response.Content.ReadAsStringAsync();
        gate.Add(watch.Elapsed.TotalMilliseconds);
    }

    using var c = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
    c.Open();
    var workspace = WorkspaceId(c, key);
    // The rows the window reads (Calendar/CalendarWindow.cs), the same two ways: one-off posts starting in the window,
    // and recurring series started before its end and not over before its start; each with its networks in order.
    var fromUtc = Utc(DateTime.Parse(From, CultureInfo.InvariantCulture));
    var toUtc = Utc(DateTime.Parse(To, CultureInfo.InvariantCulture));
    using var sql = c.CreateCommand();
    sql.CommandText = """
        SELECT p.Id, p.StartsLocal, p.StartsUtc, p.Recurrence, p.SkippedDates, p.State, p.Pillar, p.CampaignId,
               substr(p.Text, 1, 140), p.AuthorId, p.Version, v.Network, v.Position
        FROM ContentCalendar_Posts p LEFT JOIN ContentCalendar_Variants v ON v.PostId = p.Id
        WHERE p.WorkspaceId = $ws AND p.State NOT IN ('Archived', 'Idea')
          AND p.Recurrence IS NULL AND p.StartsUtc >= $from AND p.StartsUtc < $to
        UNION ALL
        SELECT p.Id, p.StartsLocal, p.StartsUtc, p.Recurrence, p.SkippedDates, p.State, p.Pillar, p.CampaignId,
               substr(p.Text, 1, 140), p.AuthorId, p.Version, v.Network, v.Position
        FROM ContentCalendar_Posts p LEFT JOIN ContentCalendar_Variants v ON v.PostId = p.Id
        WHERE p.WorkspaceId = $ws AND p.State NOT IN ('Archived', 'Idea')
          AND p.Recurrence IS NOT NULL AND p.StartsUtc < $to AND (p.EndsUtc IS NULL OR p.EndsUtc >= $from)
        ORDER BY 1, 13
        """;
    sql.Parameters.AddWithValue("$ws", workspace);
    sql.Parameters.AddWithValue("$from", fromUtc);
    sql.Parameters.AddWithValue("$to", toUtc);
    int Read() { using var r = sql.ExecuteReader(); var rows = 0; while (r.Read()) { for (var f = 0; f < r.FieldCount; f++) r.GetValue(f); rows++; } return rows; }
    var rows = 0;
    for (var i = 0; i < 20; i++) rows = Read();
    var plain = new List<double>(n);
    var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < n; i++)
    {
        var watch = Stopwatch.StartNew();
        Read();
        plain.Add(watch.Elapsed.TotalMilliseconds);
    }
    var plainCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalMilliseconds / n;
    Console.WriteLine($"window {From} .. {To}: {occurrences} occurrences through the API; {rows} post×network rows by plain SQL; {n} requests each");
    Console.WriteLine($"GET {url,-60} p50 {P(api, 50),7:0.00} ms   p99 {P(api, 99),7:0.00} ms");
    Console.WriteLine($"GET {gateUrl + " (token and workspace gate alone)",-60} p50 {P(gate, 50),7:0.00} ms   p99 {P(gate, 99),7:0.00} ms");
    Console.WriteLine($"{"plain SQL query (same rows, Microsoft.Data.Sqlite)",-64} p50 {P(plain, 50),7:0.00} ms   p99 {P(plain, 99),7:0.00} ms");
    if (portal is not null)
        Console.WriteLine($"CPU time per request: the portal {portalCpu:0.00} ms for the calendar; the plain SQL query {plainCpu:0.00} ms");
}

// utime + stime of a process in milliseconds (Linux /proc, clock ticks of 10 ms); 0 without a process id.
static double CpuMilliseconds(int? pid)
{
    if (pid is null) return 0;
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
}

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
