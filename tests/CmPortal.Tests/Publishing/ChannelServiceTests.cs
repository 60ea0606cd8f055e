using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>Channels: a wrong token is told, a secret is kept encrypted, a channel with deliveries waiting is not removed silently.</summary>
public sealed class ChannelServiceTests
{
    private static readonly string W = PublishingTestHost.Workspace;

    [Fact]
    public async Task A_wrong_token_is_refused_with_the_networks_reason_and_nothing_is_kept()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        var outcome = await host.InWorkspaceAsync(W, s => s.GetRequiredService<ChannelService>().ConnectAsync("test", "Mastodon",
            new Dictionary<string, string> { ["token"] = "wrong" }, null, default));
        Assert.Equal("The network refused this token.", Assert.Single(outcome.Problems).Template);
        Assert.DoesNotContain(await host.InWorkspaceAsync(W, s => s.GetRequiredService<ChannelService>().ListAsync(default)), c => c.Name == "Mastodon");
    }

    [Fact]
    public async Task The_secret_is_stored_encrypted_and_read_back_for_the_network()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        var id = await host.ConnectTestChannelAsync();
        var (stored, read) = await host.InWorkspaceAsync(W, async s =>
        {
            var channels = s.GetRequiredService<ChannelService>();
            var channel = (await channels.FindAsync(id, default))!;
            return (channel.ProtectedSecret, channels.SecretOf(channel));
        });
        Assert.DoesNotContain("good-token", stored);
        Assert.Equal("good-token", read);
    }

    [Fact]
    public async Task Removing_a_channel_with_deliveries_waiting_is_refused_with_the_list_or_moves_them_to_another_channel_of_the_network()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer(), settings: new() { ["Publishing:DispatcherEnabled"] = "false" });
        var old = await host.ConnectTestChannelAsync("Ancien compte");
        var post = await host.ScheduleAsync("En attente", channels: [old]);
        await host.PlanAsync();
        var replacement = await host.ConnectTestChannelAsync("Nouveau compte");

        var refused = await host.InWorkspaceAsync(W, async s =>
        {
            var channels = s.GetRequiredService<ChannelService>();
            return await channels.RemoveAsync(old, (await channels.FindAsync(old, default))!.Version, null, default);
        });
        Assert.False(refused.Succeeded);
        Assert.Equal(post, Assert.Single(refused.PendingDeliveries).PostId);
        Assert.Equal(1, Assert.Single(refused.Problems).Values[0]);

        var moved = await host.InWorkspaceAsync(W, async s =>
        {
            var channels = s.GetRequiredService<ChannelService>();
            return await channels.RemoveAsync(old, (await channels.FindAsync(old, default))!.Version, replacement, default);
        });
        Assert.True(moved.Succeeded, string.Join(" ", moved.Problems));
        var delivery = Assert.Single(await host.DeliveriesAsync(post));
        Assert.Equal(replacement, delivery.ChannelId);
        Assert.Equal(DeliveryState.Pending, delivery.State);
        Assert.Null(await host.InWorkspaceAsync(W, s => s.GetRequiredService<ChannelService>().FindAsync(old, default)));
    }
}
