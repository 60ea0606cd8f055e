using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CmPortal.Tests.Browser;

/// <summary>
/// One headless Chromium (Debian's, at /usr/bin/chromium: nothing is downloaded) shared by the tests
/// of a class; each test opens its own context, so cookies and storage never leak between tests.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium is not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"Chromium is not installed at {ExecutablePath} (apt-get install chromium).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh context (its own cookies) whose relative addresses go to the host, in French like a default user.</summary>
    public async Task<IBrowserContext> NewContextAsync(PortalHost host)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString().TrimEnd('/'),
            Locale = "fr-FR",
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(10_000);
        context.SetDefaultNavigationTimeout(15_000);
        return context;
    }
}

/// <summary>
/// Browser test classes are their own xunit collections, so they run beside the other tests (each class has its own
/// Chromium and each test its own portal; nothing is shared). Run one after the other, after everything else, they
/// made half of the suite's wall time. This collection stays for a class that must not run beside its siblings.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
