using System.Net;
using System.Text.Json.Nodes;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// A delivery the network refused reads in French in the publishing log, as a reply's failure reads in the inbox: the
/// network, its status code, its own message quoted « … », and what to do next — not the client's English sentence.
/// Against the local Mastodon server, with its faults on demand.
/// </summary>
public sealed class NetworkFailureWordsTests
{
    private static readonly string W = PublishingTestHost.Workspace;

    private static string Decode(string html) => WebUtility.HtmlDecode(html).Replace('\u00a0', ' ').Replace('\u202f', ' ');

    [Fact]
    public async Task A_refusal_that_will_not_change_fails_at_once_and_the_log_says_it_in_french_with_the_network_s_words()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        var (_, token) = mastodon.AddAccount("lumen");
        await using var host = await PortalHost.StartAsync(Provider.Sqlite, PublishingTestHost.FastOutbox());
        await host.SetUpAsync();
        await host.InWorkspaceAsync(W, async s =>
        {
            var outcome = await s.GetRequiredService<ChannelService>().ConnectAsync("mastodon", "Mastodon de Lumen",
                new Dictionary<string, string> { ["instanceUrl"] = mastodon.BaseAddress.ToString(), ["accessToken"] = token }, null, default);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return outcome.Channel!.Id;
        });
        using var admin = await host.SignInAsync();

        // 422: Mastodon will not take this text however often it is sent — one attempt, then the log explains.
        mastodon.FailNext("POST", "/api/v1/statuses", new MastodonFault.Error(422, "Validation failed: Text contains a forbidden word"));
        var refused = await host.ScheduleAsync("Nos bougies d’hiver arrivent", networks: ["mastodon"]);
        await host.PublishNowAsync(refused);
        var delivery = Assert.Single(await host.SettledAsync(refused));
        Assert.Equal((DeliveryState.Failed, 1), (delivery.State, delivery.Attempts));
        const string Explained = "Mastodon a refusé le post (erreur 422). Son message : « Validation failed: Text contains a forbidden word ». Modifiez le post en conséquence, puis renvoyez-le.";
        var page = Decode(await admin.GetStringAsync($"/admin/{W}/publishing/deliveries/{delivery.Id}"));
        Assert.Contains("Pourquoi il a échoué :", page);
        Assert.Contains(Explained, page);
        Assert.Contains(Explained, Decode(await admin.GetStringAsync($"/admin/{W}/publishing/posts/{refused}")));
        Assert.Contains(Explained, Decode(await admin.GetStringAsync($"/admin/{W}/publishing")));
        // The post's deliveries in the API: the raw words as kept, and the reason in the request's language.
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, W), "en");
        var listed = JsonNode.Parse(await api.GetStringAsync($"/api/v1/{W}/posts/{refused}/deliveries"))!["deliveries"]![0]!;
        Assert.Equal("Validation failed: Text contains a forbidden word", (string?)listed["error"]);
        Assert.Equal("Mastodon refused the post (error 422). Its message: “Validation failed: Text contains a forbidden word”. Change the post accordingly, then send it again.",
            (string?)listed["reason"]);

        // 401: the channel's access is refused — reconnect it.
        mastodon.FailNext("POST", "/api/v1/statuses", new MastodonFault.Error(401, "The access token is invalid"));
        var locked = await host.ScheduleAsync("Atelier ouvert samedi", networks: ["mastodon"]);
        await host.PublishNowAsync(locked);
        var second = Assert.Single(await host.SettledAsync(locked));
        Assert.Equal(DeliveryState.Failed, second.State);
        var lockedPage = Decode(await admin.GetStringAsync($"/admin/{W}/publishing/deliveries/{second.Id}"));
        Assert.Contains("Mastodon a refusé l’accès du canal « Mastodon de Lumen » (erreur 401). Reconnectez le canal sur la page des canaux, puis renvoyez le post.", lockedPage);
        Assert.DoesNotContain("connect the channel again", lockedPage);
    }
}
