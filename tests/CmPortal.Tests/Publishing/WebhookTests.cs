using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// The webhook channel against a real receiver on a real port that checks the Standard Webhooks signature the way
/// docs/publishing.md tells receivers to, and drops a webhook-id it has seen.
/// </summary>
public sealed class WebhookTests
{
    /// <summary>A receiving service: verifies each call's signature, keeps each webhook-id once, can fail first.</summary>
    internal sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public ConcurrentQueue<(string Id, string Body, bool Valid)> Calls { get; } = new();
        public ConcurrentDictionary<string, string> Accepted { get; } = new();
        public int FailFirst;
        public string Secret = "";

        private Receiver(WebApplication app) => _app = app;

        public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks/cmportal";

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            var app = builder.Build();
            app.Urls.Add("http://127.0.0.1:0");
            var receiver = new Receiver(app);
            app.MapPost("/hooks/cmportal", async (HttpContext http) =>
            {
                var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
                var id = http.Request.Headers["webhook-id"].ToString();
                var valid = Verify(receiver.Secret, id, http.Request.Headers["webhook-timestamp"].ToString(), body, http.Request.Headers["webhook-signature"].ToString());
                receiver.Calls.Enqueue((id, body, valid));
                if (!valid) return Results.StatusCode(401);
                if (Interlocked.Decrement(ref receiver.FailFirst) >= 0) return Results.StatusCode(503);
                receiver.Accepted.TryAdd(id, body); // a repeat of an id already seen changes nothing
                return Results.Json(new { url = "https://hooks.example/posts/" + id });
            });
            await app.StartAsync();
            return receiver;
        }

        /// <summary>What a receiver does (docs/publishing.md): HMAC-SHA256 of "id.timestamp.body" with the secret's bytes, recent timestamp.</summary>
        private static bool Verify(string secret, string id, string timestamp, string body, string signatures)
        {
            if (!long.TryParse(timestamp, out var seconds) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300) return false;
            var key = Convert.FromBase64String(secret["whsec_".Length..]);
            var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
            return signatures.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal) &&
                CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(s[3..]), Encoding.UTF8.GetBytes(expected)));
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private static Task<ChannelOutcome> ConnectAsync(PortalHost host, string url, string secret = "") =>
        host.InWorkspaceAsync(PublishingTestHost.Workspace, s => s.GetRequiredService<ChannelService>().ConnectAsync("webhook", "Site partenaire",
            new Dictionary<string, string> { ["url"] = url, ["secret"] = secret }, null, default));

    [Fact]
    public async Task A_post_reaches_the_receiver_signed_with_the_same_webhook_id_on_every_retry_and_its_url_is_kept()
    {
        await using var receiver = await Receiver.StartAsync();
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
        Assert.Equal("https://hooks.example/posts/" + delivery.DeliveryKey, delivery.RemoteUrl);
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
        Assert.Empty(await host.InWorkspaceAsync(PublishingTestHost.Workspace, s => s.GetRequiredService<ChannelService>().ListAsync(default)));
    }
}
