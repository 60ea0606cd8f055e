using System.Net;
using CmPortal.Core.Notifications;
using CmPortal.Core.Persistence;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// The outbox against the failures people meet with publishing tools (shared/FIELD.md): each is a test here. A post
/// goes out once, with proof; never twice after an unknown outcome; with the same key on every retry; never when it
/// was deleted or unscheduled; with the text as edited before the due time; and a stopped dispatcher shows.
/// </summary>
public sealed class OutboxTests
{
    private static readonly string W = PublishingTestHost.Workspace;

    [Fact]
    public async Task A_scheduled_post_goes_out_once_with_the_networks_proof_and_the_post_is_marked_published()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server);
        var channel = await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("Nouvelle collection : les bougies d’hiver.");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        Assert.Equal(channel, delivery.ChannelId);
        Assert.Equal("id-" + delivery.DeliveryKey, delivery.RemoteId);
        Assert.StartsWith("https://test.example/@lumen/", delivery.RemoteUrl);
        var sent = Assert.Single(server.Published);
        Assert.Equal("Nouvelle collection : les bougies d’hiver.", sent.Text);
        await host.PostBecomesAsync(post, PostState.Published);
        var attempt = Assert.Single(await host.AttemptsAsync(delivery.Id));
        Assert.Equal("Published", attempt.Outcome);
        Assert.NotNull(attempt.FinishedUtc);
    }

    [Fact]
    public async Task Publish_now_on_a_post_due_in_ten_days_sends_it_now_and_only_once()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("Avant-première : la collection de printemps.", ahead: NodaTime.Duration.FromDays(10));
        Assert.Empty(await host.DeliveriesAsync(post)); // beyond the 24 hours the outbox plans ahead

        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        Assert.Equal("Avant-première : la collection de printemps.", Assert.Single(server.Published).Text);
        await host.PostBecomesAsync(post, PostState.Published);
        await host.PlanAsync(); // the next minute's plan does not plan that occurrence again
        Assert.Single(await host.DeliveriesAsync(post));
    }

    [Fact]
    public async Task Planning_twice_makes_one_delivery_per_channel_and_a_post_naming_its_channels_goes_to_those_only()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server, settings: new() { ["Publishing:DispatcherEnabled"] = "false" });
        var first = await host.ConnectTestChannelAsync("Compte principal");
        var second = await host.ConnectTestChannelAsync("Compte boutique");
        var everywhere = await host.ScheduleAsync("Partout");
        var named = await host.ScheduleAsync("Seulement la boutique", channels: [second]);
        await host.PlanAsync();
        await host.PlanAsync();

        Assert.Equal(new[] { first, second }.Order(), (await host.DeliveriesAsync(everywhere)).Select(d => d.ChannelId).Order());
        Assert.Equal([second], (await host.DeliveriesAsync(named)).Select(d => d.ChannelId));
    }

    [Fact]
    public async Task After_an_unknown_outcome_that_did_go_out_the_delivery_is_reconciled_and_never_sent_twice()
    {
        var server = new TestNetworkServer();
        server.Then(TestAnswer.AcceptThenDrop);
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("Réponse perdue, post publié");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        Assert.Equal(1, server.CountOf(delivery.DeliveryKey));
        Assert.Single(server.Calls);
        Assert.Contains(delivery.DeliveryKey, server.Reconciled);
        Assert.Equal(["Unknown", "Found"], (await host.AttemptsAsync(delivery.Id)).Select(a => a.Outcome));
    }

    [Fact]
    public async Task Every_retry_carries_the_same_delivery_key_and_a_post_goes_out_after_the_network_asked_to_wait()
    {
        var server = new TestNetworkServer();
        server.Then(TestAnswer.RetryLater, TestAnswer.RetryLater, TestAnswer.Unknown);
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("Après trois essais");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        Assert.Equal(4, server.Calls.Count);
        Assert.All(server.Calls, c => Assert.Equal(delivery.DeliveryKey, c.Key));
        Assert.Equal([1, 2, 3, 4], server.Calls.Select(c => c.Attempt));
        Assert.Equal(1, server.CountOf(delivery.DeliveryKey));
        Assert.Equal(["RetryLater", "RetryLater", "Unknown", "NotFound"], (await host.AttemptsAsync(delivery.Id)).Take(4).Select(a => a.Outcome));
    }

    [Fact]
    public async Task A_refusal_fails_at_once_with_the_networks_words_the_author_is_told_and_the_post_is_marked_failed()
    {
        var server = new TestNetworkServer();
        server.Then(TestAnswer.Fail);
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("Trop long pour le réseau");
        await host.AddMemberAsync("cm@maison-lumen.test", W, Core.Security.DefaultRoles.CommunityManager);
        var authorId = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == "cm@maison-lumen.test").Select(u => u.Id).SingleAsync());
        await host.SetAuthorAsync(post, authorId, W);
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Failed, delivery.State);
        Assert.Equal(1, delivery.Attempts);
        Assert.Contains("Text character limit of 500 exceeded", delivery.LastError);
        Assert.Empty(server.Published);
        await host.PostBecomesAsync(post, PostState.Failed);
        var notes = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Notifications.Where(n => n.UserId == authorId && n.Kind == "delivery-failed").ToListAsync());
        var note = Assert.Single(notes);
        Assert.Equal("The post “{0}” could not be published on {1}: {2}", note.Template);
        // Told in the workspace's language, with the network's own words quoted inside (the log keeps them raw).
        var why = Assert.IsType<string>(Core.Notifications.NotificationValues.Deserialize(note.Values)[2]);
        Assert.Contains("a refusé le post (erreur 422)", why);
        Assert.Contains("Text character limit of 500 exceeded", why);
    }

    [Fact]
    public async Task An_answer_without_the_published_posts_id_is_a_failure_never_a_silent_success()
    {
        var server = new TestNetworkServer();
        server.Then(TestAnswer.PublishWithoutProof);
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("Sans preuve");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Failed, delivery.State);
        Assert.Equal(DeliverySender.NoProof, delivery.LastError);
        Assert.Null(delivery.RemoteId);
    }

    [Fact]
    public async Task A_network_that_keeps_asking_to_wait_ends_failed_after_the_maximum_attempts_never_silently_pending()
    {
        var server = new TestNetworkServer();
        server.Then(Enumerable.Repeat(TestAnswer.RetryLater, 10).ToArray());
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("Jamais accepté");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Failed, delivery.State);
        Assert.Equal(4, delivery.Attempts);
        Assert.StartsWith("Gave up after 4 attempts", delivery.LastError);
    }

    [Fact]
    public async Task A_post_deleted_or_unscheduled_after_planning_never_publishes()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server, settings: new() { ["Publishing:DispatcherEnabled"] = "false" });
        await host.ConnectTestChannelAsync();
        var deleted = await host.ScheduleAsync("Supprimé avant l’heure");
        var unscheduled = await host.ScheduleAsync("Déprogrammé avant l’heure");
        await host.PlanAsync();
        await host.PublishNowAsync(deleted);
        await host.PublishNowAsync(unscheduled);
        await host.InWorkspaceAsync(W, async s =>
        {
            var posts = s.GetRequiredService<PostService>();
            var actor = PostActor.System("Tests");
            Assert.True((await posts.DeleteAsync(deleted, (await posts.FindAsync(deleted))!.Version, actor)).Succeeded);
            Assert.True((await posts.TransitionAsync(unscheduled, (await posts.FindAsync(unscheduled))!.Version, PostState.Approved, actor)).Succeeded);
            return 0;
        });

        // The dispatcher reads the post at the last moment: both are canceled with the reason, nothing is sent.
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();
        await dispatcher.RunOnceAsync(default);
        foreach (var post in new[] { deleted, unscheduled })
        {
            var delivery = Assert.Single(await host.DeliveriesAsync(post));
            Assert.Equal(DeliveryState.Canceled, delivery.State);
            Assert.Equal(OutboxPlanner.CanceledPostGone, delivery.CanceledReason);
        }
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task The_planner_cancels_pending_deliveries_of_a_post_moved_away_and_plans_its_new_time()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server, settings: new() { ["Publishing:DispatcherEnabled"] = "false" });
        await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("Déplacé");
        await host.PlanAsync();
        var before = Assert.Single(await host.DeliveriesAsync(post));
        await host.InWorkspaceAsync(W, async s =>
        {
            var posts = s.GetRequiredService<PostService>();
            var found = (await posts.FindAsync(post))!;
            var later = PostRules.Format(PostRules.ParseStart(found.StartsLocal)!.Value.PlusHours(1));
            Assert.True((await posts.MoveAsync(post, found.Version, later, PostActor.System("Tests"))).Succeeded);
            return 0;
        });
        await host.PlanAsync();

        var deliveries = await host.DeliveriesAsync(post);
        Assert.Equal(DeliveryState.Canceled, deliveries.Single(d => d.Id == before.Id).State);
        Assert.Equal(before.OccurrenceUtc.AddHours(1), deliveries.Single(d => d.Id != before.Id).OccurrenceUtc);
    }

    [Fact]
    public async Task A_post_edited_before_its_due_time_goes_out_with_the_new_text()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server, settings: new() { ["Publishing:DispatcherEnabled"] = "false" });
        await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("Premier jet");
        await host.PlanAsync();
        await host.InWorkspaceAsync(W, async s =>
        {
            var posts = s.GetRequiredService<PostService>();
            var found = (await posts.FindAsync(post))!;
            var actor = PostActor.System("Tests");
            var outcome = await posts.UpdateAsync(post, found.Version, posts.InputOf(found) with { Text = "Texte relu et corrigé" }, actor);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            // The edit sent it back to review: approved again and scheduled again, as the team would.
            while ((await posts.FindAsync(post))! is { State: not PostState.Scheduled } current)
                Assert.True((await posts.TransitionAsync(post, current.Version,
                    current.State == PostState.Approved ? PostState.Scheduled : PostState.Approved, actor)).Succeeded);
            return 0;
        });
        await host.PublishNowAsync(post);
        await host.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(default);

        Assert.Equal(DeliveryState.Published, Assert.Single(await host.DeliveriesAsync(post)).State);
        Assert.Equal("Texte relu et corrigé", Assert.Single(server.Published).Text);
    }

    [Fact]
    public async Task A_paused_channel_keeps_its_deliveries_waiting_and_sends_them_when_resumed()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server, settings: new() { ["Publishing:DispatcherEnabled"] = "false" });
        var channel = await host.ConnectTestChannelAsync();
        var post = await host.ScheduleAsync("En pause");
        await host.PublishNowAsync(post);
        await host.InWorkspaceAsync(W, async s =>
        {
            var channels = s.GetRequiredService<Modules.Publishing.Channels.ChannelService>();
            Assert.True((await channels.PauseAsync(channel, (await channels.FindAsync(channel, default))!.Version, default)).Succeeded);
            return 0;
        });
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();
        await dispatcher.RunOnceAsync(default);
        Assert.Equal(DeliveryState.Pending, Assert.Single(await host.DeliveriesAsync(post)).State);

        await host.InWorkspaceAsync(W, async s =>
        {
            var channels = s.GetRequiredService<Modules.Publishing.Channels.ChannelService>();
            Assert.True((await channels.ResumeAsync(channel, (await channels.FindAsync(channel, default))!.Version, default)).Succeeded);
            return 0;
        });
        await dispatcher.RunOnceAsync(default);
        Assert.Equal(DeliveryState.Published, Assert.Single(await host.DeliveriesAsync(post)).State);
    }

    [Fact]
    public async Task A_stopped_dispatcher_shows_on_health_with_the_age_of_the_oldest_due_delivery()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server,
            settings: new() { ["Publishing:DispatcherEnabled"] = "false", ["Publishing:LateAfterSeconds"] = "1" });
        await host.ConnectTestChannelAsync();
        host.ExpectWarning("Health check publishing with status Degraded");
        using var client = host.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health"));

        var post = await host.ScheduleAsync("Personne ne l’envoie");
        await host.PublishNowAsync(post);
        await Task.Delay(1500);

        var health = await client.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode); // degraded: the node stays in its load balancer
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Accept.ParseAdd("application/json");
        var details = await (await client.Http.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("\"publishing\"", details);
        Assert.Matches("\"oldestDueSeconds\":\\s*[1-9]", details);
    }
}
