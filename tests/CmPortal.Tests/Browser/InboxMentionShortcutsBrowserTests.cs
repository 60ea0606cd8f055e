using System.Text.RegularExpressions;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// A mention's own page in Chromium, as a community manager works through a searched list without the mouse: the
/// counters count « Toutes » too, sources read « Mastodon » rather than « mastodon », the back link carries only the
/// filters set, j and k go to the next and previous mention of that list, ? shows the page's shortcuts, a and r reach
/// the assignee and the reply, typing a j in the reply goes nowhere, and h marks the mention handled.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxMentionShortcutsBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Inbox = "/admin/maison-lumen/inbox";

    [Fact]
    public async Task On_a_mention_j_and_k_follow_the_searched_list_and_h_a_r_and_the_help_work_but_not_while_typing()
    {
        await using var host = await PortalHost.StartSetUpAsync(); // the demo's mentions
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        await page.GotoAsync(Inbox);
        var all = page.Locator("#status-counters .nav-link").First;
        await Expect(all).ToHaveTextAsync(new Regex(@"^Toutes \d+$"));
        await page.FillAsync("#q", "livraison");
        await page.ClickAsync("form[role=search] .input-group button");
        var rows = page.Locator("#mentions > li");
        await Expect(rows.Nth(2)).ToBeVisibleAsync();
        await Expect(page.Locator("#mentions .mention-source").First).ToHaveTextAsync(new Regex("^(Mastodon|Bluesky|Flux RSS|API|Import CSV)( · .+)?$"));
        var ids = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");

        await rows.Nth(0).Locator("a.mention-open").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/inbox/{ids[0]}\\?"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "← Retour aux mentions" })).ToHaveAttributeAsync("href", $"{Inbox}?q=livraison");
        await Expect(page.Locator(".mention-source")).ToHaveTextAsync(new Regex("^(Mastodon|Bluesky|Flux RSS|API|Import CSV)"));
        await Expect(page.Locator("#mention-previous")).ToHaveCountAsync(0); // the first of the list

        await PressWhenReadyAsync(page, "j");
        await Expect(page).ToHaveURLAsync(new Regex($"/inbox/{ids[1]}\\?"));
        await PressWhenReadyAsync(page, "j");
        await Expect(page).ToHaveURLAsync(new Regex($"/inbox/{ids[2]}\\?"));
        await PressWhenReadyAsync(page, "k");
        await Expect(page).ToHaveURLAsync(new Regex($"/inbox/{ids[1]}\\?"));

        await PressWhenReadyAsync(page, "?");
        var help = page.Locator("#keyboard-shortcuts");
        await Expect(help).ToBeVisibleAsync();
        await Expect(help).ToContainTextAsync("Mention suivante de la liste");
        await Expect(help).ToContainTextAsync("Répondre\u00a0: aller à la réponse");
        Assert.Empty(await AccessibilityTests.SeriousViolationsAsync(page));
        await page.Keyboard.PressAsync("Escape");
        await Expect(help).ToBeHiddenAsync();

        await page.Keyboard.PressAsync("a");
        await Expect(page.Locator("#assigneeId")).ToBeFocusedAsync();
        await page.Locator("main h1").ClickAsync();
        await page.Keyboard.PressAsync("r");
        await Expect(page.Locator("#reply-text")).ToBeFocusedAsync();
        var url = page.Url;
        await page.Keyboard.PressAsync("Control+End");
        await page.Keyboard.TypeAsync(" jk");
        await Expect(page.Locator("#reply-text")).ToHaveValueAsync(new Regex(" jk$"));
        Assert.Equal(url, page.Url);

        await page.Locator("main h1").ClickAsync();
        await page.Keyboard.PressAsync("h");
        await Expect(page.Locator("main")).ToContainTextAsync("Statut enregistré.");
        await Expect(page.Locator("button[name=status][value=Handled]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page).ToHaveURLAsync(new Regex($"/inbox/{ids[1]}\\?"));
        await ScreenshotAsync(page, "inbox-mention-shortcuts");
        // Handled, it still knows its neighbours in the list it came from.
        await PressWhenReadyAsync(page, "j");
        await Expect(page).ToHaveURLAsync(new Regex($"/inbox/{ids[2]}\\?"));
    }

    /// <summary>Presses a key once the page's script listens: a key pressed while the next mention loads is lost, and
    /// the script shows the shortcuts button (hidden without it) once its keys are bound.</summary>
    private static async Task PressWhenReadyAsync(IPage page, string key)
    {
        await Expect(page.Locator("[data-shortcuts-help]")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync(key);
    }
}
