using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration.Calendar;

/// <summary>
/// Posts and the calendar in the public API, as a script (n8n, a spreadsheet) uses them with a personal access token:
/// create, read, edit with If-Match, state changes, the month's occurrences across the clock change, problems field by field.
/// </summary>
public sealed class PostsApiTests
{
    private const string Key = "maison-lumen";

    private static async Task<HttpClient> CommunityManagerAsync(PortalHost host, string? language = null)
    {
        await host.AddMemberAsync("cm@lumen.test", Key, DefaultRoles.CommunityManager);
        return host.Script(await host.CreateTokenAsync("cm@lumen.test", Key), language);
    }

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>The posts written in the test (the demo's own, from its recipe, carry a slug).</summary>
    private static Task<int> PostCountAsync(PortalHost host) =>
        host.InWorkspaceAsync(Key, s => s.GetRequiredService<CalendarDbContext>().Posts.CountAsync(p => p.Slug == null));

    private static HttpRequestMessage WithIfMatch(HttpMethod method, string url, string? etag, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    [Fact]
    public async Task A_script_creates_a_weekly_post_reads_it_edits_it_with_its_etag_and_deletes_it()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var api = await CommunityManagerAsync(host);

        var created = await api.PostAsJsonAsync($"/api/v1/{Key}/posts", new
        {
            text = "L’atelier du mardi : la cire d’abeille fond doucement.", networks = new[] { "mastodon", "bluesky" },
            variants = new Dictionary<string, object> { ["bluesky"] = new { text = "L’atelier du mardi, côté Bluesky." } },
            startsAt = "2027-03-23T09:30", recurrence = "FREQ=WEEKLY;COUNT=4", pillar = "Savoir-faire & atelier",
        });
        var post = await JsonAsync(created, HttpStatusCode.Created);
        var id = (string)post["id"]!;
        Assert.Equal($"/api/v1/{Key}/posts/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        Assert.Equal(("draft", 1, "2027-03-23T09:30", "2027-03-23T08:30:00Z"),
            ((string)post["state"]!, (int)post["version"]!, (string)post["startsAt"]!, (string)post["startsAtUtc"]!));
        Assert.Equal(["mastodon", "bluesky"], post["networks"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("L’atelier du mardi, côté Bluesky.", (string)post["variants"]!["bluesky"]!["text"]!);
        Assert.Contains("chaque mardi", (string)post["summary"]!);

        using var english = host.Script(api.DefaultRequestHeaders.Authorization!.Parameter!, "en");
        var read = await english.GetAsync($"/api/v1/{Key}/posts/{id}");
        Assert.Contains("every Tuesday", (string)(await JsonAsync(read, HttpStatusCode.OK))["summary"]!);
        var etag = read.Headers.ETag!.Tag;

        var edit = new { text = "L’atelier du mardi, nouvelle version.", networks = new[] { "mastodon", "instagram" }, startsAt = "2027-03-23T10:00", recurrence = "FREQ=WEEKLY;COUNT=4" };
        var missing = await api.SendAsync(WithIfMatch(HttpMethod.Put, $"/api/v1/{Key}/posts/{id}", null, edit));
        Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var saved = await JsonAsync(await api.SendAsync(WithIfMatch(HttpMethod.Put, $"/api/v1/{Key}/posts/{id}", etag, edit)), HttpStatusCode.OK);
        Assert.Equal((2, "2027-03-23T10:00"), ((int)saved["version"]!, (string)saved["startsAt"]!));
        // A network added to a post that exists (a new variant), one taken away.
        Assert.Equal(["mastodon", "instagram"], saved["networks"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["mastodon", "instagram"], (await JsonAsync(await api.GetAsync($"/api/v1/{Key}/posts/{id}"), HttpStatusCode.OK))["networks"]!.AsArray().Select(n => (string)n!));

        // Someone who read version 1 and saves now would overwrite version 2: refused, nothing changed.
        var stale = await api.SendAsync(WithIfMatch(HttpMethod.Put, $"/api/v1/{Key}/posts/{id}", etag, edit with { }));
        var problem = await JsonAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Contains("La publication a changé depuis cette version", (string)problem["detail"]!);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await api.SendAsync(WithIfMatch(HttpMethod.Delete, $"/api/v1/{Key}/posts/{id}", etag))).StatusCode);

        var review = await api.PostAsJsonAsync($"/api/v1/{Key}/posts/{id}/state", new { state = "inReview", comment = "Prêt pour relecture" });
        Assert.Equal("inReview", (string)(await JsonAsync(review, HttpStatusCode.OK))["state"]!);

        var deleted = await api.SendAsync(WithIfMatch(HttpMethod.Delete, $"/api/v1/{Key}/posts/{id}", review.Headers.ETag!.Tag));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/{Key}/posts/{id}")).StatusCode);
        Assert.Equal(0, await PostCountAsync(host));
    }

    [Fact]
    public async Task Bad_posts_are_refused_field_by_field_in_french_or_english_and_nothing_is_stored()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var api = await CommunityManagerAsync(host);
        var bad = new
        {
            text = "Un texte", networks = new[] { "myspace" }, startsAt = "2020-01-07T09:30", recurrence = "FREQ=WEEKLY;COUNT=0",
        };

        var problem = await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{Key}/posts", bad), HttpStatusCode.UnprocessableEntity);
        var errors = problem["errors"]!.AsArray().Select(e => ((string)e!["field"]!, (string)e["message"]!)).ToList();
        Assert.Contains(errors, e => e.Item1 == "networks" && e.Item2.Contains("«\u00a0myspace\u00a0» n’est pas un réseau que le portail connaît"));

        using var english = host.Script(api.DefaultRequestHeaders.Authorization!.Parameter!, "en-GB");
        var inEnglish = await JsonAsync(await english.PostAsJsonAsync($"/api/v1/{Key}/posts", bad), HttpStatusCode.UnprocessableEntity);
        Assert.Contains(inEnglish["errors"]!.AsArray(), e => (string)e!["field"]! == "networks" && ((string)e["message"]!).Contains("“myspace” is not a network the portal knows"));

        var past = await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{Key}/posts", new { text = "Trop tard", networks = new[] { "mastodon" }, startsAt = "2020-01-07T09:30" }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("startsAt", (string)past["errors"]![0]!["field"]!);
        Assert.Contains("est déjà passé", (string)past["detail"]!);

        var state = await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{Key}/posts", new { text = "Bientôt", networks = new[] { "mastodon" }, state = "published" }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("state", (string)state["errors"]![0]!["field"]!);
        Assert.Equal(0, await PostCountAsync(host));
    }

    [Fact]
    public async Task The_calendar_answers_a_months_occurrences_at_their_paris_offsets_across_the_clock_change_and_refuses_a_window_over_a_year()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var weekly = await host.CreatePostAsync(CalendarWindowTests.Post("L’atelier du lundi", "2027-03-22T09:30", ["mastodon", "bluesky"], recurrence: "FREQ=WEEKLY;COUNT=3"), PostState.Scheduled);
        var once = await host.CreatePostAsync(CalendarWindowTests.Post("Le 1er avril", "2027-04-01T00:00"));
        using var api = await CommunityManagerAsync(host);

        var calendar = await JsonAsync(await api.GetAsync($"/api/v1/{Key}/calendar?from=2027-03-22&to=2027-04-05"), HttpStatusCode.OK);

        Assert.Equal(
        [
            (weekly.ToString(), "2027-03-22", "2027-03-22T09:30:00+01:00", "2027-03-22T08:30:00Z", "scheduled"),
            (weekly.ToString(), "2027-03-29", "2027-03-29T09:30:00+02:00", "2027-03-29T07:30:00Z", "scheduled"),
            (once.ToString(), null, "2027-04-01T00:00:00+02:00", "2027-03-31T22:00:00Z", "draft"),
        ], calendar["occurrences"]!.AsArray().Select(o => ((string)o!["postId"]!, (string?)o["occurrenceDate"], (string)o["start"]!, (string)o["startUtc"]!, (string)o["state"]!)).ToList());
        Assert.Equal(["mastodon", "bluesky"], calendar["occurrences"]![0]!["networks"]!.AsArray().Select(n => (string)n!));

        var tooLong = await JsonAsync(await api.GetAsync($"/api/v1/{Key}/calendar?from=2027-01-01&to=2028-06-01"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("to", (string)tooLong["errors"]![0]!["field"]!);
        var notADate = await JsonAsync(await api.GetAsync($"/api/v1/{Key}/calendar?from=22/03/2027&to=2027-04-05"), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("«\u00a022/03/2027\u00a0» n’est pas une date au format AAAA-MM-JJ", (string)notADate["detail"]!);
    }

    [Fact]
    public async Task Another_workspaces_token_gets_404_on_the_posts_and_the_calendar_and_the_openapi_document_lists_them()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var id = await host.CreatePostAsync(CalendarWindowTests.Post("Secret de Lumen", "2027-03-22T09:30"));
        await host.ApplyRecipeAsync("""{ "name": "other", "steps": [ { "step": "workspace", "key": "autre-marque", "name": "Autre marque" } ] }""");
        await host.AddMemberAsync("cm@autre.test", "autre-marque", DefaultRoles.CommunityManager);
        using var other = host.Script(await host.CreateTokenAsync("cm@autre.test", "autre-marque"));

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/{Key}/posts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/{Key}/calendar?from=2027-03-01&to=2027-04-01")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/v1/{Key}/posts", new { text = "Intrus" })).StatusCode);
        Assert.Equal(1, await PostCountAsync(host));

        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();
        foreach (var path in new[] { "/api/v1/{workspace}/posts", "/api/v1/{workspace}/posts/{id}", "/api/v1/{workspace}/posts/{id}/state", "/api/v1/{workspace}/calendar" })
            Assert.True(paths.ContainsKey(path), path);
        Assert.NotNull(paths["/api/v1/{workspace}/posts"]!["post"]!["requestBody"]);
    }

    [Fact]
    public async Task The_openapi_document_shows_a_create_post_example_the_api_accepts_and_an_answer_shaped_like_the_real_one()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var paths = document["paths"]!;
        var create = paths["/api/v1/{workspace}/posts"]!["post"]!;
        var request = create["requestBody"]!["content"]!["application/json"]!["example"]!;
        var answer = create["responses"]!["201"]!["content"]!["application/json"]!["example"]!.AsObject();
        Assert.NotNull(create["responses"]!["422"]!["content"]!["application/problem+json"]!["example"]);
        Assert.NotNull(paths["/api/v1/{workspace}/calendar"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["example"]!["occurrences"]);

        // A script copies the example as it is: the API takes it, and answers with the fields the example shows.
        using var api = await CommunityManagerAsync(host);
        var created = await api.PostAsync($"/api/v1/{Key}/posts",
            new StringContent(request.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var post = await JsonAsync(created, HttpStatusCode.Created);
        Assert.Equal(answer.Select(p => p.Key).Order(), post.Select(p => p.Key).Order());
        foreach (var field in new[] { "state", "text", "startsAt", "startsAtUtc", "recurrence", "summary", "pillar" })
            Assert.Equal(answer[field]!.ToJsonString(), post[field]!.ToJsonString());
        Assert.Equal(answer["variants"]!.ToJsonString(), post["variants"]!.ToJsonString());
    }
}
