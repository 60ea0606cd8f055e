using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>The API a script uses: connect a channel (201, or 422 with the reason), list channels, publish now, a post's deliveries.</summary>
public sealed class PublishingApiTests
{
    private static Task<string> TokenAsync(PortalHost host) =>
        host.InScopeAsync(async services =>
        {
            var user = await services.GetRequiredService<CoreDbContext>().Users.SingleAsync(u => u.Email == PortalHost.AdminEmail);
            var outcome = await services.GetRequiredService<AccessTokenService>().CreateAsync(user.Id, new AccessTokenRequest("script", PublishingTestHost.Workspace));
            Assert.Empty(outcome.Problems);
            return outcome.Secret!;
        });

    [Fact]
    public async Task A_script_connects_a_channel_publishes_a_post_now_and_reads_its_deliveries()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(host));

        var refused = await http.PostAsJsonAsync("/api/v1/maison-lumen/channels", new { network = "test", name = "Mastodon", token = "wrong" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var created = await http.PostAsJsonAsync("/api/v1/maison-lumen/channels", new { network = "test", name = "Mastodon", token = "good-token" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var channel = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal("active", channel["state"]!.GetValue<string>());
        Assert.DoesNotContain("good-token", await http.GetStringAsync("/api/v1/maison-lumen/channels"));

        var post = await host.ScheduleAsync("Depuis un script");
        var now = await http.PostAsync($"/api/v1/maison-lumen/posts/{post}/publish-now", null);
        Assert.Equal(HttpStatusCode.Accepted, now.StatusCode);
        await host.SettledAsync(post);
        var deliveries = JsonNode.Parse(await http.GetStringAsync($"/api/v1/maison-lumen/posts/{post}/deliveries"))!["deliveries"]!.AsArray();
        var delivery = Assert.Single(deliveries)!;
        Assert.Equal(channel["id"]!.GetValue<string>(), delivery["channel"]!.GetValue<string>());
        Assert.Equal("published", delivery["state"]!.GetValue<string>());
        Assert.Equal(1, delivery["attempts"]!.GetValue<int>());
        Assert.StartsWith("https://test.example/@lumen/", delivery["remoteUrl"]!.GetValue<string>());
    }
}
