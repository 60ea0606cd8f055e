using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>The mentions API: a batch in (201 with counts), a search out (newest first), bad queries 400, tokens 401/403, one workspace only.</summary>
public sealed class InboxApiTests
{
    private const string Workspace = "maison-lumen";

    private static object Batch(params object[] mentions) => new { mentions };

    private static object Mention(string id, string text, string at, string? url = null) =>
        new { source = "api", externalId = id, url, author = "Léa", text, publishedAt = at, language = "fr" };

    [Fact]
    public async Task Mentions_come_in_with_their_tone_and_language_read_and_can_be_filtered_by_tone()
    {
        const string Workspace = "ecoute";
        await using var host = await MentionStoreTests.StartAsync();
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, Workspace));
        var posted = await api.PostAsJsonAsync($"/api/v1/{Workspace}/mentions", Batch(
            new { source = "api", externalId = "praise", text = "J'adore ma nouvelle bougie, elle sent vraiment très bon ! Merci 😍", publishedAt = "2026-11-30T09:00:00Z" },
            new { source = "api", externalId = "complaint", text = "Terrible service, my order arrived broken and nobody answers. Very disappointed.", publishedAt = "2026-11-30T10:00:00Z" },
            new { source = "api", externalId = "news", text = "Maison Lumen ouvre une boutique rue de la République à Lyon le 3 décembre.", publishedAt = "2026-11-30T11:00:00Z" }));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        var all = JsonNode.Parse(await api.GetStringAsync($"/api/v1/{Workspace}/mentions"))!["items"]!.AsArray();
        string Tone(string start) => (string)all.Single(i => ((string)i!["text"]!).StartsWith(start, StringComparison.Ordinal))!["sentiment"]!;
        double Score(string start) => (double)all.Single(i => ((string)i!["text"]!).StartsWith(start, StringComparison.Ordinal))!["score"]!;
        Assert.Equal("positive", Tone("J'adore"));
        Assert.True(Score("J'adore") > 0);
        Assert.Equal("negative", Tone("Terrible"));
        Assert.True(Score("Terrible") < 0);
        Assert.Equal("neutral", Tone("Maison Lumen ouvre"));

        var negative = JsonNode.Parse(await api.GetStringAsync($"/api/v1/{Workspace}/mentions?sentiment=negative"))!;
        Assert.Equal(1, (int)negative["total"]!);
        var languages = await host.InScopeAsync(s => s.GetRequiredService<CmPortal.Modules.Inbox.Data.InboxDbContext>().Mentions.IgnoreQueryFilters()
            .Where(m => m.ExternalId == "praise" || m.ExternalId == "complaint" || m.ExternalId == "news").OrderBy(m => m.PublishedUtc).Select(m => m.Language).ToListAsync());
        Assert.Equal(["fr", "en", "fr"], languages); // none declared: detected
    }

    [Fact]
    public async Task A_batch_is_stored_with_counts_and_searched_newest_first_with_snippets()
    {
        const string Workspace = "ecoute";
        await using var host = await MentionStoreTests.StartAsync();
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, Workspace));

        var posted = await api.PostAsJsonAsync($"/api/v1/{Workspace}/mentions", Batch(
            Mention("1", "L'éclairage de la boutique est magnifique", "2026-11-30T09:00:00Z", "https://blog.example/a?utm_campaign=x"),
            Mention("2", "Une lampe <b>cassée</b> à la livraison", "2026-11-30T10:00:00Z"),
            Mention("3", "Même article", "2026-11-30T11:00:00Z", "https://BLOG.example/a#top")));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var counts = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!;
        Assert.Equal((2, 1), ((int)counts["stored"]!, (int)counts["duplicates"]!));

        var all = JsonNode.Parse(await api.GetStringAsync($"/api/v1/{Workspace}/mentions"))!;
        Assert.Equal(2, (int)all["total"]!);
        Assert.Equal(["2", "1"], all["items"]!.AsArray().Select(i => (string)i!["text"]! == "Une lampe <b>cassée</b> à la livraison" ? "2" : "1"));
        Assert.Equal("new", (string)all["items"]![0]!["status"]!);

        var found = JsonNode.Parse(await api.GetStringAsync($"/api/v1/{Workspace}/mentions?q=eclairage&status=new"))!;
        var item = found["items"]!.AsArray().Single()!;
        Assert.Contains("<mark>éclairage</mark>", (string)item["snippet"]!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("https://blog.example/a?utm_campaign=x", (string)item["url"]!);
        var inert = JsonNode.Parse(await api.GetStringAsync($"/api/v1/{Workspace}/mentions?q=cassee"))!;
        Assert.Contains("&lt;b&gt;", (string)inert["items"]![0]!["snippet"]!);
    }

    [Fact]
    public async Task Bad_queries_and_batches_are_problems_and_tokens_decide_who_may_do_what()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("analyst@example.test", Workspace, "Analyst");
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, Workspace), "en");

        var bad = await api.GetAsync($"/api/v1/{Workspace}/mentions?q=%22unbalanced");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Contains("quotation mark", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/api/v1/{Workspace}/mentions?q=" + new string('x', 2_000))).StatusCode); // 10,000: the parser's unit test (Kestrel refuses such an address first)

        var tooMany = await api.PostAsJsonAsync($"/api/v1/{Workspace}/mentions",
            Batch(Enumerable.Range(0, 1001).Select(i => Mention($"{i}", "texte", "2026-11-30T09:00:00Z")).ToArray()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMany.StatusCode);
        Assert.Contains("at most 1000 mentions", (await tooMany.Content.ReadAsStringAsync()).Replace(",", "", StringComparison.Ordinal));
        var before = JsonNode.Parse(await api.GetStringAsync($"/api/v1/{Workspace}/mentions"))!["total"]!.ToJsonString();
        var missing = await api.PostAsJsonAsync($"/api/v1/{Workspace}/mentions", Batch(Mention("1", "ok", "2026-11-30T09:00:00Z"), new { externalId = "2", text = "" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
        var body = await missing.Content.ReadAsStringAsync();
        Assert.Contains("mentions[1].text", body);
        Assert.Contains("mentions[1].publishedAt", body);
        Assert.Equal(before, JsonNode.Parse(await api.GetStringAsync($"/api/v1/{Workspace}/mentions"))!["total"]!.ToJsonString());

        using var anonymous = host.Script(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/{Workspace}/mentions")).StatusCode);
        using var analyst = host.Script(await host.CreateTokenAsync("analyst@example.test", Workspace));
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/api/v1/{Workspace}/mentions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync($"/api/v1/{Workspace}/mentions", Batch(Mention("1", "ok", "2026-11-30T09:00:00Z")))).StatusCode);
    }

    [Fact]
    public async Task Another_workspace_sees_none_of_the_mentions()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.ApplyRecipeAsync("""
            { "name": "x", "steps": [ { "step": "workspace", "key": "autre-marque", "name": "Autre marque" }, { "step": "modules", "enable": ["Inbox"] } ] }
            """);
        using var lumen = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, Workspace));
        using var other = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, "autre-marque"));
        Assert.Equal(HttpStatusCode.Created, (await lumen.PostAsJsonAsync($"/api/v1/{Workspace}/mentions", Batch(Mention("1", "lampe secrète", "2026-11-30T09:00:00Z")))).StatusCode);

        Assert.Equal(0, (int)JsonNode.Parse(await other.GetStringAsync("/api/v1/autre-marque/mentions?q=lampe"))!["total"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/{Workspace}/mentions")).StatusCode);
        // The same external id in another workspace is another mention.
        var again = JsonNode.Parse(await (await other.PostAsJsonAsync("/api/v1/autre-marque/mentions", Batch(Mention("1", "lampe secrète", "2026-11-30T09:00:00Z")))).Content.ReadAsStringAsync())!;
        Assert.Equal(1, (int)again["stored"]!);
    }
}
