// The publishing outbox measured against a REAL portal process (CmPortal.Web.dll on its own port) and local test
// servers that speak what the portal's networks speak: webhook receivers (Standard Webhooks, signature checked) and
// the tests' local Mastodon (MastodonTestServer, Idempotency-Key honoured). Duplicates and lost posts are counted from
// the test servers' own records, never from the portal's.
//
// Usage (the scripts in bench/ build, set the portal up and pass these):
//   PublishBench crash    --web DLL --data DIR --ports PORTAL,HOOKS,MASTODON --token T --workspace KEY [--runs 20] [--deliveries 500] [--mastodon] [--scheduled]
//   PublishBench lateness --web DLL --data DIR --ports PORTAL,HOOKS --token T --workspace KEY [--deliveries 10000] [--channels 1000] [--answer-ms 50]
//   PublishBench two-node --web DLL --data DIR --ports PORTAL1,PORTAL2,HOOKS --token T --workspace KEY [--deliveries 10000] [--channels 100] [--answer-ms 20]
// The portal's settings come from the environment the script exports (Database__*, Publishing__*), printed first.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0 || args[0] is not ("crash" or "lateness" or "two-node"))
{
    Console.Error.WriteLine("usage: PublishBench crash|lateness|two-node --web DLL --data DIR --ports P,.. --token T --workspace KEY [options]");
    return 2;
}
var o = Options.Parse(args[1..]);
Console.WriteLine("portal settings from the environment: " + string.Join(" ", Environment.GetEnvironmentVariables().Keys.Cast<string>()
    .Where(k => k.StartsWith("Publishing__", StringComparison.Ordinal) || k == "Database__Provider").Order()
    .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}")) + " (anything else: the portal's defaults)");
return args[0] switch
{
    "crash" => await Bench.CrashAsync(o),
    "lateness" => await Bench.LatenessAsync(o, nodes: 1),
    _ => await Bench.LatenessAsync(o, nodes: 2),
};

internal sealed record Options(string Web, string Data, int[] Ports, string Token, string Workspace, int Runs, int Deliveries, int Channels,
    int AnswerMs, bool Mastodon, double KillWithin, bool Scheduled)
{
    public static Options Parse(string[] a)
    {
        string Get(string name, string? fallback = null)
        {
            var i = Array.IndexOf(a, name);
            return i >= 0 && i + 1 < a.Length ? a[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
        }
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(Get("--web"), Get("--data"), Get("--ports").Split(',').Select(int.Parse).ToArray(), Get("--token"), Get("--workspace"),
            Int("--runs", 20), Int("--deliveries", 0), Int("--channels", 0), Int("--answer-ms", 50), a.Contains("--mastodon"),
            double.Parse(Get("--kill-within", "3"), CultureInfo.InvariantCulture), a.Contains("--scheduled"));
    }
}

internal static class Bench
{
    private const string Secret = "whsec_YmVuY2gtcHVibGlzaC1zZWNyZXQtMzItYnl0ZXMhIQ=="; // "bench-publish-secret-32-bytes!!"

    /// <summary>
    /// Runs of N deliveries each (posts made due with "publish now"); during a run the portal is killed with SIGKILL
    /// 0.3–3 s after each start (<c>--kill-within</c> narrows it: a fast portal sends 500 deliveries in about 2 s), and started again on the same data, until every post reached its test server; then it
    /// runs without kills until the portal has settled every delivery, and the test servers' records are counted.
    /// </summary>
    public static async Task<int> CrashAsync(Options o)
    {
        var deliveries = o.Deliveries > 0 ? o.Deliveries : 500;
        const int postsPerRun = 10;
        var channelCount = deliveries / postsPerRun;
        var mastodonCount = o.Mastodon ? channelCount / 2 : 0;
        await using var hooks = await WebhookReceivers.StartAsync(o.Ports[1], answerMs: 20);
        await using var mastodon = o.Mastodon ? await MastodonTestServer.StartAsync(TimeProvider.System, o.Ports[2]) : null;
        var portal = new Portal(o.Web, o.Data, o.Ports[0]);
        await portal.StartAsync();
        var api = new PortalApi(portal.Url, o.Workspace, o.Token);

        var hookChannels = new List<Guid>();
        var mastodonChannels = new Dictionary<string, Guid>(); // account id → channel
        for (var c = 0; c < channelCount - mastodonCount; c++)
            hookChannels.Add(await api.ConnectAsync(new { network = "webhook", name = $"Hook {c:000}", url = $"{hooks.Url}hooks/{c}", secret = Secret }));
        for (var c = 0; c < mastodonCount; c++)
        {
            var (account, token) = mastodon!.AddAccount($"bench{c:000}");
            mastodonChannels[account.Id] = await api.ConnectAsync(new { network = "mastodon", name = $"Mastodon {c:000}", instanceUrl = mastodon.BaseAddress.ToString(), accessToken = token });
        }
        Console.WriteLine($"{hookChannels.Count} webhook channels{(o.Mastodon ? $" and {mastodonCount} Mastodon channels (one account each, on the local Mastodon)" : "")}; " +
                          $"{postsPerRun} posts per run {(o.Scheduled ? "scheduled at the next whole minute (staged before it)" : "published now")} → {channelCount * postsPerRun} deliveries per run; {o.Runs} runs");
        Console.WriteLine();
        Console.WriteLine("| run | kills | deliveries | reached | lost | duplicates | webhook repeats (same webhook-id) | settled in |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        var random = new Random();
        int totalKills = 0, totalLost = 0, totalDuplicates = 0, totalRepeats = 0, totalExpected = 0;
        var clock = Stopwatch.StartNew();
        for (var run = 1; run <= o.Runs; run++)
        {
            var started = Stopwatch.StartNew();
            if (!portal.Running) await portal.StartAsync();
            var posts = new List<(Guid Id, string Text)>();
            // Scheduled: due at the next whole minute at least 20 s ahead, so that the portal stages them before it
            // (with Publishing__StageAheadSeconds) and the first kill falls around their instant; else "publish now".
            var due = DateTime.UtcNow.AddSeconds(20 + postsPerRun);
            due = new DateTime(due.Year, due.Month, due.Day, due.Hour, due.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
            for (var p = 0; p < postsPerRun; p++)
            {
                var text = $"Bench crash run {run} post {p} {Guid.NewGuid():N}";
                posts.Add(((await api.CreatePostAsync(text, o.Scheduled ? due : DateTime.UtcNow.AddHours(3))).Id, text));
            }
            if (!o.Scheduled)
                foreach (var post in posts) await api.PublishNowAsync(post.Id);
            var expected = channelCount * postsPerRun;
            var postIds = posts.Select(p => p.Id).ToHashSet();
            var texts = posts.Select(p => p.Text).ToHashSet();
            int Reached() => hooks.DistinctPairs(postIds) + (mastodon?.Statuses.Where(s => texts.Contains(s.Text)).Select(s => (s.Account.Id, s.Text)).Distinct().Count() ?? 0);

            var kills = 0;
            if (o.Scheduled)
            {
                // The first kill between 2 s before the instant (staged, not yet taken) and kill-within after it (taken, sending).
                var first = due.AddSeconds(-2 + random.NextDouble() * (o.KillWithin + 2)) - DateTime.UtcNow;
                if (first > TimeSpan.Zero) await Task.Delay(first);
                portal.Kill();
                kills++;
                if (Reached() < expected) await portal.StartAsync();
            }
            while (Reached() < expected)
            {
                await Task.Delay(TimeSpan.FromSeconds(0.3 + random.NextDouble() * Math.Max(0, o.KillWithin - 0.3)));
                portal.Kill();
                kills++;
                if (Reached() >= expected || kills >= 200) break;
                await portal.StartAsync();
            }
            // No more kills: the portal settles what it left (reconciles, sends again with the same key) until nothing waits.
            if (!portal.Running) await portal.StartAsync();
            var settleDeadline = DateTime.UtcNow.AddMinutes(5);
            while (DateTime.UtcNow < settleDeadline)
            {
                var open = 0;
                foreach (var post in posts) open += (await api.DeliveryStatesAsync(post.Id)).Count(s => s is "pending" or "sending");
                if (open == 0) break;
                await Task.Delay(500);
            }
            await Task.Delay(500); // an answer in flight reaches the test server's record

            var hookCount = hooks.Count(postIds, hookChannels);
            var lost = hookCount.Lost;
            var duplicates = hookCount.Duplicates;
            if (mastodon is not null)
            {
                var statuses = mastodon.Statuses.Where(s => texts.Contains(s.Text)).GroupBy(s => (s.Account.Id, s.Text)).ToList();
                lost += mastodonChannels.Count * postsPerRun - statuses.Count;
                duplicates += statuses.Sum(g => g.Count() - 1);
            }
            totalKills += kills; totalLost += lost; totalDuplicates += duplicates; totalRepeats += hookCount.Repeats; totalExpected += expected;
            Console.WriteLine($"| {run} | {kills} | {expected} | {Reached()} | {lost} | {duplicates} | {hookCount.Repeats} | {started.Elapsed.TotalSeconds:0} s |");
        }
        await portal.StopAsync();
        Console.WriteLine($"| **all** | {totalKills} | {totalExpected} | | **{totalLost}** | **{totalDuplicates}** | {totalRepeats} | {clock.Elapsed.TotalMinutes:0.0} min |");
        Console.WriteLine();
        Console.WriteLine("lost: a post that never reached its channel's test server; duplicates: the same post occurrence published twice on a " +
                          "channel (two statuses on the Mastodon account, or two different webhook-ids for one post on a webhook). " +
                          "Webhook repeats: the same webhook-id received again after a 2xx (the answer or its record died with the portal) — " +
                          "Standard Webhooks' at-least-once; the receiver recognises the id and does not publish again.");
        Console.WriteLine($"bad signatures: {hooks.BadSignatures}");
        return totalLost == 0 && totalDuplicates == 0 ? 0 : 1;
    }

    /// <summary>
    /// D deliveries due in the same minute (P posts scheduled at the next whole minute on C webhook channels), test
    /// servers answering after ~answer-ms: lateness from the due time to the receiver's receipt, and throughput. With
    /// two nodes, both portals dispatch one PostgreSQL outbox and each one's share is counted by the receiver (the TCP
    /// connection's owner process).
    /// </summary>
    public static async Task<int> LatenessAsync(Options o, int nodes)
    {
        var deliveries = o.Deliveries > 0 ? o.Deliveries : 10_000;
        var channels = o.Channels > 0 ? o.Channels : nodes == 1 ? 1000 : 100;
        var posts = Math.Max(1, deliveries / channels);
        var portals = Enumerable.Range(0, nodes).Select(n => new Portal(o.Web, o.Data, o.Ports[n])).ToList();
        await using var hooks = await WebhookReceivers.StartAsync(o.Ports[nodes], o.AnswerMs);
        await portals[0].StartAsync(); // the first node migrates; the second starts after it
        for (var n = 1; n < nodes; n++) await portals[n].StartAsync();
        // Which node sent each delivery (read from /proc for each new connection): only worth its CPU with two nodes.
        if (nodes > 1) hooks.Attribute(portals.Select(p => p.Pid).ToArray());
        var api = new PortalApi(portals[0].Url, o.Workspace, o.Token);

        var channelIds = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, channels), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, _) =>
            channelIds.Add(await api.ConnectAsync(new { network = "webhook", name = $"Hook {c:0000}", url = $"{hooks.Url}hooks/{c}", secret = Secret })));
        // The next whole minute with time to write, approve and schedule the posts on a loaded machine; each post is
        // planned on all channels when it is scheduled, the last step.
        var due = DateTime.UtcNow.AddSeconds(30 + posts * 1.5);
        due = new DateTime(due.Year, due.Month, due.Day, due.Hour, due.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
        var approved = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, posts), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, _) =>
        {
            var (id, dueUtc) = await api.CreatePostAsync($"Bench lateness post {p} {Guid.NewGuid():N}", due, schedule: false);
            if (dueUtc != due) throw new InvalidOperationException($"The post is due at {dueUtc:O}, not {due:O} (the workspace's zone should be UTC).");
            approved.Add(id);
        });
        await Parallel.ForEachAsync(approved, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (id, _) => await api.ScheduleAsync(id));
        var postIds = approved.ToHashSet();
        var expected = channels * posts;
        var setupDone = DateTime.UtcNow;
        var cpuAtSetup = portals.Sum(p => CpuSeconds(p.Pid)); // staging happens between here and the due time
        Console.WriteLine($"{nodes} node(s); {channels} webhook channels × {posts} posts = {expected} deliveries due at {due:HH:mm:ss} UTC " +
                          $"(set up {(due - setupDone).TotalSeconds:0} s before); test servers answer after {o.AnswerMs} ms");
        Console.WriteLine($"load before: {Load()}");

        // The portals' CPU time from just before the due time: a figure the machine's load does not inflate.
        while (DateTime.UtcNow < due.AddSeconds(-1)) await Task.Delay(200);
        var cpuBefore = portals.Sum(p => CpuSeconds(p.Pid));
        var receiversCpuBefore = CpuSeconds(Environment.ProcessId); // the receivers run in this process and share the cores
        // Wait for all, or until nothing arrived for 60 s.
        var last = (Count: 0, At: DateTime.UtcNow);
        while (true)
        {
            await Task.Delay(500);
            var reached = hooks.DistinctPairs(postIds);
            if (reached >= expected) break;
            if (reached != last.Count) last = (reached, DateTime.UtcNow);
            else if (DateTime.UtcNow > due && DateTime.UtcNow - last.At > TimeSpan.FromSeconds(60)) break;
        }
        await Task.Delay(1000);
        var cpuAfter = portals.Sum(p => CpuSeconds(p.Pid));
        var receiversCpu = CpuSeconds(Environment.ProcessId) - receiversCpuBefore;
        var cpu = cpuAfter - cpuBefore;
        var cpuWithStaging = cpuAfter - cpuAtSetup;
        Console.WriteLine($"load after: {Load()}");
        foreach (var portal in portals) await portal.StopAsync();

        var count = hooks.Count(postIds, channelIds.ToList());
        var firsts = hooks.FirstReceipts(postIds);
        var lateness = firsts.Select(r => (r.ReceivedUtc - r.Occurrence).TotalMilliseconds).Order().ToArray();
        var lastReceipt = firsts.Max(r => r.ReceivedUtc);
        var firstReceipt = firsts.Min(r => r.ReceivedUtc);
        Console.WriteLine();
        Console.WriteLine("| deliveries | reached | lost | duplicates | webhook repeats | lateness p50 | p99 | p99.9 | max | throughput (due → last) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {expected} | {firsts.Count} | {count.Lost} | {count.Duplicates} | {count.Repeats} | {Ms(Percentile(lateness, 0.50))} | " +
                          $"{Ms(Percentile(lateness, 0.99))} | {Ms(Percentile(lateness, 0.999))} | {Ms(lateness[^1])} | " +
                          $"{firsts.Count / (lastReceipt - due).TotalSeconds:0} /s (first receipt {(firstReceipt - due).TotalMilliseconds:0} ms after due) |");
        Console.WriteLine($"portal CPU time (user + system, all nodes) from the due time: {cpu:0.0} s, {1000 * cpu / Math.Max(1, firsts.Count):0.00} ms per delivery " +
                          $"(one core's worth: at most {firsts.Count / Math.Max(0.01, cpu):0} deliveries/s)");
        Console.WriteLine($"test servers' CPU time (this process: the receivers, and this bench's polling) from the due time: {receiversCpu:0.0} s, " +
                          $"{1000 * receiversCpu / Math.Max(1, firsts.Count):0.00} ms per delivery; both on {Environment.ProcessorCount} cores: " +
                          $"at most {Environment.ProcessorCount * firsts.Count / Math.Max(0.01, cpu + receiversCpu):0} deliveries/s");
        Console.WriteLine($"portal CPU time from the end of the setup (with the staging before the due time and the planner's minute): {cpuWithStaging:0.0} s, " +
                          $"{1000 * cpuWithStaging / Math.Max(1, firsts.Count):0.0} ms per delivery");
        if (nodes > 1)
        {
            var shares = hooks.Shares(postIds);
            Console.WriteLine();
            Console.WriteLine("| node | process | deliveries received from it | share |");
            Console.WriteLine("|---:|---:|---:|---:|");
            for (var n = 0; n < nodes; n++)
            {
                var mine = shares.GetValueOrDefault(portals[n].Pid);
                Console.WriteLine($"| {n + 1} | {portals[n].Pid} | {mine} | {100.0 * mine / Math.Max(1, firsts.Count):0.0} % |");
            }
            if (shares.GetValueOrDefault(0) > 0) Console.WriteLine($"(not attributed: {shares[0]})");
        }
        Console.WriteLine($"bad signatures: {hooks.BadSignatures}");
        return count.Lost == 0 && count.Duplicates == 0 ? 0 : 1;
    }

    /// <summary>User + system CPU seconds of a process so far (/proc/PID/stat, clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Ms(double ms) => ms >= 10_000 ? $"{ms / 1000:0.0} s" : $"{ms:0} ms";

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var l ? string.Join(' ', l) : "";
}

/// <summary>A portal: a real CmPortal.Web process on its own port, its output appended to DATA/portal-PORT.log.</summary>
internal sealed class Portal(string web, string dataDir, int port)
{
    private Process? _process;
    public string Url { get; } = $"http://127.0.0.1:{port}/";
    public int Pid => _process?.Id ?? 0;
    public bool Running => _process is { HasExited: false };

    public async Task StartAsync()
    {
        var log = Path.Combine(dataDir, $"portal-{port}.log");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", "exec dotnet \"$0\" --data-dir \"$1\" --urls \"$2\" >>\"$3\" 2>&1", web, dataDir, Url.TrimEnd('/'), log })
            start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        // For the script's cleanup, should this program die first (its EXIT trap kills what the files name).
        await File.WriteAllTextAsync(Path.Combine(dataDir, $"portal-{port}.pid"), _process.Id.ToString(CultureInfo.InvariantCulture));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(5); // a start on a machine at load 70 took more than 2 minutes
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The portal on port {port} exited ({_process.ExitCode}): see {log}");
            try { if ((await http.GetAsync(Url + "health")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The portal on port {port} did not answer /health: see {log}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, whatever was in flight is cut.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops it.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await _process.WaitForExitAsync(wait.Token); }
        catch (OperationCanceledException) { Kill(); }
    }
}

/// <summary>The portal's public API (docs/api.md), with a personal access token.</summary>
internal sealed class PortalApi
{
    private readonly HttpClient _http;

    public PortalApi(string portalUrl, string workspace, string token)
    {
        _http = new HttpClient { BaseAddress = new Uri($"{portalUrl}api/v1/{workspace}/"), Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<Guid> ConnectAsync(object channel) => (await SendAsync(HttpMethod.Post, "channels", channel)).GetProperty("id").GetGuid();

    /// <summary>
    /// A scheduled one-off post for Mastodon (a webhook naming no network receives every post); the workspace's zone is
    /// UTC. The way a member takes it: in review, approved, scheduled (the blank recipe's one-step approval).
    /// </summary>
    public async Task<(Guid Id, DateTime DueUtc)> CreatePostAsync(string text, DateTime startsUtc, bool schedule = true)
    {
        var post = await SendAsync(HttpMethod.Post, "posts", new
        {
            text, networks = new[] { "mastodon" }, state = "inReview",
            startsAt = startsUtc.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        });
        var id = post.GetProperty("id").GetGuid();
        await SendAsync(HttpMethod.Post, $"posts/{id}/state", new { state = "approved" });
        if (schedule) await ScheduleAsync(id);
        return (id, DateTime.Parse(post.GetProperty("startsAtUtc").GetString()!, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
    }

    public Task ScheduleAsync(Guid post) => SendAsync(HttpMethod.Post, $"posts/{post}/state", new { state = "scheduled" });

    public Task PublishNowAsync(Guid post) => SendAsync(HttpMethod.Post, $"posts/{post}/publish-now", null);

    public async Task<List<string>> DeliveryStatesAsync(Guid post) =>
        (await SendAsync(HttpMethod.Get, $"posts/{post}/deliveries", null)).GetProperty("deliveries").EnumerateArray()
        .Select(d => d.GetProperty("state").GetString()!).ToList();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>
/// Webhook receivers on one port (<c>/hooks/{n}</c>), as a Standard Webhooks consumer: the signature is checked, each
/// receipt is recorded with its time, and a webhook-id already answered is recognised (answered 2xx again, not
/// published again). With the portals' process ids, each receipt is attributed to the process owning the connection.
/// </summary>
internal sealed class WebhookReceivers : IAsyncDisposable
{
    internal sealed record Receipt(string WebhookId, Guid Channel, Guid Post, DateTime Occurrence, DateTime ReceivedUtc, int Pid);

    private readonly WebApplication _app;
    private readonly byte[] _key;
    private readonly int _answerMs;
    private readonly int _port;
    private readonly Lock _lock = new();
    private readonly List<Receipt> _receipts = [];
    private readonly ConcurrentDictionary<string, int> _owners = new();
    private int[] _pids = [];
    private int _badSignatures;

    private WebhookReceivers(WebApplication app, byte[] key, int answerMs, int port)
    {
        _app = app;
        _key = key;
        _answerMs = answerMs;
        _port = port;
    }

    public string Url => $"http://127.0.0.1:{_port}/";
    public int BadSignatures => Volatile.Read(ref _badSignatures);

    public static async Task<WebhookReceivers> StartAsync(int port, int answerMs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var key = Convert.FromBase64String("YmVuY2gtcHVibGlzaC1zZWNyZXQtMzItYnl0ZXMhIQ==");
        var receivers = new WebhookReceivers(app, key, answerMs, port);
        // As a Delegate: a method group taking an HttpContext would bind as a RequestDelegate, and its result (the JSON) would not be written.
        app.MapPost("/hooks/{n:int}", (Delegate)receivers.ReceiveAsync);
        await app.StartAsync();
        return receivers;
    }

    public void Attribute(int[] pids) => _pids = pids;

    private async Task<IResult> ReceiveAsync(HttpContext http)
    {
        var received = DateTime.UtcNow;
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = http.Request.Headers["webhook-id"].ToString();
        var timestamp = http.Request.Headers["webhook-timestamp"].ToString();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        if (!http.Request.Headers["webhook-signature"].ToString().Split(' ').Any(s => s == expected))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.Unauthorized();
        }
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var pid = _pids.Length > 0 ? _owners.GetOrAdd(http.Connection.Id, _ => OwnerOf(http.Connection.RemotePort)) : 0;
        lock (_lock)
            _receipts.Add(new Receipt(id, root.GetProperty("channel").GetProperty("id").GetGuid(), root.GetProperty("post").GetGuid(),
                root.GetProperty("occurrence").GetDateTime().ToUniversalTime(), received, pid));
        if (_answerMs > 0) await Task.Delay(_answerMs);
        return Results.Json(new { url = $"{Url}published/{id}" });
    }

    public int DistinctPairs(IReadOnlySet<Guid> posts)
    {
        lock (_lock) return _receipts.Where(r => posts.Contains(r.Post)).Select(r => (r.Channel, r.Post, r.Occurrence)).Distinct().Count();
    }

    public List<Receipt> FirstReceipts(IReadOnlySet<Guid> posts)
    {
        lock (_lock) return _receipts.Where(r => posts.Contains(r.Post)).GroupBy(r => (r.Channel, r.Post, r.Occurrence)).Select(g => g.First()).ToList();
    }

    public Dictionary<int, int> Shares(IReadOnlySet<Guid> posts) =>
        FirstReceipts(posts).GroupBy(r => r.Pid).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Lost: an expected (channel, post) never received. Duplicate: one post occurrence under two webhook-ids. Repeat: a webhook-id again.</summary>
    public (int Lost, int Duplicates, int Repeats) Count(IReadOnlySet<Guid> posts, IReadOnlyList<Guid> channels)
    {
        lock (_lock)
        {
            var mine = _receipts.Where(r => posts.Contains(r.Post)).ToList();
            var pairs = mine.Select(r => (r.Channel, r.Post)).ToHashSet();
            var lost = channels.Sum(c => posts.Count(p => !pairs.Contains((c, p))));
            var duplicates = mine.GroupBy(r => (r.Channel, r.Post, r.Occurrence)).Sum(g => g.Select(r => r.WebhookId).Distinct().Count() - 1);
            var repeats = mine.GroupBy(r => r.WebhookId).Sum(g => g.Count() - 1);
            return (lost, duplicates, repeats);
        }
    }

    /// <summary>Which of the portals' processes holds the other end of this connection (Linux: /proc's socket inodes).</summary>
    private int OwnerOf(int remotePort)
    {
        try
        {
            string? inode = null;
            foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (PortOf(f[1]) == remotePort && PortOf(f[2]) == _port) { inode = f[9]; break; }
                }
            if (inode is null) return 0;
            foreach (var pid in _pids)
                foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
                    if (new FileInfo(fd).LinkTarget == $"socket:[{inode}]") return pid;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }

    private static int PortOf(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
