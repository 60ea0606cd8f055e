using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// Deliveries staged before their instant (<see cref="OutboxStager"/>): prepared ahead, they still go out as the post
/// is at the instant, never before it, not at all once canceled, and once after a node died between staging and sending.
/// </summary>
public sealed class StagedOutboxTests
{
    private static readonly string W = PublishingTestHost.Workspace;

    /// <summary>A post two hours ahead, planned, its delivery made due in <paramref name="lead"/> (as a post due then would be).</summary>
    private static async Task<(Guid Post, DateTime Due)> DueSoonAsync(PortalHost host, string text, TimeSpan lead)
    {
        var post = await host.ScheduleAsync(text);
        await host.PlanAsync();
        var due = DateTime.UtcNow + lead;
        due = new DateTime(due.Ticks - due.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
        await host.InWorkspaceAsync(W, s => s.GetRequiredService<PublishingDbContext>().Deliveries.Where(d => d.PostId == post)
            .ExecuteUpdateAsync(x => x.SetProperty(d => d.DueUtc, due)));
        return (post, due);
    }

    private static Task<PortalHost> StartAsync(TestNetworkServer server) =>
        PublishingTestHost.StartAsync(server, settings: new() { ["Publishing:DispatcherEnabled"] = "false", ["Publishing:StageAheadSeconds"] = "90" });

    [Fact]
    public async Task A_staged_delivery_is_not_sent_before_its_instant_then_goes_once_and_the_post_is_marked_published()
    {
        var server = new TestNetworkServer();
        await using var host = await StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync("Compte principal");
        await host.ConnectTestChannelAsync("Compte boutique");
        var (post, due) = await DueSoonAsync(host, "À l’heure dite, pas avant.", TimeSpan.FromSeconds(4));
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();

        Assert.Equal(2, await dispatcher.Stager.StageAsync(default));
        Assert.All(await host.DeliveriesAsync(post), d =>
        {
            Assert.Equal(DeliveryState.Pending, d.State); // still cancelable by a person
            Assert.Equal(dispatcher.Node, d.LeaseOwner);
            Assert.Equal(0, d.Attempts);
        });
        Assert.Equal(0, await dispatcher.RunOnceAsync(default)); // the one-by-one path leaves staged deliveries alone

        var sending = dispatcher.Stager.SendDueAsync(default);
        DateTime? firstSeen = null;
        while (!sending.IsCompleted)
        {
            if (firstSeen is null && !server.Calls.IsEmpty) firstSeen = DateTime.UtcNow;
            await Task.Delay(10);
        }
        Assert.Equal(2, await sending);
        Assert.True(firstSeen is null || firstSeen >= due, $"sent at {firstSeen:O}, due at {due:O}");
        Assert.True(DateTime.UtcNow >= due);

        var deliveries = await host.DeliveriesAsync(post);
        Assert.All(deliveries, d =>
        {
            Assert.Equal(DeliveryState.Published, d.State);
            Assert.Equal("id-" + d.DeliveryKey, d.RemoteId);
            Assert.Equal(1, d.Attempts);
            Assert.Null(d.LeaseOwner);
            Assert.True(d.PublishedUtc >= due);
        });
        Assert.Equal(2, server.Published.Count);
        Assert.All(server.Published, p => Assert.Equal("À l’heure dite, pas avant.", p.Text));
        foreach (var delivery in deliveries)
        {
            var attempt = Assert.Single(await host.AttemptsAsync(delivery.Id));
            Assert.Equal("Published", attempt.Outcome);
            Assert.True(attempt.StartedUtc >= due);
            Assert.NotNull(attempt.FinishedUtc);
        }
        await host.PostBecomesAsync(post, PostState.Published);
    }

    [Fact]
    public async Task A_staged_delivery_whose_post_is_edited_before_its_instant_goes_out_with_the_new_text()
    {
        var server = new TestNetworkServer();
        await using var host = await StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync();
        var (post, _) = await DueSoonAsync(host, "Premier jet", TimeSpan.FromSeconds(3));
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();
        Assert.Equal(1, await dispatcher.Stager.StageAsync(default));

        await host.InWorkspaceAsync(W, async s =>
        {
            var posts = s.GetRequiredService<PostService>();
            var found = (await posts.FindAsync(post))!;
            var actor = PostActor.System("Tests");
            var outcome = await posts.UpdateAsync(post, found.Version, posts.InputOf(found) with { Text = "Texte relu et corrigé" }, actor);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            while ((await posts.FindAsync(post))! is { State: not PostState.Scheduled } current)
                Assert.True((await posts.TransitionAsync(post, current.Version,
                    current.State == PostState.Approved ? PostState.Scheduled : PostState.Approved, actor)).Succeeded);
            return 0;
        });

        // At the instant the post's version differs: the staged request is dropped and the one-by-one path reads the post now.
        Assert.Equal(0, await dispatcher.Stager.SendDueAsync(default));
        Assert.Empty(server.Calls);
        await dispatcher.RunOnceAsync(default);

        Assert.Equal(DeliveryState.Published, Assert.Single(await host.DeliveriesAsync(post)).State);
        Assert.Equal("Texte relu et corrigé", Assert.Single(server.Published).Text);
    }

    [Fact]
    public async Task A_staged_delivery_of_a_deleted_post_or_canceled_by_a_person_is_never_sent()
    {
        var server = new TestNetworkServer();
        await using var host = await StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync();
        var (deleted, _) = await DueSoonAsync(host, "Supprimé avant l’heure", TimeSpan.FromSeconds(3));
        var (canceled, _) = await DueSoonAsync(host, "Annulé avant l’heure", TimeSpan.FromSeconds(3));
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();
        Assert.Equal(2, await dispatcher.Stager.StageAsync(default));

        await host.InWorkspaceAsync(W, async s =>
        {
            var posts = s.GetRequiredService<PostService>();
            Assert.True((await posts.DeleteAsync(deleted, (await posts.FindAsync(deleted))!.Version, PostActor.System("Tests"))).Succeeded);
            var delivery = await s.GetRequiredService<PublishingDbContext>().Deliveries.SingleAsync(d => d.PostId == canceled);
            var outcome = await s.GetRequiredService<DeliveryService>().CancelAsync(delivery.Id, "Plus d’actualité", default);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return 0;
        });

        Assert.Equal(0, await dispatcher.Stager.SendDueAsync(default));
        await dispatcher.RunOnceAsync(default);
        Assert.Empty(server.Calls);
        var gone = Assert.Single(await host.DeliveriesAsync(deleted));
        Assert.Equal(DeliveryState.Canceled, gone.State);
        Assert.Equal(OutboxPlanner.CanceledPostGone, gone.CanceledReason);
        var byPerson = Assert.Single(await host.DeliveriesAsync(canceled));
        Assert.Equal(DeliveryState.Canceled, byPerson.State);
        Assert.Equal("Plus d’actualité", byPerson.CanceledReason);
        Assert.Equal(0, byPerson.Attempts);
    }

    [Fact]
    public async Task A_delivery_staged_by_a_node_that_died_is_sent_once_by_another_when_the_lease_runs_out()
    {
        var server = new TestNetworkServer();
        await using var host = await StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync();
        var (post, due) = await DueSoonAsync(host, "Préparé puis orphelin", TimeSpan.FromSeconds(2));
        // The node that stages it dies before the instant (it never sends); another node runs on.
        var dead = ActivatorUtilities.CreateInstance<OutboxDispatcher>(host.Services);
        Assert.Equal(1, await dead.Stager.StageAsync(default));
        var other = host.Services.GetRequiredService<OutboxDispatcher>();
        Assert.Equal(0, await other.Stager.StageAsync(default)); // staged once

        while (DateTime.UtcNow < due.AddMilliseconds(300)) await Task.Delay(50);
        Assert.Equal(0, await other.RunOnceAsync(default)); // due, but the dead node's lease (due + 2 s) still holds
        var lease = Assert.Single(await host.DeliveriesAsync(post)).LeaseUntilUtc!.Value;
        while (DateTime.UtcNow <= lease.AddMilliseconds(100)) await Task.Delay(50);
        Assert.Equal(1, await other.RunOnceAsync(default));

        var delivery = Assert.Single(await host.DeliveriesAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        Assert.Equal(1, server.CountOf(delivery.DeliveryKey));
        Assert.Single(server.Calls);
        Assert.Equal(["Published"], (await host.AttemptsAsync(delivery.Id)).Select(a => a.Outcome));
    }
}
