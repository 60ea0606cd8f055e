using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Networks.Bluesky;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing.Bluesky;

/// <summary>The portal itself offers the Bluesky network to the outbox, with its HttpClient.</summary>
public sealed class BlueskyRegistrationTests
{
    [Fact]
    public async Task The_portal_registers_the_bluesky_network_and_its_http_client()
    {
        await using var host = await PortalHost.StartAsync();
        await using var scope = host.Services.CreateAsyncScope();

        var network = Assert.Single(scope.ServiceProvider.GetServices<IChannelNetwork>(), n => n.Kind == "bluesky");
        Assert.IsType<BlueskyNetwork>(network);
        var http = scope.ServiceProvider.GetRequiredService<IHttpClientFactory>().CreateClient(BlueskyClient.HttpClientName);
        Assert.Equal(BlueskyNetwork.RequestTimeout, http.Timeout);
    }
}
