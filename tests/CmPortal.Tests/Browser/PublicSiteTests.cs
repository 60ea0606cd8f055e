using CmPortal.Tests.Infrastructure;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

public sealed class PublicSiteTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_brand_without_graphic_charter_wears_the_brand_layout_with_the_accessible_default_colours()
    {
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "maison-lumen", ["name"] = "Maison Lumen" });
        await host.PublishSiteAsync("maison-lumen");
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/maison-lumen/");
        Assert.Equal(200, response!.Status);
        await Expect(page).ToHaveURLAsync(PathIs("/maison-lumen/"));
        await Expect(page.Locator("header.site-header .site-brand")).ToContainTextAsync("Maison Lumen");
        await Expect(page.Locator("main#main h1")).ToHaveTextAsync("Maison Lumen");
        await Expect(page.Locator("footer.site-footer")).ToContainTextAsync("Maison Lumen");

        var primary = await page.EvaluateAsync<string>("getComputedStyle(document.documentElement).getPropertyValue('--brand-primary')");
        Assert.Equal("#1d4ed8", primary.Trim());
        // The brand stylesheet is applied: the header is painted in the primary colour.
        var header = await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.site-header')).backgroundColor");
        Assert.Equal("rgb(29, 78, 216)", header);
    }
}
