using CmPortal.Tests.Infrastructure;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

public sealed class BlogBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task An_article_written_and_published_in_the_admin_opens_on_the_public_blog()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync("/admin/maison-lumen/blog");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Écrire un article" }).ClickAsync();
        await page.Locator("#Title").FillAsync("Atelier ouvert : venez couler votre bougie");
        await page.Locator("#Summary").FillAsync("Un samedi par mois, l’atelier vous ouvre ses portes.");
        await page.Locator("#BodyMarkdown").FillAsync("## Au programme\n\n- choisir son parfum\n- couler sa bougie\n\n<script>window.__pwned = 1</script>");
        await page.Locator("#Tags").FillAsync("atelier, bougies");
        await page.Locator("#preview").ClickAsync();
        await Expect(page.Locator("#article-preview h2", new() { HasText = "Au programme" })).ToBeVisibleAsync();
        await page.Locator("#save").ClickAsync();
        await Expect(page.Locator("#article-state")).ToContainTextAsync("Brouillon");
        await page.Locator("#publish").ClickAsync();
        await Expect(page.Locator("#article-state")).ToContainTextAsync("En ligne");

        await page.Locator("#article-state a", new() { HasText = "Le voir sur le blog public" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/maison-lumen/blog/atelier-ouvert-venez-couler-votre-bougie"));
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Atelier ouvert : venez couler votre bougie");
        await Expect(page.Locator(".blog-body h2")).ToHaveTextAsync("Au programme");
        await Expect(page.Locator(".blog-tags li")).ToHaveTextAsync(["atelier", "bougies"]);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__pwned"));
        // The blog lists it first.
        await page.Locator(".blog-back a").ClickAsync();
        await Expect(page.Locator("#blog-list li").First).ToContainTextAsync("Atelier ouvert");
    }
}
