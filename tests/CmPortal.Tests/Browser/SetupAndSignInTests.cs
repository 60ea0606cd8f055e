using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

public sealed class SetupAndSignInTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_fresh_portal_opens_on_setup_which_creates_the_administrator_and_the_demo_workspace()
    {
        await using var host = await PortalHost.StartAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(PathIs("/setup"));
        await Expect(page.Locator("#recipe")).ToHaveValueAsync("demo.recipe.json");
        await Expect(page.Locator("#recipe option:checked")).ToContainTextAsync("Démo Maison Lumen");
        await Expect(page.Locator("label[for='param-key']")).ToContainTextAsync("Clé de l’espace (son adresse)"); // what it is, not its name in the file

        var form = page.Locator("form[action='/setup'][method='post']");
        await form.Locator("#AdminName").FillAsync("Claire");
        await form.Locator("#AdminEmail").FillAsync("cheffe@maison-lumen.test");
        await form.Locator("#AdminPassword").FillAsync("lumen-admin-2026");
        await form.Locator("button").ClickAsync();

        // Signed in by the setup: the admin lists the demo workspace, in the cards and in the switcher.
        await Expect(page).ToHaveURLAsync(PathIs("/admin"));
        await Expect(page.Locator("#current-user")).ToContainTextAsync("Claire");
        await Expect(page.Locator("#workspace-list [data-workspace='maison-lumen']")).ToContainTextAsync("Maison Lumen");
        await page.Locator("#workspace-switcher").ClickAsync();
        var item = page.Locator(".dropdown-menu [data-workspace='maison-lumen']");
        await Expect(item).ToBeVisibleAsync();
        await Expect(item).ToHaveTextAsync("Maison Lumen");

        // Once set up, the setup page is gone.
        var setup = await page.GotoAsync("/setup");
        Assert.Equal(404, setup!.Status);
    }

    [Fact]
    public async Task The_setup_page_shows_no_error_box_before_the_form_is_sent()
    {
        await using var host = await PortalHost.StartAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/setup");
        await Expect(page.Locator("#AdminEmail")).ToBeVisibleAsync();
        // Nothing was sent yet: a red alert (even an empty one) would tell the user something went wrong.
        await Expect(page.Locator("form[action='/setup'][method='post'] .alert-danger")).ToBeHiddenAsync(new() { Timeout = 1_000 });
    }

    [Fact]
    public async Task Signing_in_refuses_a_wrong_password_then_opens_the_admin_on_the_right_one()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/admin");
        await Expect(page).ToHaveURLAsync(PathIs("/account/login"));

        await SubmitLoginAsync(page, PortalHost.AdminEmail, "not-the-password-1");
        await Expect(page).ToHaveURLAsync(PathIs("/account/login"));
        await Expect(LoginForm(page).Locator("[role=alert]")).ToBeVisibleAsync();
        await Expect(LoginForm(page).Locator("[role=alert]")).Not.ToBeEmptyAsync();
        await Expect(LoginForm(page).Locator("#Password")).ToBeEmptyAsync();

        await SubmitLoginAsync(page, PortalHost.AdminEmail, PortalHost.AdminPassword);
        await Expect(page).ToHaveURLAsync(PathIs("/admin"));
        await Expect(page.Locator("#workspace-list [data-workspace='maison-lumen']")).ToContainTextAsync("Maison Lumen");
        await Expect(LoginForm(page)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/account/login");
        var alert = LoginForm(page).Locator("[role=alert]");

        await SubmitLoginAsync(page, PortalHost.AdminEmail, "wrong-password-1");
        await Expect(alert).ToBeVisibleAsync();
        var wrongPassword = (await alert.InnerTextAsync()).Trim();
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await SubmitLoginAsync(page, PortalHost.AdminEmail, $"wrong-password-{attempt}");
            await Expect(alert).ToBeVisibleAsync();
        }

        // The right password is refused now, with the same message as a wrong password's (which mentions the lockout):
        // a guesser cannot tell a locked account from a wrong password.
        await SubmitLoginAsync(page, PortalHost.AdminEmail, PortalHost.AdminPassword);
        await Expect(page).ToHaveURLAsync(PathIs("/account/login"));
        await Expect(LoginForm(page).Locator("#Password")).ToBeVisibleAsync();
        await Expect(alert).ToBeVisibleAsync();
        var locked = (await alert.InnerTextAsync()).Trim();
        Assert.Contains("compte bloqué", locked);
        Assert.Equal(wrongPassword, locked);

        // Still not signed in.
        await page.GotoAsync("/admin");
        await Expect(page).ToHaveURLAsync(PathIs("/account/login"));
    }
}
