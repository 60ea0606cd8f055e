using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Browser;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// In Chromium, under the portal's CSP: the channels page and its refused form, the dashboard's card when
/// publishing failed, the post editor's publishing panel and the post's deliveries page, with axe-core at 1366 and 390 px.
/// </summary>
public sealed class PublishingAdminBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task The_team_connects_channels_follows_a_post_s_deliveries_and_sees_failed_publishing_in_the_browser()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.ConnectTestChannelAsync("Mastodon de la maison");
        server.Then(TestAnswer.Fail);
        var post = await host.ScheduleAsync("Soirée bougies à l’atelier");
        await host.PublishNowAsync(post);
        Assert.Equal(DeliveryState.Failed, Assert.Single(await host.SettledAsync(post)).State);
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        var problems = new List<string>();

        await page.GotoAsync("/admin/maison-lumen/channels");
        await CheckAsync(page, "channels", problems);
        // A webhook refused: the reason beside its field, the summary takes the focus, the address stays typed.
        await page.FillAsync("#webhook-name", "Site partenaire");
        await page.FillAsync("#webhook-url", "pas-une-adresse");
        await page.ClickAsync("#connect-webhook button");
        await Expect(page.Locator("#webhook-url-error")).ToHaveTextAsync("L’adresse du webhook doit commencer par http:// ou https://.");
        await Expect(page.Locator("#webhook-url")).ToHaveValueAsync("pas-une-adresse");
        await Expect(page.Locator("#connect-refused")).ToBeFocusedAsync();
        await CheckAsync(page, "channels-refused", problems);
        await page.FillAsync("#manual-name", "Instagram de la boutique");
        await page.SelectOptionAsync("#manual-network", "instagram");
        await page.ClickAsync("#connect-manual button");
        await Expect(page.Locator("main .alert-success")).ToContainTextAsync("Instagram de la boutique");
        await Expect(page.Locator("#channels")).ToContainTextAsync("(Instagram, à la main)");
        await CheckAsync(page, "channels-list", problems);

        await page.GotoAsync("/admin/maison-lumen");
        await Expect(page.Locator("[data-card='Publishing failed']")).ToContainTextAsync("1\u00a0envoi en échec ces dernières 24\u00a0heures.");
        await CheckAsync(page, "dashboard-publishing-card", problems);

        // From the post editor's panel to the post's deliveries, where "send again" publishes it.
        await page.GotoAsync($"/admin/maison-lumen/posts/{post}");
        await Expect(page.Locator("[data-panel='Publishing']")).ToContainTextAsync("Mastodon de la maison");
        await CheckAsync(page, "post-editor-publishing-panel", problems);
        await page.ClickAsync("[data-panel='Publishing'] .card-footer a");
        await Expect(page).ToHaveURLAsync(PathIs($"/admin/maison-lumen/publishing/posts/{post}"));
        await CheckAsync(page, "post-deliveries-failed", problems);
        await page.ClickAsync("form[action$='/retry'] button");
        Assert.Equal(DeliveryState.Published, Assert.Single(await host.SettledAsync(post)).State);
        await page.ReloadAsync();
        await Expect(page.Locator("a[data-published-link]")).ToBeVisibleAsync();
        await CheckAsync(page, "post-deliveries-published", problems);

        Assert.True(problems.Count == 0, "Accessibility violations:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    private static async Task CheckAsync(IPage page, string name, List<string> problems)
    {
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            problems.AddRange((await AccessibilityTests.SeriousViolationsAsync(page)).Select(v => $"{name} at {width}: {v}"));
            await ScreenshotAsync(page, $"publishing-{name}-{width}");
        }
        await page.SetViewportSizeAsync(1366, 900);
    }
}
