using System.Net;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>The brand's public site: offline until published, key dates without internal notes, the legal notice.</summary>
public sealed class SitePublishingTests
{
    private static readonly string[] PublicPages = ["/alpha/", "/alpha/key-dates.ics", "/alpha/temps-forts", "/alpha/mentions-legales", "/alpha/legal"];

    private static async Task<List<HttpStatusCode>> StatusesAsync(PortalClient client) =>
        [.. await Task.WhenAll(PublicPages.Select(async p => (await client.GetAsync(p)).StatusCode))];

    [Fact]
    public async Task A_new_workspace_public_site_answers_404_until_a_brand_manager_publishes_it_and_again_once_taken_offline()
    {
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Alpha" });
        using var visitor = host.CreateClient();
        Assert.All(await StatusesAsync(visitor), s => Assert.Equal(HttpStatusCode.NotFound, s));

        using var admin = await host.SignInAsync();
        // The admin still works while the site is offline, and says so.
        var settings = await admin.GetStringAsync("/admin/alpha/settings");
        Assert.Contains("id=\"publish\"", settings);
        var published = await admin.PostFormAsync("/admin/alpha/settings/publish", [], tokenPage: "/admin/alpha/settings");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        // The key dates page answers even with no public key date; so does the rest.
        Assert.All(await StatusesAsync(visitor), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Contains("id=\"unpublish\"", await admin.GetStringAsync("/admin/alpha/settings"));

        await admin.PostFormAsync("/admin/alpha/settings/unpublish", [], tokenPage: "/admin/alpha/settings");
        Assert.All(await StatusesAsync(visitor), s => Assert.Equal(HttpStatusCode.NotFound, s));
    }

    [Fact]
    public async Task Only_a_member_with_the_settings_permission_publishes_the_site()
    {
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Alpha" });
        using var stranger = host.CreateClient();
        var response = await stranger.PostFormAsync("/admin/alpha/settings/publish", []);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/alpha/")).StatusCode);
    }

    [Fact]
    public async Task The_feed_and_the_key_dates_page_show_public_descriptions_never_internal_notes_with_categories_in_the_workspace_language()
    {
        await using var host = await PortalHost.StartSetUpAsync(); // the demo brand: its recipe publishes the site
        using var visitor = host.CreateClient();

        var feed = (await visitor.GetStringAsync("/maison-lumen/key-dates.ics")).Replace("\r\n ", "");
        Assert.DoesNotContain("jeu-concours", feed);
        Assert.DoesNotContain("newsletter", feed);
        Assert.Contains("DESCRIPTION:Un coffret personnalisé pour dire merci à toutes les mamans.", feed);
        Assert.Contains("CATEGORIES:Saisonnier", feed);
        Assert.DoesNotContain("CATEGORIES:Seasonal", feed);

        foreach (var path in new[] { "/maison-lumen/temps-forts", "/maison-lumen/key-dates" })
        {
            var page = await visitor.GetStringAsync(path);
            Assert.Contains("Temps forts", page);
            Assert.DoesNotContain("jeu-concours", page);
            Assert.DoesNotContain("Soldes d&#x27;hiver", page); // not public
            Assert.Contains("Saint-Valentin", page); // yearly: always within the next twelve months
            Assert.Contains("<link rel=\"canonical\" href=\"http://", page);
        }
        // The home page links the key dates page in the brand's language.
        Assert.Contains("href=\"/maison-lumen/temps-forts\"", await visitor.GetStringAsync("/maison-lumen/"));
    }

    [Fact]
    public async Task The_legal_notice_page_shows_the_workspace_settings_and_every_page_links_it()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var visitor = host.CreateClient();
        var notice = await visitor.GetStringAsync("/maison-lumen/mentions-legales");
        Assert.Contains("Mentions légales", notice);
        Assert.Contains("Maison Lumen SAS", notice);
        Assert.Contains("Camille Garnier", notice);
        Assert.Contains("Hébergeur Exemple SAS", notice);
        Assert.DoesNotContain("id=\"legal-incomplete\"", notice);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/maison-lumen/legal")).StatusCode);
        var home = await visitor.GetStringAsync("/maison-lumen/");
        Assert.Contains("href=\"/maison-lumen/mentions-legales\"", home);
        Assert.Contains("mailto:bonjour@maison-lumen.test", home);

        using var admin = await host.SignInAsync();
        var saved = await admin.PostFormAsync("/admin/maison-lumen/settings/site", new()
        {
            ["PublisherName"] = "Lumen Atelier SARL", ["PublicationDirector"] = "Inès Morel", ["HostingName"] = "Hôte Local",
            ["HostingAddress"] = "1 quai du Rhône, 69002 Lyon", ["ContactEmail"] = "contact@lumen.test",
        }, tokenPage: "/admin/maison-lumen/settings");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        notice = await visitor.GetStringAsync("/maison-lumen/mentions-legales");
        Assert.Contains("Lumen Atelier SARL", notice);
        Assert.Contains("Inès Morel", notice);
        Assert.DoesNotContain("Maison Lumen SAS", notice);

        // One line of text, a real address and phone: errors say what to fix, and nothing is saved.
        var refused = await admin.PostFormAsync("/admin/maison-lumen/settings/site", new()
        {
            ["PublisherName"] = "Ligne 1\nLigne 2", ["HostingPhone"] = "appelez-nous", ["ContactEmail"] = "pas une adresse",
        }, tokenPage: "/admin/maison-lumen/settings");
        var body = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Une seule ligne de caractères visibles", body);
        Assert.Contains("n’est pas un numéro de téléphone", body);
        Assert.Contains("n’est pas une adresse électronique", body);
        Assert.Contains("Lumen Atelier SARL", await visitor.GetStringAsync("/maison-lumen/mentions-legales"));
    }

    [Fact]
    public async Task A_bound_host_serves_the_published_site_and_its_legal_notice_at_its_root_and_nothing_once_offline()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        await admin.PostFormAsync("/admin/maison-lumen/settings", new()
        {
            ["Name"] = "Maison Lumen", ["Culture"] = "fr-FR", ["TimeZone"] = "Europe/Paris", ["SiteTheme"] = "Brand", ["Hosts"] = "www.maison-lumen.test",
        });
        async Task<HttpResponseMessage> OnBoundHost(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = "www.maison-lumen.test";
            return await host.CreateClient().Http.SendAsync(request);
        }
        var notice = await OnBoundHost("/mentions-legales");
        Assert.Equal(HttpStatusCode.OK, notice.StatusCode);
        Assert.Contains("Maison Lumen SAS", await notice.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await OnBoundHost("/temps-forts")).StatusCode);

        await admin.PostFormAsync("/admin/maison-lumen/settings/unpublish", [], tokenPage: "/admin/maison-lumen/settings");
        Assert.Equal(HttpStatusCode.NotFound, (await OnBoundHost("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await OnBoundHost("/mentions-legales")).StatusCode);
    }

    [Fact]
    public async Task A_workspace_made_from_an_export_carries_the_legal_notice_and_notes_but_starts_offline()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var export = await host.ExportAsync("maison-lumen");
        Assert.Contains("\"publisherName\": \"Maison Lumen SAS\"", export);
        Assert.DoesNotMatch("\"published\"\\s*:", export); // the site's flag (a post's "state": "published" is not it)
        Assert.Contains("\"notes\":", export);
        Assert.DoesNotContain("\"description\": \"Temps fort n", export);

        await host.ApplyRecipeAsync(export, new() { ["key"] = "copie", ["name"] = "Copie" });
        using var visitor = host.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/copie/")).StatusCode);
        await host.PublishSiteAsync("copie");
        Assert.Contains("Maison Lumen SAS", await visitor.GetStringAsync("/copie/mentions-legales"));
        Assert.DoesNotContain("jeu-concours", await visitor.GetStringAsync("/copie/key-dates.ics"));
    }

    [Fact]
    public async Task A_recipe_written_before_public_descriptions_keeps_its_description_internal()
    {
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Alpha" });
        await host.ApplyRecipeAsync("""
            { "name": "old", "steps": [
              { "step": "workspace", "key": "alpha", "name": "Alpha", "site": { "published": true } },
              { "step": "keyDates", "keyDates": [ { "id": "soldes", "title": "Soldes", "start": "2027-01-10", "public": true,
                "description": "Budget Meta 2 000 euros, ne pas annoncer" } ] } ] }
            """);
        using var visitor = host.CreateClient();
        Assert.DoesNotContain("Budget Meta", await visitor.GetStringAsync("/alpha/key-dates.ics"));
        Assert.Contains("\"notes\": \"Budget Meta 2 000 euros, ne pas annoncer\"", await host.ExportAsync("alpha"));
    }
}
