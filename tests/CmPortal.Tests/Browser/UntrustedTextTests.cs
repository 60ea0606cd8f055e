using CmPortal.Tests.Infrastructure;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>Text typed by a member is shown as text on every page that shows it, and never runs.</summary>
public sealed class UntrustedTextTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>Markup that runs if written as HTML, and braces that break a format string.</summary>
    private const string HostileRole = "<img src=x onerror=\"window.__xss=1\">Rédac {0} {";

    [Fact]
    public async Task A_role_named_with_markup_and_braces_shows_as_text_on_the_roles_and_members_pages_and_runs_nothing()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync("/admin/maison-lumen/roles");
        await page.Locator("#new-role").FillAsync(HostileRole);
        await page.Locator("form[action='/admin/maison-lumen/roles/new'] button").ClickAsync();
        await Expect(page.Locator("#roles thead")).ToContainTextAsync(HostileRole);
        await Expect(page.Locator("#custom-roles")).ToContainTextAsync(HostileRole);
        await host.AddMemberAsync("plume@maison-lumen.test", "maison-lumen", HostileRole);

        await page.GotoAsync("/admin/maison-lumen/members");
        await Expect(page.Locator("#members")).ToContainTextAsync(HostileRole);
        await Expect(page.Locator("#RoleId option", new() { HasText = "Rédac" })).ToHaveTextAsync(HostileRole);
        Assert.Equal(0, await page.Locator("main img[src='x']").CountAsync());

        foreach (var path in new[] { "/admin/maison-lumen/roles", "/admin/maison-lumen/members" })
        {
            await page.GotoAsync(path);
            Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
        }
    }
}
