using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>
/// A body an API endpoint cannot read answers 400 with the portal's problem document, whatever the module (posts,
/// mentions, channels, sources): the field in <c>errors[0].field</c>, a message naming the JSON path and what the field
/// takes, or the line and position when the body is not JSON at all — in French by default, in English when asked —
/// and never the body's own text (docs/api.md, "Errors").
/// </summary>
public sealed class ApiBodyProblemTests
{
    private const string Key = "maison-lumen";

    private static async Task<(HttpStatusCode Status, string? ContentType, JsonObject Problem, string Text)> SendAsync(
        HttpClient api, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, $"/api/v1/{Key}{path}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonNode.Parse(text)!.AsObject(), text);
    }

    private static (string? Field, string Message) OnlyError(JsonObject problem)
    {
        var error = Assert.Single(problem["errors"]!.AsArray())!;
        return ((string?)error["field"], (string)error["message"]!);
    }

    [Fact]
    public async Task A_field_of_the_wrong_type_is_named_by_its_path_with_what_it_takes_in_every_module()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var token = await host.CreateTokenAsync(PortalHost.AdminEmail, Key);
        using var api = host.Script(token);
        using var english = host.Script(token, "en");

        // Posts: "channels" is an array of channel ids.
        var posts = await SendAsync(api, HttpMethod.Post, "/posts", """{ "text": "Bonjour", "networks": ["mastodon"], "channels": "x" }""");
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (posts.Status, posts.ContentType));
        Assert.Equal(("channels", "La valeur de $.channels n’a pas le bon type ou le bon format\u00a0: attendu un tableau."), OnlyError(posts.Problem));
        Assert.Equal(400, (int)posts.Problem["status"]!);
        var postsEn = await SendAsync(english, HttpMethod.Post, "/posts", """{ "text": "Bonjour", "networks": ["mastodon"], "channels": "x" }""");
        Assert.Equal(("channels", "The value at $.channels has the wrong type or format: expected an array."), OnlyError(postsEn.Problem));
        var variant = await SendAsync(english, HttpMethod.Post, "/posts", """{ "text": "Bonjour", "networks": ["bluesky"], "variants": { "bluesky": { "thread": [1] } } }""");
        Assert.Equal(("variants.bluesky.thread[0]", "The value at $.variants.bluesky.thread[0] has the wrong type or format: expected a string."), OnlyError(variant.Problem));

        // Mentions: the fourth mention's publication time is a number.
        var mentions = await SendAsync(api, HttpMethod.Post, "/mentions", $$"""
            { "mentions": [ {{string.Join(", ", Enumerable.Range(1, 3).Select(i => $$"""{ "externalId": "{{i}}", "text": "Bravo {{i}}", "publishedAt": "2026-11-30T09:15:00Z" }"""))}},
                            { "externalId": "4", "text": "Bravo 4", "publishedAt": 12 } ] }
            """);
        Assert.Equal(HttpStatusCode.BadRequest, mentions.Status);
        var (field, message) = OnlyError(mentions.Problem);
        Assert.Equal("mentions[3].publishedAt", field);
        Assert.Equal("La valeur de $.mentions[3].publishedAt n’a pas le bon type ou le bon format\u00a0: attendu un instant écrit AAAA-MM-JJTHH:mm:ssZ (ou avec son décalage, +01:00).", message);

        // Channels read any JSON object: a field that is not a string is named too, instead of being left out.
        var channel = await SendAsync(english, HttpMethod.Post, "/channels", """{ "network": "webhook", "name": "Site partenaire", "url": 12 }""");
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (channel.Status, channel.ContentType));
        Assert.Equal(("url", "The value at $.url has the wrong type or format: expected a string."), OnlyError(channel.Problem));

        // Sources: the interval is a number of minutes, the channel an id.
        var source = await SendAsync(api, HttpMethod.Post, "/sources", """{ "kind": "rss", "url": "https://example.org/feed", "intervalMinutes": "quinze" }""");
        Assert.Equal(("intervalMinutes", "La valeur de $.intervalMinutes n’a pas le bon type ou le bon format\u00a0: attendu un entier."), OnlyError(source.Problem));
        var sourceChannel = await SendAsync(english, HttpMethod.Post, "/sources", """{ "kind": "mastodon-mentions", "channelId": "mon-compte" }""");
        Assert.Equal(("channelId", "The value at $.channelId has the wrong type or format: expected an id written as a UUID (5f0c6b7e-2d4a-4c1e-9a8b-3e7d1f2a6c90)."),
            OnlyError(sourceChannel.Problem));
        Assert.DoesNotContain("mon-compte", sourceChannel.Text);

        // A query value of the wrong type names its parameter the same way.
        using var listed = await english.GetAsync($"/api/v1/{Key}/posts?page=deux");
        var listedProblem = JsonNode.Parse(await listed.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(HttpStatusCode.BadRequest, listed.StatusCode);
        Assert.Equal(("page", "The parameter page has the wrong type or format: expected an integer."), OnlyError(listedProblem));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_located_by_line_and_position_and_never_echoed()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var token = await host.CreateTokenAsync(PortalHost.AdminEmail, Key);
        using var api = host.Script(token);
        using var english = host.Script(token, "en");

        // An unquoted word on the second line.
        var posts = await SendAsync(english, HttpMethod.Post, "/posts", "{ \"text\": \"Bonjour\",\n  \"networks\": [secret-mastodon] }");
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (posts.Status, posts.ContentType));
        var (field, message) = OnlyError(posts.Problem);
        Assert.Equal("networks[0]", field);
        Assert.StartsWith("The body is not valid JSON: the error is at line 2, position 16, in $.networks[0].", message);
        Assert.DoesNotContain("secret-mastodon", posts.Text);

        var mentions = await SendAsync(api, HttpMethod.Post, "/mentions", "mentions=secret-token");
        Assert.Equal(HttpStatusCode.BadRequest, mentions.Status);
        Assert.Equal((null, "Le corps n’est pas du JSON valide\u00a0: l’erreur est ligne 1, position 1. Vérifiez les guillemets, virgules et crochets à cet endroit, et envoyez un objet JSON."),
            OnlyError(mentions.Problem));
        Assert.DoesNotContain("secret-token", mentions.Text);

        // Cut short, for an endpoint that reads any JSON object.
        var channel = await SendAsync(api, HttpMethod.Post, "/channels", """{ "network": "webhook", "url": "https://example.org/hook" """);
        Assert.Equal(HttpStatusCode.BadRequest, channel.Status);
        Assert.StartsWith("Le corps n’est pas du JSON valide\u00a0: l’erreur est ligne 1, position ", OnlyError(channel.Problem).Message);
        Assert.DoesNotContain("example.org", channel.Text);

        // JSON, but not an object.
        var source = await SendAsync(english, HttpMethod.Post, "/sources", """["rss", "https://example.org/feed"]""");
        Assert.Equal((HttpStatusCode.BadRequest, "The body must be a JSON object (found another kind of value at $). Send an object of the documented shape."),
            (source.Status, OnlyError(source.Problem).Message));

        // No body at all.
        var empty = await SendAsync(api, HttpMethod.Post, "/posts", "");
        Assert.Equal((HttpStatusCode.BadRequest, "Le corps est vide. Envoyez un objet JSON, avec l’en-tête Content-Type à application/json."),
            (empty.Status, OnlyError(empty.Problem).Message));

        // Half of a character, escaped alone: the text cannot be read.
        var half = await SendAsync(english, HttpMethod.Post, "/mentions", """{ "mentions": [ { "externalId": "1", "text": "Bravo \ud83d", "publishedAt": "2026-11-30T09:15:00Z" } ] }""");
        Assert.Equal((HttpStatusCode.BadRequest, "mentions[0].text"), (half.Status, OnlyError(half.Problem).Field));
        Assert.StartsWith("The text at $.mentions[0].text holds half of a character", OnlyError(half.Problem).Message);
    }
}
