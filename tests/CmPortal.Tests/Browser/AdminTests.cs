using System.Text.Json;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

public sealed class AdminTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task The_switcher_goes_from_one_workspace_to_the_other()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await CreateWorkspaceAsync(page, "atelier-sable", "Atelier Sable");
        await Expect(page.Locator("#workspace-switcher")).ToContainTextAsync("Atelier Sable");

        await page.Locator("#workspace-switcher").ClickAsync();
        await page.Locator(".dropdown-menu [data-workspace='maison-lumen']").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/maison-lumen"));
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Maison Lumen");
        await Expect(page.Locator("#workspace-switcher")).ToContainTextAsync("Maison Lumen");

        await page.Locator("#workspace-switcher").ClickAsync();
        await Expect(page.Locator(".dropdown-menu [data-workspace='maison-lumen']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));
        await page.Locator(".dropdown-menu [data-workspace='atelier-sable']").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/atelier-sable"));
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Atelier Sable");
    }

    [Fact]
    public async Task On_a_phone_a_host_administrator_duplicates_a_brand_into_an_offline_copy()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/admin/workspaces");

        var duplicate = page.Locator("#workspaces tr[data-key='maison-lumen'] a[href='/admin/workspaces/maison-lumen/duplicate']");
        await Expect(duplicate).ToBeInViewportAsync();
        await duplicate.ClickAsync();
        await page.Locator("#newName").FillAsync("Lumen Bis");
        await page.Locator("#newKey").FillAsync("maison-lumen");
        await page.Locator("#duplicate").ClickAsync();
        await Expect(page.Locator("#newKey-error")).ToContainTextAsync("est déjà l’adresse de l’espace");
        await Expect(page.Locator("#newName")).ToHaveValueAsync("Lumen Bis");

        await page.Locator("#newKey").FillAsync("lumen-bis");
        await page.Locator("#duplicate").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/lumen-bis"));
        await Expect(page.Locator("main .alert-success")).ToContainTextAsync("créé comme copie de");
        await ScreenshotAsync(page, "admin-duplicate-done");
        await page.GotoAsync("/admin/lumen-bis/settings");
        await Expect(page.Locator("#publish")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_the_workspace_menu_folds_behind_one_button_and_the_page_comes_first()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/admin/maison-lumen");

        var keyDates = page.Locator("#workspace-menu a[href='/admin/maison-lumen/key-dates']");
        await Expect(keyDates).ToBeHiddenAsync();
        // The page's title is on the first screen, not below a screenful of menu.
        var title = await page.Locator("main h1").BoundingBoxAsync();
        Assert.True(title!.Y < 300, $"The page title starts at {title.Y} px on a 844 px high phone screen.");

        await page.Locator("#workspace-menu-toggle").ClickAsync();
        await Expect(keyDates).ToBeVisibleAsync();
        await Expect(keyDates.Locator(".bi-calendar-event")).ToHaveCountAsync(1);
        await keyDates.ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/maison-lumen/key-dates"));
        await Expect(page.Locator("#workspace-menu a[aria-current='page']")).ToHaveAttributeAsync("href", "/admin/maison-lumen/key-dates");
        await ScreenshotAsync(page, "admin-phone-menu");

        await page.SetViewportSizeAsync(1366, 800);
        await Expect(page.Locator("#workspace-menu-toggle")).ToBeHiddenAsync();
        await Expect(page.Locator("#workspace-menu a[href='/admin/maison-lumen/members']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Turning_a_module_on_adds_its_pages_and_turning_it_off_removes_them()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await CreateWorkspaceAsync(page, "atelier-sable", "Atelier Sable");
        var menuLink = page.Locator("nav.admin-menu a[href='/admin/atelier-sable/key-dates']");
        await Expect(menuLink).ToHaveCountAsync(0);

        await page.GotoAsync("/admin/atelier-sable/modules");
        var keyDates = page.Locator("#modules [data-module='KeyDates']");
        await Expect(keyDates).ToHaveAttributeAsync("data-enabled", "false");
        await keyDates.Locator("form[action$='/enable'] button").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/atelier-sable/modules"));
        await Expect(keyDates).ToHaveAttributeAsync("data-enabled", "true");

        await menuLink.ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/atelier-sable/key-dates"));
        await Expect(page.Locator("main a[href='/admin/atelier-sable/key-dates/new']")).ToBeVisibleAsync();
        await Expect(menuLink).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));

        await page.GotoAsync("/admin/atelier-sable/modules");
        await keyDates.Locator("form[action$='/disable'] button").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/atelier-sable/modules"));
        await Expect(keyDates).ToHaveAttributeAsync("data-enabled", "false");
        await Expect(menuLink).ToHaveCountAsync(0);
        var gone = await page.GotoAsync("/admin/atelier-sable/key-dates");
        Assert.Equal(404, gone!.Status);

        // A module turns on what it needs, and what it needs cannot go off under it.
        await page.GotoAsync("/admin/atelier-sable/modules");
        var probeBase = page.Locator("#modules [data-module='ProbeBase']");
        var probeDependent = page.Locator("#modules [data-module='ProbeDependent']");
        await Expect(probeBase).ToHaveAttributeAsync("data-enabled", "false");
        await Expect(probeDependent).ToHaveAttributeAsync("data-enabled", "false");
        await probeDependent.Locator("form[action$='/enable'] button").ClickAsync();
        await Expect(probeDependent).ToHaveAttributeAsync("data-enabled", "true");
        await Expect(probeBase).ToHaveAttributeAsync("data-enabled", "true");
        await Expect(probeBase.Locator("form[action$='/disable'] button")).ToBeDisabledAsync();
        await Expect(probeDependent.Locator("form[action$='/disable'] button")).ToBeEnabledAsync();
    }

    [Fact]
    public async Task Applying_a_recipe_shows_its_progress_and_a_broken_upload_says_where_it_is_broken()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync("/admin/recipes");
        // Each recipe is named as people call it, its file beside.
        await Expect(page.Locator("#recipes tr[data-file='blank.recipe.json'] td").First).ToContainTextAsync("Espace de marque vide");
        await Expect(page.Locator("#recipes tr[data-file='demo.recipe.json'] td").First).ToContainTextAsync("Démo Maison Lumen");
        await page.Locator("#recipes tr[data-file='blank.recipe.json'] a").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/recipes/apply"));
        await Expect(page.Locator("main")).ToContainTextAsync("Espace de marque vide");
        await page.Locator("#param-key").FillAsync("atelier-sable");
        await page.Locator("#param-name").FillAsync("Atelier Sable");
        await page.Locator("#apply").ClickAsync();
        // The preview says a new workspace will be made; applying it starts the run.
        await Expect(page.Locator("#plan-targets")).ToContainTextAsync("nouvel espace");
        await page.Locator("#confirm-apply").ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin/recipes/runs/[0-9a-f-]{36}$"));
        await Expect(page.Locator("#run-status")).ToHaveAttributeAsync("data-status", "succeeded");
        var steps = page.Locator("#run-steps li");
        Assert.Equal(3, await steps.CountAsync());
        foreach (var step in await steps.AllAsync()) await Expect(step).ToHaveAttributeAsync("data-state", "done");
        await Expect(page.Locator("#run-errors")).ToBeHiddenAsync();
        await page.Locator("#open-workspace").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/atelier-sable"));
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Atelier Sable");
        await Expect(page.Locator("#enabled-modules [data-module='KeyDates']")).ToHaveCountAsync(1);

        // A file that is not JSON: the apply page names the file and the line.
        var broken = Path.Combine(Directory.CreateTempSubdirectory("cmportal-recipe-").FullName, "broken-launch.recipe.json");
        await File.WriteAllTextAsync(broken, "{\n  \"name\": \"broken\",\n  \"steps\": [\n    { \"step\": \"workspace\" \n    { \"step\": \"theme\" }\n  ]\n}\n");
        try
        {
            await page.GotoAsync("/admin/recipes");
            await page.Locator("#recipe-file").SetInputFilesAsync(broken);
            await page.Locator("form[action='/admin/recipes/upload'] button").ClickAsync();
            await Expect(page).ToHaveURLAsync(PathIs("/admin/recipes/apply"));
            var errors = page.Locator("#recipe-errors");
            await Expect(errors).ToBeVisibleAsync();
            await Expect(errors).ToContainTextAsync("broken-launch.recipe.json");
            await Expect(errors).ToContainTextAsync("ligne 5");
            await Expect(page.Locator("#apply")).ToHaveCountAsync(0);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(broken)!, recursive: true);
        }
    }

    [Fact]
    public async Task The_export_downloads_the_workspace_as_a_recipe_with_its_key_dates()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        // For a human to look at: the dashboard and the key dates of the demo workspace.
        await page.GotoAsync("/admin/maison-lumen");
        await Expect(page.Locator("#enabled-modules [data-module='KeyDates']")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "admin-dashboard");
        await page.Locator("nav.admin-menu a[href='/admin/maison-lumen/key-dates']").ClickAsync();
        await Expect(page.Locator("#key-dates tr[data-id='fete-des-meres']")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "key-dates");

        await page.GotoAsync("/admin/maison-lumen/export");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-export").ClickAsync());
        Assert.Equal("maison-lumen.recipe.json", download.SuggestedFilename);
        var path = await download.PathAsync();
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        var workspace = Assert.Single(steps, s => s.GetProperty("step").GetString() == "workspace");
        // The key and the name are parameters of the export, defaulting to the workspace's own.
        Assert.Equal("{{name}}", workspace.GetProperty("name").GetString());
        var name = Assert.Single(json.RootElement.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "name");
        Assert.Equal("Maison Lumen", name.GetProperty("default").GetString());
        var keyDates = Assert.Single(steps, s => s.GetProperty("step").GetString() == "keyDates");
        Assert.Contains(keyDates.GetProperty("keyDates").EnumerateArray(), d => d.GetProperty("id").GetString() == "fete-des-meres");
    }
}
