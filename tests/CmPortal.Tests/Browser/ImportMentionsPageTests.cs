using System.Text;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// The mention import in Chromium, as a community manager uses it: from the inbox to the import page, a file with a
/// bad date previewed with its problem, the fixed file previewed with its counts, imported, and found in the inbox.
/// </summary>
public sealed class ImportMentionsPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Header = "Texte;Auteur;Publié le;Réseau\r\n";

    private static FilePayload File(string text) =>
        new() { Name = "agorapulse.csv", MimeType = "text/csv", Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)] };

    [Fact]
    public async Task A_file_is_previewed_with_its_problem_then_fixed_imported_and_its_mentions_found_in_the_inbox()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync("/admin/maison-lumen/inbox");
        await page.ClickAsync("#import-link");
        await Expect(page).ToHaveURLAsync(PathIs("/admin/maison-lumen/inbox/import"));

        await page.SetInputFilesAsync("#file", File(Header +
            "\"Quelle belle vitrine ; bravo\";Léa;28/02/2026 14:30;Instagram\r\n" +
            "Un zeste de citron dans la bougie Atelier;Hugo;31/02/2026;Facebook\r\n"));
        await page.ClickAsync("#upload button");
        await Expect(page.Locator("#import-problems li")).ToHaveTextAsync(
            ["Ligne 3, colonne «\u00a0Publié le\u00a0»\u00a0: «\u00a031/02/2026\u00a0» n’est pas une date. Écrivez 2026-02-28 ou 28/02/2026 14:30."]);
        await Expect(page.Locator("#apply")).ToHaveCountAsync(0);
        Assert.Empty(await AccessibilityTests.SeriousViolationsAsync(page));
        await ScreenshotAsync(page, "inbox-import-problems");

        await page.SetInputFilesAsync("#file", File(Header +
            "\"Quelle belle vitrine ; bravo\";Léa;28/02/2026 14:30;Instagram\r\n" +
            "Un zeste de citron dans la bougie Atelier;Hugo;27/02/2026 09:00;Facebook\r\n"));
        await page.ClickAsync("#upload button");
        await Expect(page.Locator("#import-problems")).ToHaveCountAsync(0);
        await Expect(page.Locator("#preview-counts")).ToContainTextAsync("2\u00a0mentions");
        await Expect(page.Locator("#preview-rows tbody td:nth-child(5)")).ToHaveTextAsync(["Quelle belle vitrine ; bravo", "Un zeste de citron dans la bougie Atelier"]);
        Assert.Empty(await AccessibilityTests.SeriousViolationsAsync(page));
        await ScreenshotAsync(page, "inbox-import-preview");
        await page.ClickAsync("#apply button");
        await Expect(page).ToHaveURLAsync(PathIs("/admin/maison-lumen/inbox/import"));
        await Expect(page.Locator("main")).ToContainTextAsync("Import terminé\u00a0: 2\u00a0mentions enregistrées");

        await page.GotoAsync("/admin/maison-lumen/inbox?q=zeste");
        await Expect(page.Locator("main")).ToContainTextAsync("Un zeste de citron dans la bougie Atelier");
    }
}
