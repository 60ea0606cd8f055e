using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Integration;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

public sealed class CommunityCharterPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Hostile_markdown_runs_no_script_in_a_real_browser()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Step(true, null, "Charte",
            CharterRecipes.Section("pieges", "Pièges",
                CharterRecipes.Rule("script", "<script>window.__pwned = 'script'</script>Texte."),
                CharterRecipes.Rule("image", "<img src=x onerror=\"window.__pwned = 'onerror'\"> Image."),
                CharterRecipes.Rule("cadre", "<iframe src=\"javascript:parent.__pwned = 'iframe'\"></iframe> Cadre."),
                CharterRecipes.Rule("svg", "<svg><script>window.__pwned = 'svg'</script></svg><svg onload=\"window.__pwned = 'svg-onload'\"></svg> Dessin."),
                CharterRecipes.Rule("lien", "[Cliquez ici](javascript:void(window.__pwned='lien')) pour voir."))));
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += async (_, dialog) => { dialogs++; await dialog.DismissAsync(); };

        var response = await page.GotoAsync("/alpha/charter");
        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("#rule-script")).ToContainTextAsync("<script>window.__pwned = 'script'</script>Texte.");
        await page.Locator("#rule-lien .charter-rule-text a", new() { HasText = "Cliquez ici" }).ClickAsync();
        await page.WaitForTimeoutAsync(300);

        await Expect(page.Locator("#rule-lien")).ToBeVisibleAsync(); // still the same document
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__pwned"));
        Assert.Equal(0, await page.Locator("main script, main iframe, main img, main svg").CountAsync());
        Assert.Equal(0, dialogs);
        await Expect(page).ToHaveURLAsync(PathIs("/alpha/charter"));
    }

    [Fact]
    public async Task A_rule_link_lands_on_the_rule_and_print_keeps_the_text_without_navigation()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard(
            insults: "Pas d’insultes. Voir aussi [le guide](https://example.com/guide)."));
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(800, 400);

        await page.GotoAsync("/alpha/charter#rule-insultes");
        var rule = page.Locator("#rule-insultes");
        await Expect(rule).ToBeInViewportAsync();
        await Expect(rule.Locator(".charter-rule-number")).ToHaveTextAsync("3.2");
        // The targeted rule stands out.
        Assert.NotEqual("none", await rule.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle"));

        await page.GotoAsync("/alpha/charte");
        await page.Locator(".charter-toc a[href='#section-interdit']").ClickAsync();
        await Expect(page.Locator("#section-interdit")).ToBeInViewportAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/alpha/charte#section-interdit$"));

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator(".charter-toc")).ToBeHiddenAsync();
        await Expect(page.Locator(".charter-changes")).ToBeHiddenAsync();
        await Expect(page.Locator(".site-nav")).ToBeHiddenAsync();
        await Expect(page.Locator("#rule-insultes")).ToBeVisibleAsync();
        await Expect(page.Locator(".charter-print-url")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("/alpha/charter$"));
        var after = await page.Locator("#rule-insultes a[href^='https']").EvaluateAsync<string>("e => getComputedStyle(e, '::after').content");
        Assert.Contains("https://example.com/guide", after);

        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await Expect(page.Locator(".charter-toc")).ToBeVisibleAsync();
        await Expect(page.Locator(".charter-print-url")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_brand_manager_writes_previews_and_publishes_the_charter_from_the_template()
    {
        await using var host = await CharterRecipes.StartAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync("/admin/alpha");
        await page.Locator("nav.admin-menu a[href='/admin/alpha/charter']").ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Charte de la communauté");
        await page.Locator("main a[href='/admin/alpha/charter/edit']").ClickAsync();

        // The template: six sections; reword a rule and add one in the blank row of the first section.
        await Expect(page.Locator("#Sections_5__Id")).ToHaveValueAsync("recours");
        await page.Locator("#Sections_0__Rules_0__Text").FillAsync("Nous nous parlons avec respect, toujours.");
        await page.Locator("#Sections_0__Rules_3__Text").FillAsync("Nous **citons** nos sources.");
        await page.Locator("#Sections_0__Rules_3__Id").FillAsync("sources");
        await ScreenshotAsync(page, "charter-edit");
        await page.Locator("#charter-form button[name=save]").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/alpha/charter"));
        await Expect(page.Locator("#draft-status")).ToContainTextAsync("Non publié");

        await page.Locator("main a[href='/admin/alpha/charter/preview']").ClickAsync();
        await Expect(page.Locator("#preview-notice")).ToContainTextAsync("non public");
        await Expect(page.Locator("#rule-sources .charter-rule-number")).ToHaveTextAsync("1.4");
        await Expect(page.Locator("#rule-sources strong")).ToHaveTextAsync("citons");
        await ScreenshotAsync(page, "charter-preview");

        // Still nothing public.
        await using var anonymous = await chromium.NewContextAsync(host);
        var visitor = await anonymous.NewPageAsync();
        Assert.Equal(404, (await visitor.GotoAsync("/alpha/charter"))!.Status);

        await page.GotoAsync("/admin/alpha/charter");
        await page.Locator("#publish-form button").ClickAsync();
        await Expect(page.Locator("#publish-summary")).ToContainTextAsync("il n’y a pas de version précédente");
        Assert.Equal(404, (await visitor.GotoAsync("/alpha/charter"))!.Status);
        await page.Locator("#publish-confirm-form button.btn-success").ClickAsync();
        await Expect(page.Locator(".alert-success")).ToContainTextAsync("La version 1 de la charte est publiée.");
        await Expect(page.Locator("#charter-versions tbody tr")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "charter-admin");

        Assert.Equal(200, (await visitor.GotoAsync("/alpha/charter"))!.Status);
        await Expect(visitor.Locator("#rule-respect")).ToContainTextAsync("Nous nous parlons avec respect, toujours.");
        await Expect(visitor.Locator("#rule-sources .charter-rule-number")).ToHaveTextAsync("1.4");
        await Expect(visitor.Locator(".site-nav a[href='/alpha/charter']")).ToHaveTextAsync("Charte de la communauté");
    }

    [Fact]
    public async Task The_charter_pages_of_the_demo_brand_have_no_serious_accessibility_violation()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("maison-lumen", CharterRecipes.Standard(changeNote: "Version d’essai.")));
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        async Task Check(string path)
        {
            Assert.Equal(200, (await page.GotoAsync(path))!.Status);
            problems.AddRange((await SeriousViolationsAsync(page)).Select(v => $"{path}: {v}"));
        }

        await Check("/maison-lumen/charter");
        await Check("/maison-lumen/charter/v/1#rule-respect");
        await ScreenshotAsync(page, "charter-demo-v1");
        await SignInAsync(page);
        await Check("/admin/maison-lumen/charter");
        await Check("/admin/maison-lumen/charter/edit");
        await Check("/admin/maison-lumen/charter/preview");
        // A second version, then a draft: the page with "what's new" and the publish confirmation with its differences.
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("maison-lumen", CharterRecipes.Standard(changeNote: "Règle précisée.", insults: "Pas d’insultes ni de menaces, jamais.")));
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("maison-lumen", CharterRecipes.Standard(publish: false, insults: "Pas d’insultes, ni de menaces, ni de moqueries.")));
        await Check("/admin/maison-lumen/charter/publish");
        await Check("/maison-lumen/charter");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>axe-core's WCAG 2.1 A and AA rules, serious and critical only (as AccessibilityTests does).</summary>
    private static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        var axe = Path.Combine(RecipeHostExtensions.RepositoryRoot, "themes", "CmPortal.Themes.Admin", "node_modules", "axe-core", "axe.min.js");
        // Evaluated by the browser driver: a script tag would be inline script, which the portal's Content-Security-Policy blocks.
        await page.EvaluateAsync(await File.ReadAllTextAsync(axe));
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return JSON.stringify(result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`));
            }
            """);
        return System.Text.Json.JsonSerializer.Deserialize<List<string>>(json)!;
    }
}
