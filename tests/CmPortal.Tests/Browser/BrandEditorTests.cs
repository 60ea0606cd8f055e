using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// The brand identity editors in Chromium, used the way a brand manager does: the palette on screen at
/// every width, colours picked or typed with the contrast table following, rows added and removed with
/// buttons while the pillars' total follows, and the pages clean for axe-core.
/// </summary>
public sealed class BrandEditorTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string CharterEditor = "/admin/maison-lumen/brand/graphic-charter";
    private const string LineEditor = "/admin/maison-lumen/brand/editorial-line";

    [Fact]
    public async Task The_palette_is_on_screen_at_every_width_and_a_colour_picked_or_typed_changes_the_contrast_table()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        var palette = page.Locator("#palette");
        foreach (var width in new[] { 390, 1366, 1920 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.GotoAsync(CharterEditor);
            await ScreenshotAsync(page, $"brand-palette-{width}");
            var box = await page.Locator("#palette").EvaluateAsync<double[]>("t => { const r = t.parentElement.getBoundingClientRect(); return [r.x, r.width]; }");
            Assert.True(box[0] >= 0 && box[1] >= 200 && box[0] + box[1] <= width + 0.5,
                $"at {width} px the palette's box is at x={box[0]}, {box[1]} px wide: it should be on screen");
            // The first colour's name, picker and hex code are on screen, not scrolled out of reach.
            foreach (var field in new[] { "input[name='Palette[0].Name']", "tr:first-child input[type=color]", "input[name='Palette[0].Hex']" })
            {
                var shown = await palette.Locator(field).BoundingBoxAsync();
                Assert.True(shown is { Width: > 20 } && shown.X >= 0 && shown.X + shown.Width <= width + 0.5,
                    $"at {width} px {field} is at x={shown?.X}, {shown?.Width} px wide");
            }
            Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= width, $"at {width} px the page scrolls sideways");
        }

        await page.SetViewportSizeAsync(1366, 900);
        var text = palette.Locator("tbody tr").Filter(new() { Has = page.Locator("select option[value='Text']:checked") });
        var primary = palette.Locator("tbody tr").Filter(new() { Has = page.Locator("select option[value='Primary']:checked") });
        var contrast = page.Locator("#contrast table");
        var bodyText = contrast.Locator("tbody tr").Filter(new() { HasText = "Texte courant sur le fond" });
        await Expect(bodyText).ToHaveAttributeAsync("data-passes", "true");
        await Expect(contrast.Locator("tr[data-passes=false]")).ToHaveCountAsync(0);

        // A pale grey typed as the text colour: the table flags it at once, before any save.
        await text.Locator("input[name$='.Hex']").FillAsync("#bbbbbb");
        await Expect(bodyText).ToHaveAttributeAsync("data-passes", "false");
        await Expect(bodyText).ToContainTextAsync("#bbbbbb");
        await Expect(bodyText).ToContainTextAsync("Échoue AA");
        // The picker next to the code follows what was typed.
        await Expect(text.Locator("input[type=color]")).ToHaveValueAsync("#bbbbbb");

        // A colour chosen with the picker fills the hex code and shows in the table.
        await primary.Locator("input[type=color]").FillAsync("#1f4e79");
        await Expect(primary.Locator("input[name$='.Hex']")).ToHaveValueAsync("#1f4e79");
        var links = contrast.Locator("tbody tr").Filter(new() { HasText = "Liens sur le fond" });
        await Expect(links).ToContainTextAsync("#1f4e79");
        await ScreenshotAsync(page, "brand-palette-edited");

        // Saved, the editor shows the same verdicts.
        await page.Locator("#graphic-charter-form button.btn-primary").ClickAsync();
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Charte graphique enregistrée (version 2).");
        await Expect(bodyText).ToHaveAttributeAsync("data-passes", "false");
        await Expect(links).ToContainTextAsync("#1f4e79");
    }

    [Fact]
    public async Task Pillars_are_added_and_removed_with_buttons_the_total_follows_and_a_reload_shows_the_saved_rows()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(LineEditor);

        var rows = page.Locator("#pillars tbody tr");
        var total = page.Locator("#pillar-summary [data-total]");
        var warning = page.Locator("#pillar-summary [data-total-warning]");
        await Expect(rows).ToHaveCountAsync(5);
        await Expect(total).ToHaveTextAsync("Total : 100 %");
        await Expect(warning).ToBeHiddenAsync();
        var names = await rows.Locator("input[name$='.Name']").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)");

        // Remove a pillar in the middle: the total drops and says what is wrong.
        var removed = rows.Nth(1);
        var removedShare = int.Parse(await removed.Locator("input[name$='.Share']").InputValueAsync());
        await removed.Locator("[data-remove-row]").ClickAsync();
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(total).ToHaveTextAsync($"Total : {100 - removedShare} %");
        await Expect(warning).ToBeVisibleAsync();
        // It was a value pillar: the 80/20 gauge shows less value against the same target, in words and in its bar.
        await Expect(page.Locator("#pillar-summary [data-balance]")).ToHaveTextAsync($"Valeur ajoutée : {80 - removedShare} % · promotion : 20 % — objectif 80/20");
        await Expect(page.Locator("#pillar-summary [data-balance-warning]")).ToBeVisibleAsync();
        var valuePart = await page.Locator("#pillar-summary .pillar-gauge").EvaluateAsync<double>(
            "g => g.querySelector('.gauge-value').getBoundingClientRect().width / g.getBoundingClientRect().width");
        Assert.InRange(valuePart, (80 - removedShare) / 100.0 - 0.01, (80 - removedShare) / 100.0 + 0.01);

        // Add one: a blank row at the end, its name field focused; its share brings the total back to 100.
        await page.Locator("[data-add-row=Pillars]").ClickAsync();
        await Expect(rows).ToHaveCountAsync(5);
        var added = rows.Nth(4);
        await Expect(added.Locator("input[name='Pillars[4].Name']")).ToBeFocusedAsync();
        await added.Locator("input[name$='.Name']").FillAsync("Coulisses de l’atelier");
        await added.Locator("input[name$='.Share']").FillAsync(removedShare.ToString());
        await Expect(total).ToHaveTextAsync("Total : 100 %");
        await Expect(warning).ToBeHiddenAsync();
        await ScreenshotAsync(page, "brand-pillars-edited");

        await page.Locator("#editorial-line-form button.btn-primary").ClickAsync();
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Ligne éditoriale enregistrée (version 2).");
        await page.ReloadAsync();
        var expected = names.Where((_, i) => i != 1).Append("Coulisses de l’atelier").ToArray();
        Assert.Equal(expected, await rows.Locator("input[name$='.Name']").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.value)"));
        await Expect(total).ToHaveTextAsync("Total : 100 %");
    }

    [Fact]
    public async Task The_brand_editors_and_the_brand_book_have_no_serious_accessibility_violation()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        var problems = new List<string>();
        foreach (var path in new[] { LineEditor, CharterEditor, "/admin/maison-lumen/brand" })
        {
            await page.GotoAsync(path);
            problems.AddRange((await AccessibilityTests.SeriousViolationsAsync(page)).Select(v => $"{path}: {v}"));
        }
        Assert.True(problems.Count == 0, "Accessibility violations:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }
}
