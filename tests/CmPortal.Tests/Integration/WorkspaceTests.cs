using System.Net;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

public sealed class WorkspaceTests
{
    [Fact]
    public async Task Creating_a_workspace_with_a_key_in_use_says_so_and_stores_nothing()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();
        var before = await DatabaseSnapshot.CountsAsync(host);
        var content = await DatabaseSnapshot.ContentAsync(host);

        var response = await admin.PostFormAsync("/admin/workspaces/new", new()
        {
            ["Key"] = "maison-lumen", ["Name"] = "Doublon", ["Culture"] = "fr-FR", ["TimeZone"] = "Europe/Paris", ["SiteTheme"] = "Brand",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A workspace with the key &quot;maison-lumen&quot; already exists. Choose another key.", await response.Content.ReadAsStringAsync());
        await DatabaseSnapshot.AssertUnchangedAsync(host, content);

        var created = await admin.PostFormAsync("/admin/workspaces/new", new()
        {
            ["Key"] = "atelier-nord", ["Name"] = "Atelier Nord", ["Culture"] = "en-US", ["TimeZone"] = "America/Montreal", ["SiteTheme"] = "Brand",
        });
        await admin.AssertRedirectWithMessageAsync(created, "/admin/atelier-nord", "Espace de marque « Atelier Nord » créé.");
        Assert.Equal(before["Core_Workspaces"] + 1, (await DatabaseSnapshot.CountsAsync(host))["Core_Workspaces"]);
    }

    [Fact]
    public async Task A_reserved_or_malformed_key_is_refused_with_what_to_do()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();
        foreach (var (key, expected) in new[] { ("admin", "is reserved by the portal"), ("Maison Lumen", "is not a valid key") })
        {
            var response = await admin.PostFormAsync("/admin/workspaces/new", new() { ["Key"] = key, ["Name"] = "X", ["Culture"] = "fr-FR", ["TimeZone"] = "Europe/Paris" });
            Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_bound_host_name_serves_the_workspace_public_site_at_its_root()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();
        await admin.PostFormAsync("/admin/maison-lumen/settings", new()
        {
            ["Name"] = "Maison Lumen", ["Culture"] = "fr-FR", ["TimeZone"] = "Europe/Paris", ["SiteTheme"] = "Brand", ["Hosts"] = "communaute.maison-lumen.test",
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/key-dates.ics");
        request.Headers.Host = "communaute.maison-lumen.test";
        var feed = await host.CreateClient().Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Contains("X-WR-CALNAME:Maison Lumen", await feed.Content.ReadAsStringAsync());

        using var home = new HttpRequestMessage(HttpMethod.Get, "/");
        home.Headers.Host = "communaute.maison-lumen.test";
        Assert.Contains("<h1>Maison Lumen</h1>", await (await host.CreateClient().Http.SendAsync(home)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_site_theme_overrides_a_view_and_public_pages_speak_the_workspace_language()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var visitor = host.CreateClient();
        var brand = await visitor.GetStringAsync("/maison-lumen/");
        Assert.Contains("<html lang=\"fr\">", brand);
        Assert.Contains("--brand-primary: #7a2e3a;", brand); // the demo brand's graphic charter
        Assert.Contains("Aller au contenu", brand);

        await host.ApplyRecipeAsync("""{ "name": "t", "steps": [ { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen", "culture": "en-US" }, { "step": "theme", "site": "ProbeSite" } ] }""");
        var themed = await visitor.GetStringAsync("/maison-lumen/");
        Assert.Contains("<h1 id=\"probe-override\">Probe theme override for Maison Lumen</h1>", themed);
        Assert.Contains("class=\"probe-theme\"", themed);
    }

    [Fact]
    public async Task An_unknown_workspace_answers_404_and_health_reports_the_database_and_scheduler()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/nobody/key-dates.ics")).StatusCode);
        Assert.Equal("Healthy", await admin.GetStringAsync("/health"));
    }
}
