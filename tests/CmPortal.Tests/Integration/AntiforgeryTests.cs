using System.Net;
using CmPortal.Core.Security;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// A page of another site cannot make a signed-in user's browser change anything: every endpoint that changes data
/// (any MVC action or minimal API answering POST, PUT, PATCH or DELETE, as the running host lists them) refuses a
/// request without the antiforgery token, even from a host administrator whom authorization lets through.
/// </summary>
public sealed class AntiforgeryTests
{
    /// <summary>
    /// Fields that the portal's forms take, with values their actions accept: if an endpoint skipped the token check,
    /// its action would run (and answer or store something) rather than refuse the request for a missing field.
    /// </summary>
    private static readonly KeyValuePair<string, string>[] PlausibleForm =
    [
        new("Title", "Sans jeton"), new("Start", "2027-03-01"), new("End", "2027-03-01"),
        new("Name", "Sans jeton"), new("name", "Sans jeton"), new("Key", "sans-jeton"), new("Network", "instagram"),
        new("Text", "Sans jeton"), new("Mission", "Sans jeton"), new("changeNote", "Sans jeton"), new("culture", "en-US"),
        new("source", "blank.recipe.json"), new("Email", "sans-jeton@example.test"), new("password", "sans-jeton-2027"),
        new("grants", "none"),
    ];

    /// <summary>The plausible fields but those named like a route value: MVC binds form values first, so a field "Key"
    /// would stand in for the route's {key} and the action would answer "not found" or "bad request" by itself.</summary>
    private static IEnumerable<KeyValuePair<string, string>> FormFor(PortalRoute route) =>
        PlausibleForm.Where(f => !route.Pattern.Parameters.Any(p => string.Equals(p.Name, f.Key, StringComparison.OrdinalIgnoreCase)));

    [Fact]
    public async Task Every_endpoint_that_changes_data_refuses_a_request_without_its_antiforgery_token_and_stores_nothing()
    {
        // Every changing endpoint is posted to, the rate-limited sign-in pages too: the limit is not what this tests.
        await using var host = await PortalHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Security:SignInRateLimit:PermitLimit"] = "100000", ["ContentCalendar:PreviewRateLimit:PermitLimit"] = "100000",
        });
        await host.SetUpAsync();
        await host.ApplyRecipeAsync("""
            { "name": "probe", "steps": [
              { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen" },
              { "step": "modules", "enable": ["ProbeDependent", "Publishing"] },
              { "step": "probeNotes", "notes": ["note-de-test"] } ] }
            """);
        await host.AddMemberAsync("cm@maison-lumen.test", "maison-lumen", DefaultRoles.CommunityManager);
        using var admin = await host.SignInAsync();
        var values = await RouteValueSource.ForWorkspaceAsync(host, "maison-lumen");

        // /health names no method, so it answers POST too; it only reports the portal's state. The API (/api/…) reads no
        // cookie at all, only a bearer token a page of another site cannot have: the browser's session opens none of it.
        var changing = PortalRoutes.All(host).Where(r => r.ChangesData && !(r.AnyMethod && r.Template == "/health")).ToList();
        var api = changing.Where(r => r.Template.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        var routes = changing.Except(api).ToList();
        Assert.Contains(api, r => r.ToString() == "POST /api/v1/{workspace}/probe/notes");
        // The walk reaches MVC actions of the host and of modules, and minimal APIs.
        Assert.Contains(routes, r => r.ToString() == "POST /admin/{workspace}/key-dates/{key:guid}/delete");
        Assert.Contains(routes, r => r.ToString() == "POST /admin/users/{id:guid}/password");
        Assert.Contains(routes, r => r.ToString() == "POST /account/logout");
        Assert.Contains(routes, r => r.ToString() == "POST /admin/{workspace}/probe/notes/{id:guid}/delete");

        var before = await DatabaseSnapshot.ContentAsync(host);
        var failures = new List<string>();
        var requests = 0;
        foreach (var route in routes)
        {
            var paths = values.Fill(route).ToList();
            if (paths.Count == 0) failures.Add($"{route}: no stored value fits its parameters, so it was not tried");
            foreach (var filled in paths)
            {
                var response = await admin.SendWithoutTokenAsync(route.Method, filled.Path, FormFor(route));
                requests++;
                if (response.StatusCode != HttpStatusCode.BadRequest)
                    failures.Add($"{filled} without its token answered {(int)response.StatusCode}, expected 400");
            }
        }
        foreach (var route in api)
        foreach (var filled in values.Fill(route))
        {
            // JSON, as the API takes it: so that the answer is the API's refusal of the cookie, not of the body.
            var response = await admin.Http.SendAsync(new HttpRequestMessage(new HttpMethod(route.Method), filled.Path)
                { Content = System.Net.Http.Json.JsonContent.Create(PlausibleForm.ToDictionary(f => f.Key, f => f.Value)) });
            requests++;
            // An ingest hook takes neither cookie nor token, only its signature: an unknown hook is 404, a known one 401.
            var signed = route.Template.Contains("/mentions/hooks/", StringComparison.Ordinal);
            if (signed ? response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.NotFound) : response.StatusCode != HttpStatusCode.Unauthorized)
                failures.Add($"{filled} with the sign-in cookie answered {(int)response.StatusCode}, expected 401 (the API takes bearer tokens only)");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Distinct()));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
        Assert.True(requests >= routes.Count, $"{requests} requests for {routes.Count} routes");

        // The administrator is still signed in (the sign-out without a token was refused as well), and the walk used
        // real ids: the same delete of a key date, with its token, goes through.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/maison-lumen")).StatusCode);
        var id = await host.InScopeAsync(services => services.GetRequiredService<KeyDatesDbContext>().KeyDates.IgnoreQueryFilters()
            .Where(k => k.Slug == "fete-des-meres").Select(k => k.Id).SingleAsync());
        var delete = Assert.Single(values.Fill(routes.Single(r => r.ToString() == "POST /admin/{workspace}/key-dates/{key:guid}/delete")),
            f => f.Path == $"/admin/maison-lumen/key-dates/{id}/delete");
        await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync(delete.Path, []), "/admin/maison-lumen/key-dates",
            "Temps fort «\u00a0Fête des mères\u00a0» supprimé.");
    }

    [Fact]
    public async Task A_post_refused_for_its_token_shows_the_error_page_and_a_post_to_no_route_is_not_refused_for_its_token()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        // A form whose token is missing (or stale, from another session) is refused with the error page, not a blank one.
        var refused = await admin.SendWithoutTokenAsync("POST", "/admin/maison-lumen/key-dates/new", [new("Title", "Sans jeton")]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<h1 class=\"h4\">Une erreur s’est produite</h1>", await refused.Content.ReadAsStringAsync());

        // A POST whose row is not there is "not found"; one that no route answers is "not found" or "method not allowed"
        // (static files answer GET at any path), with or without a token: so a 400 for a POST without token means an
        // endpoint took it and refused it.
        var missing = await admin.SendFormAsync("POST", $"/admin/maison-lumen/key-dates/{Guid.NewGuid()}/delete", []);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("<h1 class=\"h4\">Page introuvable</h1>", await missing.Content.ReadAsStringAsync());
        foreach (var nowhere in new[] { await admin.SendFormAsync("POST", "/admin/maison-lumen/nowhere", []), await admin.SendWithoutTokenAsync("POST", "/admin/maison-lumen/nowhere") })
            Assert.True(nowhere.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"a POST to no route answered {(int)nowhere.StatusCode}");
    }
}
