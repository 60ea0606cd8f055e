using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Personal access tokens and the API they open: made on the account page (shown once, only a hash stored), sent as
/// <c>Authorization: Bearer</c>, restricted to their workspace and to their user's permissions there, answered with
/// RFC 9457 problem documents, described at <c>/openapi/v1.json</c>.
/// </summary>
public sealed partial class ApiTokenTests
{
    private const string Workspace = "maison-lumen";

    [GeneratedRegex("id=\"new-token\"[^>]*value=\"(cmp_[A-Za-z0-9_-]+)\"")]
    private static partial Regex NewTokenField();

    /// <summary>A problem document: its content type, status and (in French unless asked otherwise) title.</summary>
    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.Equal(title, (string)problem["title"]!);
        Assert.StartsWith("https://www.rfc-editor.org/rfc/", (string)problem["type"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        return problem;
    }

    private static async Task ProbeWorkspaceAsync(PortalHost host) => await host.ApplyRecipeAsync("""
        { "name": "probe", "steps": [
          { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen" },
          { "step": "modules", "enable": ["ProbeDependent"] } ] }
        """);

    [Fact]
    public async Task A_token_made_on_the_account_page_is_shown_once_stored_as_its_hash_opens_its_workspace_and_stops_when_revoked()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("cm@maison-lumen.test", Workspace, DefaultRoles.CommunityManager);
        using var cm = await host.SignInAsync("cm@maison-lumen.test", MemberHostExtensions.MemberPassword);

        var account = await cm.GetStringAsync("/account");
        Assert.Contains("Jetons d’accès personnels", account);
        Assert.Contains("Vous n’avez pas encore de jeton.", account);
        var made = await cm.PostFormAsync("/account/tokens", new() { ["Name"] = "n8n", ["Workspace"] = Workspace }, "/account");
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var page = await made.Content.ReadAsStringAsync();
        var secret = NewTokenField().Match(page).Groups[1].Value;
        Assert.StartsWith("cmp_", secret);
        Assert.Equal(4 + 43, secret.Length); // 32 random bytes, base64url

        // Only the SHA-256 of the secret is stored, with its first 8 characters for the list; nowhere the secret itself.
        var stored = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().AccessTokens.AsNoTracking().SingleAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), stored.SecretHash);
        Assert.Equal(secret[..8], stored.Prefix);
        Assert.Null(stored.LastUsedUtc);
        var content = await DatabaseSnapshot.ContentAsync(host);
        Assert.DoesNotContain(content.Tables.Values.SelectMany(rows => rows), row => row.Contains(secret[8..], StringComparison.Ordinal));

        // Shown once: the account page lists the token by name and prefix, never its secret again.
        var again = await cm.GetStringAsync("/account");
        Assert.DoesNotContain(secret, again);
        Assert.Contains("data-token=\"n8n\"", again);
        Assert.Contains(secret[..8] + "…", again);

        // The script reads its workspace with the token: key, name, culture, time zone, modules on.
        using var script = host.Script(secret);
        var answer = await script.GetAsync($"/api/v1/{Workspace}");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var workspace = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        Assert.Equal(Workspace, (string)workspace["key"]!);
        Assert.Equal("Maison Lumen", (string)workspace["name"]!);
        Assert.Equal("fr-FR", (string)workspace["culture"]!);
        Assert.Equal("Europe/Paris", (string)workspace["timeZone"]!);
        Assert.Contains("KeyDates", workspace["modules"]!.AsArray().Select(m => (string)m!));
        Assert.NotNull(await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().AccessTokens.Select(t => t.LastUsedUtc).SingleAsync()));
        Assert.Contains("data-token=\"n8n\"", await cm.GetStringAsync("/account"));

        // Revoked from the account page: at once 401, saying why, as RFC 6750 and 9457 say.
        var revoked = await cm.PostFormAsync($"/account/tokens/{stored.Id}/revoke", [], "/account");
        await cm.AssertRedirectWithMessageAsync(revoked, "/account#tokens", "Le jeton est révoqué\u00a0: il n’ouvre plus rien.");
        var refused = await script.GetAsync($"/api/v1/{Workspace}");
        await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "Non authentifié");
        Assert.Equal("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Révoqué le", await cm.GetStringAsync("/account"));

        // An unknown token is refused the same way; another user cannot revoke someone else's token.
        using var unknown = host.Script("cmp_" + new string('A', 43));
        await AssertProblemAsync(await unknown.GetAsync($"/api/v1/{Workspace}"), HttpStatusCode.Unauthorized, "Non authentifié");
        using var admin = await host.SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync($"/account/tokens/{stored.Id}/revoke", [], "/account")).StatusCode);
    }

    [Fact]
    public async Task The_account_page_refuses_a_token_without_name_for_a_workspace_of_someone_else_or_already_expired()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.ApplyRecipeAsync("""{ "name": "other", "steps": [ { "step": "workspace", "key": "autre-marque", "name": "Autre marque" } ] }""");
        await host.AddMemberAsync("cm@maison-lumen.test", Workspace, DefaultRoles.CommunityManager);
        using var cm = await host.SignInAsync("cm@maison-lumen.test", MemberHostExtensions.MemberPassword);

        var page = await cm.GetStringAsync("/account");
        Assert.Contains("<option value=\"maison-lumen\"", page);
        Assert.DoesNotContain("autre-marque", page); // only the user's workspaces are offered

        var refused = await (await cm.PostFormAsync("/account/tokens",
            new() { ["Name"] = " ", ["Workspace"] = "autre-marque", ["ExpiresOn"] = "2020-01-31" }, "/account")).Content.ReadAsStringAsync();
        Assert.Contains("Donnez au jeton un nom qui dit où il sert", refused);
        Assert.Contains("Choisissez un espace de marque dont vous êtes membre.", refused);
        Assert.Contains("La date d’expiration 31&#xA0;janvier&#xA0;2020 est passée.", refused);
        Assert.Equal(0, await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().AccessTokens.CountAsync()));
    }

    [Fact]
    public async Task A_token_acts_in_its_workspace_only_and_with_its_users_permissions_there()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await ProbeWorkspaceAsync(host);
        await host.ApplyRecipeAsync("""{ "name": "other", "steps": [ { "step": "workspace", "key": "autre-marque", "name": "Autre marque" } ] }""");
        // The same person in both workspaces: the token of one still gets 404 in the other.
        await host.AddMemberAsync("bm@maison-lumen.test", Workspace, DefaultRoles.BrandManager);
        await host.AddMemberAsync("bm@maison-lumen.test", "autre-marque", DefaultRoles.BrandManager);
        await host.AddMemberAsync("analyst@maison-lumen.test", Workspace, DefaultRoles.Analyst);
        using var manager = host.Script(await host.CreateTokenAsync("bm@maison-lumen.test", Workspace));
        using var analyst = host.Script(await host.CreateTokenAsync("analyst@maison-lumen.test", Workspace));

        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/{Workspace}")).StatusCode);
        foreach (var path in new[] { "/api/v1/autre-marque", "/api/v1/autre-marque/probe/notes", "/api/v1/inconnue", $"/api/v1/{Workspace}/nulle-part" })
            await AssertProblemAsync(await manager.GetAsync(path), HttpStatusCode.NotFound, "Introuvable");

        // A module's endpoints: the analyst reads (ProbeBase.View) but may not write (ProbeBase.Manage): 403, not 404.
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/api/v1/{Workspace}/probe/notes")).StatusCode);
        var denied = await analyst.PostAsJsonAsync($"/api/v1/{Workspace}/probe/notes", new { text = "Bonjour" });
        await AssertProblemAsync(denied, HttpStatusCode.Forbidden, "Accès refusé");

        // The manager writes; a refused write names the field, in French by default and in English when asked.
        var created = await manager.PostAsJsonAsync($"/api/v1/{Workspace}/probe/notes", new { text = "Bonjour" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var invalid = await AssertProblemAsync(await manager.PostAsJsonAsync($"/api/v1/{Workspace}/probe/notes", new { text = "" }),
            HttpStatusCode.UnprocessableEntity, "La requête comporte des erreurs");
        var error = Assert.Single(invalid["errors"]!.AsArray())!;
        Assert.Equal("text", (string)error["field"]!);
        Assert.Equal("Le nom est vide. Indiquez le nom de la marque tel qu’il doit s’afficher.", (string)error["message"]!);
        Assert.Equal("The name is empty. Give the brand's display name.", (string)error["template"]!);
        using var english = host.Script(await host.CreateTokenAsync("bm@maison-lumen.test", Workspace, "english"), "en-GB,en;q=0.9,fr;q=0.5");
        var tooLong = await AssertProblemAsync(await english.PostAsJsonAsync($"/api/v1/{Workspace}/probe/notes", new { text = new string('x', 201) }),
            HttpStatusCode.UnprocessableEntity, "The request has problems");
        Assert.Equal("The name is longer than 200 characters. Shorten it.", (string)tooLong["errors"]![0]!["message"]!);
        await AssertProblemAsync(await english.GetAsync("/api/v1/autre-marque"), HttpStatusCode.NotFound, "Not found");

        // A module that is off answers 404, as on the admin pages.
        using var other = host.Script(await host.CreateTokenAsync("bm@maison-lumen.test", "autre-marque"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/autre-marque")).StatusCode);
        await AssertProblemAsync(await other.GetAsync("/api/v1/autre-marque/probe/notes"), HttpStatusCode.NotFound, "Introuvable");

        // A member removed from the workspace: their token opens nothing there any more.
        await host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CoreDbContext>();
            await db.Memberships.Where(m => m.User!.Email == "analyst@maison-lumen.test").ExecuteDeleteAsync();
        });
        await AssertProblemAsync(await analyst.GetAsync($"/api/v1/{Workspace}"), HttpStatusCode.NotFound, "Introuvable");
    }

    [Fact]
    public async Task A_signed_in_browser_cookie_opens_no_api_endpoint()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await ProbeWorkspaceAsync(host);
        using var admin = await host.SignInAsync();
        var token = await admin.AntiforgeryTokenAsync();

        var read = await admin.GetAsync($"/api/v1/{Workspace}");
        await AssertProblemAsync(read, HttpStatusCode.Unauthorized, "Non authentifié");
        Assert.Equal("Bearer", read.Headers.WwwAuthenticate.ToString());
        // Even with the page's antiforgery token, a write with the cookie alone is refused and stores nothing.
        var before = await DatabaseSnapshot.ContentAsync(host);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/{Workspace}/probe/notes") { Content = JsonContent.Create(new { text = "Par cookie" }) };
        request.Headers.Add("RequestVerificationToken", token);
        await AssertProblemAsync(await admin.Http.SendAsync(request), HttpStatusCode.Unauthorized, "Non authentifié");
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_routes_and_the_bearer_scheme_to_anyone()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var anonymous = host.Script(null);
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/{workspace}", paths);
        Assert.Contains("/api/v1/{workspace}/probe/notes", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/v1/", p)); // no admin page or form in the API's description
        var scheme = document["components"]!["securitySchemes"]!["Bearer"]!;
        Assert.Equal("http", (string)scheme["type"]!);
        Assert.Equal("bearer", (string)scheme["scheme"]!);
        Assert.NotNull(document["security"]![0]!["Bearer"]);
        var responses = document["paths"]!["/api/v1/{workspace}"]!["get"]!["responses"]!.AsObject().Select(r => r.Key).ToList();
        Assert.Contains("200", responses);
        Assert.Contains("401", responses);
    }

    [Fact]
    public async Task A_request_whose_body_is_malformed_at_the_http_level_gets_400_stores_nothing_and_is_not_logged_as_a_server_error()
    {
        // A body that cannot be read (here a broken chunk; in a browser, a page left while its live check posts) is
        // the client's fault: 400, nothing stored, and no server error in the log (the host fails the test on one).
        await using var host = await PortalHost.StartSetUpAsync();
        await ProbeWorkspaceAsync(host);
        var token = await host.CreateTokenAsync(PortalHost.AdminEmail, Workspace);
        using var api = host.Script(token);
        var notesBefore = await api.GetStringAsync($"/api/v1/{Workspace}/probe/notes");
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        var stream = socket.GetStream();
        var request = $"POST /api/v1/{Workspace}/probe/notes HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\n" +
                      $"Authorization: Bearer {token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                      "8\r\n{\"text\":\r\nzz\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var answer = await new StreamReader(stream, Encoding.ASCII).ReadLineAsync();
        Assert.StartsWith("HTTP/1.1 400", answer);
        Assert.Equal(notesBefore, await api.GetStringAsync($"/api/v1/{Workspace}/probe/notes"));
    }
}
