using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// The graphic charter as a visitor sees it in Chromium: the demo recipe's colours, fonts and logo
/// on the public pages (computed styles, not just the CSS text), a phone-sized screen, the brand
/// book printed from the admin, and the charter editor used the way a browser sends it.
/// </summary>
public sealed class BrandSiteThemeTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Theory]
    [InlineData("/maison-lumen/")]
    [InlineData("/maison-lumen/charter")]
    public async Task The_demo_charter_colours_fonts_and_logo_reach_the_public_pages(string path)
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(path);
        Assert.Equal(200, response!.Status);

        async Task<string> Style(string selector, string property) =>
            await page.EvaluateAsync<string>($"getComputedStyle(document.querySelector('{selector}'))['{property}']");

        // Primary #7a2e3a, background #fbf7f0, text #2b2523.
        Assert.Equal("rgb(122, 46, 58)", await Style("header.site-header", "backgroundColor"));
        Assert.Equal("rgb(251, 247, 240)", await Style("body", "backgroundColor"));
        Assert.Equal("rgb(43, 37, 35)", await Style("body", "color"));
        // Headings in Playfair Display, text in Source Sans 3, each followed by its fallback.
        var heading = (await Style("main#main h1", "fontFamily")).Replace("\"", "").Replace("'", "");
        Assert.StartsWith("Playfair Display, Georgia, serif", heading);
        var body = (await Style("body", "fontFamily")).Replace("\"", "").Replace("'", "");
        Assert.StartsWith("Source Sans 3, Helvetica Neue, Arial, sans-serif", body);

        // The logo named "primary" is in the header, loaded, and is the charter's stored file.
        var logo = page.Locator("header.site-header img.site-logo");
        await Expect(logo).ToBeVisibleAsync();
        await Expect(logo).ToHaveAttributeAsync("alt", "Maison Lumen");
        Assert.True(await logo.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0") > 0, "the logo image did not load");
        var box = await logo.BoundingBoxAsync();
        Assert.True(box is { Width: > 0, Height: > 0 } && box.Height <= 48.5, $"the logo should fit the header (at most 3rem high), it is {box?.Width}×{box?.Height}");
        var src = await logo.GetAttributeAsync("src");
        var address = Regex.Match(src ?? "", "^/maison-lumen/brand/logo/([0-9a-f]{64})\\.svg$");
        Assert.True(address.Success, $"the logo's address is {src}");
        var file = await context.APIRequest.GetAsync(src!);
        Assert.Equal(200, file.Status);
        Assert.StartsWith("image/svg+xml", file.Headers["content-type"]);
        var bytes = await file.BodyAsync();
        // The address names the content: the file served is the one stored for the charter.
        Assert.Equal(address.Groups[1].Value, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Contains("aria-label=\"Maison Lumen\"", System.Text.Encoding.UTF8.GetString(bytes));

        await ScreenshotAsync(page, "brand-site" + path.TrimEnd('/').Replace('/', '-'));
    }

    [Fact]
    public async Task On_a_375_pixel_wide_phone_the_public_home_does_not_scroll_sideways()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(375, 740);

        var response = await page.GotoAsync("/maison-lumen/");
        Assert.Equal(200, response!.Status);
        await Expect(page.Locator("header.site-header img.site-logo")).ToBeVisibleAsync();
        await Expect(page.Locator("main#main .site-introduction")).ToBeVisibleAsync();
        Assert.Equal(375, await page.EvaluateAsync<int>("window.innerWidth"));
        var width = await page.EvaluateAsync<int>("document.scrollingElement.scrollWidth");
        Assert.True(width <= 375, $"the page is {width} px wide on a 375 px screen: it scrolls sideways");
        var logoRight = await page.EvaluateAsync<double>("document.querySelector('img.site-logo').getBoundingClientRect().right");
        Assert.True(logoRight <= 375, $"the logo ends at {logoRight} px, past the screen's edge");
        await ScreenshotAsync(page, "brand-site-home-375");
    }

    [Fact]
    public async Task The_brand_book_prints_without_the_admin_menu_and_navbar()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync("/admin/maison-lumen/brand");

        var menu = page.Locator("nav.admin-menu");
        var navbar = page.Locator("body > header.navbar");
        var book = page.Locator("article.brand-book");
        var print = book.Locator("button", new() { HasText = "Imprimer" });
        // On screen the admin is all there.
        await Expect(menu).ToBeVisibleAsync();
        await Expect(navbar).ToBeVisibleAsync();
        await Expect(print).ToBeVisibleAsync();

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Expect(menu).ToBeHiddenAsync();
        await Expect(navbar).ToBeHiddenAsync();
        await Expect(print).ToBeHiddenAsync();
        await Expect(book).ToBeVisibleAsync();
        await Expect(book.Locator("h1")).ToContainTextAsync("Livre de marque — Maison Lumen");
        await Expect(book.Locator(".book-mission")).ToBeVisibleAsync();
        await Expect(book.Locator(".book-palette")).ToBeVisibleAsync();
        await Expect(book.Locator(".book-logos .logo-tile-light img")).ToBeVisibleAsync();
        await Expect(book.Locator(".book-logos .logo-tile-dark img")).ToBeVisibleAsync();
        // The graphic charter starts on a page of its own.
        Assert.Equal("page", await page.EvaluateAsync<string>("getComputedStyle(document.getElementById('graphic-charter')).breakBefore"));
        // The brand book takes the page's whole width once the menu is gone.
        var bookWidth = await book.EvaluateAsync<double>("e => e.getBoundingClientRect().width");
        var pageWidth = await page.EvaluateAsync<double>("document.documentElement.clientWidth");
        Assert.True(bookWidth > pageWidth * 0.9, $"the printed brand book is {bookWidth} px wide on a {pageWidth} px page");
        await ScreenshotAsync(page, "brand-book-print");
    }

    [Fact]
    public async Task A_primary_colour_saved_in_the_charter_editor_repaints_the_public_header()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync("/admin/maison-lumen/brand/graphic-charter");
        var primary = page.Locator("#palette tbody tr").Filter(new() { Has = page.Locator("select option[value='Primary']:checked") });
        await Expect(primary.Locator("input[name$='.Hex']")).ToHaveValueAsync("#7a2e3a");
        await primary.Locator("input[name$='.Hex']").FillAsync("#1f4e79");
        // The form as the editor shows it, blank rows included, is sent by the browser and accepted.
        await page.Locator("#graphic-charter-form button.btn-primary").ClickAsync();
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Charte graphique enregistrée (version 2).");

        await page.GotoAsync("/maison-lumen/");
        Assert.Equal("rgb(31, 78, 121)", await page.EvaluateAsync<string>("getComputedStyle(document.querySelector('header.site-header')).backgroundColor"));
    }

    [Fact]
    public async Task The_editors_show_no_error_box_until_a_save_is_refused()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        foreach (var editor in new[] { "editorial-line", "graphic-charter" })
        {
            await page.GotoAsync($"/admin/maison-lumen/brand/{editor}");
            await Expect(page.Locator($"#{editor}-form")).ToBeVisibleAsync();
            await ScreenshotAsync(page, $"brand-{editor}-editor");
            // Nothing was sent yet: a red alert, even an empty one, tells the user something went wrong.
            await Expect(page.Locator("main .alert-danger")).ToBeHiddenAsync(new() { Timeout = 1_000 });
        }

        // A refused save does show it, with the reason.
        await page.GotoAsync("/admin/maison-lumen/brand/editorial-line");
        await page.Locator("input[name='Pillars[0].Share']").FillAsync("50");
        await page.Locator("#editorial-line-form button.btn-primary").ClickAsync();
        await Expect(page.Locator("main .alert-danger")).ToBeVisibleAsync();
        await Expect(page.Locator("main .alert-danger")).ToContainTextAsync("Les parts des piliers font 120\u00a0% au total\u00a0; elles doivent faire 100\u00a0%.");
    }
}
