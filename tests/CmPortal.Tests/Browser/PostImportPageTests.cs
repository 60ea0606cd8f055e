using System.Text;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// The CSV import in Chromium, as a community manager uses it: choose a file, read the preview and its problems, fix
/// the file, import it and follow the progress to the end.
/// </summary>
public sealed class PostImportPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Header = "date;time;networks;text;pillar\r\n";

    private static FilePayload File(string text) =>
        new() { Name = "planning.csv", MimeType = "text/csv", Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)] };

    [Fact]
    public async Task A_file_is_previewed_with_its_problems_then_fixed_imported_and_its_progress_followed()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync("/admin/maison-lumen/posts");
        await page.ClickAsync("text=Import / export");
        await Expect(page).ToHaveURLAsync(PathIs("/admin/maison-lumen/posts/import"));

        // A bad date on line 3: the preview shows both lines, the problem, and no import button.
        await page.SetInputFilesAsync("#file", File(Header +
            "22/03/2027;09:30;instagram;\"Atelier ouvert ; venez nombreux\";Savoir-faire & atelier\r\n" +
            "2027-03-23;09:30;instagram;Une date à l’anglaise;Art de vivre\r\n"));
        await page.ClickAsync("#upload button");
        await Expect(page.Locator("#preview-rows tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#import-problems li")).ToHaveTextAsync(
            ["Ligne 3, colonne date\u00a0: «\u00a02027-03-23\u00a0» n’est pas une date\u00a0: écrivez-la comme 22/03/2027 (jour/mois/année)."]);
        await Expect(page.Locator("#apply")).ToHaveCountAsync(0);
        await Expect(page.Locator("#preview-rows tr[data-line='3']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("table-danger"));
        Assert.Empty(await AccessibilityTests.SeriousViolationsAsync(page));
        await ScreenshotAsync(page, "post-import-preview-problems");

        // Fixed: the import button appears; the import runs and says when it is done.
        await page.SetInputFilesAsync("#file", File(Header +
            "22/03/2027;09:30;instagram;\"Atelier ouvert ; venez nombreux\";Savoir-faire & atelier\r\n" +
            "23/03/2027;09:30;instagram;Une date à la française;Art de vivre\r\n"));
        await page.ClickAsync("#upload button");
        await Expect(page.Locator("#import-problems")).ToHaveCountAsync(0);
        await Expect(page.Locator("#preview-rows tbody td:nth-child(4)")).ToHaveTextAsync(["Atelier ouvert ; venez nombreux", "Une date à la française"]);
        await page.ClickAsync("#apply button");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/maison-lumen/posts/import\\?run=[0-9a-f-]+$"));
        await Expect(page.Locator("#import-status")).ToHaveTextAsync("Terminé\u00a0: 2\u00a0publications importées.");
        Assert.Equal(2, await page.Locator("#import-progress").EvaluateAsync<int>("p => p.value"));
        Assert.Empty(await AccessibilityTests.SeriousViolationsAsync(page));
        await ScreenshotAsync(page, "post-import-done");

        await page.ClickAsync("text=Voir les publications");
        await Expect(page.Locator("#posts")).ToContainTextAsync("Une date à la française");
    }
}
