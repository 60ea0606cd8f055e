using System.Net;
using System.Text.RegularExpressions;
using CmPortal.Web.Setup;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Tests.Infrastructure;

/// <summary>
/// The real portal on a real port with a real database of its own (a fresh SQLite folder,
/// or a fresh PostgreSQL database). Disposing it fails the test if the host logged a warning
/// or an error the test did not declare with <see cref="ExpectWarning"/>.
/// </summary>
public sealed partial class PortalHost : IAsyncDisposable
{
    public const string AdminEmail = "admin@example.test";
    public const string AdminPassword = "correct-horse-42";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly List<string> _expected = [];
    private readonly string? _postgres;
    private readonly IDictionary<string, string?>? _settings;
    private readonly Action<IServiceCollection>? _services;
    private bool _ownsData = true;
    private bool _disposed;

    private PortalHost(WebApplicationFactory<Program> factory, LogCapture logs, string dataDirectory, Provider provider, string? postgres,
        IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        _factory = factory; Logs = logs; DataDirectory = dataDirectory; Provider = provider; _postgres = postgres; _settings = settings; _services = services;
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
    }

    public Uri BaseAddress { get; }
    public LogCapture Logs { get; }
    public string DataDirectory { get; }
    public Provider Provider { get; }
    public IServiceProvider Services => _factory.Services;

    /// <param name="services">Services the test adds to the portal's own (a test network for publishing…).</param>
    public static async Task<PortalHost> StartAsync(Provider provider = Provider.Sqlite, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null) =>
        Start(provider, settings, Directory.CreateTempSubdirectory("cmportal-test-").FullName,
            provider == Provider.Postgres ? await TestPostgres.CreateDatabaseAsync() : null, services);

    /// <summary>
    /// The portal set up as <see cref="SetUpAsync"/> leaves it. On SQLite it starts on a copy of a data folder set up
    /// once per test run for that recipe and parameters (<see cref="SetUpFolders"/>): hundreds of tests start from the
    /// demo, and setting it up again for each of them was a large part of the suite's time. On PostgreSQL it sets up
    /// for real.
    /// </summary>
    public static async Task<PortalHost> StartSetUpAsync(Provider provider = Provider.Sqlite, string recipe = "demo.recipe.json",
        Dictionary<string, string>? parameters = null)
    {
        if (provider != Provider.Sqlite) return await (await StartAsync(provider)).SetUpAsync(recipe, parameters);
        var dataDirectory = Directory.CreateTempSubdirectory("cmportal-test-").FullName;
        await SetUpFolders.CopyAsync(recipe, parameters, dataDirectory);
        return Start(Provider.Sqlite, null, dataDirectory, null, null);
    }

    /// <summary>The portal on a SQLite data folder made by someone else (the command line): it leaves the folder in place.</summary>
    public static Task<PortalHost> StartOnAsync(string dataDirectory)
    {
        var host = Start(Provider.Sqlite, null, dataDirectory, null, null);
        host._ownsData = false;
        return Task.FromResult(host);
    }

    /// <summary>Stops this portal (checking its log) and starts a new one on the same database and data folder.</summary>
    public async Task<PortalHost> RestartAsync()
    {
        _ownsData = false;
        await DisposeAsync();
        return Start(Provider, _settings, DataDirectory, _postgres, _services);
    }

    /// <summary>A second portal on the same database and data folder, as another node of a cluster (use PostgreSQL,
    /// where the scheduler is clustered). It leaves the database to this one: dispose it first.</summary>
    /// <param name="ownDataFolder">The node has a data folder of its own (what it shares is the database alone).</param>
    public PortalHost StartAnotherNode(bool ownDataFolder = false)
    {
        var node = Start(Provider, _settings, ownDataFolder ? Directory.CreateTempSubdirectory("cmportal-node-").FullName : DataDirectory, _postgres, _services);
        node._ownsData = false;
        return node;
    }

    private static PortalHost Start(Provider provider, IDictionary<string, string?>? settings, string dataDirectory, string? postgres,
        Action<IServiceCollection>? services)
    {
        var logs = new LogCapture();
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("DataDir", dataDirectory);
            builder.UseSetting("urls", "http://127.0.0.1:0");
            builder.UseSetting("Database:Provider", provider.ToString());
            if (postgres is not null) builder.UseSetting("Database:ConnectionString", postgres);
            // Grammalecte answers in ~30 ms, but the suite runs two tests at once (portals, Chromium, Grammalecte) on
            // two cores: its 2 s production timeout made a draft check now and then come back without grammar.
            builder.UseSetting("Grammalecte:TimeoutSeconds", "15");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
            if (services is not null) builder.ConfigureServices(services);
        });
        factory.UseKestrel();
        factory.StartServer();
        return new PortalHost(factory, logs, dataDirectory, provider, postgres, settings, services);
    }

    /// <summary>Sets the portal up as the setup page would: administrator plus a recipe from recipes/.</summary>
    public async Task<PortalHost> SetUpAsync(string recipe = "demo.recipe.json", Dictionary<string, string>? parameters = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var library = scope.ServiceProvider.GetRequiredService<RecipeLibrary>();
        await scope.ServiceProvider.GetRequiredService<SetupService>().SetupAsync(
            new SetupRequest(AdminEmail, AdminPassword, "Admin", library.PathOf(recipe), parameters ?? []));
        return this;
    }

    /// <summary>A warning or error containing this text is part of the test, not a failure.</summary>
    public void ExpectWarning(string fragment) => _expected.Add(fragment);

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task InScopeAsync(Func<IServiceProvider, Task> work) => InScopeAsync(async s => { await work(s); return 0; });

    /// <summary>A browser-like client: its own cookies, no automatic redirects.</summary>
    public PortalClient CreateClient() => new(this);

    public async Task<PortalClient> SignInAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var client = CreateClient();
        var response = await client.PostFormAsync("/account/login", new() { ["Email"] = email, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _factory.DisposeAsync();
        if (_ownsData)
        {
            if (_postgres is not null) await TestPostgres.DropDatabaseAsync(_postgres);
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        }
        var unexpected = Logs.Entries.Where(e => !_expected.Any(x => e.Message.Contains(x, StringComparison.Ordinal))).ToList();
        if (unexpected.Count > 0)
            throw new InvalidOperationException("The host logged unexpected warnings or errors:" + Environment.NewLine +
                string.Join(Environment.NewLine, unexpected.Select(e => $"[{e.Level}] {e.Category}: {e.Message}")));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    internal static partial Regex AntiforgeryField();
}

/// <summary>An HTTP client with its own cookie jar that fills in the antiforgery token of forms.</summary>
public sealed class PortalClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly CookieContainer _cookies = new();

    internal PortalClient(PortalHost host)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    public HttpClient Http => _http;

    /// <summary>The value of one of this client's cookies (e.g. the sign-in cookie, to replay it elsewhere).</summary>
    public string? Cookie(string name) => _cookies.GetAllCookies().FirstOrDefault(c => c.Name == name)?.Value;

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public async Task<string> GetStringAsync(string path)
    {
        var response = await _http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {path}: {(int)response.StatusCode}{Environment.NewLine}{body}");
        return body;
    }

    /// <summary>Posts a form the way a browser does: first reads a page to get an antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? tokenPage = null)
    {
        var page = await (await _http.GetAsync(tokenPage ?? TokenPageFor(path))).Content.ReadAsStringAsync();
        var token = PortalHost.AntiforgeryField().Match(page);
        var form = new List<KeyValuePair<string, string>>(fields);
        if (token.Success) form.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        return await _http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>A page that carries a form token for the same user (the login page before sign-in, the admin after).</summary>
    private string TokenPageFor(string path) =>
        path.StartsWith("/account/login") || path.StartsWith("/setup") ? path : "/account/login";

    public void Dispose() => _http.Dispose();
}
