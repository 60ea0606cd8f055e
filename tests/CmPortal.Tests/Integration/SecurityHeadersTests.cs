using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using CmPortal.Core.Workspaces;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Every response carries the security headers, whatever produced it; absolute addresses in pages never come from the
/// Host header; a request for a host the portal does not serve is refused, while hosts bound to workspaces keep working.
/// </summary>
public sealed partial class SecurityHeadersTests
{
    private const string BoundHost = "communaute.maison-lumen.test";

    /// <summary>The directives of a Content-Security-Policy header, by name.</summary>
    private static Dictionary<string, string> Directives(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var values), $"{response.RequestMessage!.RequestUri}: no Content-Security-Policy");
        return Assert.Single(values).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "(none)";

    private static void AssertHeaders(HttpResponseMessage response, string referrerPolicy)
    {
        var where = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.PathAndQuery} ({(int)response.StatusCode})";
        var csp = Directives(response);
        Assert.True(csp.GetValueOrDefault("script-src") == "script-src 'self'", $"{where}: {csp.GetValueOrDefault("script-src")}");
        Assert.True(csp.GetValueOrDefault("object-src") == "object-src 'none'", where);
        Assert.True(csp.GetValueOrDefault("base-uri") == "base-uri 'self'", where);
        Assert.True(csp.GetValueOrDefault("form-action") == "form-action 'self'", where);
        Assert.True(csp.GetValueOrDefault("frame-ancestors") == "frame-ancestors 'none'", where);
        Assert.True(Header(response, "X-Frame-Options") == "DENY", $"{where}: X-Frame-Options {Header(response, "X-Frame-Options")}");
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", $"{where}: X-Content-Type-Options {Header(response, "X-Content-Type-Options")}");
        Assert.True(Header(response, "Referrer-Policy") == referrerPolicy, $"{where}: Referrer-Policy {Header(response, "Referrer-Policy")}");
    }

    /// <summary>No inline script and no event-handler attribute: the policy would block them, so nothing may rely on them.</summary>
    private static void AssertNoInlineScript(string path, string html)
    {
        var inline = InlineScript().Matches(html).Select(m => m.Value).Concat(EventHandler().Matches(html).Select(m => m.Value)).ToList();
        Assert.True(inline.Count == 0, $"{path} has inline script: {string.Join(" | ", inline)}");
    }

    [GeneratedRegex(@"<script\b(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[a-z][^>]*\s(on[a-z]+)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    [Fact]
    public async Task Pages_errors_redirects_static_files_and_feeds_all_carry_the_security_headers()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var visitor = host.CreateClient();
        using var admin = await host.SignInAsync();

        const string Public = "strict-origin-when-cross-origin", Admin = "same-origin";
        var checks = new (PortalClient Client, string Path, HttpStatusCode Status, string Referrer)[]
        {
            (visitor, "/maison-lumen/", HttpStatusCode.OK, Public),
            (visitor, "/maison-lumen/charter", HttpStatusCode.OK, Public),
            (visitor, "/maison-lumen/key-dates.ics", HttpStatusCode.OK, Public),
            (visitor, "/maison-lumen/no-such-page", HttpStatusCode.NotFound, Public),
            (visitor, "/no-such-workspace/", HttpStatusCode.NotFound, Public),
            (visitor, "/_content/CmPortal.Themes.Brand/site.css", HttpStatusCode.OK, Public),
            (visitor, "/robots.txt", HttpStatusCode.OK, Public),
            (visitor, "/account/login", HttpStatusCode.OK, Admin),       // a form: antiforgery alone would say SAMEORIGIN
            (visitor, "/", HttpStatusCode.Redirect, Public),
            (visitor, "/admin/maison-lumen", HttpStatusCode.Redirect, Admin), // to the sign-in page
            (visitor, "/health", HttpStatusCode.OK, Public),
            (admin, "/admin", HttpStatusCode.OK, Admin),
            (admin, "/admin/maison-lumen/key-dates", HttpStatusCode.OK, Admin),
            (admin, "/admin/maison-lumen/brand", HttpStatusCode.OK, Admin),
            (admin, "/admin/maison-lumen/brand/check", HttpStatusCode.OK, Admin),
            (admin, "/admin/maison-lumen/charter/edit", HttpStatusCode.OK, Admin),
            (admin, "/admin/nobody", HttpStatusCode.NotFound, Admin),
            (admin, "/admin/recipes/runs/" + Guid.NewGuid(), HttpStatusCode.NotFound, Admin),
        };
        foreach (var (client, path, status, referrer) in checks)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode}, expected {(int)status}");
            AssertHeaders(response, referrer);
            if (response.Content.Headers.ContentType?.MediaType == "text/html") AssertNoInlineScript(path, await response.Content.ReadAsStringAsync());
        }

        // A POST answered with a redirect, too.
        using var signOut = await admin.PostFormAsync("/account/logout", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        AssertHeaders(signOut, Admin);

        // The logo endpoint's own policy for SVGs is stricter and stays: nothing may run in a logo, even opened on its own.
        var logo = Regex.Match(await visitor.GetStringAsync("/maison-lumen/"), "src=\"(/maison-lumen/brand/logo/[0-9a-f]{64}\\.svg)\"").Groups[1].Value;
        using var svg = await visitor.GetAsync(logo);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; sandbox", Header(svg, "Content-Security-Policy"));
        Assert.Equal(("DENY", "nosniff"), (Header(svg, "X-Frame-Options"), Header(svg, "X-Content-Type-Options")));
    }

    private static async Task<HttpResponseMessage> GetAsHostAsync(PortalHost host, string hostHeader, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = hostHeader;
        return await host.CreateClient().Http.SendAsync(request);
    }

    [Fact]
    public async Task A_forged_host_header_is_refused_and_health_still_answers()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        foreach (var path in new[] { "/maison-lumen/charter", "/maison-lumen/key-dates.ics", "/admin", "/account/login", "/" })
        {
            using var response = await GetAsHostAsync(host, "evil.example", path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain("evil.example", body + response.Headers.Location);
            Assert.Contains("AllowedHosts", body); // says how to fix it
            Assert.StartsWith("400 — Ce portail ne sert pas le nom d’hôte", body); // in French first, the portal’s default
            AssertHeaders(response, path.StartsWith("/admin") || path.StartsWith("/account") ? "same-origin" : "strict-origin-when-cross-origin");
        }
        // Load balancers probe by IP address or any name.
        using var health = await GetAsHostAsync(host, "10.0.0.7:8080", "/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // The loopback names stay served.
        using var local = await GetAsHostAsync(host, "localhost", "/maison-lumen/charter");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
    }

    [Fact]
    public async Task With_host_filtering_off_a_forged_host_still_never_reaches_the_page()
    {
        await using var host = await PortalHost.StartAsync(settings: new Dictionary<string, string?> { ["AllowedHosts"] = "*" });
        await host.SetUpAsync();
        var portal = host.BaseAddress.ToString().TrimEnd('/');
        foreach (var path in new[] { "/maison-lumen/charter", "/maison-lumen/", "/maison-lumen/key-dates.ics" })
        {
            using var response = await GetAsHostAsync(host, "evil.example", path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("evil.example", await response.Content.ReadAsStringAsync());
        }
        var page = CharterRecipes.Parse(await (await GetAsHostAsync(host, "evil.example", "/maison-lumen/charter")).Content.ReadAsStringAsync());
        Assert.Equal($"{portal}/maison-lumen/charter", page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal($"{portal}/maison-lumen/charter", page.QuerySelector("meta[property='og:url']")!.GetAttribute("content"));
        Assert.StartsWith($"{portal}/maison-lumen/brand/logo/", page.QuerySelector("meta[property='og:image']")!.GetAttribute("content"));
        // The French alias shares the canonical address.
        var alias = CharterRecipes.Parse(await (await GetAsHostAsync(host, "evil.example", "/maison-lumen/charte")).Content.ReadAsStringAsync());
        Assert.Equal($"{portal}/maison-lumen/charter", alias.QuerySelector("meta[property='og:url']")!.GetAttribute("content"));
    }

    [Fact]
    public async Task Absolute_addresses_use_the_public_base_url_and_bound_hosts_while_other_hosts_are_refused()
    {
        await using var host = await PortalHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "127.0.0.1; *.lumen.test", ["Portal:PublicBaseUrl"] = "https://cm.example.fr",
        });
        await host.SetUpAsync();
        using var visitor = host.CreateClient();
        var page = CharterRecipes.Parse(await visitor.GetStringAsync("/maison-lumen/charter"));
        Assert.Equal("https://cm.example.fr/maison-lumen/charter", page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal("https://cm.example.fr/maison-lumen/charter", page.QuerySelector("meta[property='og:url']")!.GetAttribute("content"));
        Assert.StartsWith("https://cm.example.fr/maison-lumen/brand/logo/", page.QuerySelector("meta[property='og:image']")!.GetAttribute("content"));

        // The public address's host is served; a name outside the list is not, loopback names included.
        Assert.Equal(HttpStatusCode.OK, (await GetAsHostAsync(host, "cm.example.fr", "/maison-lumen/charter")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsHostAsync(host, "localhost", "/maison-lumen/charter")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsHostAsync(host, "www.lumen.test", "/maison-lumen/charter")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsHostAsync(host, "lumen.test", "/maison-lumen/charter")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsHostAsync(host, BoundHost, "/charter")).StatusCode);

        // A host name bound at runtime is served at once, and becomes the site's canonical address.
        using var admin = await host.SignInAsync();
        var saved = await admin.PostFormAsync("/admin/maison-lumen/settings", new()
        {
            ["Name"] = "Maison Lumen", ["Culture"] = "fr-FR", ["TimeZone"] = "Europe/Paris", ["SiteTheme"] = "Brand", ["Hosts"] = BoundHost,
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        foreach (var (hostHeader, path) in new[] { (BoundHost, "/charter"), ("127.0.0.1", "/maison-lumen/charter") })
        {
            using var response = await GetAsHostAsync(host, hostHeader, path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{hostHeader}{path}: {(int)response.StatusCode}");
            AssertHeaders(response, "strict-origin-when-cross-origin");
            var bound = CharterRecipes.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal($"https://{BoundHost}/charter", bound.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
            Assert.Equal($"https://{BoundHost}/charter", bound.QuerySelector("meta[property='og:url']")!.GetAttribute("content"));
        }
        // The bound site's home: its logo and header links (written /maison-lumen/...) answer on the bound host too.
        using var home = await GetAsHostAsync(host, BoundHost, "/");
        var homePage = CharterRecipes.Parse(await home.Content.ReadAsStringAsync());
        Assert.Equal($"https://{BoundHost}/", homePage.QuerySelector("meta[property='og:url']")!.GetAttribute("content"));
        foreach (var address in new[] { homePage.QuerySelector("img.site-logo")!.GetAttribute("src")!, homePage.QuerySelector(".site-nav a")!.GetAttribute("href")! })
        {
            using var linked = await GetAsHostAsync(host, BoundHost, address);
            Assert.True(linked.StatusCode == HttpStatusCode.OK, $"{BoundHost}{address}: {(int)linked.StatusCode}");
        }
        using var feed = await GetAsHostAsync(host, BoundHost, "/key-dates.ics");
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        AssertHeaders(feed, "strict-origin-when-cross-origin");
    }

    [Fact]
    public async Task Listening_on_every_interface_without_a_public_address_warns_and_serves_only_loopback_names()
    {
        await using var host = await PortalHost.StartAsync(settings: new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:0" });
        host.ExpectWarning("The portal listens on every interface");
        await host.SetUpAsync();
        var port = host.BaseAddress.Port;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") }; // 0.0.0.0 cannot be dialled
        async Task<HttpResponseMessage> GetAs(string hostHeader)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/maison-lumen/charter");
            request.Headers.Host = hostHeader;
            return await http.SendAsync(request);
        }
        using var local = await GetAs($"localhost:{port}");
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        var page = CharterRecipes.Parse(await local.Content.ReadAsStringAsync());
        Assert.Equal($"http://localhost:{port}/maison-lumen/charter", page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAs("192.0.2.10")).StatusCode);
        Assert.Contains(host.Logs.Entries, e => e.Message.Contains("Set Portal:PublicBaseUrl to the portal's public address, e.g. Portal__PublicBaseUrl=https://cm.example.fr."));
    }

    [Theory]
    [InlineData("cm.example.fr")]
    [InlineData("https://cm.example.fr/portal")]
    [InlineData("ftp://cm.example.fr")]
    [InlineData("https://cm.example.fr/?x=1")]
    public void A_public_base_url_that_is_not_a_bare_address_is_refused_with_an_example(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PublicUrls.ParseBaseUrl(value));
        Assert.Contains($"Portal:PublicBaseUrl is \"{value}\"", error.Message);
        Assert.Contains("e.g. \"https://cm.example.fr\"", error.Message);
        Assert.Equal("https://cm.example.fr/", PublicUrls.ParseBaseUrl("https://cm.example.fr/")!.ToString());
    }
}
