using System.Net;
using AngleSharp.Html.Parser;
using CmPortal.Core.Events;
using CmPortal.Core.Notifications;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Fixtures.ProbeBase;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// In-portal notifications: a module's event handler notifies a member; the bell of the admin pages counts what
/// they have not read, the notifications page lists it in their language; nobody else sees or touches it.
/// </summary>
public sealed class NotificationTests
{
    private const string Reviewer = "chloe@example.test";
    private const string Colleague = "malik@example.test";

    private static async Task<PortalHost> StartAsync()
    {
        var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Maison Alpha" });
        await host.ApplyRecipeAsync("""{ "name": "a", "steps": [ { "step": "workspace", "key": "alpha", "name": "Maison Alpha" }, { "step": "modules", "enable": ["ProbeBase"] } ] }""");
        await host.ApplyRecipeAsync("""{ "name": "b", "steps": [ { "step": "workspace", "key": "beta", "name": "Beta" } ] }""");
        await host.AddMemberAsync(Reviewer, "alpha", DefaultRoles.Contributor);
        await host.AddMemberAsync(Colleague, "alpha", DefaultRoles.Contributor);
        return host;
    }

    private static Task<T> InWorkspaceAsync<T>(PortalHost host, string key, Func<IServiceProvider, Task<T>> work) => host.InScopeAsync(async services =>
    {
        services.GetRequiredService<WorkspaceContext>().Set(await services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Key == key));
        return await work(services);
    });

    private static Task<Guid> UserIdAsync(PortalHost host, string email) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    /// <summary>The calendar's way: an event of the workspace, whose handler notifies the reviewer after the commit.</summary>
    private static async Task RequestReviewAsync(PortalHost host, string reviewer, string title)
    {
        var reviewerId = await UserIdAsync(host, reviewer);
        await InWorkspaceAsync(host, "alpha", async s =>
        {
            await s.GetRequiredService<IModuleEvents>().RaiseAsync(new ProbeReviewRequested(reviewerId, "Léa Martin", title, new DateOnly(2026, 11, 30), "/admin/alpha/probe/notes"));
            return 0;
        });
        await host.Services.GetRequiredService<ModuleEventDispatcher>().DrainAsync();
    }

    private static string Bell(string html) => new HtmlParser().ParseDocument(html).QuerySelector("#notification-bell")!.TextContent.Trim();

    [Fact]
    public async Task A_notification_shows_with_its_count_to_its_user_only_translated_at_display_time()
    {
        await using var host = await StartAsync();
        await RequestReviewAsync(host, Reviewer, "Soldes d'hiver <b>-30 %</b>");
        await RequestReviewAsync(host, Reviewer, "Nouvelle collection");

        using var reviewer = await host.SignInAsync(Reviewer, MemberHostExtensions.MemberPassword);
        var home = await reviewer.GetStringAsync("/admin");
        Assert.Contains("2", Bell(home));
        Assert.Contains("2 notifications non lues", Bell(home));
        var page = new HtmlParser().ParseDocument(await reviewer.GetStringAsync("/admin/notifications"));
        var items = page.QuerySelectorAll("[data-notification]");
        Assert.Equal(2, items.Length);
        // Newest first; the title is a value (shown as typed, encoded), the template is French; the date the French way.
        Assert.Equal("Léa Martin vous demande de relire « Nouvelle collection » avant le 30 novembre 2026.", items[0].QuerySelector(".notification-text")!.TextContent.Plain());
        Assert.Equal("Léa Martin vous demande de relire « Soldes d'hiver <b>-30 %</b> » avant le 30 novembre 2026.", items[1].QuerySelector(".notification-text")!.TextContent.Plain());
        Assert.All(items, i => Assert.Contains("Maison Alpha", i.TextContent));
        Assert.All(items, i => Assert.Equal("false", i.GetAttribute("data-read")));

        // The same notification in English for a reader who chose English.
        await reviewer.PostFormAsync("/account/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/admin" }, "/admin");
        var english = new HtmlParser().ParseDocument(await reviewer.GetStringAsync("/admin/notifications"));
        Assert.Equal("Léa Martin asks you to review \"Nouvelle collection\" before November 30, 2026.", english.QuerySelector("[data-notification] .notification-text")!.TextContent.Plain());

        // The colleague of the same workspace has none.
        using var colleague = await host.SignInAsync(Colleague, MemberHostExtensions.MemberPassword);
        Assert.Equal("Notifications", Bell(await colleague.GetStringAsync("/admin")));
        var theirs = await colleague.GetStringAsync("/admin/notifications");
        Assert.Contains("id=\"no-notifications\"", theirs);
        Assert.DoesNotContain("Nouvelle collection", theirs);

        // Opening one marks it read and leads to its page; "mark all as read" clears the count.
        var first = items[0].GetAttribute("data-notification")!;
        ResponseAssert.AssertRedirect(await reviewer.PostFormAsync($"/admin/notifications/{first}/open", [], "/admin/notifications"), "/admin/alpha/probe/notes");
        Assert.Contains("1 unread notification", Bell(await reviewer.GetStringAsync("/admin")));
        ResponseAssert.AssertRedirect(await reviewer.PostFormAsync("/admin/notifications/read", [], "/admin/notifications"), "/admin/notifications");
        var read = await reviewer.GetStringAsync("/admin/notifications");
        Assert.Equal("Notifications", Bell(read));
        Assert.DoesNotContain("data-read=\"false\"", read);
    }

    [Fact]
    public async Task Nobody_can_open_or_mark_read_someone_elses_notification_and_a_member_who_leaves_loses_the_workspaces_notifications()
    {
        await using var host = await StartAsync();
        await RequestReviewAsync(host, Reviewer, "Calendrier de décembre");
        var id = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Notifications.Select(n => n.Id).SingleAsync());

        using var colleague = await host.SignInAsync(Colleague, MemberHostExtensions.MemberPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.PostFormAsync($"/admin/notifications/{id}/open", [], "/admin/notifications")).StatusCode);
        await colleague.PostFormAsync("/admin/notifications/read", [], "/admin/notifications");
        // Not even a host administrator reads it for them.
        using var admin = await host.SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync($"/admin/notifications/{id}/open", [], "/admin/notifications")).StatusCode);
        await admin.PostFormAsync("/admin/notifications/read", [], "/admin/notifications");
        Assert.DoesNotContain("Calendrier de décembre", await admin.GetStringAsync("/admin/notifications"));
        // Without the form's token, nothing is marked.
        using var reviewer = await host.SignInAsync(Reviewer, MemberHostExtensions.MemberPassword);
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.SendWithoutTokenAsync("POST", "/admin/notifications/read")).StatusCode);
        Assert.Contains("1 notification non lue", Bell(await reviewer.GetStringAsync("/admin")));

        // Leaving the workspace takes its notifications away; someone who is not a member is not notified.
        var membership = await host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CoreDbContext>();
            var reviewerId = await db.Users.Where(u => u.Email == Reviewer).Select(u => u.Id).SingleAsync();
            return await db.Memberships.Where(m => m.UserId == reviewerId).Select(m => m.Id).SingleAsync();
        });
        ResponseAssert.AssertRedirect(await admin.PostFormAsync($"/admin/alpha/members/{membership}/remove", [], "/admin/alpha/members"), "/admin/alpha/members");
        await RequestReviewAsync(host, Reviewer, "Après son départ");
        Assert.Equal(0, await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Notifications.CountAsync()));
    }

    [Theory]
    [InlineData("https://evil.test/admin/alpha")]
    [InlineData("//evil.test/admin/alpha")]
    [InlineData("/\\evil.test")]
    [InlineData("/admin//evil.test")]
    [InlineData("/alpha/charte")]
    [InlineData("admin/alpha")]
    [InlineData("javascript:alert(1)")]
    public async Task A_notification_leads_only_to_an_admin_page_of_the_portal(string url)
    {
        await using var host = await StartAsync();
        var colleagueId = await UserIdAsync(host, Colleague);
        await Assert.ThrowsAsync<ArgumentException>(() => InWorkspaceAsync(host, "alpha", async s =>
        {
            await s.GetRequiredService<INotifier>().NotifyAsync([colleagueId], new Notification("ProbeBase", "test", "Probe notes", [], url));
            return 0;
        }));

        // A row that says otherwise (written by hand in the database) still leads no further than the notifications page.
        await InWorkspaceAsync(host, "alpha", async s =>
        {
            await s.GetRequiredService<INotifier>().NotifyAsync([colleagueId], new Notification("ProbeBase", "test", "Probe notes", [], "/admin/alpha"));
            var db = s.GetRequiredService<CoreDbContext>();
            return await db.Notifications.ExecuteUpdateAsync(u => u.SetProperty(n => n.Url, url));
        });
        var id = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Notifications.Select(n => n.Id).SingleAsync());
        using var colleague = await host.SignInAsync(Colleague, MemberHostExtensions.MemberPassword);
        ResponseAssert.AssertRedirect(await colleague.PostFormAsync($"/admin/notifications/{id}/open", [], "/admin/notifications"), "/admin/notifications");
    }
}

internal static class NotificationText
{
    /// <summary>The text with its no-break spaces (French punctuation, dates) as plain spaces, to compare with what a reader sees.</summary>
    public static string Plain(this string text) => text.Replace('\u00a0', ' ').Replace('\u202f', ' ');
}
