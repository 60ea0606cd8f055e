using CmPortal.Modules.Inbox.Sources.Bluesky;
using CmPortal.Modules.Inbox.Sources.Mastodon;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Networks.Bluesky;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing;
using CmPortal.Tests.Publishing.Bluesky;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>A connected channel's session, as Publishing gives it to the inbox (IChannelSessions), used to listen.</summary>
public sealed class ListeningSessionsTests
{
    private static ChannelSessions Sessions(ServiceProvider services) =>
        new(null!, null!, services.GetRequiredService<BlueskySessions>(), services.GetRequiredService<IHttpClientFactory>());

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        BlueskyNetwork.Register(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_bluesky_channel_s_session_reads_its_mentions_and_is_renewed_and_kept_once_expired()
    {
        await using var server = await BlueskyTestServer.StartAsync();
        server.AddAccount("lumen.bsky.social", "app-pass-1234");
        using var channels = new BlueskyChannels();
        var channel = await channels.ConnectChannelAsync(server.Url, "lumen.bsky.social", "app-pass-1234");
        await using var services = Services();
        var listening = new BlueskyListening(ListeningFactory.Real(), TimeProvider.System);
        server.SeedNotification("lumen.bsky.social", "mention",
            server.SeedPost("lea.bsky.social", "@lumen.bsky.social bravo", DateTimeOffset.UtcNow));

        var session = await Sessions(services).SessionOfAsync(channel.Account, renew: false, CancellationToken.None);
        Assert.Equal(BlueskyNetwork.NetworkKind, session!.Kind);
        var poll = await listening.NotificationsAsync(new BlueskyAccess(session.BaseUrl.ToString(), session.AccessToken), null, CancellationToken.None);
        Assert.Single(poll.Items);

        server.ExpireAccessTokens();
        var expired = await listening.NotificationsAsync(new BlueskyAccess(session.BaseUrl.ToString(), session.AccessToken), null, CancellationToken.None);
        Assert.NotNull(expired.Error);
        var renewed = await Sessions(services).SessionOfAsync(channel.Account, renew: true, CancellationToken.None);
        Assert.NotEqual(session.AccessToken, renewed!.AccessToken);
        Assert.Equal(1, channel.SecretSaves);
        poll = await listening.NotificationsAsync(new BlueskyAccess(renewed.BaseUrl.ToString(), renewed.AccessToken), null, CancellationToken.None);
        Assert.True(poll.Succeeded, poll.Error?.ToString());

        server.RevokeRefreshTokens();
        server.ChangeAppPassword("lumen.bsky.social", "another-pass");
        Assert.Null(await Sessions(services).SessionOfAsync(channel.Account, renew: true, CancellationToken.None));
    }

    [Fact]
    public async Task A_mastodon_channel_s_session_is_its_instance_and_token()
    {
        await using var server = await MastodonTestServer.StartAsync();
        var (account, token) = server.AddAccount("lumen");
        server.SeedMention(account, server.SeedStatus("lea@piaille.fr", "<p>@lumen merci</p>", []));
        await using var services = Services();
        var channel = new ChannelAccount(Guid.NewGuid(), "mastodon", "Lumen", new Dictionary<string, string> { ["instanceUrl"] = server.BaseAddress.ToString() },
            token, (_, _) => Task.CompletedTask);

        var session = await Sessions(services).SessionOfAsync(channel, renew: false, CancellationToken.None);

        Assert.Equal(server.BaseAddress, session!.BaseUrl);
        var poll = await new MastodonListening(ListeningFactory.Real(), TimeProvider.System).MentionsAsync(session.BaseUrl, session.AccessToken, null, CancellationToken.None);
        Assert.Equal("@lumen merci", Assert.Single(poll.Items).Text);
        Assert.Null(await Sessions(services).SessionOfAsync(channel with { Kind = "webhook" }, false, CancellationToken.None));
    }
}

/// <summary>IChannelSessions as the portal registers it: a workspace's stored channel, its renewed session saved.</summary>
public sealed class ListeningSessionsPortalTests
{
    [Fact]
    public async Task A_stored_bluesky_channel_gives_its_session_and_a_renewed_one_is_saved_on_the_channel()
    {
        await using var server = await BlueskyTestServer.StartAsync();
        server.AddAccount("lumen.bsky.social", "app-pass-1234");
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        var (id, before) = await host.InWorkspaceAsync(PublishingTestHost.Workspace, async s =>
        {
            var connected = await s.GetRequiredService<ChannelService>().ConnectAsync("bluesky", "Bluesky de Lumen",
                new Dictionary<string, string> { ["handle"] = "lumen.bsky.social", ["appPassword"] = "app-pass-1234", ["pdsUrl"] = server.Url }, null, default);
            Assert.True(connected.Succeeded, string.Join(" ", connected.Problems));
            return (connected.Channel!.Id, connected.Channel.ProtectedSecret);
        });

        var first = await host.InWorkspaceAsync(PublishingTestHost.Workspace, s => s.GetRequiredService<IChannelSessions>().OpenAsync(id, false, default));
        Assert.Equal(new Uri(server.Url), first!.BaseUrl);
        server.ExpireAccessTokens();
        var renewed = await host.InWorkspaceAsync(PublishingTestHost.Workspace, s => s.GetRequiredService<IChannelSessions>().OpenAsync(id, true, default));
        Assert.NotEqual(first.AccessToken, renewed!.AccessToken);
        var poll = await new BlueskyListening(ListeningFactory.Real(), TimeProvider.System)
            .NotificationsAsync(new BlueskyAccess(renewed.BaseUrl.ToString(), renewed.AccessToken), null, default);
        Assert.True(poll.Succeeded, poll.Error?.ToString());

        var after = await host.InWorkspaceAsync(PublishingTestHost.Workspace, s =>
            s.GetRequiredService<CmPortal.Modules.Publishing.Data.PublishingDbContext>().Channels.Where(c => c.Id == id).Select(c => c.ProtectedSecret).SingleAsync());
        Assert.NotEqual(before, after);
        Assert.Null(await host.InWorkspaceAsync(PublishingTestHost.Workspace, s => s.GetRequiredService<IChannelSessions>().OpenAsync(Guid.NewGuid(), false, default)));
    }
}
