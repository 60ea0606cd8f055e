// The mention inbox at a million mentions (issue 11, "Performance"): search through HTTP next to the raw full-text
// query of the same search, and bulk ingestion through the API.
// Usage: InboxBench seed DBFILE|--postgres CONNECTION WORKSPACE_KEY COUNT
//            adds COUNT mentions straight into the database (the portal stopped) with the INSERT the portal's ingest
//            sends, so the full-text triggers (SQLite) or generated column (PostgreSQL) index them as in production
//        InboxBench search DBFILE|--postgres CONNECTION BASE_URL WORKSPACE_KEY TOKEN REQUESTS PORTAL_PID
//        InboxBench ingest BASE_URL WORKSPACE_KEY TOKEN COUNT CLIENTS PORTAL_PID [FIRST]
//            FIRST: the generator's first index (0), so that a second run on the same portal sends new mentions
// Wall-clock percentiles grow with the machine's load; the portal's CPU time per request (from /proc) much less.
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
switch (args)
{
    case ["seed", "--postgres", var cs, var key, var n]:
        SeedByCopy(new NpgsqlConnection(cs), key, Int(n));
        return 0;
    case ["seed", var file, var key, var n]:
        Seed(new SqliteConnection($"Data Source={file}"), key, Int(n));
        return 0;
    case ["search", "--postgres", var cs, var url, var key, var token, var n, var pid]:
        await SearchAsync(() => new NpgsqlConnection(cs), url, key, token, Int(n), Int(pid));
        return 0;
    case ["search", var file, var url, var key, var token, var n, var pid]:
        await SearchAsync(() => new SqliteConnection($"Data Source={file};Mode=ReadOnly"), url, key, token, Int(n), Int(pid));
        return 0;
    case ["ingest", var url, var key, var token, var n, var clients, var pid]:
        await IngestAsync(url, key, token, Int(n), Int(clients), Int(pid), 0);
        return 0;
    case ["ingest", var url, var key, var token, var n, var clients, var pid, var first]:
        await IngestAsync(url, key, token, Int(n), Int(clients), Int(pid), Int(first));
        return 0;
}
Console.Error.WriteLine("usage: InboxBench seed DBFILE|--postgres CS KEY COUNT | search DBFILE|--postgres CS URL KEY TOKEN REQUESTS PID | ingest URL KEY TOKEN COUNT CLIENTS PID [FIRST]");
return 2;

static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

// ---------------------------------------------------------------------------------------------------------------------
// Seeding: one transaction, one prepared INSERT (the columns EF's insert names), the text hash and RepeatOf computed as
// MentionService does (the first mention of a text is the original).
void Seed(DbConnection c, string key, int count)
{
    var postgres = c is NpgsqlConnection;
    c.Open();
    var watch = Stopwatch.StartNew();
    object workspace;
    using (var q = c.CreateCommand())
    {
        q.CommandText = postgres ? "SELECT \"Id\" FROM \"Core_Workspaces\" WHERE \"Key\" = @k" : "SELECT Id FROM Core_Workspaces WHERE Key = @k";
        Add(q, "@k", key);
        workspace = q.ExecuteScalar()!;
    }
    if (!postgres) using (var pragma = c.CreateCommand()) { pragma.CommandText = "PRAGMA cache_size = -262144"; pragma.ExecuteNonQuery(); }
    string[] columns = ["WorkspaceId", "SourceKind", "SourceName", "ExternalId", "Url", "CanonicalUrl", "Title", "Text", "Author", "AuthorHandle",
        "AuthorFollowers", "PublishedUtc", "ReceivedUtc", "Language", "Sentiment", "SentimentScore", "TextHash", "RepeatOf", "Status", "Version"];
    using var insert = c.CreateCommand();
    insert.CommandText = $"INSERT INTO \"Inbox_Mentions\" ({string.Join(", ", columns.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", columns.Select(n => "@" + n))}) RETURNING \"Id\"";
    foreach (var n in columns) { var p = insert.CreateParameter(); p.ParameterName = "@" + n; insert.Parameters.Add(p); }
    var generator = new MentionGenerator(7);
    var originals = new Dictionary<long, long>();
    var received = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
    var done = 0;
    while (done < count)
    {
        using var tx = c.BeginTransaction();
        insert.Transaction = tx;
        for (var i = 0; i < 50_000 && done < count; i++, done++)
        {
            var m = generator.Next(done);
            var hash = TextHash(m.Text);
            var repeatOf = originals.TryGetValue(hash, out var original) ? original : (long?)null;
            object?[] values = [workspace, m.Source, m.SourceName, m.ExternalId, m.Url, m.Url is null ? null : Canonical(m.Url), m.Title, m.Text, m.Author,
                m.Handle, m.Followers, m.Published, received, m.Language, m.Sentiment, m.Score, hash, repeatOf, 0, 0];
            for (var v = 0; v < values.Length; v++) insert.Parameters[v].Value = values[v] ?? DBNull.Value;
            var id = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (repeatOf is null) originals[hash] = id;
        }
        tx.Commit();
        Console.Error.Write($"\rseeded {done:N0} / {count:N0} ({watch.Elapsed.TotalSeconds:0} s)");
    }
    if (postgres) using (var analyze = c.CreateCommand()) { analyze.CommandText = "ANALYZE \"Inbox_Mentions\""; analyze.ExecuteNonQuery(); }
    else using (var analyze = c.CreateCommand()) { analyze.CommandText = "ANALYZE"; analyze.ExecuteNonQuery(); }
    Console.Error.WriteLine();
    Console.WriteLine($"seeded {count:N0} mentions in {key} in {watch.Elapsed.TotalSeconds:0.0} s ({count / watch.Elapsed.TotalSeconds:N0}/s), {count - originals.Count:N0} exact repeats");
}

// PostgreSQL: the same mentions through COPY (one stream, no round trip a row: 1,600 rows/s by INSERT on a quiet machine,
// far less under load), the ids given by the bench from the table's highest so that RepeatOf points at the original;
// the generated column and the GIN index are computed by the server as for an INSERT.
void SeedByCopy(NpgsqlConnection c, string key, int count)
{
    c.Open();
    var watch = Stopwatch.StartNew();
    Guid workspace;
    long id;
    using (var q = c.CreateCommand())
    {
        q.CommandText = "SELECT \"Id\" FROM \"Core_Workspaces\" WHERE \"Key\" = @k";
        Add(q, "@k", key);
        workspace = (Guid)q.ExecuteScalar()!;
        q.CommandText = "SELECT COALESCE(max(\"Id\"), 0) FROM \"Inbox_Mentions\"";
        id = Convert.ToInt64(q.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
    string[] columns = ["Id", "WorkspaceId", "SourceKind", "SourceName", "ExternalId", "Url", "CanonicalUrl", "Title", "Text", "Author", "AuthorHandle",
        "AuthorFollowers", "PublishedUtc", "ReceivedUtc", "Language", "Sentiment", "SentimentScore", "TextHash", "RepeatOf", "Status", "Version"];
    static string Csv(object? v) => v switch
    {
        null => "",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss'+00'", CultureInfo.InvariantCulture),
        string t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString()!,
    };
    var generator = new MentionGenerator(7);
    var originals = new Dictionary<long, long>();
    var received = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
    var done = 0;
    while (done < count)
    {
        using (var writer = c.BeginTextImport($"COPY \"Inbox_Mentions\" ({string.Join(", ", columns.Select(n => $"\"{n}\""))}) FROM STDIN (FORMAT csv)"))
            for (var i = 0; i < 50_000 && done < count; i++, done++)
            {
                var m = generator.Next(done);
                var hash = TextHash(m.Text);
                id++;
                var repeatOf = originals.TryGetValue(hash, out var original) ? original : (long?)null;
                if (repeatOf is null) originals[hash] = id;
                object?[] values = [id, workspace, m.Source, m.SourceName, m.ExternalId, m.Url, m.Url is null ? null : Canonical(m.Url), m.Title, m.Text, m.Author,
                    m.Handle, m.Followers, m.Published, received, m.Language, m.Sentiment, m.Score, hash, repeatOf, 0, 0];
                writer.Write(string.Join(",", values.Select(Csv)));
                writer.Write("\n");
            }
        Console.Error.Write($"\rseeded {done:N0} / {count:N0} ({watch.Elapsed.TotalSeconds:0} s)");
    }
    using (var q = c.CreateCommand())
    {
        q.CommandText = "SELECT setval(pg_get_serial_sequence('\"Inbox_Mentions\"', 'Id'), (SELECT max(\"Id\") FROM \"Inbox_Mentions\")); ANALYZE \"Inbox_Mentions\"";
        q.ExecuteNonQuery();
    }
    Console.Error.WriteLine();
    Console.WriteLine($"seeded {count:N0} mentions in {key} by COPY in {watch.Elapsed.TotalSeconds:0.0} s ({count / watch.Elapsed.TotalSeconds:N0}/s), {count - originals.Count:N0} exact repeats");
}

static void Add(DbCommand command, string name, object value)
{
    var p = command.CreateParameter();
    p.ParameterName = name;
    p.Value = value;
    command.Parameters.Add(p);
}

// As MentionRules.TextHash: folded (case, accents), spaces collapsed, first 8 bytes of SHA-256.
static long TextHash(string text)
{
    var decomposed = text.Normalize(NormalizationForm.FormD);
    var builder = new StringBuilder(decomposed.Length);
    foreach (var ch in decomposed)
        if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) builder.Append(char.ToLowerInvariant(ch));
    var normalised = Regex.Replace(builder.ToString().Normalize(NormalizationForm.FormC), @"\s+", " ").Trim();
    return BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)), 0);
}

// The generated addresses carry only utm_source, which the canonical address drops.
static string Canonical(string url) => url.Split('?')[0];

// ---------------------------------------------------------------------------------------------------------------------
// Search: each class through the API (N requests after a warm-up), then the raw query of the same search, twice: the
// matches ranked by the engine (bm25 / ts_rank) and the plain newest-first sort of every match.
async Task SearchAsync(Func<DbConnection> open, string baseUrl, string key, string token, int n, int portal)
{
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    // INBOX_BENCH_RAW=0: the API only, without the raw full-text queries (the ranked sort of a common word takes seconds).
    var raw = Environment.GetEnvironmentVariable("INBOX_BENCH_RAW") != "0";
    (string Name, string Query, string Fts, string? Sentiment, string? Source, string? From, string? To)[] classes =
    [
        ("rare term", "zephyrine", "\"zephyrine\"", null, null, null, null),
        ("common term", "lumen", "\"lumen\"", null, null, null, null),
        ("word in 7 % (sparse walk)", "chevet", "\"chevet\"", null, null, null, null),
        ("phrase", "\"lampe de chevet\"", "\"lampe de chevet\"", null, null, null, null),
        ("prefix", "eclair*", "\"eclair\" *", null, null, null, null),
        ("term + sentiment + source", "lumen", "\"lumen\"", "negative", "mastodon", null, null),
        ("term + sentiment + dates", "lumen", "\"lumen\"", "positive", null, "2026-06-01", "2026-06-30"),
    ];
    await using var db = open();
    await db.OpenAsync();
    var postgres = db is NpgsqlConnection;
    object workspace;
    await using (var q = db.CreateCommand())
    {
        q.CommandText = postgres ? "SELECT \"Id\" FROM \"Core_Workspaces\" WHERE \"Key\" = @k" : "SELECT Id FROM Core_Workspaces WHERE Key = @k";
        Add(q, "@k", key);
        workspace = (await q.ExecuteScalarAsync())!;
    }
    Console.WriteLine($"{"class",-28} {"matches",8} | {"API p50",8} {"p99",8} {"CPU/req",8} | {"SQL rank p50",12} {"p99",8} | {"SQL newest p50",14} {"p99",8}");
    foreach (var c in classes)
    {
        var url = $"/api/v1/{key}/mentions?q={Uri.EscapeDataString(c.Query)}"
            + (c.Sentiment is null ? "" : $"&sentiment={c.Sentiment}") + (c.Source is null ? "" : $"&source={c.Source}")
            + (c.From is null ? "" : $"&from={c.From}&to={c.To}");
        var first = await http.GetAsync(url);
        var body = await first.Content.ReadAsStringAsync();
        if (!first.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {first.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        var total = json.RootElement.GetProperty("total").GetInt32();
        var atLeast = json.RootElement.GetProperty("totalIsAtLeast").GetBoolean();
        for (var i = 0; i < 10; i++) await (await http.GetAsync(url)).Content.ReadAsStringAsync(); // warm-up
        var api = new List<double>(n);
        var cpuBefore = CpuMilliseconds(portal);
        for (var i = 0; i < n; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(url);
            await response.Content.ReadAsStringAsync();
            api.Add(watch.Elapsed.TotalMilliseconds);
        }
        var cpu = (CpuMilliseconds(portal) - cpuBefore) / n;

        // The raw query: the page of 50 ids with the same filters, by the engine's rank and by date.
        var filters = new StringBuilder();
        await using var rank = db.CreateCommand();
        await using var newest = db.CreateCommand();
        foreach (var command in new[] { rank, newest })
        {
            Add(command, "@ws", workspace);
            Add(command, "@q", postgres ? c.Query.Trim('"').TrimEnd('*') : c.Fts);
            if (c.Sentiment is not null) Add(command, "@sentiment", c.Sentiment);
            if (c.Source is not null) Add(command, "@source", c.Source);
            if (c.From is not null)
            {
                Add(command, "@from", DateTime.Parse(c.From, CultureInfo.InvariantCulture));
                Add(command, "@to", DateTime.Parse(c.To!, CultureInfo.InvariantCulture).AddDays(1));
            }
        }
        if (c.Sentiment is not null) filters.Append(" AND m.\"Sentiment\" = @sentiment");
        if (c.Source is not null) filters.Append(" AND m.\"SourceKind\" = @source");
        if (c.From is not null) filters.Append(" AND m.\"PublishedUtc\" >= @from AND m.\"PublishedUtc\" < @to");
        if (postgres)
        {
            var tsq = c.Query.EndsWith('*') ? "to_tsquery('inbox_search', @q || ':*')" : "phraseto_tsquery('inbox_search', @q)";
            rank.CommandText = $"SELECT m.\"Id\" FROM \"Inbox_Mentions\" m WHERE m.\"WorkspaceId\" = @ws{filters} AND m.\"SearchVector\" @@ {tsq} ORDER BY ts_rank(m.\"SearchVector\", {tsq}) DESC LIMIT 50";
            newest.CommandText = $"SELECT m.\"Id\" FROM \"Inbox_Mentions\" m WHERE m.\"WorkspaceId\" = @ws{filters} AND m.\"SearchVector\" @@ {tsq} ORDER BY m.\"PublishedUtc\" DESC, m.\"Id\" DESC LIMIT 50";
        }
        else
        {
            rank.CommandText = $"SELECT m.Id FROM Inbox_MentionsSearch s JOIN Inbox_Mentions m ON m.Id = s.rowid WHERE Inbox_MentionsSearch MATCH @q AND m.WorkspaceId = @ws{filters} ORDER BY bm25(Inbox_MentionsSearch) LIMIT 50";
            newest.CommandText = $"SELECT m.Id FROM Inbox_MentionsSearch s JOIN Inbox_Mentions m ON m.Id = s.rowid WHERE Inbox_MentionsSearch MATCH @q AND m.WorkspaceId = @ws{filters} ORDER BY m.PublishedUtc DESC, m.Id DESC LIMIT 50";
        }
        if (!raw)
        {
            Console.WriteLine($"{c.Name,-28} {(atLeast ? "≥" : "") + total.ToString("N0", CultureInfo.InvariantCulture),8} | {P(api, 50),8:0.0} {P(api, 99),8:0.0} {cpu,8:0.0} |");
            continue;
        }
        var sqlN = Math.Max(5, n / 10); // the raw sorts of a common term take seconds: fewer of them
        var ranked = await TimeAsync(rank, sqlN);
        var sorted = await TimeAsync(newest, sqlN);
        Console.WriteLine($"{c.Name,-28} {(atLeast ? "≥" : "") + total.ToString("N0", CultureInfo.InvariantCulture),8} | {P(api, 50),8:0.0} {P(api, 99),8:0.0} {cpu,8:0.0} | {P(ranked, 50),12:0.0} {P(ranked, 99),8:0.0} | {P(sorted, 50),14:0.0} {P(sorted, 99),8:0.0}");
        Console.WriteLine($"    GET {url}");
    }
    Console.WriteLine($"API: {n} requests a class (ms); raw SQL: {Math.Max(5, n / 10)} runs a query (ms), the page of 50 ids; CPU/req = the portal's user+system ms per request");
    Console.WriteLine($"portal memory: {Memory(portal)}");
}

static async Task<List<double>> TimeAsync(DbCommand command, int n)
{
    var times = new List<double>(n);
    await Read(command);
    for (var i = 0; i < n; i++)
    {
        var watch = Stopwatch.StartNew();
        await Read(command);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    return times;
    static async Task Read(DbCommand command) { await using var r = await command.ExecuteReaderAsync(); while (await r.ReadAsync()) r.GetValue(0); }
}

// ---------------------------------------------------------------------------------------------------------------------
// Ingest: COUNT mentions in batches of 1,000 posted by CLIENTS concurrent clients; one item in twenty repeats an
// earlier one's source id (a duplicate to leave out), and about 15 % repeat an earlier text (stored, RepeatOf).
async Task IngestAsync(string baseUrl, string key, string token, int count, int clients, int portal, int first)
{
    var generator = new MentionGenerator(11);
    var bodies = new List<byte[]>();
    var expectedDuplicates = 0;
    for (var start = 0; start < count; start += 1000)
    {
        var items = new List<object>();
        for (var i = start; i < Math.Min(count, start + 1000); i++)
        {
            // Every 20th item is an earlier one sent again (a source read twice).
            var index = first + (i % 20 == 19 && i > 1000 ? i - 1001 : i); // i - 1001 is never itself a repeat
            if (index != first + i) expectedDuplicates++;
            var m = generator.Next(index);
            items.Add(new
            {
                source = m.Source, sourceName = m.SourceName, externalId = m.ExternalId, url = m.Url, title = m.Title, text = m.Text,
                author = m.Author, authorHandle = m.Handle, authorFollowers = m.Followers,
                publishedAt = new DateTimeOffset(m.Published, TimeSpan.Zero), language = m.Language,
            });
        }
        bodies.Add(JsonSerializer.SerializeToUtf8Bytes(new { mentions = items }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }
    using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var url = $"/api/v1/{key}/mentions";
    int stored = 0, duplicates = 0, next = -1;
    var latencies = new List<double>();
    var cpuBefore = CpuMilliseconds(portal);
    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        int b;
        while ((b = Interlocked.Increment(ref next)) < bodies.Count)
        {
            var started = watch.Elapsed.TotalMilliseconds;
            using var content = new ByteArrayContent(bodies[b]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(url, content);
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"batch {b}: {response.StatusCode} {text}");
            using var json = JsonDocument.Parse(text);
            Interlocked.Add(ref stored, json.RootElement.GetProperty("stored").GetInt32());
            Interlocked.Add(ref duplicates, json.RootElement.GetProperty("duplicates").GetInt32());
            lock (latencies) latencies.Add(watch.Elapsed.TotalMilliseconds - started);
        }
    }));
    var seconds = watch.Elapsed.TotalSeconds;
    var cpu = CpuMilliseconds(portal) - cpuBefore;
    Console.WriteLine($"ingested {count:N0} items in {bodies.Count} batches of 1,000 by {clients} clients in {seconds:0.0} s: {count / seconds:N0} mentions/s");
    Console.WriteLine($"stored {stored:N0}, duplicates {duplicates:N0} (expected {expectedDuplicates:N0}); batch p50 {P(latencies, 50):0} ms, p99 {P(latencies, 99):0} ms");
    Console.WriteLine($"portal CPU: {cpu / count * 1000:0} µs per mention ({cpu / 1000:0.0} s over {seconds:0.0} s); load at start {load}");
    Console.WriteLine($"portal memory: {Memory(portal)}");
}

// utime + stime of a process in milliseconds (Linux /proc, clock ticks of 10 ms).
static double CpuMilliseconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
}

static string Memory(int pid)
{
    var lines = File.ReadAllLines($"/proc/{pid}/status");
    string Get(string name) => lines.First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(':')[1].Trim();
    return $"VmRSS {Get("VmRSS")}, VmHWM (peak) {Get("VmHWM")}";
}

static double P(List<double> values, int percentile)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>One generated mention: the fields the API takes, plus the tone its template was written with.</summary>
internal sealed record Generated(string Source, string? SourceName, string ExternalId, string? Url, string? Title, string Text, string Author,
    string Handle, int Followers, DateTime Published, string Language, string Sentiment, double Score);

/// <summary>
/// Realistic mentions from templates: French and English, praise, complaints, questions and news about the brand and
/// its products; the brand name ("Lumen") in about 85 %, the phrase "lampe de chevet" in about 8 %, words starting with
/// "eclair" in about 10 %, the rare word "zéphyrine" in one mention in 20,000 (50 in a million); about 15 % repeat an
/// earlier text exactly (copy-paste campaigns, quotes). The same index always gives the same mention.
/// </summary>
internal sealed class MentionGenerator(int seed)
{
    private static readonly string[] Sources = ["rss", "mastodon", "bluesky", "api", "csv"];
    private static readonly string[] Products = ["lampe de chevet", "applique murale", "suspension en laiton", "bougie parfumée", "lampadaire", "abat-jour en lin", "guirlande", "veilleuse", "lampe Atelier", "plafonnier"];
    private static readonly string[] ProductsEn = ["bedside lamp", "wall sconce", "brass pendant", "scented candle", "floor lamp", "linen shade", "string lights", "night light", "Atelier lamp", "ceiling light"];
    private static readonly string[] Brands = ["Lumen", "Maison Lumen", "@Lumen_Paris", "#Lumen", "Lumen"];
    private static readonly string[] Places = ["Lyon", "Paris", "Nantes", "Bordeaux", "Lille", "Marseille", "Rennes", "Montréal", "Bruxelles", "Genève", "London", "Berlin"];
    private static readonly string[] First = ["Camille", "Léa", "Hugo", "Chloé", "Louis", "Manon", "Nathan", "Inès", "Jules", "Zoé", "Emma", "Oliver", "Sophie", "Lucas", "Amélie", "Noah", "Jade", "Gabriel"];
    private static readonly string[] Last = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Smith", "Brown", "Garnier", "Faure"];
    private static readonly string[] Feeds = ["Déco Mag", "Le Journal de la Maison", "Design Weekly", "Blog Lumière", "Intérieurs", "Home & Light"];

    private static readonly (string Lang, string Tone, double Score, string Text)[] Templates =
    [
        ("fr", "positive", 0.8, "Ma nouvelle {product} {brand} est arrivée à {place}, la lumière est magnifique, merci ! {tag}"),
        ("fr", "positive", 0.7, "Coup de cœur pour la {product} de {brand} : un éclairage doux, parfait pour lire le soir. {tag}"),
        ("fr", "positive", 0.6, "Livraison rapide et emballage impeccable, la {product} {brand} est superbe dans le salon. {tag}"),
        ("fr", "negative", -0.7, "Très déçue par {brand} : ma {product} est arrivée cassée et le service client ne répond pas depuis {n} jours. {tag}"),
        ("fr", "negative", -0.6, "La {product} {brand} clignote déjà après {n} semaines, l'éclairage est instable, inadmissible à ce prix. {tag}"),
        ("fr", "neutral", 0.0, "Quelqu'un sait si la {product} {brand} existe en blanc ? Je cherche un éclairage pour une chambre à {place}. {tag}"),
        ("fr", "neutral", 0.0, "{brand} ouvre une boutique éphémère à {place} le {n} : {product}, ateliers et rencontres. {tag}"),
        ("fr", "neutral", 0.1, "Article : comment choisir sa {product} ? Nous avons comparé {n} modèles dont celui de {brand}. {tag}"),
        ("en", "positive", 0.8, "Just got my {productEn} from {brand} in {place}, the light is gorgeous, love it! {tag}"),
        ("en", "positive", 0.6, "The {productEn} by {brand} is beautifully made, warm and soft lighting for the bedroom. {tag}"),
        ("en", "negative", -0.7, "Disappointed with {brand}: my {productEn} arrived broken and support has not answered in {n} days. {tag}"),
        ("en", "negative", -0.5, "The {productEn} from {brand} started flickering after {n} weeks. Not great for the price. {tag}"),
        ("en", "neutral", 0.0, "Does anyone know whether the {brand} {productEn} ships to {place}? Asking for a friend. {tag}"),
        ("en", "neutral", 0.0, "Review: we tested {n} lamps including the {productEn} from {brand}, full comparison on the blog. {tag}"),
        ("fr", "neutral", 0.0, "Une {product} trouvée en brocante à {place}, quelqu'un connaît la marque ? {tag}"),
    ];
    private static readonly string[] DetailsFr = ["Commande n° {m}.", "Photo {m} de ma série déco.", "Ticket {m} toujours ouvert.", "Réf. {m} sur le site.", "Vu {m} fois déjà.", "Code promo {m} ?"];
    private static readonly string[] DetailsEn = ["Order #{m}.", "Photo {m} of my decor series.", "Ticket {m} still open.", "Ref. {m} on the site.", "Seen {m} times already.", "Promo code {m}?"];
    private static readonly string[] Tags = ["", "", "#déco", "#design", "#éclairage", "#lighting", "#interiors", "#fait-main", "#cosy", "#homedecor"];


    public Generated Next(int index)
    {
        var r = new Random(HashCode.Combine(seed, index));
        var source = Sources[r.Next(Sources.Length)];
        // About 15 % repeat the text of an earlier mention, drawn from 2,000 "viral" ones.
        var textIndex = index >= 2000 && r.Next(100) < 15 ? r.Next(2000) : index;
        var (lang, tone, score, text) = Text(textIndex);
        var published = new DateTime(2025, 12, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(r.NextDouble() * 365 * 86400);
        published = published.AddTicks(-(published.Ticks % TimeSpan.TicksPerSecond));
        var first = First[r.Next(First.Length)];
        var last = Last[r.Next(Last.Length)];
        var followers = (int)Math.Pow(10, r.NextDouble() * 5);
        var rss = source == "rss";
        var url = rss || r.Next(3) == 0 ? $"https://{(rss ? "blog" : source)}{r.Next(400)}.example/{lang}/{index}?utm_source=feed" : null;
        return new Generated(source, rss ? Feeds[r.Next(Feeds.Length)] : null, $"{source}-{index}", url,
            rss ? (lang == "fr" ? $"{Products[r.Next(Products.Length)]} : notre avis" : $"{ProductsEn[r.Next(ProductsEn.Length)]}: our review") : null,
            text, $"{first} {last}", "@" + first.ToLowerInvariant() + r.Next(10000), followers, published, lang, tone, score);
    }

    /// <summary>The text of index i: the same for the same index, so repeats are exact.</summary>
    private static (string, string, double, string) Text(int index)
    {
        var r = new Random(index * 7919 + 13);
        var (lang, tone, score, template) = Templates[r.Next(Templates.Length)];
        // The brand in ~85 %: otherwise the product alone.
        var brand = r.Next(100) < 85 ? Brands[r.Next(Brands.Length)] : "la marque";
        if (lang == "en" && brand == "la marque") brand = "the brand";
        var text = template.Replace("{brand}", brand).Replace("{product}", Products[r.Next(Products.Length)])
            .Replace("{productEn}", ProductsEn[r.Next(ProductsEn.Length)]).Replace("{place}", Places[r.Next(Places.Length)])
            .Replace("{n}", r.Next(2, 40).ToString(CultureInfo.InvariantCulture)).Replace("{tag}", Tags[r.Next(Tags.Length)]);
        if (index % 20000 == 2007) text += " Vu chez Zéphyrine, la boutique du coin.";
        // A detail of its own, as real posts have: without it, templates would repeat each other far beyond 15 %.
        text += " " + (lang == "fr" ? DetailsFr : DetailsEn)[r.Next(DetailsFr.Length)].Replace("{m}", r.Next(1, 100000).ToString(CultureInfo.InvariantCulture));
        return (lang, tone, score, text.Trim());
    }
}
