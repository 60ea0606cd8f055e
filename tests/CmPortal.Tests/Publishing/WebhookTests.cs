using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// The webhook channel against a real receiver on a real port (<see cref="WebhookReceiver"/>) that checks the Standard
/// Webhooks signature the way docs/publishing.md tells receivers to, and drops a webhook-id it has seen.
/// </summary>
public sealed class WebhookTests
{
    private static Task<ChannelOutcome> ConnectAsync(PortalHost host, string url, string secret = "") =>
        host.InWorkspaceAsync(PublishingTestHost.Workspace, s => s.GetRequiredService<ChannelService>().ConnectAsync("webhook", "Site partenaire",
            new Dictionary<string, string> { ["url"] = url, ["secret"] = secret }, null, default));

    [Theory]
    [InlineData("{\"url\": \"https://partenaire.example/actus/42\"}", "https://partenaire.example/actus/42")]
    [InlineData("  {\"url\": \"https://partenaire.example/a\"}", "https://partenaire.example/a")]
    [InlineData("", null)] // a bare 200: published, without a link
    [InlineData("OK", null)]
    [InlineData("{\"url\": \"javascript:alert(1)\"}", null)]
    [InlineData("{not json", null)]
    public void A_receivers_answer_gives_the_published_link_only_when_it_names_a_web_address(string body, string? expected) =>
        Assert.Equal(expected, CmPortal.Modules.Publishing.Networks.Webhook.WebhookNetwork.UrlOf(body));

    [Fact]
    public async Task A_post_reaches_the_receiver_signed_with_the_same_webhook_id_on_every_retry_and_its_url_is_kept()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 2;
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        var connected = await ConnectAsync(host, receiver.Url);
        Assert.True(connected.Succeeded, string.Join(" ", connected.Problems));
        receiver.Secret = connected.GeneratedSecret!; // made by the portal, shown once
        Assert.StartsWith("whsec_", receiver.Secret);
        Assert.DoesNotContain(receiver.Secret, connected.Channel!.ProtectedSecret); // encrypted at rest

        var post = await host.ScheduleAsync("Les bougies d’hiver sont là");
        await host.PublishNowAsync(post);
        var delivery = Assert.Single(await host.SettledAsync(post));

        Assert.Equal(DeliveryState.Published, delivery.State);
        Assert.Equal(3, receiver.Calls.Count);
        Assert.All(receiver.Calls, c => { Assert.True(c.Valid); Assert.Equal(delivery.DeliveryKey, c.Id); });
        var body = Assert.Single(receiver.Accepted).Value;
        Assert.Contains("Les bougies d’hiver sont là", System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal(delivery.DeliveryKey, delivery.RemoteId);
        Assert.Equal(WebhookReceiver.PostUrl(delivery.DeliveryKey), delivery.RemoteUrl);
    }

    [Fact]
    public async Task A_webhook_address_that_is_not_http_or_is_the_portal_itself_is_refused_with_the_reason()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        var ftp = await ConnectAsync(host, "ftp://hooks.example/in");
        Assert.Equal("The webhook address must start with http:// or https://.", Assert.Single(ftp.Problems).Template);
        var itself = await ConnectAsync(host, new Uri(host.BaseAddress, "/api/v1/maison-lumen/posts").ToString());
        Assert.Equal("The webhook address points at this portal itself: give the address of the receiving service.", Assert.Single(itself.Problems).Template);
        var badSecret = await ConnectAsync(host, "https://hooks.example/in", "hunter2");
        Assert.Equal("secret", Assert.Single(badSecret.Problems).Field);
        // Only the demo's own channels (the blog and Instagram by hand): none of the refused webhooks.
        Assert.DoesNotContain(await host.InWorkspaceAsync(PublishingTestHost.Workspace, s => s.GetRequiredService<ChannelService>().ListAsync(default)), c => c.Kind == "webhook");
    }
}
