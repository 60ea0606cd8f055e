using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Tests.Publishing;

/// <summary>A portal with the demo workspace, publishing on, the test network registered and the outbox's waits shortened.</summary>
internal static class PublishingTestHost
{
    public const string Workspace = "maison-lumen";

    public static Dictionary<string, string?> FastOutbox(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Publishing:PollMilliseconds"] = "50",
            ["Publishing:RetryBaseSeconds"] = "0.05",
            ["Publishing:MaxRetryDelaySeconds"] = "0.2",
            ["Publishing:LeaseSeconds"] = "2",
            ["Publishing:MaxAttempts"] = "4",
        };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    public static async Task<PortalHost> StartAsync(TestNetworkServer server, Provider provider = Provider.Sqlite, Dictionary<string, string?>? settings = null)
    {
        var host = await PortalHost.StartAsync(provider, FastOutbox(settings), services =>
        {
            services.AddSingleton(server);
            services.AddScoped<IChannelNetwork, TestNetwork>();
        });
        await host.SetUpAsync();
        return host;
    }

    /// <summary>
    /// Removes the channels the demo recipe connects (its blog and its manual Instagram channel), for a test that
    /// connects its own and counts what the page or the outbox does with them alone.
    /// </summary>
    public static Task WithoutDemoChannelsAsync(this PortalHost host) =>
        host.InWorkspaceAsync(Workspace, async s =>
        {
            var channels = s.GetRequiredService<ChannelService>();
            foreach (var channel in await channels.ListAsync(default))
            {
                var outcome = await channels.RemoveAsync(channel.Id, channel.Version, null, default);
                Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            }
            return 0;
        });

    public static Task<Guid> ConnectTestChannelAsync(this PortalHost host, string name = "Mastodon de test", string network = "mastodon") =>
        host.InWorkspaceAsync(Workspace, async s =>
        {
            var outcome = await s.GetRequiredService<ChannelService>().ConnectAsync("test", name,
                new Dictionary<string, string> { ["token"] = "good-token", ["network"] = network }, null, default);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return outcome.Channel!.Id;
        });

    /// <summary>A post scheduled two hours from now on <paramref name="networks"/>, written by <paramref name="author"/>.</summary>
    public static async Task<Guid> ScheduleAsync(this PortalHost host, string text, string[]? networks = null, IReadOnlyList<Guid>? channels = null,
        Duration? ahead = null, string? pillar = null)
    {
        var start = await host.InWorkspaceAsync(Workspace, s =>
        {
            var zone = s.GetRequiredService<PostService>().Zone;
            var local = SystemClock.Instance.GetCurrentInstant().Plus(ahead ?? Duration.FromHours(2)).InZone(zone).LocalDateTime;
            return Task.FromResult(PostRules.Format(local));
        });
        return await host.CreatePostAsync(new PostInput
        {
            Text = text, Networks = networks ?? ["mastodon"], StartsAt = start, Channels = channels ?? [], Pillar = pillar,
        }, PostState.Scheduled, Workspace);
    }

    /// <summary>"Publish now" on the post, as the button does: its deliveries become due at once.</summary>
    public static Task PublishNowAsync(this PortalHost host, Guid postId) =>
        host.InWorkspaceAsync(Workspace, async s =>
        {
            var outcome = await s.GetRequiredService<DeliveryService>().PublishNowAsync(postId, default);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return 0;
        });

    public static Task PlanAsync(this PortalHost host) =>
        host.InWorkspaceAsync(Workspace, async s => { await s.GetRequiredService<OutboxPlanner>().PlanAsync(default); return 0; });

    public static Task<List<Delivery>> DeliveriesAsync(this PortalHost host, Guid postId) =>
        host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<PublishingDbContext>().Deliveries.AsNoTracking().Where(d => d.PostId == postId).ToListAsync());

    public static Task<List<DeliveryAttempt>> AttemptsAsync(this PortalHost host, Guid deliveryId) =>
        host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<PublishingDbContext>().Attempts.AsNoTracking()
            .Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.StartedUtc).ToListAsync());

    /// <summary>Waits until the calendar shows the post in <paramref name="state"/> (publishing tells it just after the delivery settles).</summary>
    public static async Task PostBecomesAsync(this PortalHost host, Guid postId, PostState state)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await host.FindPostAsync(postId, Workspace)).State != state)
        {
            if (DateTime.UtcNow > until) Assert.Equal(state, (await host.FindPostAsync(postId, Workspace)).State);
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until every delivery of the post is in a state the dispatcher leaves alone (or fails the test).</summary>
    public static async Task<List<Delivery>> SettledAsync(this PortalHost host, Guid postId, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var deliveries = await host.DeliveriesAsync(postId);
            if (deliveries.Count > 0 && deliveries.All(d => d.State is DeliveryState.Published or DeliveryState.Failed or DeliveryState.Canceled or DeliveryState.AwaitingPerson or DeliveryState.Held))
                return deliveries;
            if (DateTime.UtcNow > until)
                throw new TimeoutException("Deliveries not settled: " + string.Join(", ", deliveries.Select(d => $"{d.State} after {d.Attempts} attempts ({d.LastError})")));
            await Task.Delay(50);
        }
    }
}
