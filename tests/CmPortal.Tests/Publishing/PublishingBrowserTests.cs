using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Browser;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// Issue 10 in Chromium, as a community manager goes through it: connect Mastodon through the instance's OAuth pages
/// and the blog from its page, write a post with a Mastodon and a blog variant, schedule it, and find it in the
/// publishing log (published, with links) and on the brand's blog.
/// </summary>
public sealed class PublishingBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Key = PublishingTestHost.Workspace;
    private const string MastodonText = "Les bougies d’hiver sont arrivées à l’atelier : venez les sentir samedi ! #MaisonLumen";
    private const string BlogText = "# Les bougies d’hiver sont arrivées\n\nTrois senteurs, coulées à la main à Lyon : **Sapin, Miel, Ambre**.";

    [Fact]
    public async Task A_member_connects_Mastodon_and_the_blog_schedules_a_post_in_the_editor_and_sees_it_published_in_the_log_and_on_the_blog()
    {
        await using var mastodon = await MastodonTestServer.StartAsync(TimeProvider.System);
        mastodon.AddAccount("lumen");
        await using var host = await PortalHost.StartAsync(Provider.Sqlite, PublishingTestHost.FastOutbox());
        await host.SetUpAsync();
        await host.WithoutDemoChannelsAsync(); // this member connects the blog and Mastodon themselves
        await host.PublishSiteAsync(Key);
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        var problems = new List<string>();

        // Mastodon: from the channels page, through the instance's authorization page and back.
        await page.GotoAsync($"/admin/{Key}/channels");
        await CheckAsync(page, "publishing-channels-empty", problems);
        await page.ClickAsync("#connect-mastodon");
        await page.Locator("#InstanceUrl").FillAsync(mastodon.BaseAddress.ToString());
        await page.Locator("#mastodon-connect button").ClickAsync();
        await page.Locator("[data-authorize]").ClickAsync();
        await Expect(page.Locator("#mastodon-connected [data-account]")).ToHaveTextAsync($"@lumen@{mastodon.Authority}");

        // The blog: from the blog's page, which offers to connect it to the calendar.
        await page.GotoAsync($"/admin/{Key}/blog");
        await CheckAsync(page, "publishing-blog-not-connected", problems);
        await page.ClickAsync("#blog-channel button");
        await Expect(page).ToHaveURLAsync(PathIs($"/admin/{Key}/channels"));
        await Expect(page.Locator("#channels")).ToContainTextAsync($"@lumen@{mastodon.Authority}");
        await Expect(page.Locator("#channels")).ToContainTextAsync("(Blog de la marque)");
        await CheckAsync(page, "publishing-channels", problems);
        await page.GotoAsync($"/admin/{Key}/blog");
        await Expect(page.Locator("#blog-channel")).ToContainTextAsync("canal «\u00a0Blog\u00a0»");

        // The post, written in the editor with a variant for each, then sent for review, approved and scheduled.
        await page.GotoAsync($"/admin/{Key}/posts/new");
        await page.FillAsync("#Text", "Les bougies d’hiver sont arrivées");
        foreach (var box in await page.Locator("input[name=Networks]").AllAsync())
            await box.SetCheckedAsync(await box.GetAttributeAsync("value") is "mastodon" or "blog");
        await page.FillAsync("#variant-mastodon", MastodonText);
        await page.FillAsync("#variant-blog", BlogText);
        await CheckAsync(page, "publishing-post-editor", problems);
        // Its time is chosen last, so that only saving and three clicks stand between it and the schedule.
        var starts = await StartAsync(host);
        await page.FillAsync("#Date", starts.Date);
        await page.FillAsync("#Time", starts.Time);
        await page.Locator("#post-form button.btn-primary").ClickAsync();
        await Expect(page.Locator("#post-state")).ToHaveTextAsync("Brouillon");
        await page.ClickAsync("button[name=to][value=InReview]");
        await Expect(page.Locator("#post-state")).ToHaveTextAsync("En validation");
        await page.ClickAsync("button[name=to][value=Approved]");
        await Expect(page.Locator("#post-state")).ToHaveTextAsync("Validée");
        await page.ClickAsync("button[name=to][value=Scheduled]");
        await Expect(page.Locator("#post-state")).ToHaveTextAsync("Programmée");
        Assert.Empty(mastodon.Statuses); // not before its time

        // At its time: the log shows both deliveries published, each with its link.
        var rows = page.Locator("#deliveries tbody tr").Filter(new() { HasText = "Publié" });
        for (var until = starts.Utc + TimeSpan.FromSeconds(60); ; await Task.Delay(500))
        {
            await page.GotoAsync($"/admin/{Key}/publishing");
            if (await rows.Filter(new() { HasText = "Mastodon" }).CountAsync() == 1 && await rows.Filter(new() { HasText = "Blog" }).CountAsync() == 1) break;
            Assert.True(DateTime.UtcNow < until, "The log does not show both deliveries published: " + await page.Locator("main").InnerTextAsync());
        }
        var status = Assert.Single(mastodon.Statuses);
        await Expect(rows.Filter(new() { HasText = "Mastodon" }).Locator(".log-link a[rel~=noopener]")).ToHaveAttributeAsync("href", $"{mastodon.BaseAddress}@lumen/{status.Id}");
        var articleLink = rows.Filter(new() { HasText = "Blog" }).Locator(".log-link a[rel~=noopener]");
        await Expect(articleLink).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"/{Key}/blog/les-bougies-d-hiver-sont-arrivees$"));
        var articleUrl = (await articleLink.GetAttributeAsync("href"))!;
        // The Mastodon variant is the article's teaser: it went out after it, with its address.
        Assert.Equal(MastodonText + "\n\n" + articleUrl, status.Text);
        Assert.True(status.CreatedAt.UtcDateTime >= starts.Utc, $"Mastodon got it at {status.CreatedAt:O}, due {starts.Utc:O}");
        await CheckAsync(page, "publishing-log", problems);

        // The brand's blog lists the article and shows it, its first line as title.
        await page.GotoAsync($"/{Key}/blog");
        await Expect(page.Locator("main")).ToContainTextAsync("Les bougies d’hiver sont arrivées");
        await CheckAsync(page, "publishing-public-blog", problems);
        await page.GotoAsync(new Uri(articleUrl).AbsolutePath);

        await Expect(page.Locator("main h1")).ToHaveTextAsync("Les bougies d’hiver sont arrivées");
        await Expect(page.Locator("main strong")).ToHaveTextAsync("Sapin, Miel, Ambre");
        await CheckAsync(page, "publishing-article", problems);

        Assert.Empty(problems);
    }

    /// <summary>The first whole minute at least 30 s away (the editor schedules by the minute; saving and scheduling take a few seconds).</summary>
    private static async Task<(string Date, string Time, DateTime Utc)> StartAsync(PortalHost host)
    {
        var start = await EndToEndPublishingTests.NextMinuteAsync(host, TimeSpan.FromSeconds(30));
        var utc = await host.InWorkspaceAsync(Key, s =>
        {
            var zone = s.GetRequiredService<PostService>().Zone;
            var local = PostRules.ParseStart(start)!.Value;
            return Task.FromResult(local.InZoneLeniently(zone).ToDateTimeUtc());
        });
        return (start[..10], start[11..], utc);
    }

    private static async Task CheckAsync(IPage page, string name, List<string> problems)
    {
        foreach (var width in new[] { 1366, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            problems.AddRange((await AccessibilityTests.SeriousViolationsAsync(page)).Select(v => $"{name} at {width}: {v}"));
            await ScreenshotAsync(page, $"{name}-{width}");
        }
        await page.SetViewportSizeAsync(1366, 900);
    }
}
