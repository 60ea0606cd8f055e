using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CmPortal.Modules.Inbox.Sources.Stored;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// GET and PUT /api/v1/{workspace}/sources/{id} (docs/api.md): a script reads a source with its ETag and corrects it
/// with If-Match, checked as the « Modifier » form checks it (its kind stays); another workspace's token finds nothing.
/// </summary>
public sealed class SourceApiEditTests
{
    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static HttpRequestMessage Put(string address, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, address) { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static Dictionary<string, string> Errors(JsonNode problem) =>
        problem["errors"]!.AsArray().GroupBy(e => (string)e!["field"]!).ToDictionary(g => g.Key, g => (string)g.First()!["message"]!);

    [Fact]
    public async Task A_script_reads_a_failing_feed_with_its_etag_gives_it_its_right_address_and_it_reads_afresh()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        feeds.Serve("/good", "application/atom+xml", SourceTesting.AlertsFeed());
        feeds.Serve("/typo", "text/html; charset=utf-8", "<!doctype html><html><body>Page introuvable</body></html>");
        await using var host = await SourceTesting.StartAsync();
        var source = await host.AddAsync(new SourceInput("rss", "Presse", feeds.Url("/typo"), IntervalMinutes: 30));
        await host.PollAsync();
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, SourceTesting.Workspace));
        var address = $"/api/v1/{SourceTesting.Workspace}/sources/{source.Id}";

        var read = await api.GetAsync(address);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var etag = read.Headers.ETag!.Tag;
        var before = await JsonAsync(read);
        Assert.Equal(("Presse", "rss", 1), ((string)before["name"]!, (string)before["kind"]!, (int)before["consecutiveFailures"]!));
        Assert.NotNull((string?)before["lastError"]);

        var missing = await api.SendAsync(Put(address, new { name = "Alertes presse", url = feeds.Url("/good") }, null));
        Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        Assert.Contains("Envoyez If-Match avec l’ETag de la source", await missing.Content.ReadAsStringAsync());

        var saved = await api.SendAsync(Put(address, new { name = "Alertes presse", url = feeds.Url("/good"), intervalMinutes = 30 }, etag));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var after = await JsonAsync(saved);
        Assert.Equal(("Alertes presse", feeds.Url("/good"), 30, 0, null), ((string)after["name"]!, (string)after["url"]!, (int)after["intervalMinutes"]!,
            (int)after["consecutiveFailures"]!, (string?)after["lastError"]));
        Assert.NotEqual(etag, saved.Headers.ETag!.Tag);
        Assert.Equal(saved.Headers.ETag!.Tag, (await api.GetAsync(address)).Headers.ETag!.Tag);

        // The old ETag is stale now: nobody's edit is overwritten.
        var stale = await api.SendAsync(Put(address, new { name = "Écrasée", url = feeds.Url("/good") }, etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("relisez-la (GET)", await stale.Content.ReadAsStringAsync());
        Assert.Equal("Alertes presse", (await host.SourceAsync(source.Id)).Name);

        // The corrected source is read within a minute, under its new name.
        Assert.Equal(1, await host.PollAsync());
        Assert.Equal(2, (await host.MentionsAsync("Alertes presse")).Count);
    }

    [Fact]
    public async Task Bad_input_gets_the_forms_messages_by_field_the_kind_stays_and_nothing_is_stored()
    {
        await using var host = await SourceTesting.StartAsync();
        var press = await host.AddAsync(new SourceInput("rss", "Presse", "http://127.0.0.1:9/presse.xml"));
        await host.AddAsync(new SourceInput("rss", "Forum", "http://127.0.0.1:9/forum.xml"));
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, SourceTesting.Workspace));
        var address = $"/api/v1/{SourceTesting.Workspace}/sources/{press.Id}";
        var etag = $"\"{press.Version}\"";

        var refused = await api.SendAsync(Put(address, new { name = "Forum", url = "ftp://example.com/feed", intervalMinutes = 2 }, etag));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var errors = Errors(await JsonAsync(refused));
        Assert.Equal(["intervalMinutes", "name", "url"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Une autre source s’appelle déjà « Forum ».", errors["name"].Replace('\u00a0', ' ').Replace('\u202f', ' '));

        var otherKind = await api.SendAsync(Put(address, new { kind = "mastodon-tag", query = "lumen", url = "https://mastodon.social" }, etag));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherKind.StatusCode);
        Assert.StartsWith("Une source garde son type (rss)", Errors(await JsonAsync(otherKind))["kind"]);

        var stored = await host.SourceAsync(press.Id);
        Assert.Equal(("Presse", "http://127.0.0.1:9/presse.xml", "rss", 15, press.Version), (stored.Name, stored.Url, stored.Kind, stored.IntervalMinutes, stored.Version));
    }

    [Fact]
    public async Task Another_workspaces_source_is_not_found_and_an_analyst_reads_without_editing()
    {
        await using var host = await SourceTesting.StartAsync();
        var source = await host.AddAsync(new SourceInput("rss", "Secrète", "http://127.0.0.1:9/secret.xml"));
        await host.ApplyRecipeAsync("""
            { "name": "autre", "steps": [ { "step": "workspace", "key": "autre-espace", "name": "Autre" }, { "step": "modules", "enable": ["Inbox"] } ] }
            """);
        using var stranger = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, "autre-espace"));
        var theirs = $"/api/v1/autre-espace/sources/{source.Id}";
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(theirs)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendAsync(Put(theirs, new { name = "Volée" }, $"\"{source.Version}\""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/{SourceTesting.Workspace}/sources/{source.Id}")).StatusCode);

        await host.AddMemberAsync("analyste-sources@example.test", SourceTesting.Workspace, "Analyst");
        using var analyst = host.Script(await host.CreateTokenAsync("analyste-sources@example.test", SourceTesting.Workspace));
        var mine = $"/api/v1/{SourceTesting.Workspace}/sources/{source.Id}";
        Assert.Equal("Secrète", (string)(await JsonAsync(await analyst.GetAsync(mine)))["name"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.SendAsync(Put(mine, new { name = "Renommée" }, $"\"{source.Version}\""))).StatusCode);
        Assert.Equal("Secrète", (await host.SourceAsync(source.Id)).Name);
    }
}
