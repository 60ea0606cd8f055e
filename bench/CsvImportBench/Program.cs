using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

// Issue 9, "CSV import of 10,000 rows: time and peak memory". Drives a running portal (bench/csv-import.sh starts it)
// as a browser would: signs in, uploads a generated French CSV file (preview: every line checked, nothing stored),
// applies it (one transaction, in the background) and polls its progress until done. Reads the server's resident
// memory (VmRSS, VmHWM from /proc) before and after. Usage: CsvImportBench BASE_URL SERVER_PID [ROWS]
var baseUrl = args[0].TrimEnd('/');
var pid = int.Parse(args[1], CultureInfo.InvariantCulture);
var rows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
const string Workspace = "maison-lumen";

var file = Generate(rows);
using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(30) };

// Sign in as the demo's administrator.
var login = await http.GetStringAsync("/account/login");
var signIn = await http.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
{
    ["Email"] = "admin@maison-lumen.test", ["Password"] = "demo-lumen-2026", ["__RequestVerificationToken"] = Token(login),
}));
if (signIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {(int)signIn.StatusCode}");

var page = await http.GetStringAsync($"/admin/{Workspace}/posts/import");
var before = Memory(pid);
var cpuBefore = Cpu(pid);

// 1. Upload and preview.
var preview = Stopwatch.StartNew();
using var upload = new MultipartFormDataContent { { new StringContent(Token(page)), "__RequestVerificationToken" } };
var part = new ByteArrayContent(file);
part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
upload.Add(part, "file", "bench.csv");
var previewed = await http.PostAsync($"/admin/{Workspace}/posts/import", upload);
var previewPage = await previewed.Content.ReadAsStringAsync();
preview.Stop();
if (previewed.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"preview answered {(int)previewed.StatusCode}: {Problems(previewPage)}");
var apply = Regex.Match(previewPage, "<form method=\"post\" action=\"([^\"]+)\" class=\"mb-3\" id=\"apply\"");
if (!apply.Success) apply = Regex.Match(previewPage, "action=\"(/admin/[^\"]+/posts/import/apply)\"");
var importKey = Regex.Match(previewPage, "name=\"key\" value=\"([0-9a-f]{32})\"").Groups[1].Value;
if (!apply.Success) throw new InvalidOperationException("the preview has no import button");
var afterPreview = Memory(pid);
var cpuAfterPreview = Cpu(pid);

// 2. Apply and follow the progress.
var applying = Stopwatch.StartNew();
var started = await http.PostAsync(apply.Groups[1].Value, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Token(previewPage), ["key"] = importKey }));
var run = started.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"apply answered {(int)started.StatusCode}");
JsonElement status;
var reports = new List<(double Seconds, int Done)>();
while (true)
{
    status = JsonDocument.Parse(await http.GetStringAsync(run + "&format=json")).RootElement;
    reports.Add((applying.Elapsed.TotalSeconds, status.GetProperty("done").GetInt32()));
    if (status.GetProperty("status").GetString() != "running") break;
    await Task.Delay(200);
}
applying.Stop();
var after = Memory(pid);
var cpuAfter = Cpu(pid);
if (status.GetProperty("status").GetString() != "succeeded") throw new InvalidOperationException("import failed: " + status);

Console.WriteLine($"rows: {rows:N0}, file: {file.Length / 1024.0 / 1024.0:F1} MB");
Console.WriteLine($"preview (upload, read, check every line; nothing stored): {preview.Elapsed.TotalSeconds:F1} s ({preview.Elapsed.TotalMilliseconds * 1000 / rows:F0} µs/row)");
Console.WriteLine($"apply (one transaction, background, polled every 200 ms): {applying.Elapsed.TotalSeconds:F1} s ({applying.Elapsed.TotalMilliseconds * 1000 / rows:F0} µs/row); " +
                  $"progress seen at {string.Join(", ", reports.Where((_, i) => i % Math.Max(1, reports.Count / 6) == 0).Select(r => $"{r.Seconds:F0} s: {r.Done:N0}"))}");
Console.WriteLine($"server CPU (user + system, /proc): preview {cpuAfterPreview - cpuBefore:F1} s ({(cpuAfterPreview - cpuBefore) * 1e6 / rows:F0} µs/row), " +
                  $"apply {cpuAfter - cpuAfterPreview:F1} s ({(cpuAfter - cpuAfterPreview) * 1e6 / rows:F0} µs/row)");
Console.WriteLine($"server memory (RSS): {before.Rss} MB before upload, {afterPreview.Rss} MB after preview, {after.Rss} MB after import; peak (VmHWM) {before.Peak} → {after.Peak} MB");

static string Token(string html) =>
    WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);

static string Problems(string html) => string.Join(" | ", Regex.Matches(html, "<li>([^<]+)</li>").Take(5).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));

static (long Rss, long Peak) Memory(int pid)
{
    var lines = File.ReadAllLines($"/proc/{pid}/status");
    long Kb(string key) => long.Parse(lines.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    return (Kb("VmRSS") / 1024, Kb("VmHWM") / 1024);
}

/// <summary>The server's CPU time so far (user + system), in seconds: the machine's load does not inflate it.</summary>
static double Cpu(int pid)
{
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15 (clock ticks, 100 a second).
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

// A French planning over the coming years: two networks a line, a pillar of the demo's editorial line, some texts on
// several lines with semicolons (quoted), a network's own text now and then. Deterministic (seed 9).
static byte[] Generate(int rows)
{
    string[] pillars = ["Savoir-faire & atelier", "Art de vivre", "Lyon & communauté", "Engagement", "Collections & offres"];
    string[] networks = ["instagram,facebook", "facebook", "linkedin", "instagram|pinterest", "bluesky"];
    string[] phrases =
    [
        "Dans l’atelier, la cire de colza coule à 72 °C", "une mèche en coton tressé, taillée à 5 mm", "nos parfums sont composés à Grasse",
        "l’hiver arrive : pensez aux bougies du salon", "rendez-vous samedi à la Croix-Rousse ; venez sentir la collection",
    ];
    var random = new Random(9);
    var text = new StringBuilder("date;time;networks;text;text_instagram;pillar;campaign;state\r\n");
    var start = new DateTime(2027, 1, 4, 8, 0, 0);
    for (var i = 0; i < rows; i++)
    {
        var at = start.AddMinutes(i * 97);
        var body = string.Join(random.Next(4) == 0 ? ";\n" : ", ", Enumerable.Range(0, random.Next(2, 5)).Select(_ => phrases[random.Next(phrases.Length)])) + $". (n° {i})";
        var own = random.Next(5) == 0 ? $"{body} #MaisonLumen" : "";
        var nets = networks[i % networks.Length];
        if (!nets.Contains("instagram", StringComparison.Ordinal)) own = "";
        text.Append(CultureInfo.InvariantCulture, $"{at:dd/MM/yyyy};{at:HH:mm};{nets};\"{body.Replace("\"", "\"\"", StringComparison.Ordinal)}\";{(own.Length > 0 ? "\"" + own + "\"" : "")};{pillars[i % pillars.Length]};;draft\r\n");
    }
    return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
}
