using System.Net;
using System.Net.Http.Headers;
using CmPortal.Core.Caching;
using CmPortal.Core.Workspaces;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Public pages come from the output cache, yet a change shows on the next request on the node that made it and
/// within <see cref="PublicPageVersions.RecheckAfter"/> on the others; signed-in visitors are never served or
/// stored; browsers revalidate with the ETag; cached answers keep the security headers and carry no form token.
/// </summary>
public sealed class PublicPageCacheTests
{
    private const string Charter = "/maison-lumen/charter";
    private const string Home = "/maison-lumen/";

    /// <summary>The response came out of the output cache (only a stored answer carries an Age).</summary>
    private static bool FromCache(HttpResponseMessage response) => response.Headers.Age is not null;

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(PortalClient client, string path, EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(ifNoneMatch);
        var response = await client.Http.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Reads the page twice and checks the second answer is the stored one.</summary>
    private static async Task<(HttpResponseMessage Response, string Body)> CachedAsync(PortalClient client, string path)
    {
        await GetAsync(client, path);
        var again = await GetAsync(client, path);
        Assert.True(again.Response.StatusCode == HttpStatusCode.OK && FromCache(again.Response), $"{path} is not served from the cache");
        return again;
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var where = $"{response.RequestMessage!.RequestUri!.PathAndQuery} ({(int)response.StatusCode})";
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{where}: no Content-Security-Policy");
        Assert.Contains("script-src 'self'", Assert.Single(csp));
        Assert.Contains("frame-ancestors 'none'", csp.Single());
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["strict-origin-when-cross-origin"], response.Headers.GetValues("Referrer-Policy"));
    }

    [Fact]
    public async Task A_cached_page_changes_on_the_very_next_request_after_a_publication_a_settings_save_or_a_module_turned_off()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        using var visitor = host.CreateClient();

        var before = await CachedAsync(visitor, Charter);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/maison-lumen/charter/edit", CommunityCharterTests.EditForm("Règle toute neuve du jour."))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await CharterRecipes.PublishAsync(admin, "maison-lumen", "Une règle neuve.")).StatusCode);
        var after = await GetAsync(visitor, Charter);
        Assert.Contains("Règle toute neuve du jour.", after.Body);
        Assert.False(FromCache(after.Response));
        Assert.NotEqual(before.Response.Headers.ETag, after.Response.Headers.ETag);

        var home = await CachedAsync(visitor, Home);
        Assert.Contains("Maison Lumen", home.Body);
        Assert.Contains($"href=\"{Charter}\"", home.Body);
        await host.InScopeAsync(async services =>
        {
            var workspaces = services.GetRequiredService<WorkspaceService>();
            var w = (await workspaces.FindAsync("maison-lumen"))!;
            await workspaces.SaveAsync(new WorkspaceSettings(w.Key, "Lumen Atelier Nord", w.Culture, w.TimeZone, w.SiteTheme, null));
        });
        Assert.Contains("Lumen Atelier Nord", (await GetAsync(visitor, Home)).Body);

        await CachedAsync(visitor, Home);
        // The inbox moderates by the charter: it goes first.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/maison-lumen/modules/Inbox/disable", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/maison-lumen/modules/CommunityCharter/disable", [])).StatusCode);
        Assert.DoesNotContain($"href=\"{Charter}\"", (await GetAsync(visitor, Home)).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(visitor, Charter)).Response.StatusCode);
    }

    [Fact]
    public async Task A_conditional_request_with_the_etag_answers_304_and_cached_answers_keep_the_security_headers()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var visitor = host.CreateClient();

        foreach (var path in new[] { Charter, Home, "/maison-lumen/charte", "/maison-lumen/key-dates.ics" })
        {
            var (cached, _) = await CachedAsync(visitor, path);
            AssertSecurityHeaders(cached);
            var etag = cached.Headers.ETag;
            Assert.True(etag is not null, $"{path}: no ETag");
            var cacheControl = cached.Headers.CacheControl!;
            Assert.True(cacheControl.Public && cacheControl.MaxAge == TimeSpan.Zero && cacheControl.MustRevalidate, $"{path}: Cache-Control {cacheControl}");

            var (notModified, body) = await GetAsync(visitor, path, etag);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Equal("", body);
            Assert.Equal(etag, notModified.Headers.ETag);
            AssertSecurityHeaders(notModified);

            var (changedTag, _) = await GetAsync(visitor, path, new EntityTagHeaderValue("\"p0-000000000000\""));
            Assert.Equal(HttpStatusCode.OK, changedTag.StatusCode);
        }

        // An error is neither stored nor given a validator.
        for (var i = 0; i < 2; i++)
        {
            var (missing, _) = await GetAsync(visitor, "/maison-lumen/charter/v/99");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Null(missing.Headers.ETag);
            Assert.False(FromCache(missing));
        }
    }

    [Fact]
    public async Task Signed_in_visitors_are_never_served_from_the_cache_nor_stored_in_it()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        using var visitor = host.CreateClient();

        // Signed in first: nothing is stored, so the visitor's first answer is fresh.
        for (var i = 0; i < 2; i++)
        {
            var (page, _) = await GetAsync(admin, Charter);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.False(FromCache(page));
            Assert.Null(page.Headers.ETag);
            Assert.False(page.Headers.CacheControl?.Public ?? false);
        }
        Assert.False(FromCache((await GetAsync(visitor, Charter)).Response));

        // Stored for the visitor now, yet the signed-in user still gets a page made for them.
        await CachedAsync(visitor, Charter);
        Assert.False(FromCache((await GetAsync(admin, Charter)).Response));
        Assert.False(FromCache((await GetAsync(admin, Home)).Response));
    }

    [Fact]
    public async Task Public_pages_carry_no_form_no_antiforgery_token_and_set_no_cookie()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var visitor = host.CreateClient();

        foreach (var path in new[] { Home, Charter, "/maison-lumen/charte", "/maison-lumen/charter/v/1", "/maison-lumen/key-dates.ics" })
        {
            var (first, firstBody) = await GetAsync(visitor, path);
            var (cached, body) = await CachedAsync(visitor, path);
            foreach (var (response, html) in new[] { (first, firstBody), (cached, body) })
            {
                Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} sets a cookie");
                Assert.DoesNotContain("__RequestVerificationToken", html);
                Assert.DoesNotContain("<form", html, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task Another_node_on_the_same_database_stops_serving_the_older_page_within_the_bound()
    {
        await using var first = await PortalHost.StartSetUpAsync(Provider.Postgres);
        await using var second = first.StartAnotherNode();
        using var admin = await first.SignInAsync();
        using var onFirst = first.CreateClient();
        using var onSecond = second.CreateClient();

        // Both nodes hold the charter page, and the second one the home page that links it.
        await CachedAsync(onFirst, Charter);
        var stale = await CachedAsync(onSecond, Charter);
        Assert.DoesNotContain("Publiée sur le premier nœud.", stale.Body);
        await CachedAsync(onSecond, Home);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/maison-lumen/charter/edit", CommunityCharterTests.EditForm("Publiée sur le premier nœud."))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await CharterRecipes.PublishAsync(admin, "maison-lumen", "Depuis le premier nœud.")).StatusCode);
        var published = DateTime.UtcNow;
        Assert.Contains("Publiée sur le premier nœud.", (await GetAsync(onFirst, Charter)).Body);

        // The second node learns it from the shared database: within RecheckAfter, never from its stale copies.
        var bound = PublicPageVersions.RecheckAfter + TimeSpan.FromSeconds(1);
        string body;
        do
        {
            body = (await GetAsync(onSecond, Charter)).Body;
            if (body.Contains("Publiée sur le premier nœud.")) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow - published < bound);
        Assert.True(body.Contains("Publiée sur le premier nœud."), $"the second node still serves the older charter {bound.TotalSeconds} s after the publication");
        Assert.Contains("Depuis le premier nœud.", body);

        // A module turned off on the first node: the second node's home drops the link as well (its workspace
        // directory, which would otherwise keep the module on for 30 s, is dropped when it sees the version move).
        // The inbox moderates by the charter: it goes first.
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/maison-lumen/modules/Inbox/disable", [])).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/maison-lumen/modules/CommunityCharter/disable", [])).StatusCode);
        var turnedOff = DateTime.UtcNow;
        string home;
        do
        {
            home = (await GetAsync(onSecond, Home)).Body;
            if (!home.Contains($"href=\"{Charter}\"")) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow - turnedOff < bound);
        Assert.DoesNotContain($"href=\"{Charter}\"", home);
    }

    [Fact]
    public async Task Eviction_counts_per_workspace_in_the_shared_table_and_rolls_back_with_the_transaction()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var id = await host.InScopeAsync(async s => (await s.GetRequiredService<WorkspaceService>().FindAsync("maison-lumen"))!.Id);
        async Task<long> VersionAsync() => await host.InScopeAsync(async s =>
            await s.GetRequiredService<PublicPageVersions>().CurrentAsync(id, s, default));

        var start = await VersionAsync();
        await host.InScopeAsync(s => s.GetRequiredService<IPublicPageCache>().EvictAsync(id));
        await host.InScopeAsync(s => s.GetRequiredService<IPublicPageCache>().EvictAsync(id));
        Assert.Equal(start + 2, await VersionAsync());

        await host.InScopeAsync(async s =>
        {
            var connection = s.GetRequiredService<CmPortal.Core.Persistence.PortalConnection>();
            await connection.BeginTransactionAsync(default);
            await s.GetRequiredService<IPublicPageCache>().EvictAsync(id);
            await connection.RollbackAsync();
        });
        Assert.Equal(start + 2, await VersionAsync());
    }
}
