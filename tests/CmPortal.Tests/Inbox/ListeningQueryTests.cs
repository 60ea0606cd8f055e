using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Listening;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// Listening queries: each mention tagged at ingest with the queries it matches (accents, case, phrases, prefixes,
/// exclusions, languages, as the search reads them), the existing mentions tagged again after an edit (in the
/// background), the inbox filtered on a query in the page and the API, a bad expression refused on its field.
/// </summary>
public sealed class ListeningQueryTests
{
    private const string Workspace = "ecoute";

    internal static ListenedItem Item(string id, string text, double hoursAgo, string? language = "fr", string? author = "Léa", int? followers = null) =>
        new(id, null, text, null, author, author is null ? null : "@" + author.ToLowerInvariant(), followers, DateTimeOffset.UtcNow.AddHours(-hoursAgo), language);

    internal static Task IngestAsync(PortalHost host, string workspace, params ListenedItem[] items) =>
        host.InWorkspaceAsync(workspace, async s => { var o = await s.GetRequiredService<MentionService>().IngestAsync("api", null, items); Assert.Empty(o.Problems); return o; });

    /// <summary>Creates a query and waits until its background tagging of the existing mentions is done.</summary>
    internal static async Task<ListeningQuery> CreateAsync(PortalHost host, string workspace, ListeningQueryInput input)
    {
        var outcome = await host.InWorkspaceAsync(workspace, s => s.GetRequiredService<ListeningQueryService>().CreateAsync(input));
        Assert.Empty(outcome.Problems);
        await WaitTaggedAsync(host, workspace, outcome.Query!.Id);
        return outcome.Query;
    }

    internal static async Task WaitTaggedAsync(PortalHost host, string workspace, long id)
    {
        for (var i = 0; i < 200; i++)
        {
            var query = await host.InWorkspaceAsync(workspace, s => s.GetRequiredService<ListeningQueryService>().FindAsync(id));
            if (query is { RetagPending: false }) return;
            await Task.Delay(100);
        }
        Assert.Fail("The query's mentions were not tagged in the background within 20 seconds.");
    }

    private static Task<List<string>> TaggedAsync(PortalHost host, long queryId) =>
        host.InWorkspaceAsync(Workspace, async s =>
            (await s.GetRequiredService<MentionSearch>().SearchAsync(new MentionFilter { QueryId = queryId, PageSize = 200 })).Page!.Items
                .Select(i => i.Mention.ExternalId).OrderBy(x => x, StringComparer.Ordinal).ToList());

    [Fact]
    public async Task Mentions_are_tagged_at_ingest_as_the_search_reads_the_query()
    {
        await using var host = await MentionStoreTests.StartAsync();
        var halo = await CreateAsync(host, Workspace, new("Atelier Halo", "competitor", "\"Atelier Halo\" -promo"));
        var lumen = await CreateAsync(host, Workspace, new("Lumen", "brand", "lumen* OR «maison lumière»", Languages: "fr"));

        await IngestAsync(host, Workspace,
            Item("accents", "Vu chez ATELIER HÂLO une applique superbe", 1),
            Item("apart", "Un atelier, puis un halo de lumière", 1),
            Item("promo", "Atelier Halo : promo sur les suspensions", 1),
            Item("prefix", "Les luminaires Lumenia sont arrivés", 1),
            Item("phrase", "La Maison Lumiere a ouvert", 1),
            Item("english", "Lumen lamps are lovely", 1, language: "en"));

        Assert.Equal(["accents"], await TaggedAsync(host, halo.Id));
        Assert.Equal(["phrase", "prefix"], await TaggedAsync(host, lumen.Id)); // "apart" has "lumière" alone; "english" is not French
    }

    [Fact]
    public async Task Editing_a_query_tags_the_existing_mentions_again_in_the_background()
    {
        await using var host = await MentionStoreTests.StartAsync();
        await IngestAsync(host, Workspace,
            Item("a", "Atelier Halo ouvre à Nantes", 3),
            Item("b", "Atelier Halo, la suspension Orbe", 2),
            Item("c", "Halo Studio présente ses lampes", 1));
        var query = await CreateAsync(host, Workspace, new("Concurrent", "competitor", "\"Atelier Halo\""));
        Assert.Equal(["a", "b"], await TaggedAsync(host, query.Id)); // mentions stored before the query was

        var edited = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<ListeningQueryService>()
            .UpdateAsync(query.Id, query.Version, new("Concurrent", "competitor", "halo -orbe")));
        Assert.Empty(edited.Problems);
        Assert.True(edited.Query!.RetagPending); // the request did not wait for the tagging
        await WaitTaggedAsync(host, Workspace, query.Id);
        Assert.Equal(["a", "c"], await TaggedAsync(host, query.Id));
    }

    [Fact]
    public async Task The_inbox_page_and_the_api_filter_on_a_query()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var halo = await host.InWorkspaceAsync("maison-lumen", s => s.GetRequiredService<ListeningQueryService>().FindByNameAsync("Atelier Halo"));
        using var admin = await host.SignInAsync();

        var page = await admin.GetStringAsync($"/admin/maison-lumen/inbox?query={halo!.Id}");
        Assert.Contains("Requête / concurrent", page);
        Assert.Contains("62 mentions.", page); // the demo's 62 about the competitor
        Assert.Contains("applique", page);
        Assert.DoesNotContain("suspension Lune de Maison Lumen", page);

        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, "maison-lumen"));
        var found = JsonNode.Parse(await api.GetStringAsync($"/api/v1/maison-lumen/mentions?query={halo.Id}&sentiment=negative"))!;
        Assert.True((int)found["total"]! > 0);
        Assert.All(found["items"]!.AsArray(), i => Assert.Contains("Halo", (string)i!["text"]!, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_bad_expression_is_refused_on_its_field_with_the_search_language_message()
    {
        var problems = ListeningQueryService.Check(new("Atelier Halo", "competitor", "\"Atelier Halo"));
        Assert.Equal("expression", Assert.Single(problems).Field);
        Assert.Contains("quotation mark", Assert.Single(problems).Template);

        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var refused = await admin.SendFormAsync("POST", "/admin/maison-lumen/inbox/listening/queries",
            new() { ["name"] = "Lueur", ["kind"] = "competitor", ["expression"] = "lampe OR", ["color"] = "#123456", ["spikeFactor"] = "3", ["spikeMinimum"] = "10", ["negativeRise"] = "20" });
        Assert.Equal((HttpStatusCode)422, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"expression-problem\"", html);
        Assert.Contains("OR se place entre deux termes", html);
        Assert.Contains("value=\"lampe OR\"", html); // what was typed is kept
        Assert.Null(await host.InWorkspaceAsync("maison-lumen", s => s.GetRequiredService<ListeningQueryService>().FindByNameAsync("Lueur")));

        var created = await admin.SendFormAsync("POST", "/admin/maison-lumen/inbox/listening/queries",
            new() { ["name"] = "Lueur", ["kind"] = "competitor", ["expression"] = "lueur -bougie", ["color"] = "#123456", ["spikeFactor"] = "2.5", ["spikeMinimum"] = "5", ["negativeRise"] = "15" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var saved = await host.InWorkspaceAsync("maison-lumen", s => s.GetRequiredService<ListeningQueryService>().FindByNameAsync("Lueur"));
        Assert.Equal((2.5, 5, 15), (saved!.SpikeFactor, saved.SpikeMinimum, saved.NegativeRise));
    }
}
