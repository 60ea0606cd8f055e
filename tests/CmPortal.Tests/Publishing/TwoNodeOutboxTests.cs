using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>Two portals on one PostgreSQL database share the outbox: every delivery goes out once, none is lost, both work.</summary>
public sealed class TwoNodeOutboxTests
{
    [Fact]
    public async Task Two_dispatchers_on_one_database_send_500_deliveries_with_no_duplicate_no_loss_and_each_takes_a_share()
    {
        var server = new TestNetworkServer { Delay = TimeSpan.FromMilliseconds(5) };
        await using var first = await PublishingTestHost.StartAsync(server, Provider.Postgres,
            new() { ["Publishing:BatchSize"] = "16", ["Publishing:LeaseSeconds"] = "30" });
        await using var second = first.StartAnotherNode();
        try
        {
            // One post on 500 channels: 500 deliveries, due at once.
            for (var i = 0; i < 500; i++) await first.ConnectTestChannelAsync($"Compte {i:000}");
            var post = await first.ScheduleAsync("Cinq cents comptes");
            await first.PublishNowAsync(post);

            var deliveries = await first.SettledAsync(post, TimeSpan.FromMinutes(3));
            Assert.Equal(500, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal(DeliveryState.Published, d.State));
            var keys = server.Published.Select(p => p.Key).ToList();
            Assert.Equal(500, keys.Count);                   // no duplicate
            Assert.Equal(500, keys.Distinct().Count());
            Assert.Equal(deliveries.Select(d => d.DeliveryKey).Order(), keys.Order()); // none lost
            var a = first.Services.GetRequiredService<OutboxDispatcher>().Claimed;
            var b = second.Services.GetRequiredService<OutboxDispatcher>().Claimed;
            Assert.True(a > 0 && b > 0, $"Each node takes a share: {a} and {b}.");
            Assert.Equal(500, a + b);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
