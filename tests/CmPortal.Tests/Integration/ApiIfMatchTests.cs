using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>
/// One If-Match behaviour for every API resource with a version (docs/api.md, "Versions and If-Match"): posts and
/// automation rules answer the same statuses and problem for a missing, stale, weak, listed or <c>*</c> If-Match.
/// </summary>
public sealed class ApiIfMatchTests
{
    private const string Key = "maison-lumen";

    private static HttpRequestMessage Request(HttpMethod method, string path, object? body, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, $"/api/v1/{Key}{path}");
        if (body is not null) request.Content = JsonContent.Create(body);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    /// <summary>The status, the ETag answered, and the problem's one field when it is a problem.</summary>
    private static async Task<(HttpStatusCode Status, string? ETag, string? Field)> SendAsync(HttpClient api, HttpRequestMessage request)
    {
        using var response = await api.SendAsync(request);
        string? field = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json" &&
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"] is JsonArray errors)
            field = (string?)Assert.Single(errors)!["field"];
        return (response.StatusCode, response.Headers.ETag?.Tag, field);
    }

    /// <summary>A post as the API takes it (JsonContent writes its names in camelCase).</summary>
    private sealed record Post
    {
        public required string Text { get; init; }
        public required string[] Networks { get; init; }
        public required string StartsAt { get; init; }
    }

    [Fact]
    public async Task Posts_and_rules_take_if_match_the_same_way()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, Key), "en");

        var post = new Post { Text = "L’atelier du mardi", Networks = ["mastodon"], StartsAt = "2027-03-23T09:30" };
        var created = await api.PostAsJsonAsync($"/api/v1/{Key}/posts", post);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var posts = $"/posts/{(string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!}";
        var rule = await api.PostAsJsonAsync($"/api/v1/{Key}/rules", new { name = "Livraison", words = "livraison", labels = new[] { "livraison" } });
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        var rules = $"/rules/{(string)JsonNode.Parse(await rule.Content.ReadAsStringAsync())!["id"]!}";
        // Each edit changes something (an edit that changes nothing keeps the version).
        var edits = 0;
        Func<object> postEdit = () => post with { Text = $"L’atelier du mardi, version {++edits}" };
        Func<object> ruleEdit = () => new { name = "Livraison", words = $"livraison OR colis{++edits}", labels = new[] { "livraison" } };

        foreach (var (path, edit, first) in new[] { (posts, postEdit, 1), (rules, ruleEdit, 0) })
        {
            var tag = (int version) => $"\"{version}\"";
            Assert.Equal((HttpStatusCode.OK, tag(first)), ((await SendAsync(api, Request(HttpMethod.Get, path, null, null))).Status,
                (await SendAsync(api, Request(HttpMethod.Get, path, null, null))).ETag));
            // Missing: 428, the problem names If-Match.
            Assert.Equal((HttpStatusCode.PreconditionRequired, null, "If-Match"), await SendAsync(api, Request(HttpMethod.Put, path, edit(), null)));
            // Weak (a compressing proxy weakens ETags): the same version.
            Assert.Equal((HttpStatusCode.OK, tag(first + 1), null), await SendAsync(api, Request(HttpMethod.Put, path, edit(), $"W/{tag(first)}")));
            // Stale: 412, the problem names If-Match.
            Assert.Equal((HttpStatusCode.PreconditionFailed, null, "If-Match"), await SendAsync(api, Request(HttpMethod.Put, path, edit(), tag(first))));
            // Not one of ours: stale too.
            Assert.Equal((HttpStatusCode.PreconditionFailed, null, "If-Match"), await SendAsync(api, Request(HttpMethod.Put, path, edit(), "\"abc\"")));
            // A list that names the current version.
            Assert.Equal((HttpStatusCode.OK, tag(first + 2), null), await SendAsync(api, Request(HttpMethod.Put, path, edit(), $"{tag(first)}, {tag(first + 1)}")));
            // A list that does not.
            Assert.Equal((HttpStatusCode.PreconditionFailed, null, "If-Match"), await SendAsync(api, Request(HttpMethod.Put, path, edit(), $"{tag(first)}, {tag(first + 1)}")));
            // Any version, knowingly.
            Assert.Equal((HttpStatusCode.OK, tag(first + 3), null), await SendAsync(api, Request(HttpMethod.Put, path, edit(), "*")));
            // Deleting takes it as editing does.
            Assert.Equal((HttpStatusCode.PreconditionRequired, null, "If-Match"), await SendAsync(api, Request(HttpMethod.Delete, path, null, null)));
            Assert.Equal((HttpStatusCode.PreconditionFailed, null, "If-Match"), await SendAsync(api, Request(HttpMethod.Delete, path, null, tag(first))));
            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(api, Request(HttpMethod.Delete, path, null, tag(first + 3)))).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(api, Request(HttpMethod.Put, path, edit(), "*"))).Status);
        }
    }

    [Fact]
    public async Task A_post_s_state_changes_without_if_match_but_not_with_a_stale_one()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, Key), "en");
        var created = await api.PostAsJsonAsync($"/api/v1/{Key}/posts", new { text = "L’atelier du mardi", networks = new[] { "mastodon" }, startsAt = "2027-03-23T09:30" });
        var path = $"/posts/{(string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!}";

        // Checked against the post's state, not its text: If-Match is optional here, and honoured when sent.
        Assert.Equal((HttpStatusCode.OK, "\"2\"", null), await SendAsync(api, Request(HttpMethod.Post, $"{path}/state", new { state = "inReview" }, null)));
        Assert.Equal((HttpStatusCode.PreconditionFailed, null, "If-Match"), await SendAsync(api, Request(HttpMethod.Post, $"{path}/state", new { state = "draft", comment = "Une date à revoir." }, "\"1\"")));
        Assert.Equal((HttpStatusCode.OK, "\"3\"", null), await SendAsync(api, Request(HttpMethod.Post, $"{path}/state", new { state = "draft", comment = "Une date à revoir." }, "W/\"2\"")));
    }
}
