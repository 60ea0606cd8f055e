using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Security;
using CmPortal.Modules.Inbox.Automation;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// The automation rules in the API (docs/api.md): added, read, listed in order, replaced with If-Match, moved,
/// deleted and tested like on the rules page, with the page's messages on the recipe's field names; another
/// workspace's token and rules stay out; reading takes Inbox.View, the rest Inbox.Manage. One portal for the class.
/// </summary>
public sealed class RulesApiTests(AutomationRuleHost fixture) : IClassFixture<AutomationRuleHost>
{
    private PortalHost Host => fixture.Host;

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static HttpRequestMessage Request(HttpMethod method, string address, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, address) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static List<string> Names(JsonNode list) => list["items"]!.AsArray().Select(r => (string)r!["name"]!).ToList();

    private static Dictionary<string, string> Errors(JsonNode problem) =>
        problem["errors"]!.AsArray().GroupBy(e => (string)e!["field"]!).ToDictionary(g => g.Key, g => (string)g.First()!["message"]!);

    [Fact]
    public async Task A_rule_is_added_read_replaced_with_its_etag_moved_and_deleted_and_the_added_one_sorts_new_mentions()
    {
        var ws = await fixture.WorkspaceAsync("api-regles");
        await Host.AddMemberAsync("cm-api-regles@example.test", ws, "Community manager");
        using var api = Host.Script(await Host.CreateTokenAsync(PortalHost.AdminEmail, ws));

        var created = await api.PostAsJsonAsync($"/api/v1/{ws}/rules", new
        {
            name = "Livraison", words = "livraison OR colis", sentiment = "negative", labels = new[] { "livraison", "Urgent" },
            assignTo = "CM-api-regles@example.test", status = "toHandle",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await JsonAsync(created);
        var id = (string)rule["id"]!;
        Assert.Equal($"/api/v1/{ws}/rules/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(["livraison", "urgent"], rule["labels"]!.AsArray().Select(l => (string)l!));
        Assert.Equal(("cm-api-regles@example.test", "toHandle", 0, true), ((string)rule["assignTo"]!, (string)rule["status"]!, (int)rule["position"]!, (bool)rule["enabled"]!));
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/{ws}/rules", new { name = "Questions", words = "comment OR pourquoi", labels = new[] { "question" } })).StatusCode);

        // The rule sorts what comes in next, as one made on the page.
        await api.PostAsJsonAsync($"/api/v1/{ws}/mentions", new { mentions = new[] { new { source = "api", externalId = "late", text = "Trois semaines que j'attends mon colis, livraison catastrophique, très déçue.", publishedAt = DateTimeOffset.UtcNow.AddHours(-1), language = "fr" } } });
        var late = await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking().SingleAsync(m => m.ExternalId == "late"));
        Assert.Equal(("|livraison|urgent|", MentionStatus.ToHandle), (late.Labels, late.Status));
        Assert.NotNull(late.AssigneeId);

        var read = await api.GetAsync($"/api/v1/{ws}/rules/{id}");
        Assert.Equal("\"0\"", read.Headers.ETag!.Tag);
        var replacement = new { name = "Livraison", words = "livraison", labels = new[] { "livraison" }, enabled = false };
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await api.SendAsync(Request(HttpMethod.Put, $"/api/v1/{ws}/rules/{id}", replacement))).StatusCode);
        var replaced = await api.SendAsync(Request(HttpMethod.Put, $"/api/v1/{ws}/rules/{id}", replacement, "\"0\""));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("\"1\"", replaced.Headers.ETag!.Tag);
        var after = await JsonAsync(replaced);
        Assert.Equal(("livraison", false, null, null), ((string)after["words"]!, (bool)after["enabled"]!, (string?)after["assignTo"], (string?)after["status"]));
        var stale = await api.SendAsync(Request(HttpMethod.Put, $"/api/v1/{ws}/rules/{id}", replacement, "\"0\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("relisez-la (GET)", await stale.Content.ReadAsStringAsync());

        var moved = await api.PostAsJsonAsync($"/api/v1/{ws}/rules/{id}/move", new { direction = "down" });
        Assert.Equal(["Questions", "Livraison"], Names(await JsonAsync(moved)));
        Assert.Equal(["Questions", "Livraison"], Names(JsonNode.Parse(await api.GetStringAsync($"/api/v1/{ws}/rules"))!));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsJsonAsync($"/api/v1/{ws}/rules/{id}/move", new { direction = "top" })).StatusCode);

        Assert.Equal(HttpStatusCode.PreconditionFailed, (await api.SendAsync(Request(HttpMethod.Delete, $"/api/v1/{ws}/rules/{id}", ifMatch: "\"0\""))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(Request(HttpMethod.Delete, $"/api/v1/{ws}/rules/{id}", ifMatch: "\"1\""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/{ws}/rules/{id}")).StatusCode);
        Assert.Equal(["Questions"], Names(JsonNode.Parse(await api.GetStringAsync($"/api/v1/{ws}/rules"))!));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_pages_messages_on_the_recipes_field_names_and_nothing_is_stored()
    {
        var ws = await fixture.WorkspaceAsync("api-regles-invalides");
        using var api = Host.Script(await Host.CreateTokenAsync(PortalHost.AdminEmail, ws));
        var refused = await api.PostAsJsonAsync($"/api/v1/{ws}/rules", new
        {
            name = "Mauvaise", words = "\"livraison", sentiment = "furieux", query = "Pas une requête", assignTo = "personne@example.test",
            source = "Pas Une Source", flagRule = "pas-une-regle",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var errors = Errors(await JsonAsync(refused));
        Assert.Equal(["assignTo", "flagRule", "query", "sentiment", "source", "words"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("Un guillemet n’est pas fermé.", errors["words"]);
        Assert.Equal("Attribuez la mention à un membre de cet espace.", errors["assignTo"]);
        Assert.Equal("Choisissez l’une des requêtes d’écoute de l’espace.", errors["query"]);
        Assert.StartsWith("Choisissez un sentiment", errors["sentiment"]);

        var empty = Errors(await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{ws}/rules", new { name = "Vide" })));
        Assert.Equal(["actions", "conditions"], empty.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().ListAsync()));

        // A PUT is checked the same way and leaves the stored rule as it was.
        var id = (string)(await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{ws}/rules", new { name = "Bonne", words = "lampe", labels = new[] { "lampe" } })))["id"]!;
        var put = await api.SendAsync(Request(HttpMethod.Put, $"/api/v1/{ws}/rules/{id}", new { name = "Bonne", sentiment = "furieux", labels = new[] { "lampe" } }, "\"0\""));
        Assert.Equal(["sentiment"], Errors(await JsonAsync(put)).Keys);
        Assert.Equal("lampe", (await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().ListAsync())).Single().Words);
    }

    [Fact]
    public async Task Testing_a_rule_answers_its_count_and_newest_matches_and_changes_nothing()
    {
        var ws = await fixture.WorkspaceAsync("api-regles-essai");
        using var api = Host.Script(await Host.CreateTokenAsync(PortalHost.AdminEmail, ws));
        var now = DateTimeOffset.UtcNow;
        await api.PostAsJsonAsync($"/api/v1/{ws}/mentions", new
        {
            mentions = new[]
            {
                new { source = "api", externalId = "old", text = "Livraison ratée il y a longtemps.", publishedAt = now.AddDays(-40), language = "fr" },
                new { source = "api", externalId = "a", text = "Colis perdu, livraison ratée.", publishedAt = now.AddDays(-2), language = "fr" },
                new { source = "api", externalId = "b", text = "Livraison en retard encore.", publishedAt = now.AddHours(-3), language = "fr" },
                new { source = "api", externalId = "c", text = "Belle lampe.", publishedAt = now.AddHours(-1), language = "fr" },
            },
        });
        var before = JsonSerializer.Serialize(await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking().OrderBy(m => m.Id).ToListAsync()));

        var tested = await api.PostAsJsonAsync($"/api/v1/{ws}/rules/test", new { words = "livraison", labels = new[] { "livraison" }, status = "toHandle" });
        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        var result = await JsonAsync(tested);
        Assert.Equal((2, 30), ((int)result["count"]!, (int)result["days"]!));
        var matches = result["matches"]!.AsArray();
        Assert.Equal(["Livraison en retard encore.", "Colis perdu, livraison ratée."], matches.Select(m => (string)m!["text"]!));
        Assert.Equal([("label", "livraison"), ("status", "toHandle")], matches[0]!["changes"]!.AsArray().Select(c => ((string)c!["kind"]!, (string)c["value"]!)));

        Assert.Equal(["sentiment"], Errors(await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{ws}/rules/test", new { sentiment = "furieux", labels = new[] { "x" } }))).Keys);
        Assert.Equal(before, JsonSerializer.Serialize(await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking().OrderBy(m => m.Id).ToListAsync())));
        Assert.Empty(await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().ListAsync()));
    }

    [Fact]
    public async Task Another_workspaces_token_and_rules_stay_out_and_an_analyst_reads_without_editing()
    {
        var ws = await fixture.WorkspaceAsync("api-regles-a");
        var other = await fixture.WorkspaceAsync("api-regles-b");
        using var api = Host.Script(await Host.CreateTokenAsync(PortalHost.AdminEmail, ws));
        using var stranger = Host.Script(await Host.CreateTokenAsync(PortalHost.AdminEmail, other));
        var id = (string)(await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{ws}/rules", new { name = "Secrète", words = "lampe", labels = new[] { "lampe" } })))["id"]!;

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/{ws}/rules")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/{other}/rules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendAsync(Request(HttpMethod.Delete, $"/api/v1/{other}/rules/{id}", ifMatch: "\"0\""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/v1/{other}/rules/{id}/move", new { direction = "up" })).StatusCode);
        Assert.Empty(Names(JsonNode.Parse(await stranger.GetStringAsync($"/api/v1/{other}/rules"))!));

        await Host.AddMemberAsync("analyste-api-regles@example.test", ws, "Analyst");
        using var analyst = Host.Script(await Host.CreateTokenAsync("analyste-api-regles@example.test", ws));
        Assert.Equal(["Secrète"], Names(JsonNode.Parse(await analyst.GetStringAsync($"/api/v1/{ws}/rules"))!));
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync($"/api/v1/{ws}/rules", new { name = "Intrus", words = "x", labels = new[] { "x" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync($"/api/v1/{ws}/rules/test", new { words = "x", labels = new[] { "x" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.SendAsync(Request(HttpMethod.Delete, $"/api/v1/{ws}/rules/{id}", ifMatch: "\"0\""))).StatusCode);
        Assert.Equal(["Secrète"], Names(JsonNode.Parse(await api.GetStringAsync($"/api/v1/{ws}/rules"))!));
    }

    [Fact]
    public async Task The_openapi_document_lists_the_rules_endpoints()
    {
        using var anonymous = Host.Script(null);
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();
        Assert.Equal(["get", "post"], document["/api/v1/{workspace}/rules"]!.AsObject().Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["delete", "get", "put"], document["/api/v1/{workspace}/rules/{id}"]!.AsObject().Select(o => o.Key).Order(StringComparer.Ordinal));
        Assert.NotNull(document["/api/v1/{workspace}/rules/test"]!["post"]);
        Assert.NotNull(document["/api/v1/{workspace}/rules/{id}/move"]!["post"]);
        Assert.Contains("428", document["/api/v1/{workspace}/rules/{id}"]!["put"]!["responses"]!.AsObject().Select(r => r.Key));
    }
}
