using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CmPortal.Modules.BrandIdentity.Checking;

/// <summary>
/// Where the portal reaches Grammalecte, the French grammar checker. Either <c>Grammalecte:Url</c> names a
/// running <c>grammalecte-server</c> (the portal never starts one then), or, when <c>Grammalecte:Start</c> is
/// true (the default) and the executable exists (<c>Grammalecte:Executable</c>, default <c>grammalecte-server</c>
/// on the PATH, Debian's grammalecte-cli package), the portal starts its own on a free 127.0.0.1 port the first
/// time a French draft is checked (the check page warms it up) and stops it, with its worker, on shutdown.
/// A portal that never checks French drafts never runs it. If it dies, it is started again at the next check,
/// at most once a minute.
/// </summary>
internal sealed class GrammalecteServer : IHostedService, IDisposable
{
    public const string UrlKey = "Grammalecte:Url";
    public const string StartKey = "Grammalecte:Start";
    public const string ExecutableKey = "Grammalecte:Executable";
    public const string DefaultExecutable = "grammalecte-server";

    /// <summary>It answers in about 0.4 s here; a slow machine gets more.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger;
    private readonly Lock _sync = new();
    private Task<Uri?>? _starting;
    private Process? _process;
    private DateTime _failedAt = DateTime.MinValue;
    private volatile bool _stopped;

    public GrammalecteServer(IConfiguration configuration, ILogger<GrammalecteServer>? logger = null)
    {
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (configuration[UrlKey] is { Length: > 0 } url)
        {
            if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new InvalidOperationException($"{UrlKey} must be an http(s) address such as http://127.0.0.1:8080/, not \"{url}\".");
            Configured = uri;
            return;
        }
        var start = configuration[StartKey] is not { Length: > 0 } flag || bool.Parse(flag);
        if (start) Executable = Find(configuration[ExecutableKey] is { Length: > 0 } name ? name : DefaultExecutable);
        if (Executable is null)
            _logger.LogInformation(start
                ? "French grammar is unavailable: {Executable} was not found. French drafts are checked without it; install grammalecte-cli and python3-grammalecte, or set {UrlKey}."
                : "French grammar is unavailable: {StartKey} is false and {UrlKey} is not set.",
                configuration[ExecutableKey] ?? DefaultExecutable, UrlKey, StartKey);
    }

    /// <summary>The server named by <c>Grammalecte:Url</c>, or null.</summary>
    public Uri? Configured { get; }

    /// <summary>The executable the portal starts, or null when it starts none.</summary>
    public string? Executable { get; }

    /// <summary>The PID of the server the portal started, while it runs.</summary>
    public int? ProcessId { get { lock (_sync) return _process is { HasExited: false } p ? p.Id : null; } }

    /// <summary>The server's address, starting it when the portal runs its own; null when Grammalecte is unavailable.</summary>
    public async Task<Uri?> AddressAsync(CancellationToken ct)
    {
        if (Configured is not null) return Configured;
        Task<Uri?>? starting;
        lock (_sync)
        {
            if (Executable is null || _stopped) return null;
            if (_starting is { IsCompletedSuccessfully: true, Result: not null } && _process is { HasExited: true } dead)
            {
                _logger.LogWarning("grammalecte-server (PID {Pid}) stopped unexpectedly with code {Code}; starting it again.", dead.Id, dead.ExitCode);
                dead.Dispose();
                _process = null;
                _starting = null;
            }
            if (_starting is { IsCompletedSuccessfully: true, Result: null } && DateTime.UtcNow - _failedAt > RetryAfterFailure) _starting = null;
            starting = _starting ??= Task.Run(StartAsync);
        }
        return await starting.WaitAsync(ct);
    }

    /// <summary>Starts the server in the background when the portal runs its own, so that the first check does not wait.</summary>
    public void Warm()
    {
        if (Executable is not null && Configured is null) _ = AddressAsync(CancellationToken.None);
    }

    private async Task<Uri?> StartAsync()
    {
        // A free port can be taken between our probe and the server's bind: one more try on another port.
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var port = FreePort();
            var info = new ProcessStartInfo(Executable!)
            {
                ArgumentList = { "-ht", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-mp", "1" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var tail = new Queue<string>();
            void Keep(object? _, DataReceivedEventArgs e)
            {
                if (e.Data is null) return;
                lock (tail)
                {
                    tail.Enqueue(e.Data);
                    if (tail.Count > 10) tail.Dequeue();
                }
            }
            var watch = Stopwatch.StartNew();
            Process process;
            try
            {
                process = Process.Start(info) ?? throw new InvalidOperationException("no process");
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                _logger.LogWarning("French grammar is unavailable: {Executable} could not start: {Reason}", Executable, e.Message);
                break;
            }
            var pid = process.Id;
            // Its output is read (and dropped) so that it never blocks on a full pipe; it logs every request.
            process.OutputDataReceived += Keep;
            process.ErrorDataReceived += Keep;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            lock (_sync)
            {
                if (_stopped) { Stop(process); return null; }
                _process = process;
            }
            var address = new Uri($"http://127.0.0.1:{port}/");
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
            while (watch.Elapsed < StartTimeout)
            {
                if (_stopped) return null; // the portal stops: Dispose kills it
                try
                {
                    if (process.HasExited) break;
                }
                catch (InvalidOperationException) { return null; } // disposed by Dispose meanwhile

                try
                {
                    using var answer = await probe.GetAsync(new Uri(address, "get_options/fr"));
                    if (answer.IsSuccessStatusCode)
                    {
                        _logger.LogInformation("grammalecte-server started for French grammar: PID {Pid}, {Address}, ready in {Ms} ms.",
                            pid, address, watch.ElapsedMilliseconds);
                        return address;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                await Task.Delay(100);
            }
            string output;
            lock (tail) output = string.Join(" | ", tail);
            lock (_sync)
            {
                if (_stopped) return null; // the portal stopped while it started: nothing went wrong
                if (_process == process) _process = null;
                Stop(process);
            }
            _logger.LogWarning("grammalecte-server did not answer on port {Port} (attempt {Attempt}): {Output}", port, attempt, output);
        }
        _failedAt = DateTime.UtcNow;
        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The executable as given when it is a path, else the first match on the PATH.</summary>
    private static string? Find(string name)
    {
        if (name.Contains('/')) return File.Exists(name) ? name : null;
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(Path.PathSeparator))
            if (folder.Length > 0 && File.Exists(Path.Combine(folder, name))) return Path.Combine(folder, name);
        return null;
    }

    /// <summary>
    /// Kills the server by its PID with its worker process (the worker would outlive it otherwise). The worker goes
    /// first, while the server can still reap it: orphaned, it would stay a zombie in a container whose first process
    /// reaps nobody.
    /// </summary>
    private void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                KillWorkersFirst(process.Id);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(5));
                _logger.LogDebug("grammalecte-server (PID {Pid}) stopped.", process.Id);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { }
        process.Dispose();
    }

    private static void KillWorkersFirst(int pid)
    {
        var list = $"/proc/{pid}/task/{pid}/children";
        if (!File.Exists(list)) return;
        try
        {
            var children = File.ReadAllText(list).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
            foreach (var child in children)
            {
                using var worker = Process.GetProcessById(child);
                worker.Kill();
            }
            var waited = Stopwatch.StartNew();
            while (children.Any(c => Directory.Exists($"/proc/{c}")) && waited.ElapsedMilliseconds < 1000) Thread.Sleep(20);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or InvalidOperationException
                                      or System.ComponentModel.Win32Exception or UnauthorizedAccessException) { }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Process? process;
        lock (_sync)
        {
            _stopped = true;
            process = _process;
            _process = null;
        }
        if (process is not null) Stop(process);
    }
}
