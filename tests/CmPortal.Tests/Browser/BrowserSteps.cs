using System.Text.RegularExpressions;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>What a user does over and over: sign in, create a workspace, look at a page.</summary>
internal static class BrowserSteps
{
    public const string ScreenDirectory = "/tmp/cmportal-screens";

    /// <summary>A URL whose path is exactly <paramref name="path"/> (any query string).</summary>
    public static Regex PathIs(string path) => new($"^https?://[^/]+{Regex.Escape(path)}(\\?.*)?$");

    public static ILocator LoginForm(IPage page) => page.Locator("form[action='/account/login']");

    public static async Task SubmitLoginAsync(IPage page, string email, string password)
    {
        var form = LoginForm(page);
        await form.Locator("#Email").FillAsync(email);
        await form.Locator("#Password").FillAsync(password);
        await form.Locator("button").ClickAsync();
    }

    /// <summary>Signs in through the login page and waits for the admin.</summary>
    public static async Task SignInAsync(IPage page, string email = PortalHost.AdminEmail, string password = PortalHost.AdminPassword)
    {
        await page.GotoAsync("/account/login");
        await SubmitLoginAsync(page, email, password);
        await Expect(page).ToHaveURLAsync(PathIs("/admin"));
    }

    /// <summary>Creates a blank workspace with the form of /admin/workspaces/new; lands on its dashboard.</summary>
    public static async Task CreateWorkspaceAsync(IPage page, string key, string name)
    {
        await page.GotoAsync("/admin/workspaces/new");
        var form = page.Locator("form[action='/admin/workspaces/new']");
        await form.Locator("#Name").FillAsync(name);
        await form.Locator("#Key").FillAsync(key);
        await form.Locator("button").ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs($"/admin/{key}"));
        await Expect(page.Locator("main h1")).ToHaveTextAsync(name);
    }

    /// <summary>A full-page screenshot for a human to look at; not asserted.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenDirectory, name + ".png"), FullPage = true });
    }
}
