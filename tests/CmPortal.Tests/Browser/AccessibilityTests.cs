using System.Text.Json;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// The main pages pass axe-core's WCAG 2.1 A and AA rules in Chromium: no serious or critical violation.
/// axe-core comes from the admin theme's npm packages (pinned in its package-lock.json).
/// </summary>
public sealed class AccessibilityTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly string AxeScript = Path.Combine(RecipeHostExtensions.RepositoryRoot, "themes", "CmPortal.Themes.Admin", "node_modules", "axe-core", "axe.min.js");

    internal static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        if (!File.Exists(AxeScript)) throw new InvalidOperationException($"{AxeScript} is missing: build the solution (it runs npm ci in the admin theme).");
        // Evaluated by the browser driver: a script tag would be inline script, which the portal's Content-Security-Policy blocks.
        await page.EvaluateAsync(await File.ReadAllTextAsync(AxeScript));
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return JSON.stringify(result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`));
            }
            """);
        return JsonSerializer.Deserialize<List<string>>(json)!;
    }

    /// <summary>Two notifications of the demo brand for the administrator, one read, so the bell and the list show both looks.</summary>
    private static Task NotifyAdminAsync(PortalHost host) => host.InScopeAsync(async services =>
    {
        var db = services.GetRequiredService<CmPortal.Core.Persistence.CoreDbContext>();
        var admin = await db.Users.Where(u => u.Email == PortalHost.AdminEmail).Select(u => u.Id).SingleAsync();
        var workspace = await db.Workspaces.Where(w => w.Key == "maison-lumen").Select(w => w.Id).SingleAsync();
        foreach (var (text, read) in new[] { ("Soldes d'hiver", (DateTime?)null), ("Noël", DateTime.UtcNow) })
            db.Notifications.Add(new CmPortal.Core.Notifications.PortalNotification
            {
                UserId = admin, WorkspaceId = workspace, ModuleId = "KeyDates", Kind = "test", Template = "Welcome to the community space of {0}.",
                Values = CmPortal.Core.Notifications.NotificationValues.Serialize([text]), Url = "/admin/maison-lumen/key-dates",
                CreatedUtc = DateTime.UtcNow, ReadUtc = read,
            });
        await db.SaveChangesAsync();
    });

    /// <summary>Posts on the calendar in March 2027 (a recurring one, a failed one) so that its views are scanned with events.</summary>
    private static async Task PlanSomePostsAsync(PortalHost host)
    {
        await host.CreatePostAsync(Integration.CalendarWindowTests.Post("Coulisses de l’atelier", "2027-03-16T09:30", ["instagram", "facebook"], "Savoir-faire & atelier", "FREQ=WEEKLY;COUNT=4"));
        await host.CreatePostAsync(Integration.CalendarWindowTests.Post("Coffrets de printemps", "2027-03-18T12:00", ["instagram"], "Collections & offres"),
            CmPortal.Modules.ContentCalendar.Data.PostState.Failed);
    }

    /// <summary>A calendar page once its events and gauge have arrived.</summary>
    private static async Task GoToCalendarAsync(IPage page, string path)
    {
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });
        await page.Locator("#calendar .fc-event.cc-post").First.WaitForAsync();
    }

    [Fact]
    public async Task The_sign_in_admin_and_public_pages_have_no_serious_accessibility_violation()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await NotifyAdminAsync(host);
        await PlanSomePostsAsync(host);
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        var problems = new List<string>();

        async Task Check(string path)
        {
            await page.GotoAsync(path);
            problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"{path}: {v}"));
        }

        await Check("/account/login");
        await Check("/maison-lumen/");
        await Check("/maison-lumen/temps-forts");
        await Check("/maison-lumen/mentions-legales");
        await Check("/maison-lumen/blog");
        await Check("/maison-lumen/blog/dans-les-coulisses-de-l-atelier");
        await SignInAsync(page);
        foreach (var path in new[]
                 {
                     "/admin", "/admin/maison-lumen", "/admin/maison-lumen/key-dates", "/admin/maison-lumen/key-dates/new",
                     "/admin/maison-lumen/modules", "/admin/maison-lumen/members", "/admin/maison-lumen/roles",
                     "/admin/maison-lumen/settings", "/admin/maison-lumen/brand/check", "/admin/recipes", "/admin/users", "/account/password", "/account",
                     "/admin/maison-lumen/brand", "/admin/maison-lumen/brand/graphic-charter", "/admin/maison-lumen/brand/editorial-line",
                     "/admin/workspaces", "/admin/workspaces/maison-lumen/duplicate", "/admin/recipes/apply?source=blank.recipe.json",
                     "/admin/maison-lumen/brand/editorial-line/history", "/admin/maison-lumen/brand/graphic-charter/history",
                     "/admin/maison-lumen/brand/editorial-line/history/1", "/admin/notifications", "/admin/maison-lumen/campaigns", "/admin/maison-lumen/campaigns/new",
                     "/admin/maison-lumen/media", "/admin/maison-lumen/posts/new",
                     "/admin/maison-lumen/queue", "/admin/maison-lumen/queue/plan", "/admin/maison-lumen/posts/import",
                     "/admin/maison-lumen/calendar/list?month=2027-03", "/admin/maison-lumen/channels", "/admin/maison-lumen/publishing",
                     "/admin/maison-lumen/inbox", "/admin/maison-lumen/inbox?q=%22unbalanced", "/admin/maison-lumen/inbox/1",
                     "/admin/maison-lumen/inbox/crisis",
                     "/admin/maison-lumen/inbox/sources",
                     "/admin/maison-lumen/inbox/replies", "/admin/maison-lumen/inbox/replies/new", "/admin/maison-lumen/inbox/moderation",
                     "/admin/maison-lumen/inbox/import",
                     "/admin/maison-lumen/inbox/listening", // inbox-listening
                     "/admin/maison-lumen/inbox/rules", "/admin/maison-lumen/inbox/rules/new", // inbox-rules
                 })
            await Check(path);
        await page.GotoAsync("/admin/maison-lumen/inbox/replies");
        await page.ClickAsync("#saved-replies a[href*='/inbox/replies/']");
        problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"a saved reply's editor: {v}")); // inbox-donemeans
        foreach (var view in new[] { "dayGridMonth", "timeGridWeek", "listWeek" })
        {
            await GoToCalendarAsync(page, $"/admin/maison-lumen/calendar?date=2027-03-16&view={view}");
            problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"calendar {view}: {v}"));
        }

        // The pages a form leads to: a recipe's fields refused, its preview with the confirmation refused, a duplicate refused.
        async Task CheckHere(string what) => problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"{what}: {v}"));
        await page.GotoAsync("/admin/recipes/apply?source=blank.recipe.json");
        await page.ClickAsync("#apply");
        await CheckHere("recipe fields refused");
        await page.GotoAsync("/admin/recipes/apply?source=demo.recipe.json");
        await page.ClickAsync("#apply");
        await page.ClickAsync("#confirm-apply");
        await CheckHere("recipe preview, confirmation refused");
        await page.GotoAsync("/admin/workspaces/maison-lumen/duplicate");
        await page.ClickAsync("#duplicate");
        await CheckHere("duplicate refused");
        // The account page with a token just made: its secret shown once with the copy button, and the list.
        await page.GotoAsync("/account");
        await page.FillAsync("#Name", "n8n");
        await page.ClickAsync("#create-token");
        await Microsoft.Playwright.Assertions.Expect(page.Locator("#new-token")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^cmp_"));
        await CheckHere("account page with a new token");
        await Check("/admin/maison-lumen/posts");
        await page.GotoAsync("/admin/maison-lumen/campaigns");
        await page.ClickAsync("#campaigns a");
        await CheckHere("a campaign's page with its timeline");
        await page.ClickAsync("main a[href$='/edit']");
        await CheckHere("a campaign's form");
        await page.FillAsync("#End", "2020-01-01");
        await page.ClickAsync("main form button.btn-primary");
        await CheckHere("a campaign's form refused");

        Assert.True(problems.Count == 0, "Accessibility violations:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task At_phone_width_the_main_pages_have_no_serious_accessibility_violation()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await NotifyAdminAsync(host);
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await PlanSomePostsAsync(host);
        // A phone: the side menu folds behind its button, tables and cards reflow.
        await page.SetViewportSizeAsync(390, 844);
        var problems = new List<string>();
        async Task Check(string path)
        {
            await page.GotoAsync(path);
            problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"{path} at 390 px: {v}"));
            // A wide table scrolls inside its own box; the page itself never scrolls sideways.
            var beyond = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            if (beyond > 0) problems.Add($"{path} at 390 px: the page scrolls sideways by {beyond} px");
        }

        await Check("/maison-lumen/");
        await Check("/maison-lumen/charter");
        await Check("/maison-lumen/blog");
        await Check("/maison-lumen/blog/dans-les-coulisses-de-l-atelier");
        await SignInAsync(page);
        foreach (var path in new[]
                 {
                     "/admin/maison-lumen", "/admin/maison-lumen/members", "/admin/maison-lumen/brand/check",
                     "/admin/maison-lumen/brand/editorial-line", "/admin/maison-lumen/brand/graphic-charter",
                     "/admin/maison-lumen/brand/editorial-line/history", "/admin/maison-lumen/key-dates", "/admin/workspaces", "/account",
                     "/admin/users", "/admin/maison-lumen/roles", "/admin/maison-lumen/charter", "/admin/maison-lumen/posts?view=backlog",
                     "/admin/notifications", "/admin/maison-lumen/campaigns", "/admin/maison-lumen/calendar/list?month=2027-03",
                     "/admin/maison-lumen/blog", "/admin/maison-lumen/blog/new", "/admin/maison-lumen/channels", "/admin/maison-lumen/publishing",
                     "/admin/maison-lumen/inbox", "/admin/maison-lumen/inbox?q=%22unbalanced", "/admin/maison-lumen/inbox/1", "/admin/maison-lumen/inbox/sources", "/admin/maison-lumen/inbox/import", "/admin/maison-lumen/inbox/listening", "/admin/maison-lumen/inbox/replies", "/admin/maison-lumen/inbox/replies/new", "/admin/maison-lumen/inbox/moderation", "/admin/maison-lumen/inbox/crisis", // inbox-donemeans
                 })
            await Check(path);
        await page.GotoAsync("/admin/maison-lumen/inbox/replies");
        await page.ClickAsync("#saved-replies a[href*='/inbox/replies/']");
        problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"a saved reply's editor at 390 px: {v}")); // inbox-donemeans
        // The posts list keeps each post's state in sight on a phone (networks and pillar go under the text).
        await Check("/admin/maison-lumen/posts");
        var states = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('#posts [data-post] .badge')].map(b => Math.round(b.getBoundingClientRect().right - window.innerWidth))");
        Assert.NotEmpty(states);
        if (states.Any(beyond => beyond > 0)) problems.Add("/admin/maison-lumen/posts at 390 px: a post's state is out of sight");
        var tabs = await page.EvaluateAsync<int[]>("[...document.querySelectorAll('.nav-tabs .nav-link')].map(t => Math.round(t.getBoundingClientRect().right - window.innerWidth))");
        Assert.Equal(6, tabs.Length); // planned, backlog, ideas, to review, failed, archives: each in sight, on two rows if need be
        if (tabs.Any(beyond => beyond > 0)) problems.Add("/admin/maison-lumen/posts at 390 px: a list's tab is out of sight");
        // The post editor: the variants that follow the main text fold to their header, so the date comes right after.
        await Check("/admin/maison-lumen/posts/new");
        var shownVariants = await page.Locator("[data-variant-col]:not([hidden]) .variant-card").CountAsync();
        var foldedVariants = await page.Locator("[data-variant-col]:not([hidden]) .variant-card.is-folded").CountAsync();
        Assert.True(shownVariants > 0 && foldedVariants == shownVariants, $"{foldedVariants} of {shownVariants} variants folded at 390 px");
        var instagram = page.Locator(".variant-card[data-variant='instagram']");
        await Expect(instagram.Locator("textarea.variant-text")).ToBeHiddenAsync();
        await instagram.Locator(".variant-fold").ClickAsync();
        await Expect(instagram.Locator("textarea.variant-text")).ToBeVisibleAsync();
        await Expect(instagram.Locator(".variant-fold")).ToHaveAttributeAsync("aria-expanded", "true");
        // The key dates' actions and the month list's « Déplacer » stay in sight too (the other columns go under the title).
        foreach (var (path, selector) in new[] { ("/admin/maison-lumen/key-dates", "#key-dates a.btn"), ("/admin/maison-lumen/calendar/list?month=2027-03", "#calendar-list button[type=submit]") })
        {
            await page.GotoAsync(path);
            var beyond = await page.EvaluateAsync<int[]>($"[...document.querySelectorAll('{selector}')].map(b => Math.round(b.getBoundingClientRect().right - window.innerWidth))");
            Assert.NotEmpty(beyond);
            if (beyond.Any(b => b > 0)) problems.Add($"{path} at 390 px: {selector} is out of sight");
        }
        // The roles matrix scrolls sideways in its box with the permissions' column kept in view.
        await page.GotoAsync("/admin/maison-lumen/roles");
        var permissionLeft = await page.EvaluateAsync<int>("() => { const t = document.querySelector('#roles'); t.parentElement.scrollLeft = 250; return Math.round(t.querySelector('[data-permission] th').getBoundingClientRect().left); }");
        if (permissionLeft < 0) problems.Add($"/admin/maison-lumen/roles at 390 px: the permissions scroll out of sight with the roles ({permissionLeft} px)");
        await page.GotoAsync("/admin/maison-lumen/campaigns");
        await page.ClickAsync("#campaigns a");
        problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"a campaign's page at 390 px: {v}"));
        // On a phone the calendar opens on its list view.
        await GoToCalendarAsync(page, "/admin/maison-lumen/calendar?date=2027-03-16");
        await Expect(page.Locator("#calendar .fc-list")).ToBeVisibleAsync();
        problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"calendar at 390 px: {v}"));
        Assert.True(problems.Count == 0, "Accessibility violations:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    /// <summary>Approval and collaboration: the calendar's settings, a post with comments and a preview link, the links, the preview page and a closed link; the calendar feed's page.</summary>
    [Fact]
    public async Task The_approval_pages_have_no_serious_accessibility_violation_at_1366_and_390_px()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync("/admin/maison-lumen/calendar/settings");
        await page.CheckAsync("#externalApproval");
        await page.ClickAsync("#calendar-settings button");
        await page.GotoAsync("/admin/maison-lumen/posts/new");
        await page.FillAsync("#Text", "Atelier bougies : inscriptions ouvertes.");
        await page.FillAsync("#Date", "2031-03-22");
        await page.Locator("#post-form button.btn-primary").ClickAsync();
        var post = new Uri(page.Url).AbsolutePath;
        await page.ClickAsync("button[name=to][value=InReview]");
        await page.FillAsync("#new-comment", "@admin une relecture ?");
        await page.ClickAsync("#comment-form button");
        await page.ClickAsync("#share-form button");
        var preview = new Uri(await page.Locator("#preview-url").InputValueAsync()).AbsolutePath;
        var problems = new List<string>();
        // The calendar feed's page as it shows a new address (once); the loop scans it as it shows the feed made.
        await page.GotoAsync("/admin/maison-lumen/calendar/feed");
        await page.ClickAsync("#feed-create button");
        problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"the new calendar feed: {v}"));
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 900);
            foreach (var path in new[] { "/admin/maison-lumen/calendar/settings", post, "/admin/maison-lumen/posts/preview-links", "/admin/maison-lumen/posts?view=review", preview, "/preview/" + new string('x', 43), "/admin/maison-lumen/calendar/feed" })
            {
                await page.GotoAsync(path);
                problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"{path} at {width} px: {v}"));
            }
        }
        Assert.True(problems.Count == 0, "Accessibility violations:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task The_channels_page_with_a_channel_waiting_for_its_secret_and_the_page_to_enter_it_have_no_serious_violation()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        // A recipe never carries secrets: its Mastodon channel waits for its token on the channels page.
        await host.ApplyRecipeAsync("""
            { "name": "canaux", "steps": [ { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen" },
              { "step": "channels", "channels": [ { "kind": "mastodon", "name": "Mastodon de l’atelier", "instanceUrl": "http://127.0.0.1:9" } ] } ] }
            """);
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        var problems = new List<string>();
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, width == 390 ? 844 : 900);
            await page.GotoAsync("/admin/maison-lumen/channels");
            await Expect(page.Locator("a[data-reconnect]")).ToBeVisibleAsync();
            problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"channels at {width} px: {v}"));
            await page.ClickAsync("a[data-reconnect]");
            problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"enter the secret at {width} px: {v}"));
            // Refused (the instance cannot be reached): the message beside the field.
            await page.FillAsync("#reconnect-accessToken", "jeton");
            await page.ClickAsync("#channel-reconnect button.btn-primary");
            await Expect(page.Locator("#reconnect-instanceUrl-error")).ToBeVisibleAsync();
            problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"secret refused at {width} px: {v}"));
        }
        Assert.True(problems.Count == 0, "Accessibility violations:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }
}
