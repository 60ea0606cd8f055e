using System.Net;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// "Subscribe in my calendar app" in Chromium: from the calendar, a member makes their private feed address, sees it
/// once with its copy button and webcal link, then revokes it; the address then answers 404.
/// </summary>
public sealed class CalendarFeedBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_member_creates_their_calendar_feed_sees_the_address_once_and_revokes_it()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        var questions = new List<string>();
        page.Dialog += async (_, dialog) => { questions.Add(dialog.Message); await dialog.AcceptAsync(); };
        await SignInAsync(page);

        await page.GotoAsync("/admin/maison-lumen/calendar");
        await page.ClickAsync("#calendar-feed-link");
        await Expect(page.Locator("h1")).ToHaveTextAsync("S’abonner dans mon agenda");
        await Expect(page.Locator("#no-feed")).ToBeVisibleAsync();
        await page.ClickAsync("#feed-create button");

        var url = await page.Locator("#feed-url").InputValueAsync();
        Assert.Matches("^http://127\\.0\\.0\\.1:\\d+/feeds/[A-Za-z0-9_-]{43}\\.ics$", url);
        await Expect(page.Locator("#feed-url")).ToBeFocusedAsync();
        await Expect(page.Locator("#feed-webcal")).ToHaveAttributeAsync("href", "webcal://" + url["http://".Length..]);
        await page.ClickAsync("#new-feed [data-copy]");
        await Expect(page.Locator("#new-feed [data-copy]")).ToHaveTextAsync("Copié");
        await ScreenshotAsync(page, "calendar-feed-created");
        using (var app = host.CreateClient())
        {
            var feed = await app.GetAsync(new Uri(url).AbsolutePath);
            Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
            Assert.StartsWith("BEGIN:VCALENDAR", await feed.Content.ReadAsStringAsync());
        }

        // Shown once: the page now says when it was made, and the address is nowhere on it.
        await page.ReloadAsync();
        await Expect(page.Locator("#feed-created")).ToBeVisibleAsync();
        Assert.DoesNotContain(new Uri(url).AbsolutePath, await page.ContentAsync());

        await page.ClickAsync("#feed-revoke button");
        await Expect(page.Locator("#no-feed")).ToBeVisibleAsync();
        Assert.Single(questions);
        using (var app = host.CreateClient())
            Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync(new Uri(url).AbsolutePath)).StatusCode);
    }
}
