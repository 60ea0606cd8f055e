using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// The charter's fonts really load in Chromium (the FontFace objects the page declared are "loaded", not merely named
/// in a font-family list), on the public home and in the brand book; a font picked in the editor is previewed with its
/// licence and then loads on the site; the networks' logos carry names.
/// </summary>
public sealed class BrandFontTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>The families whose font files the page has loaded so far.</summary>
    private static async Task<string[]> LoadedFamiliesAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("[...new Set([...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/[\"']/g, '')))]");

    /// <summary>Waits until the page has loaded a file of the family, as a visitor's browser does once the text is laid out.</summary>
    private static async Task AssertLoadedAsync(IPage page, string family)
    {
        try
        {
            await page.WaitForFunctionAsync("family => [...document.fonts].some(f => f.family.replace(/[\"']/g, '') === family && f.status === 'loaded')",
                family, new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            var faces = await page.EvaluateAsync<string[]>("[...document.fonts].map(f => `${f.family} ${f.weight} ${f.status}`)");
            throw new Xunit.Sdk.XunitException($"The font {family} did not load on {page.Url}. Faces: {string.Join("; ", faces)}");
        }
    }

    [Fact]
    public async Task The_demo_charter_fonts_load_on_the_public_home_and_in_the_brand_book_and_the_networks_show_their_logos()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        var failed = new List<string>();
        page.RequestFailed += (_, request) => failed.Add(request.Url);

        await page.GotoAsync("/maison-lumen/");
        await AssertLoadedAsync(page, "Playfair Display");
        await AssertLoadedAsync(page, "Source Sans 3");
        Assert.True(await page.EvaluateAsync<bool>("document.fonts.check('16px \"Source Sans 3\"')"));

        // The footer links to the brand's profiles, each with its network's logo; the name is written, so the logo is decorative.
        var networks = page.GetByRole(AriaRole.Navigation, new() { Name = "Maison Lumen sur les réseaux" });
        foreach (var name in new[] { "Facebook", "Instagram", "LinkedIn", "Bluesky" })
        {
            var link = networks.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
            await Expect(link).ToBeVisibleAsync();
            var icon = link.Locator(".network-icon");
            await Expect(icon).ToHaveAttributeAsync("aria-hidden", "true");
            Assert.Contains($"/networks/{name.ToLowerInvariant()}.svg", await icon.EvaluateAsync<string>("e => getComputedStyle(e).maskImage || getComputedStyle(e).webkitMaskImage"));
            var box = await icon.BoundingBoxAsync();
            Assert.True(box is { Width: > 10, Height: > 10 }, $"the {name} logo is not shown");
        }
        await Expect(networks.GetByRole(AriaRole.Link, new() { Name = "Instagram" })).ToHaveAttributeAsync("href", "https://www.instagram.com/maison.lumen.demo");

        await SignInAsync(page);
        await page.GotoAsync("/admin/maison-lumen/brand");
        await AssertLoadedAsync(page, "Playfair Display");
        await AssertLoadedAsync(page, "Source Sans 3");
        await Expect(page.Locator("#graphic-charter")).ToContainTextAsync("police libre servie par le portail, licence : SIL Open Font License 1.1");
        var bluesky = page.Locator(".book-networks tr[data-network='bluesky'] th");
        await Expect(bluesky).ToContainTextAsync("Bluesky");
        await Expect(bluesky.Locator(".network-icon[aria-hidden='true']")).ToHaveCountAsync(1);
        Assert.Empty(failed);
    }

    [Fact]
    public async Task A_catalogue_font_chosen_in_the_editor_is_previewed_with_its_licence_then_loads_on_the_public_home()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync("/admin/maison-lumen/brand/graphic-charter");
        var body = page.Locator("[data-font-picker]").Filter(new() { Has = page.Locator("#BodyChoice") });
        await Expect(page.Locator("#BodyChoice")).ToHaveValueAsync("source-sans-3");
        await page.Locator("#BodyChoice").SelectOptionAsync("inter");
        var preview = body.Locator("[data-font-preview]");
        Assert.StartsWith("Inter", (await preview.EvaluateAsync<string>("e => getComputedStyle(e).fontFamily")).Replace("\"", "").Replace("'", ""));
        await AssertLoadedAsync(page, "Inter");
        await Expect(body.Locator("[data-font-licence]")).ToHaveTextAsync("Licence\u00a0: SIL Open Font License 1.1");
        await Expect(body.Locator("[data-font-licence-link]")).ToHaveAttributeAsync("href", "/_content/CmPortal.Modules.BrandIdentity/lib/fonts/inter/LICENSE");
        await Expect(body.Locator("[data-font-other]")).ToBeHiddenAsync();

        await page.Locator("#graphic-charter-form button.btn-primary").ClickAsync();
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Charte graphique enregistrée (version 2).");

        await page.GotoAsync("/maison-lumen/");
        await AssertLoadedAsync(page, "Inter");
        Assert.DoesNotContain("Source Sans 3", await LoadedFamiliesAsync(page));
        Assert.StartsWith("Inter", (await page.EvaluateAsync<string>("getComputedStyle(document.body).fontFamily")).Replace("\"", "").Replace("'", ""));
    }
}
