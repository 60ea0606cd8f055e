using CmPortal.Core.Events;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// Two people approve a post in Chromium: the contributor submits, the community manager sees the bell, opens the
/// post and asks for changes; the contributor reads the notification and the comment, edits and resubmits; the
/// community manager approves and shares a preview link, opened in a fresh browser without an account.
/// </summary>
public sealed class ApprovalBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Key = "maison-lumen";

    [Fact]
    public async Task A_contributor_and_a_community_manager_go_through_changes_requested_then_approval_and_a_preview_link_opens_without_an_account()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("lea@lumen.test", Key, DefaultRoles.Contributor);
        await host.AddMemberAsync("chloe@lumen.test", Key, DefaultRoles.CommunityManager);
        Task DrainAsync() => host.Services.GetRequiredService<ModuleEventDispatcher>().DrainAsync();

        await using var leaContext = await chromium.NewContextAsync(host);
        var lea = await leaContext.NewPageAsync();
        await SignInAsync(lea, "lea@lumen.test", MemberHostExtensions.MemberPassword);
        await lea.GotoAsync($"/admin/{Key}/posts/new");
        await lea.FillAsync("#Text", "Atelier bougies : inscriptions ouvertes pour samedi.");
        await lea.FillAsync("#Date", "2031-03-22");
        await lea.FillAsync("#Time", "10:00");
        await lea.Locator("#post-form button.btn-primary").ClickAsync();
        await Expect(lea.Locator("#post-state")).ToHaveTextAsync("Brouillon");
        var postPath = new Uri(lea.Url).AbsolutePath;
        await lea.ClickAsync("button[name=to][value=InReview]");
        await Expect(lea.Locator("#post-state")).ToHaveTextAsync("En validation");
        await DrainAsync();

        // The community manager sees the bell's count, opens the notification and lands on the post.
        await using var chloeContext = await chromium.NewContextAsync(host);
        var chloe = await chloeContext.NewPageAsync();
        await SignInAsync(chloe, "chloe@lumen.test", MemberHostExtensions.MemberPassword);
        await Expect(chloe.Locator("#notification-bell")).ToContainTextAsync("1");
        await chloe.ClickAsync("#notification-bell");
        await Expect(chloe.Locator("[data-notification] .notification-text")).ToContainTextAsync("lea vous demande de relire la publication");
        await chloe.ClickAsync("[data-notification] button");
        await Expect(chloe).ToHaveURLAsync(PathIs(postPath));
        await chloe.FillAsync("#comment", "Ajoute l’heure de fin, s’il te plaît.");
        await chloe.ClickAsync("button[name=to][value=Draft]");
        await Expect(chloe.Locator("#post-state")).ToHaveTextAsync("Brouillon");
        await DrainAsync();

        // The contributor reads the notification and the comment, edits and resubmits.
        await lea.GotoAsync("/admin");
        await Expect(lea.Locator("#notification-bell")).ToContainTextAsync("1");
        await lea.GotoAsync("/admin/notifications");
        await Expect(lea.Locator("[data-notification] .notification-text")).ToContainTextAsync("Ajoute l’heure de fin, s’il te plaît.");
        await lea.ClickAsync("[data-notification] button");
        await Expect(lea.Locator("#comments")).ToContainTextAsync("Ajoute l’heure de fin");
        await ScreenshotAsync(lea, "approval-changes-requested");
        await lea.FillAsync("#Text", "Atelier bougies : inscriptions ouvertes pour samedi, de 10 h à 12 h.");
        // The editor sends each variant's box as typed: the Instagram one is edited too (the others keep the first text).
        await lea.FillAsync("#variant-instagram", "Atelier bougies : inscriptions ouvertes pour samedi, de 10 h à 12 h.");
        await lea.Locator("#post-form button.btn-primary").ClickAsync();
        await lea.ClickAsync("button[name=to][value=InReview]");
        await Expect(lea.Locator("#post-state")).ToHaveTextAsync("En validation");
        await DrainAsync();

        // The community manager approves, then shares the post with a decision maker who has no account.
        await chloe.GotoAsync("/admin");
        await Expect(chloe.Locator("#notification-bell")).ToContainTextAsync("1");
        await chloe.GotoAsync(postPath);
        await chloe.ClickAsync("button[name=to][value=Approved]");
        await Expect(chloe.Locator("#post-state")).ToHaveTextAsync("Validée");
        await chloe.ClickAsync("#share-form button");
        var url = await chloe.Locator("#preview-url").InputValueAsync();
        await DrainAsync();
        await lea.GotoAsync("/admin/notifications");
        await Expect(lea.Locator("[data-notification] .notification-text").First).ToContainTextAsync("chloe a validé votre publication");

        await using var stranger = await chromium.NewContextAsync(host);
        var visitor = await stranger.NewPageAsync();
        var response = await visitor.GotoAsync(new Uri(url).AbsolutePath);
        Assert.Equal(200, response!.Status);
        await Expect(visitor.Locator("[data-network=instagram] .preview-text")).ToContainTextAsync("de 10 h à 12 h");
        await Expect(visitor.Locator("[data-state]")).ToHaveTextAsync("Validée");
        await ScreenshotAsync(visitor, "approval-preview-1366");
        await visitor.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(visitor, "approval-preview-390");
    }
}
