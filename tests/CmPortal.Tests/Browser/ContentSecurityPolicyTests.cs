using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// Under the portal's Content-Security-Policy (no inline script), Chromium reports no violation and no script error on
/// any admin or public page of the demo brand, and every behaviour that used to be an inline script still works.
/// </summary>
public sealed class ContentSecurityPolicyTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>Reports every <c>securitypolicyviolation</c> event to the test, and counts window.print() calls instead of opening a dialog.</summary>
    private const string InitScript = """
        document.addEventListener('securitypolicyviolation', e =>
            window.__reportViolation(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || location.pathname}:${e.lineNumber} ${e.sample || ''}`));
        window.__printed = 0;
        window.print = () => { window.__printed++; };
        """;

    /// <summary>A page whose CSP violations (events and console messages) and script errors are collected.</summary>
    private sealed class WatchedPage(IBrowserContext context, IPage page, ConcurrentQueue<string> problems)
    {
        public IPage Page => page;

        public IReadOnlyCollection<string> Problems => problems;

        public static async Task<WatchedPage> OpenAsync(IBrowserContext context)
        {
            var problems = new ConcurrentQueue<string>();
            await context.ExposeFunctionAsync("__reportViolation", (string text) => problems.Enqueue("securitypolicyviolation: " + text));
            await context.AddInitScriptAsync(InitScript);
            return new WatchedPage(context, await WatchAsync(context, problems), problems);
        }

        /// <summary>Another tab of the same context (same cookies), watched the same way.</summary>
        public Task<IPage> OpenTabAsync() => WatchAsync(context, problems);

        private static async Task<IPage> WatchAsync(IBrowserContext context, ConcurrentQueue<string> problems)
        {
            var page = await context.NewPageAsync();
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) problems.Enqueue($"console on {page.Url}: {message.Text}");
            };
            page.PageError += (_, error) => problems.Enqueue($"page error on {page.Url}: {error}");
            return page;
        }

        public void AssertClean(string when) =>
            Assert.True(problems.IsEmpty, $"{when}:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    /// <summary>Same-origin page links worth visiting: admin, account and the demo's public site; no downloads, feeds or files.</summary>
    private static bool Visitable(string path) =>
        (path.StartsWith("/admin") || path.StartsWith("/account/") || path.StartsWith("/maison-lumen")) &&
        !path.Contains("/download") && !path.Contains("month=") && // the calendar's months go on forever: its current month is enough
        !path.Contains("after=") && !Regex.IsMatch(path, @"/inbox/\d+(\?|$)") && !path.Contains("/inbox?") && // the inbox's filters, pages and 40 mentions: one of each is enough (below)
        !Regex.IsMatch(path.Split('?')[0], @"\.(ics|svg|png|json|css|js|csv|woff2)$");

    [Fact]
    public async Task Every_admin_and_public_page_of_the_demo_runs_without_a_policy_violation_or_script_error()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var watched = await WatchedPage.OpenAsync(context);
        var page = watched.Page;

        // The public site first, as a visitor; then everything linked from the admin, signed in.
        var seen = new HashSet<string>();
        var queue = new Queue<string>(["/maison-lumen/", "/maison-lumen/charte", "/maison-lumen/charter/v/1", "/maison-lumen/no-such-page", "/account/login", "/account/denied"]);
        // Three watched tabs of the one context crawl side by side, level by level (each page waits for the network to
        // be idle, half a second at least: one tab alone spent most of its time waiting). The pages seen do not depend
        // on the order: it is every visitable page linked from the start pages.
        IPage[] tabs = [page, await watched.OpenTabAsync(), await watched.OpenTabAsync()];
        async Task<IReadOnlyList<string>> VisitAsync(IPage tab, string path)
        {
            // 60 s rather than the usual 15: three tabs crawl side by side with the suite's other portals on 2 cores, and one
            // page once took longer to load; what is checked here is each page's policy and script errors, not its speed.
            var response = await tab.GotoAsync(path, new PageGotoOptions { Timeout = 60_000 });
            await tab.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 60_000 });
            var policy = await response!.HeaderValueAsync("content-security-policy") ?? "(none)";
            Assert.True(policy.Contains("script-src 'self';"), $"{path} is served without a strict script policy: {policy}");
            var origin = new Uri(tab.Url).GetLeftPart(UriPartial.Authority);
            return (await tab.Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.href)"))
                .Where(href => href.StartsWith(origin + "/")).Select(href => href[origin.Length..].Split('#')[0]).ToList();
        }
        async Task CrawlAsync()
        {
            while (queue.Count > 0)
            {
                var level = new ConcurrentQueue<string>();
                while (queue.TryDequeue(out var path))
                {
                    if (!seen.Add(path)) continue;
                    Assert.True(seen.Count < 150, "more than 150 pages: the crawl is looping");
                    level.Enqueue(path);
                }
                var found = new ConcurrentQueue<string>();
                await Task.WhenAll(tabs.Select(async tab =>
                {
                    while (level.TryDequeue(out var path))
                        foreach (var target in await VisitAsync(tab, path)) found.Enqueue(target);
                }));
                foreach (var target in found)
                    if (Visitable(target) && !seen.Contains(target)) queue.Enqueue(target);
            }
        }
        await CrawlAsync();
        await SignInAsync(page);
        queue.Enqueue("/admin");
        queue.Enqueue("/admin/maison-lumen/charter/preview");
        queue.Enqueue("/admin/maison-lumen/brand/editorial-line/history/1");
        await CrawlAsync();
        // One mention's page, and the inbox's next page.
        await page.GotoAsync("/admin/maison-lumen/inbox");
        foreach (var href in await page.Locator("a[href*='/inbox/'], a[href*='after=']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            if (Regex.IsMatch(href, @"/inbox/\d+\?") && !queue.Any(q => Regex.IsMatch(q, @"/inbox/\d+\?")) || href.Contains("after=") && !queue.Any(q => q.Contains("after="))) queue.Enqueue(href);
        Assert.Equal(2, queue.Count);
        await CrawlAsync();

        foreach (var expected in new[]
                 {
                     "/admin/maison-lumen/brand", "/admin/maison-lumen/brand/graphic-charter", "/admin/maison-lumen/brand/check",
                     "/admin/maison-lumen/charter/edit", "/admin/maison-lumen/key-dates/new", "/admin/maison-lumen/settings",
                     "/admin/users", "/admin/recipes", "/admin/recipes/apply?source=blank.recipe.json", "/maison-lumen/charter",
                     "/admin/maison-lumen/calendar", "/admin/maison-lumen/calendar/list",
                 })
            Assert.True(seen.Contains(expected), $"the crawl missed {expected}; it saw:{Environment.NewLine}{string.Join(Environment.NewLine, seen.Order())}");
        watched.AssertClean($"Visiting {seen.Count} pages");

        // The watch does see a violation: an inline script injected into a page is blocked and reported.
        foreach (var path in new[] { "/admin/maison-lumen", "/maison-lumen/" })
        {
            await page.GotoAsync(path);
            await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true'; document.head.append(s); }");
            await page.WaitForTimeoutAsync(200);
            Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__inlineRan"));
        }
        Assert.Contains(watched.Problems, p => p.StartsWith("securitypolicyviolation: script-src"));
        Assert.Contains(watched.Problems, p => p.Contains("Content Security Policy") && p.Contains("/maison-lumen/"));
    }

    [Fact]
    public async Task The_behaviours_moved_out_of_inline_scripts_still_work()
    {
        await using var host = await PortalHost.StartAsync();
        await using var context = await chromium.NewContextAsync(host);
        var watched = await WatchedPage.OpenAsync(context);
        var page = watched.Page;

        // Setup: choosing another starter recipe reloads the page with its parameters.
        await page.GotoAsync("/setup");
        await page.Locator("#recipe").SelectOptionAsync("blank.recipe.json");
        await Expect(page).ToHaveURLAsync(new Regex(@"/setup\?recipe=blank\.recipe\.json$"));
        await Expect(page.Locator("#param-key")).ToBeVisibleAsync();
        await host.SetUpAsync();

        // The language selector sends its form on change.
        await SignInAsync(page);
        await page.GotoAsync("/admin/maison-lumen");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await page.Locator("#language").SelectOptionAsync("en-US");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page).ToHaveURLAsync(PathIs("/admin/maison-lumen"));
        await page.Locator("#language").SelectOptionAsync("fr-FR");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");

        // Bootstrap's own script runs: the workspace switcher opens.
        await page.Locator("#workspace-switcher").ClickAsync();
        await Expect(page.Locator(".dropdown-menu [data-workspace='maison-lumen']")).ToBeVisibleAsync();

        // The draft check counts characters as one types, and checks the draft through its own script.
        await page.GotoAsync("/admin/maison-lumen/brand/check");
        await page.Locator("#Text").FillAsync("Bonjour 👋🏽");
        await Expect(page.Locator("#network-instagram .draft-count")).ToHaveTextAsync("9");
        await page.Locator("#draft-check-form button").ClickAsync();
        await Expect(page.Locator("#draft-result")).ToBeVisibleAsync();
        await Expect(page.Locator("#network-instagram .draft-count")).ToHaveTextAsync("9"); // counted again with the result

        // The brand book's print button prints.
        await page.GotoAsync("/admin/maison-lumen/brand");
        await page.Locator("button", new() { HasText = "Imprimer" }).ClickAsync();
        Assert.Equal(1, await page.EvaluateAsync<int>("window.__printed"));

        // Deleting a key date asks first: cancelling keeps it, confirming deletes it.
        await page.GotoAsync("/admin/maison-lumen/key-dates");
        var row = page.Locator("tbody tr").First;
        var slug = await row.GetAttributeAsync("data-id");
        var questions = new List<string>();
        var accept = false;
        page.Dialog += async (_, dialog) => { questions.Add(dialog.Message); if (accept) await dialog.AcceptAsync(); else await dialog.DismissAsync(); };
        await row.Locator("button.btn-outline-danger").ClickAsync();
        await page.WaitForTimeoutAsync(300);
        await Expect(page.Locator($"tbody tr[data-id='{slug}']")).ToHaveCountAsync(1);
        accept = true;
        await row.Locator("button.btn-outline-danger").ClickAsync();
        await Expect(page.Locator($"tbody tr[data-id='{slug}']")).ToHaveCountAsync(0);
        Assert.Equal(["Supprimer ce temps fort\u00a0?", "Supprimer ce temps fort\u00a0?"], questions);

        // A refused charter draft puts the focus on the list of what to fix.
        await page.GotoAsync("/admin/maison-lumen/charter/edit");
        await page.Locator("#Title").FillAsync("");
        await page.Locator("#charter-form button[name=save]").First.ClickAsync();
        await Expect(page.Locator("#charter-errors")).ToBeVisibleAsync();
        await Expect(page.Locator("#charter-errors")).ToBeFocusedAsync();

        // The charter preview shows the draft.
        await page.GotoAsync("/admin/maison-lumen/charter/preview");
        await Expect(page.Locator("#preview-notice")).ToBeVisibleAsync();

        // A recipe run shows its progress until it is done.
        await page.GotoAsync("/admin/recipes");
        await page.Locator("#recipes tr[data-file='blank.recipe.json'] a").ClickAsync();
        await page.Locator("#param-key").FillAsync("atelier-sable");
        await page.Locator("#param-name").FillAsync("Atelier Sable");
        await page.Locator("#apply").ClickAsync();
        await page.Locator("#confirm-apply").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/recipes/runs/[0-9a-f-]{36}$"));
        await Expect(page.Locator("#run-status")).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(page.Locator("#run-steps li")).ToHaveCountAsync(3);
        await page.Locator("#open-workspace").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/atelier-sable"));

        watched.AssertClean("Using the pages");
    }
}
