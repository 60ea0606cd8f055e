using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration.Calendar;

/// <summary>
/// A variant as a thread on the calendar's side: the API and recipes take and give its parts, each part is held to
/// its network's limit before approval, a changed thread sends an approved post back to review, and publishing reads
/// the parts in order.
/// </summary>
public sealed class ThreadPostTests
{
    private const string Key = "maison-lumen";

    private static async Task<HttpClient> ScriptAsync(PortalHost host)
    {
        await host.AddMemberAsync("cm@lumen.test", Key, DefaultRoles.CommunityManager);
        var token = await host.InScopeAsync(async services =>
        {
            var user = await services.GetRequiredService<CoreDbContext>().Users.SingleAsync(u => u.Email == "cm@lumen.test");
            var outcome = await services.GetRequiredService<AccessTokenService>().CreateAsync(user.Id, new AccessTokenRequest("script", Key));
            return outcome.Secret!;
        });
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Fact]
    public async Task A_script_writes_a_thread_reads_its_parts_in_order_reorders_them_and_is_refused_one_on_a_network_without_threads()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var api = await ScriptAsync(host);

        var created = await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{Key}/posts", new
        {
            text = "L’atelier du mardi", networks = new[] { "mastodon", "bluesky" },
            variants = new { bluesky = new { thread = new[] { "Au programme : la cire", "  ", "Inscriptions sur le site" } } },
        }), HttpStatusCode.Created);
        // The blank part is no part; the variant's text is part 1 and follows the main text.
        Assert.Equal(["Au programme : la cire", "Inscriptions sur le site"], Strings(created["variants"]!["bluesky"]!["thread"]));
        Assert.Equal("L’atelier du mardi", created["variants"]!["bluesky"]!["text"]!.GetValue<string>());
        Assert.Empty(Strings(created["variants"]!["mastodon"]!["thread"]));

        var id = created["id"]!.GetValue<string>();
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/{Key}/posts/{id}")
        {
            Content = JsonContent.Create(new
            {
                text = "L’atelier du mardi", networks = new[] { "bluesky" },
                variants = new { bluesky = new { thread = new[] { "Inscriptions sur le site", "Au programme : la cire" } } },
            }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await JsonAsync(await api.SendAsync(put), HttpStatusCode.OK);
        var read = await JsonAsync(await api.GetAsync($"/api/v1/{Key}/posts/{id}"), HttpStatusCode.OK);
        Assert.Equal(["Inscriptions sur le site", "Au programme : la cire"], Strings(read["variants"]!["bluesky"]!["thread"]));

        var refused = await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{Key}/posts", new
        {
            text = "Un carrousel", networks = new[] { "instagram" },
            variants = new { instagram = new { thread = new[] { "Deuxième image" } } },
        }), HttpStatusCode.UnprocessableEntity);
        var problem = Assert.Single(refused["errors"]!.AsArray());
        Assert.Equal("variants.instagram.thread", problem!["field"]!.GetValue<string>());
        Assert.Equal("{0} has no threads: a thread can go to {1}.", problem["template"]!.GetValue<string>());
        Assert.StartsWith("Instagram n’a pas de fils\u00a0: un fil peut aller sur Mastodon, Bluesky, X", problem["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_part_too_long_for_its_network_blocks_scheduling_naming_the_part_and_a_changed_thread_sends_an_approved_post_back_to_review()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var longPart = new string('a', 290) + " ✨ " + new string('b', 20);
        var input = new PostInput
        {
            Text = "Un fil sur Bluesky", Networks = ["bluesky"], StartsAt = "2031-03-04T09:30",
            Variants = new Dictionary<string, VariantInput> { ["bluesky"] = new(null, Thread: ["Une deuxième partie", longPart]) },
        };
        var problems = await host.InWorkspaceAsync(Key, async s =>
            (await s.GetRequiredService<PostService>().CreateAsync(input, PostState.Scheduled, PostActor.System("Tests"))).Problems);
        var problem = Assert.Single(problems);
        Assert.Equal("variants.bluesky.thread", problem.Field);
        Assert.Equal("Part 3 of the Bluesky thread is 313 characters long, as Bluesky counts them; the limit is 300. It goes beyond from character 301: shorten it.",
            problem.ToString());

        var id = await host.CreatePostAsync(input with { Variants = new Dictionary<string, VariantInput> { ["bluesky"] = new(null, Thread: ["Une deuxième partie"]) } },
            PostState.Approved, Key);
        var edited = await host.InWorkspaceAsync(Key, async s =>
        {
            var posts = s.GetRequiredService<PostService>();
            var post = (await posts.FindAsync(id))!;
            var outcome = await posts.UpdateAsync(id, post.Version, posts.InputOf(post) with
            {
                Variants = new Dictionary<string, VariantInput> { ["bluesky"] = new(null, Thread: ["Une deuxième partie", "Et une troisième"]) },
            }, PostActor.System("Tests"));
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return outcome.Post!;
        });
        Assert.Equal(PostState.InReview, edited.State);
        Assert.Equal(["Une deuxième partie", "Et une troisième"], PostThread.Parse(Assert.Single(edited.Variants).Thread));
    }

    [Fact]
    public async Task Publishing_reads_a_variant_s_parts_in_order_the_first_with_the_link_and_a_single_post_as_one_part()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var start = await host.InWorkspaceAsync(Key, s => Task.FromResult(PostRules.Format(NodaTime.SystemClock.Instance.GetCurrentInstant()
            .Plus(NodaTime.Duration.FromHours(3)).InZone(s.GetRequiredService<PostService>().Zone).LocalDateTime)));
        var id = await host.CreatePostAsync(new PostInput
        {
            Text = "Le fil de l’atelier", Networks = ["mastodon", "bluesky"], StartsAt = start,
            Variants = new Dictionary<string, VariantInput> { ["mastodon"] = new(null, "https://www.maison-lumen.test/atelier", Thread: ["Deux", "Trois"]) },
        }, PostState.Scheduled, Key);
        var post = await host.FindPostAsync(id, Key);

        var content = await host.InWorkspaceAsync(Key, s => s.GetRequiredService<IPublishingSchedule>().ContentAsync(id, post.StartsUtc!.Value));

        var mastodon = content!.For("mastodon")!;
        Assert.Equal(["Le fil de l’atelier", "Deux", "Trois"], mastodon.Parts.Select(p => p.Text));
        Assert.Equal(["https://www.maison-lumen.test/atelier", null, null], mastodon.Parts.Select(p => p.Link));
        Assert.Equal(mastodon.Text, mastodon.Parts[0].Text);
        var bluesky = content.For("bluesky")!;
        Assert.Equal(["Le fil de l’atelier"], bluesky.Parts.Select(p => p.Text));
    }

    [Fact]
    public async Task A_recipe_writes_a_thread_and_an_export_gives_it_back_in_order()
    {
        await using var host = await PortalHost.StartAsync();
        await host.ApplyRecipeAsync("""
            { "name": "fil", "steps": [
              { "step": "workspace", "key": "lumen", "name": "Lumen" },
              { "step": "modules", "enable": ["KeyDates", "BrandIdentity", "ContentCalendar"] },
              { "step": "posts", "posts": [ { "slug": "fil-atelier", "text": "1/3 L’atelier", "networks": ["mastodon", "bluesky"],
                  "variants": { "mastodon": { "thread": ["2/3 La cire", "3/3 Les mèches"] } } } ] } ] }
            """);
        var export = JsonNode.Parse(await host.ExportAsync("lumen"))!["steps"]!.AsArray()
            .Single(s => s!["step"]!.GetValue<string>() == "posts")!["posts"]!.AsArray().Single()!;
        Assert.Equal(["2/3 La cire", "3/3 Les mèches"], Strings(export["variants"]!["mastodon"]!["thread"]));
        Assert.Null(export["variants"]!["bluesky"]);

        // A part with a character that reorders text is refused, the error naming the item's thread.
        var (error, _) = await RecipeTests.ApplyBadAsync(host, """
            { "name": "fil", "steps": [
              { "step": "workspace", "key": "lumen", "name": "Lumen" },
              { "step": "posts", "posts": [ { "slug": "fil-atelier", "text": "1/3 L’atelier", "networks": ["mastodon"],
                  "variants": { "mastodon": { "thread": ["2/3 La cire\u202Etxt"] } } } ] } ] }
            """);
        Assert.Equal("posts[0].variants.mastodon.thread[0]", Assert.Single(error.Errors).Field);
    }
}
