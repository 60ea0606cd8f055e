using System.Net;
using System.Text.Json.Nodes;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Nobody crosses from one workspace into another: every admin and public route that the host or any module
/// registers is walked with the other workspace's key and this workspace's stored values (ids, version numbers,
/// logo hashes, slugs, document names). Each URL is first shown to answer with this workspace's own key, so a
/// 404 through the other key means "not found there", never "no such route".
/// </summary>
public sealed class WorkspaceIsolationTests
{
    private const string Secret = "alpha-secret-7f3";

    /// <summary>Alpha and beta with every module on and something stored by each; alpha's rows carry <see cref="Secret"/>.</summary>
    private static async Task<PortalHost> StartWithTwoWorkspacesAsync(Provider provider = Provider.Sqlite)
    {
        // The walk posts to the invitation page with every stored value: the sign-in rate limit is not what it tests.
        var host = await PortalHost.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Security:SignInRateLimit:PermitLimit"] = "100000", ["Inbox:AllowPrivateSourceAddresses"] = "true",
        });
        await host.SetUpAsync("blank.recipe.json", new() { ["key"] = "alpha", ["name"] = "Alpha" });
        foreach (var key in new[] { "alpha", "beta" })
            await host.ApplyRecipeAsync(Recipe(key, key == "alpha" ? Secret : "beta-visible"));
        // Alpha has more than beta: a second charter version and a second editorial line, which beta has no counterpart for.
        await host.ApplyRecipeAsync(Recipe("alpha", Secret, version: 2));
        // Images are not carried by recipes: each workspace its own, uploaded through the media library's service.
        foreach (var (key, red) in new[] { ("alpha", (byte)0x10), ("beta", (byte)0x20) })
            await host.InScopeAsync(async s =>
            {
                s.GetRequiredService<WorkspaceContext>().Set(await s.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Key == key));
                var outcome = await s.GetRequiredService<CmPortal.Modules.ContentCalendar.Media.MediaService>().UploadAsync(
                    $"{key}.png", new MemoryStream(TestImages.Png(4, 4, red)), $"Image {key}", CmPortal.Modules.ContentCalendar.Posts.PostActor.System("Test"));
                Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
                // A blog article with that image as its cover (its slug a value only this workspace has), and a draft.
                var blog = s.GetRequiredService<CmPortal.Modules.Blog.Contracts.IBlogArticles>();
                await blog.PublishAsync(new($"Article {key}", null, $"Texte {key}", outcome.Item!.Id, Slug: $"article-{key}-{red}"), $"delivery-{key}");
                var draft = await s.GetRequiredService<CmPortal.Modules.Blog.Articles.ArticleService>().CreateAsync(new() { Title = $"Brouillon {key}", Slug = $"brouillon-{key}-{red}" });
                Assert.True(draft.Succeeded, string.Join(" ", draft.Problems));
                // And a preview link of a week, for a decision maker (links are not carried by recipes either).
                var admin = await s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == PortalHost.AdminEmail).Select(u => u.Id).SingleAsync();
                var access = new WorkspaceAccess(true, true, new HashSet<string>());
                var link = await s.GetRequiredService<CmPortal.Modules.ContentCalendar.Preview.PreviewLinkService>().CreateAsync(
                    null, "2027-03-01", 7, new CmPortal.Modules.ContentCalendar.Posts.PostActor(admin, "Admin", access));
                Assert.Empty(link.Problems);
                // A crisis declared (crises are not carried by recipes): lifting it is addressed by its id.
                var crisis = await s.GetRequiredService<CmPortal.Modules.Inbox.Crisis.CrisisService>().DeclareAsync($"Crise {key}",
                    new CmPortal.Modules.Inbox.Crisis.CrisisActor(admin, "Admin"));
                Assert.True(crisis.Succeeded, string.Join(" ", crisis.Problems));
                // Listening: an ingest hook, a query and a source (paused: the walk must not read it) of the inbox.
                var hook = await s.GetRequiredService<CmPortal.Modules.Inbox.Import.IngestHookService>().CreateAsync($"Pont {key}", admin);
                Assert.Empty(hook.Problems);
                var query = await s.GetRequiredService<CmPortal.Modules.Inbox.Listening.ListeningQueryService>().CreateAsync(
                    new($"Veille {key}", "brand", key), background: false);
                Assert.Empty(query.Problems);
                var rule = await s.GetRequiredService<CmPortal.Modules.Inbox.Automation.RuleService>().CreateAsync(
                    new($"Règle {key}", Words: key, Labels: key), admin, "Admin");
                Assert.Empty(rule.Problems);
                var saved = await s.GetRequiredService<CmPortal.Modules.Inbox.SavedSearches.SavedSearchService>().SaveAsync(
                    admin, $"Recherche {key}", $"q={key}", shared: true, canManage: true);
                Assert.Empty(saved.Problems);
                var sources = s.GetRequiredService<CmPortal.Modules.Inbox.Sources.Stored.SourceService>();
                var source = await sources.CreateAsync(new("rss", $"Flux {key}", $"http://127.0.0.1:9/{key}.xml"));
                Assert.True(source.Succeeded, string.Join(" ", source.Problems));
                Assert.True((await sources.PauseAsync(source.Source!.Id, source.Source.Version)).Succeeded);
                // A manual channel and one delivery of its log (channels are named by recipes, deliveries never).
                var channel = await s.GetRequiredService<CmPortal.Modules.Publishing.Channels.ChannelService>().ConnectAsync("manual", $"Instagram {key}",
                    new Dictionary<string, string> { ["network"] = "instagram" }, null, default);
                Assert.True(channel.Succeeded, string.Join(" ", channel.Problems));
                var publishing = s.GetRequiredService<CmPortal.Modules.Publishing.Data.PublishingDbContext>();
                publishing.Deliveries.Add(new CmPortal.Modules.Publishing.Data.Delivery
                {
                    Id = Guid.NewGuid(), ChannelId = channel.Channel!.Id, PostId = Guid.NewGuid(), OccurrenceUtc = DateTime.UtcNow, DueUtc = DateTime.UtcNow,
                    Network = "instagram", DeliveryKey = $"manual_{key}", State = CmPortal.Modules.Publishing.Data.DeliveryState.Canceled,
                });
                await publishing.SaveChangesAsync();
            });
        await host.AddMemberAsync("manager@alpha.test", "alpha", DefaultRoles.BrandManager);
        using (var admin = await host.SignInAsync())
            foreach (var key in new[] { "alpha", "beta" })
            {
                var analyst = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Roles
                    .Where(r => r.Name == DefaultRoles.Analyst && s.GetRequiredService<CoreDbContext>().Workspaces.Any(w => w.Id == r.WorkspaceId && w.Key == key))
                    .Select(r => r.Id).SingleAsync());
                await admin.InviteAsync(key, $"invited@{key}.test", analyst);
            }
        // The events the setup raised (an article published) are handled now, not in the middle of a walk's snapshot.
        await host.Services.GetRequiredService<CmPortal.Core.Events.ModuleEventDispatcher>().DrainAsync();
        return host;
    }

    private static string Recipe(string key, string marker, int version = 1)
    {
        var svg = $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>{marker}</title><rect width="10" height="10" fill="#7a2e3a"/></svg>""";
        JsonObject Step(string json) => JsonNode.Parse(json)!.AsObject();
        var steps = new JsonArray
        {
            Step($$"""{ "step": "workspace", "key": "{{key}}", "name": "{{key}}", "site": { "published": true } }"""),
            Step("""{ "step": "modules", "enable": ["KeyDates", "ProbeDependent", "BrandIdentity", "CommunityCharter", "ContentCalendar", "Publishing", "Blog", "Inbox"] }"""),
            Step($$"""{ "step": "keyDates", "keyDates": [ { "id": "{{marker}}", "title": "{{marker}}", "start": "2027-05-01", "public": true } ] }"""),
            Step($$"""{ "step": "probeNotes", "notes": ["{{marker}}"] }"""),
            Step($$"""{ "step": "editorialLine", "mission": "Mission {{marker}} v{{version}}" }"""),
            new JsonObject
            {
                ["step"] = "graphicCharter",
                ["palette"] = JsonNode.Parse("""[ { "name": "Bordeaux", "hex": "#7a2e3a", "role": "primary" }, { "name": "Crème", "hex": "#fbf7f0", "role": "background" }, { "name": "Fumée", "hex": "#2b2523", "role": "text" } ]"""),
                ["logos"] = new JsonArray(new JsonObject { ["name"] = "primary", ["svg"] = svg }),
                // Each workspace its own font file, so that alpha's font hash is a value only alpha has.
                ["fonts"] = new JsonArray(new JsonObject { ["family"] = $"Marque {key}", ["weight"] = 400, ["woff2"] = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(
                    RecipeHostExtensions.RepositoryRoot, "modules", "CmPortal.Modules.BrandIdentity", "wwwroot", "lib", "fonts", key == "alpha" ? "lora" : "inter", "files",
                    $"{(key == "alpha" ? "lora" : "inter")}-latin-400-normal.woff2"))) }),
            },
            CharterRecipes.Step(publish: true, changeNote: version > 1 ? "Deuxième version." : null, title: $"Charte {marker}",
                CharterRecipes.Section("regles", "Règles", CharterRecipes.Rule("respect", $"{marker} version {version}"))),
            CharterRecipes.Step(publish: false, title: $"Charte {marker}",
                sections: CharterRecipes.Section("brouillon", "Brouillon", CharterRecipes.Rule("secret", $"Brouillon {marker}"))),
            // The content calendar: a campaign, a queue slot and a post each, so its pages are crossed with real ids.
            Step($$"""{ "step": "campaigns", "campaigns": [ { "slug": "{{marker}}", "name": "Campagne {{marker}}", "start": "+1d", "end": "+10d" } ] }"""),
            Step("""{ "step": "queueSlots", "queueSlots": [ { "network": "instagram", "weekday": "TU", "time": "18:00" } ] }"""),
            Step($$"""{ "step": "posts", "posts": [ { "slug": "{{marker}}", "text": "Publication {{marker}}", "networks": ["instagram"], "startsAt": "+1d 09:00", "campaign": "{{marker}}", "notes": "{{marker}} v{{version}}" } ] }"""),
            // A channel waiting for its secret, so that the page where it is entered is crossed with a real id.
            Step($$"""{ "step": "channels", "channels": [ { "kind": "mastodon", "name": "Mastodon {{marker}}", "instanceUrl": "https://mastodon.{{key}}.test" } ] }"""),
            // A mention each (ingested: its id is the database's, and applying the recipe again stores nothing new).
            Step($$"""{ "step": "mentions", "mentions": [ { "externalId": "{{marker}}", "text": "Mention {{marker}}", "hoursAgo": 1 } ] }"""),
            // A saved reply each, so that its edit page is crossed with a real id (inbox-answers).
            Step($$"""{ "step": "savedReplies", "replies": [ { "title": "Réponse {{marker}}", "text": "Bonjour {auteur}, {{marker}}." } ] }"""),
        };
        return new JsonObject { ["name"] = "two", ["steps"] = steps }.ToJsonString();
    }

    [Fact]
    public async Task Another_workspace_never_serves_this_workspace_rows_on_any_route() =>
        await WalkAsHostAdminAsync(Provider.Sqlite);

    [Fact]
    public async Task Another_workspace_never_serves_this_workspace_rows_on_any_route_on_postgres() =>
        await WalkAsHostAdminAsync(Provider.Postgres);

    private static async Task WalkAsHostAdminAsync(Provider provider)
    {
        await using var host = await StartWithTwoWorkspacesAsync(provider);
        using var admin = await host.SignInAsync();
        var alpha = await RouteValueSource.ForWorkspaceAsync(host, "alpha");
        var beta = await RouteValueSource.ForWorkspaceAsync(host, "beta");
        // Values only alpha has (its row ids, its logo's hash, its second version): through beta, nothing answers to them.
        var alphaOnly = alpha.Values.Except(beta.Values).ToHashSet();
        var routes = PortalRoutes.All(host).Where(r => r.InWorkspace).ToList();
        foreach (var expected in new[]
                 {
                     "POST /admin/{workspace}/key-dates/{key:guid}/delete", "GET /{workspace}/probe/notes/{id:guid}", "GET /{workspace}/charter/v/{number:int}",
                     "GET /{workspace}/brand/logo/{sha:regex(^[0-9a-f]{{64}}$)}.{extension:regex(^(svg|png)$)}",
                     "GET /admin/{workspace}/brand/{document:regex(^(editorial-line|graphic-charter)$)}/history/{number:int}",
                 })
            Assert.Contains(routes, r => r.ToString() == expected);

        var token = await admin.AntiforgeryTokenAsync();
        // The API takes no cookie: the administrator's script walks it with a personal access token of alpha.
        using var api = new HttpClient { BaseAddress = host.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await host.InScopeAsync(async s =>
            (await s.GetRequiredService<AccessTokenService>().CreateAsync(
                (await s.GetRequiredService<CoreDbContext>().Users.SingleAsync(u => u.Email == PortalHost.AdminEmail)).Id,
                new AccessTokenRequest("walk", "alpha"))).Secret!));
        Task<HttpResponseMessage> Get(string path) => path.StartsWith("/api/", StringComparison.Ordinal) ? api.GetAsync(path) : admin.GetAsync(path);
        // Used once before the snapshot: its last use is then noted, and not again within the minute the walk takes.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/alpha")).StatusCode);
        var before = await DatabaseSnapshot.ContentAsync(host);
        var failures = new List<string>();
        var crossed = 0;
        foreach (var route in routes.Where(r => r.Method == "GET"))
        {
            var own = alpha.Fill(route).ToList();
            var through = alpha.Fill(route, "beta").ToList();
            var answered = 0;
            for (var i = 0; i < own.Count; i++)
            {
                var mine = await Get(own[i].Path);
                if (mine.StatusCode == HttpStatusCode.NotFound) continue; // a value of another kind (a role id on the key-date route)
                if (mine.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{own[i]} answered {(int)mine.StatusCode} in its own workspace, expected 200 or 404");
                    continue;
                }
                answered++;
                var other = await Get(through[i].Path);
                var body = await other.Content.ReadAsStringAsync();
                crossed++;
                if (body.Contains(Secret, StringComparison.Ordinal)) failures.Add($"{through[i]} shows alpha's data");
                if (own[i].Values.Any(alphaOnly.Contains) ? other.StatusCode != HttpStatusCode.NotFound
                        : other.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound))
                    failures.Add($"{through[i]} answered {(int)other.StatusCode}, expected 404 (alpha's {own[i]} answers 200)");
            }
            if (answered == 0) failures.Add($"{route}: no stored value of alpha makes it answer 200, so crossing it proves nothing");
        }

        // A write addressed by alpha's ids through beta finds nothing. Writes that carry none of alpha's values act on
        // beta itself (a legitimate change there) and are not sent; each write route is shown to match in alpha.
        // API writes take a bearer token, never the cookie this part walks with (AntiforgeryTests, ApiTokenTests).
        var writes = routes.Where(r => r.ChangesData && !r.Template.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        foreach (var route in writes)
        {
            var own = alpha.Fill(route).ToList();
            var through = alpha.Fill(route, "beta").ToList();
            if (own.Count == 0) failures.Add($"{route}: no stored value of alpha fits its parameters");
            for (var i = 0; i < own.Count; i++)
            {
                var matched = await admin.SendWithoutTokenAsync(route.Method, own[i].Path);
                if (matched.StatusCode != HttpStatusCode.BadRequest)
                    failures.Add($"{own[i]} without a token answered {(int)matched.StatusCode}: expected 400, which shows the route matches and lets the administrator in");
                if (!own[i].Values.Any(alphaOnly.Contains)) continue;
                var other = await Send(admin, route.Method, through[i].Path, token);
                crossed++;
                if (other.StatusCode != HttpStatusCode.NotFound) failures.Add($"{through[i]} answered {(int)other.StatusCode}, expected 404");
                if ((await other.Content.ReadAsStringAsync()).Contains(Secret, StringComparison.Ordinal)) failures.Add($"{through[i]} shows alpha's data");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
        Assert.True(crossed > 60, $"only {crossed} requests crossed workspaces");

        // The ids the writes were crossed with are alpha's real ones: with alpha's key, each of those writes finds
        // what it addresses (deletions, then turning a module off, last, so the rows the others need are still there).
        foreach (var route in writes.Where(r => alpha.Fill(r).Any(f => f.Values.Any(alphaOnly.Contains)))
                     .OrderBy(r => r.Template.EndsWith("/disable") ? 2 : r.Template.EndsWith("/delete") || r.Template.EndsWith("/remove") ? 1 : 0))
        {
            var found = false;
            foreach (var filled in alpha.Fill(route).OrderBy(f => f.Values.Any(alphaOnly.Contains) ? 0 : 1))
                if ((await Send(admin, route.Method, filled.Path, token)).StatusCode != HttpStatusCode.NotFound) { found = true; break; }
            Assert.True(found, $"{route}: none of alpha's values is found through alpha's own key");
        }
    }

    [Fact]
    public async Task A_member_of_one_workspace_gets_404_on_every_admin_route_of_another()
    {
        await using var host = await StartWithTwoWorkspacesAsync();
        using var manager = await host.SignInAsync("manager@alpha.test", MemberHostExtensions.MemberPassword);
        var alpha = await RouteValueSource.ForWorkspaceAsync(host, "alpha");
        var beta = await RouteValueSource.ForWorkspaceAsync(host, "beta");
        var token = await manager.AntiforgeryTokenAsync();
        var before = await DatabaseSnapshot.ContentAsync(host);
        var failures = new List<string>();
        var requests = 0;
        foreach (var route in PortalRoutes.All(host).Where(r => r.InWorkspace && r.IsAdmin))
        {
            // Their own workspace's URL answers them (a page, a form's 400 without token, or "access denied"): the route matches.
            var reachable = false;
            foreach (var filled in alpha.Fill(route))
            {
                if ((await manager.SendWithoutTokenAsync(route.Method, filled.Path)).StatusCode != HttpStatusCode.NotFound) { reachable = true; break; }
            }
            if (!reachable) failures.Add($"{route}: no URL of the manager's own workspace answers, so its 404 in another proves nothing");
            // Beta's own values and alpha's: beta's admin is closed to them either way.
            foreach (var filled in beta.Fill(route).Concat(alpha.Fill(route, "beta")))
            {
                var response = await Send(manager, route.Method, filled.Path, token);
                requests++;
                if (response.StatusCode != HttpStatusCode.NotFound) failures.Add($"{filled} answered {(int)response.StatusCode}, expected 404");
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(requests > 60, $"only {requests} requests");
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
        // Their own workspace opens; the host's pages send them to "access denied".
        Assert.Contains(Secret, await manager.GetStringAsync("/admin/alpha/key-dates"));
        ResponseAssert.AssertRedirect(await manager.GetAsync("/admin/workspaces"), "/account/denied?ReturnUrl=%2Fadmin%2Fworkspaces");
    }

    [Fact]
    public async Task Public_pages_of_one_workspace_never_show_another_workspace_data()
    {
        await using var host = await StartWithTwoWorkspacesAsync();
        using var visitor = host.CreateClient();
        var alpha = await RouteValueSource.ForWorkspaceAsync(host, "alpha");
        var beta = await RouteValueSource.ForWorkspaceAsync(host, "beta");
        var failures = new List<string>();
        var pages = 0;
        foreach (var route in PortalRoutes.All(host).Where(r => r.InWorkspace && !r.IsAdmin && r.Method == "GET"))
        foreach (var filled in beta.Fill(route).Concat(alpha.Fill(route, "beta")))
        {
            var response = await visitor.GetAsync(filled.Path);
            if (response.StatusCode == HttpStatusCode.OK) pages++;
            if ((await response.Content.ReadAsStringAsync()).Contains(Secret, StringComparison.Ordinal)) failures.Add($"{filled} shows alpha's data");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        // Beta's home, charter, feed, note and logo were among them, and they show beta's own data.
        Assert.True(pages >= 6, $"only {pages} public pages of beta answered");
        Assert.Contains("beta-visible", await visitor.GetStringAsync("/beta/key-dates.ics"));
        Assert.Contains("beta-visible version 1", await visitor.GetStringAsync("/beta/charter"));
        Assert.Contains("Mission beta-visible", await visitor.GetStringAsync("/beta/"));
    }

    /// <summary>A request with its token and a field the edit forms take. No "Id" field: MVC binds form values before route
    /// values, so a posted "Id" would stand in for the route's {id} and every crossing would 404 without looking.</summary>
    private static Task<HttpResponseMessage> Send(PortalClient client, string method, string path, string? token = null) =>
        client.SendFormAsync(method, path, new() { ["Title"] = "changed" }, token);
}
