using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CmPortal.Tests.Publishing.Mastodon;

/// <summary>The test server keeps Mastodon's own rules, so that the portal's tests against it mean something.</summary>
public sealed class MastodonTestServerTests
{
    [Fact]
    public async Task An_idempotency_key_is_kept_per_account_for_an_hour_after_the_status_is_created()
    {
        var clock = new TestClock();
        await using var server = await MastodonTestServer.StartAsync(clock);
        var (_, lumen) = server.AddAccount("lumen");
        var (_, voisin) = server.AddAccount("voisin");

        var first = await PostAsync(server, lumen, "key-1", "Bonjour");
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(first, await PostAsync(server, lumen, "key-1", "Bonjour"));       // same account, same key: the same status
        Assert.NotEqual(first, await PostAsync(server, voisin, "key-1", "Bonjour"));   // another account: its own status
        Assert.NotEqual(first, await PostAsync(server, lumen, "key-2", "Bonjour"));    // another key: a new status
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotEqual(first, await PostAsync(server, lumen, "key-1", "Bonjour"));    // 3,600 s later the key is forgotten

        Assert.Equal(4, server.Statuses.Count);
    }

    [Fact]
    public async Task A_status_replying_to_an_unknown_status_or_without_text_is_refused_as_Mastodon_does()
    {
        await using var server = await MastodonTestServer.StartAsync();
        var (_, token) = server.AddAccount("lumen");
        using var http = Client(server, token);

        var reply = await http.PostAsync("api/v1/statuses", new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "x", ["in_reply_to_id"] = "1" }));
        Assert.Equal(HttpStatusCode.NotFound, reply.StatusCode);
        var blank = await http.PostAsync("api/v1/statuses", new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = "" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, blank.StatusCode);
        Assert.Equal("Validation failed: Text can't be blank", JsonDocument.Parse(await blank.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
        using var stranger = new HttpClient { BaseAddress = server.BaseAddress };
        var anonymous = await stranger.GetAsync("api/v1/accounts/verify_credentials");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Empty(server.Statuses);
    }

    private static HttpClient Client(MastodonTestServer server, string token)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<string> PostAsync(MastodonTestServer server, string token, string key, string text)
    {
        using var http = Client(server, token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/statuses")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["status"] = text }),
        };
        request.Headers.Add("Idempotency-Key", key);
        var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }
}
