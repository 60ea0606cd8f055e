using System.Net;
using CmPortal.Core.Events;
using CmPortal.Core.Security;
using CmPortal.Modules.Inbox.Crisis;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// Crisis mode: a brand manager declares it with what is happening, every admin page of the workspace shows it, the
/// promotional posts that come due meanwhile are held (value posts still go), and after it is lifted a person sends
/// or cancels each held post — nothing goes out by itself.
/// </summary>
public sealed class CrisisModeTests
{
    private const string Workspace = "maison-lumen";
    private const string Crisis = "/admin/maison-lumen/inbox/crisis";

    private static Task DrainEventsAsync(PortalHost host) => host.Services.GetRequiredService<ModuleEventDispatcher>().DrainAsync();

    [Fact]
    public async Task A_brand_manager_declares_a_crisis_every_page_shows_it_until_it_is_lifted_and_a_community_manager_cannot_declare_one()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        Assert.Contains("Aucune crise en cours", await admin.GetStringAsync(Crisis));

        var empty = await admin.PostFormAsync(Crisis + "/declare", new() { ["reason"] = "  " }, tokenPage: Crisis);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.Contains("Dites en une phrase ce qui se passe", await empty.Content.ReadAsStringAsync());

        var declared = await admin.PostFormAsync(Crisis + "/declare",
            new() { ["reason"] = "Rappel de la lampe Opale : risque de surchauffe <b>signalé</b>" }, tokenPage: Crisis);
        Assert.Equal(HttpStatusCode.Redirect, declared.StatusCode);
        var dashboard = await admin.GetStringAsync("/admin/maison-lumen");
        Assert.Contains("data-banner=\"Crisis mode\"", dashboard);
        Assert.Contains("Rappel de la lampe Opale : risque de surchauffe &lt;b&gt;signalé&lt;/b&gt;", dashboard); // a member's words, encoded
        Assert.Contains("Les publications promotionnelles sont suspendues", await admin.GetStringAsync("/admin/maison-lumen/inbox"));

        var again = await admin.PostFormAsync(Crisis + "/declare", new() { ["reason"] = "Encore" }, tokenPage: Crisis);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        Assert.Contains("Une crise est déjà déclarée", await again.Content.ReadAsStringAsync());

        await host.AddMemberAsync("cm@lumen.test", Workspace, DefaultRoles.CommunityManager);
        using (var cm = await host.SignInAsync("cm@lumen.test", MemberHostExtensions.MemberPassword))
        {
            var page = await cm.GetStringAsync(Crisis);
            Assert.Contains("Seul un responsable de marque déclare ou lève une crise.", page);
            Assert.DoesNotContain("Lever la crise</button>", page);
            Assert.Contains("data-banner=\"Crisis mode\"", page);
            var open = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<CrisisService>().OpenAsync());
            var refused = await cm.PostFormAsync($"{Crisis}/{open!.Id}/lift", new() { ["version"] = open.Version.ToString() }, tokenPage: Crisis);
            Assert.StartsWith("/account/denied", new Uri(host.BaseAddress, refused.Headers.Location!).PathAndQuery); // the "access denied" page
            Assert.NotNull(await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<CrisisService>().OpenAsync()));
        }

        var crisis = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<CrisisService>().OpenAsync());
        var lifted = await admin.PostFormAsync($"{Crisis}/{crisis!.Id}/lift", new() { ["version"] = crisis.Version.ToString() }, tokenPage: Crisis);
        Assert.Equal(HttpStatusCode.Redirect, lifted.StatusCode);
        Assert.DoesNotContain("data-banner", await admin.GetStringAsync("/admin/maison-lumen"));
        var history = await admin.GetStringAsync(Crisis);
        Assert.Contains("Aucune crise en cours", history);
        Assert.Contains("Crises passées", history);
        Assert.Contains("Rappel de la lampe Opale", history);
    }

    [Fact]
    public async Task The_procedure_is_saved_shown_and_a_stale_edit_is_refused_without_losing_the_first()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var saved = await admin.PostFormAsync(Crisis + "/procedure",
            new() { ["procedure"] = "1. Appeler Claire (06 12 34 56 78)\n2. Suspendre les jeux-concours", ["version"] = "0" }, tokenPage: Crisis);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await admin.GetStringAsync(Crisis);
        Assert.Contains("1. Appeler Claire (06 12 34 56 78)", page);
        Assert.Contains("2. Suspendre les jeux-concours", page);

        var stale = await admin.PostFormAsync(Crisis + "/procedure", new() { ["procedure"] = "Autre chose", ["version"] = "0" }, tokenPage: Crisis);
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        page = await admin.GetStringAsync(Crisis);
        Assert.Contains("Quelqu’un a modifié ceci entre-temps", page);
        Assert.Contains("1. Appeler Claire", page);
        Assert.DoesNotContain("Autre chose", page);
    }

    [Fact]
    public async Task During_a_crisis_a_promotional_post_is_held_a_value_post_goes_and_after_the_crisis_the_held_post_goes_only_when_a_person_sends_it()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync();
        var actor = new CrisisActor(Guid.NewGuid(), "Inès");
        var declared = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<CrisisService>().DeclareAsync("Rappel produit", actor));
        Assert.True(declared.Succeeded);
        await DrainEventsAsync(host);

        var promotion = await host.ScheduleAsync("-20 % sur la collection Opale !", pillar: "Collections & offres");
        var value = await host.ScheduleAsync("Dans l’atelier : le soufflage du verre", pillar: "Savoir-faire & atelier");
        await host.PlanAsync();
        await host.PublishNowAsync(promotion);
        await host.PublishNowAsync(value);

        var held = Assert.Single(await host.SettledAsync(promotion));
        Assert.Equal(DeliveryState.Held, held.State);
        Assert.Contains("crise", held.LastError);
        Assert.Equal(DeliveryState.Published, Assert.Single(await host.SettledAsync(value)).State);
        Assert.Equal(["Dans l’atelier : le soufflage du verre"], server.Published.Select(p => p.Text));

        var open = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<CrisisService>().OpenAsync());
        Assert.True((await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<CrisisService>().LiftAsync(open!.Id, open.Version, actor))).Succeeded);
        await DrainEventsAsync(host);
        await Task.Delay(500); // the dispatcher polls every 50 ms: a held post must not go out by itself
        Assert.Equal(DeliveryState.Held, Assert.Single(await host.DeliveriesAsync(promotion)).State);
        Assert.Single(server.Published);

        await host.InWorkspaceAsync(Workspace, async s => { Assert.True((await s.GetRequiredService<DeliveryService>().RetryAsync(held.Id, default)).Succeeded); return 0; });
        Assert.Equal(DeliveryState.Published, Assert.Single(await host.SettledAsync(promotion)).State);
        Assert.Equal(1, server.Published.Count(p => p.Text == "-20 % sur la collection Opale !"));
    }

    [Fact]
    public async Task A_person_may_send_a_held_post_during_the_crisis_and_it_is_not_held_again()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync();
        Assert.True((await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<CrisisService>()
            .DeclareAsync("Bad buzz", new CrisisActor(Guid.NewGuid(), "Inès")))).Succeeded);
        await DrainEventsAsync(host);
        var promotion = await host.ScheduleAsync("Nouvelle collection", pillar: "Collections & offres");
        await host.PlanAsync();
        await host.PublishNowAsync(promotion);
        var held = Assert.Single(await host.SettledAsync(promotion));
        Assert.Equal(DeliveryState.Held, held.State);

        await host.InWorkspaceAsync(Workspace, async s => { Assert.True((await s.GetRequiredService<DeliveryService>().RetryAsync(held.Id, default)).Succeeded); return 0; });
        Assert.Equal(DeliveryState.Published, Assert.Single(await host.SettledAsync(promotion)).State);
        Assert.Equal(["Nouvelle collection"], server.Published.Select(p => p.Text));
    }
}
