using CmPortal.Tests.Browser;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Publishing.Mastodon;

/// <summary>In Chromium, under the portal's real CSP: connecting a Mastodon account through the instance's OAuth pages.</summary>
public sealed class MastodonConnectBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_member_connects_a_Mastodon_account_in_the_browser_and_the_pages_are_clean_at_every_width()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        mastodon.AddAccount("lumen");
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Alpha" });
        using (var admin = await host.SignInAsync())
            await admin.PostFormAsync("/admin/alpha/modules/Publishing/enable", []);
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        var problems = new List<string>();

        await page.GotoAsync("/admin/alpha/channels/mastodon/connect");
        await CheckAsync(page, "mastodon-connect", problems);
        await page.Locator("#InstanceUrl").FillAsync("http://mastodon.example");
        await page.Locator("#mastodon-connect button").ClickAsync();
        await Expect(page.Locator("#mastodon-connect")).ToContainTextAsync("L’adresse de l’instance doit commencer par https://");
        await CheckAsync(page, "mastodon-connect-refused", problems);

        await page.Locator("#InstanceUrl").FillAsync(mastodon.BaseAddress.ToString());
        await page.Locator("#mastodon-connect button").ClickAsync();
        await Expect(page.Locator("#mastodon-authorize")).ToContainTextAsync($"Le portail est enregistré sur {mastodon.Authority}.");
        await CheckAsync(page, "mastodon-authorize", problems);

        await page.Locator("[data-authorize]").ClickAsync(); // the instance approves at once and sends the browser back
        await Expect(page).ToHaveURLAsync(PathIs("/admin/alpha/channels/mastodon/callback"));
        await Expect(page.Locator("#mastodon-connected [data-account]")).ToHaveTextAsync($"@lumen@{mastodon.Authority}");
        await Expect(page.Locator("#mastodon-limits")).ToContainTextAsync("500\u00a0caractères par post, chaque lien compté pour 23");
        await CheckAsync(page, "mastodon-connected", problems);

        Assert.Empty(problems);
    }

    private static async Task CheckAsync(IPage page, string name, List<string> problems)
    {
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            problems.AddRange((await AccessibilityTests.SeriousViolationsAsync(page)).Select(v => $"{name} at {width}: {v}"));
            await ScreenshotAsync(page, $"{name}-{width}");
        }
    }
}
