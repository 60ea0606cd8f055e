using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// Deliveries staged before their instant (<see cref="OutboxStager"/>): prepared ahead, they still go out as the post
/// is at the instant, never before it, not at all once canceled, and once after a node died between staging and sending.
/// The portal runs on the tests' clock (<see cref="TestClock"/>, moved by hand): the instant is the clock's, not the
/// wall clock's, so a loaded machine or the planner's whole minute cannot make a delivery late or early here.
/// </summary>
public sealed class StagedOutboxTests
{
    private static readonly string W = PublishingTestHost.Workspace;

    /// <summary>Far enough ahead to be staged (more than a second), well within the 90 s staging looks ahead.</summary>
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(30);

    private readonly TestClock _clock = new(WholeMilliseconds(DateTimeOffset.UtcNow));

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private DateTime Now => _clock.GetUtcNow().UtcDateTime;

    /// <summary>Moves the portal's clock to <paramref name="instant"/> (plus <paramref name="after"/>).</summary>
    private void MoveTo(DateTime instant, TimeSpan after = default) => _clock.Advance(instant + after - Now);

    /// <summary>A post two hours ahead, planned, its delivery made due <see cref="Lead"/> from the clock's now (as a post due then would be).</summary>
    private async Task<(Guid Post, DateTime Due)> DueSoonAsync(PortalHost host, string text)
    {
        var post = await host.ScheduleAsync(text);
        await host.PlanAsync();
        var due = Now + Lead;
        await host.InWorkspaceAsync(W, s => s.GetRequiredService<PublishingDbContext>().Deliveries.Where(d => d.PostId == post)
            .ExecuteUpdateAsync(x => x.SetProperty(d => d.DueUtc, due)));
        return (post, due);
    }

    /// <summary>The portal with staging on, no dispatcher loop (the test steps it) and the tests' clock.</summary>
    private async Task<PortalHost> StartAsync(TestNetworkServer server)
    {
        var host = await PortalHost.StartAsync(Provider.Sqlite,
            PublishingTestHost.FastOutbox(new() { ["Publishing:DispatcherEnabled"] = "false", ["Publishing:StageAheadSeconds"] = "90" }), services =>
            {
                services.AddSingleton(server);
                services.AddScoped<IChannelNetwork, TestNetwork>();
                services.AddSingleton<TimeProvider>(_clock);
            });
        await host.SetUpAsync();
        return host;
    }

    [Fact]
    public async Task A_staged_delivery_is_not_sent_before_its_instant_then_goes_once_and_the_post_is_marked_published()
    {
        var server = new TestNetworkServer();
        await using var host = await StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync("Compte principal");
        await host.ConnectTestChannelAsync("Compte boutique");
        var (post, due) = await DueSoonAsync(host, "À l’heure dite, pas avant.");
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();

        Assert.Equal(2, await dispatcher.Stager.StageAsync(default));
        Assert.All(await host.DeliveriesAsync(post), d =>
        {
            Assert.Equal(DeliveryState.Pending, d.State); // still cancelable by a person
            Assert.Equal(dispatcher.Node, d.LeaseOwner);
            Assert.Equal(0, d.Attempts);
        });

        // A millisecond before the instant: nothing goes, by either path.
        MoveTo(due, -TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await dispatcher.Stager.SendDueAsync(default));
        Assert.Equal(0, await dispatcher.RunOnceAsync(default));
        Assert.Empty(server.Calls);

        // At the instant: the one-by-one path leaves staged deliveries alone (their lease holds), the stager sends them.
        MoveTo(due);
        Assert.Equal(0, await dispatcher.RunOnceAsync(default));
        Assert.Equal(2, await dispatcher.Stager.SendDueAsync(default));

        var deliveries = await host.DeliveriesAsync(post);
        Assert.All(deliveries, d =>
        {
            Assert.Equal(DeliveryState.Published, d.State);
            Assert.Equal("id-" + d.DeliveryKey, d.RemoteId);
            Assert.Equal(1, d.Attempts);
            Assert.Null(d.LeaseOwner);
            Assert.Equal(due, d.PublishedUtc);
        });
        Assert.Equal(2, server.Published.Count);
        Assert.All(server.Published, p => Assert.Equal("À l’heure dite, pas avant.", p.Text));
        foreach (var delivery in deliveries)
        {
            var attempt = Assert.Single(await host.AttemptsAsync(delivery.Id));
            Assert.Equal("Published", attempt.Outcome);
            Assert.Equal(due, attempt.StartedUtc);
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
        var (post, due) = await DueSoonAsync(host, "Premier jet");
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
        MoveTo(due);
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
        var (deleted, due) = await DueSoonAsync(host, "Supprimé avant l’heure");
        var (canceled, _) = await DueSoonAsync(host, "Annulé avant l’heure");
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

        MoveTo(due);
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
        var (post, due) = await DueSoonAsync(host, "Préparé puis orphelin");
        // The node that stages it dies before the instant (it never sends); another node runs on.
        var dead = ActivatorUtilities.CreateInstance<OutboxDispatcher>(host.Services);
        Assert.Equal(1, await dead.Stager.StageAsync(default));
        var other = host.Services.GetRequiredService<OutboxDispatcher>();
        Assert.Equal(0, await other.Stager.StageAsync(default)); // staged once

        MoveTo(due, TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, await other.Stager.SendDueAsync(default)); // not the other node's to send
        Assert.Equal(0, await other.RunOnceAsync(default)); // due, but the dead node's lease (due + 2 s) still holds
        var lease = Assert.Single(await host.DeliveriesAsync(post)).LeaseUntilUtc!.Value;
        Assert.Equal(due + TimeSpan.FromSeconds(2), lease, TimeSpan.FromMilliseconds(5));
        MoveTo(lease, TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, await other.RunOnceAsync(default));

        var delivery = Assert.Single(await host.DeliveriesAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        Assert.Equal(1, server.CountOf(delivery.DeliveryKey));
        Assert.Single(server.Calls);
        Assert.Equal(["Published"], (await host.AttemptsAsync(delivery.Id)).Select(a => a.Outcome));
    }
}
