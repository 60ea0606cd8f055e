using System.Net;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

public sealed class WorkspaceTests
{
    [Fact]
    public async Task Creating_a_workspace_with_a_key_in_use_says_so_and_stores_nothing()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var before = await DatabaseSnapshot.CountsAsync(host);
        var content = await DatabaseSnapshot.ContentAsync(host);

        var response = await admin.PostFormAsync("/admin/workspaces/new", new()
        {
            ["Key"] = "maison-lumen", ["Name"] = "Doublon", ["Culture"] = "fr-FR", ["TimeZone"] = "Europe/Paris", ["SiteTheme"] = "Brand",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Un espace de marque utilise déjà la clé «\u00a0maison-lumen\u00a0». Choisissez une autre clé."], FieldErrors(await response.Content.ReadAsStringAsync(), "Key"));
        await DatabaseSnapshot.AssertUnchangedAsync(host, content);

        var created = await admin.PostFormAsync("/admin/workspaces/new", new()
        {
            ["Key"] = "atelier-nord", ["Name"] = "Atelier Nord", ["Culture"] = "en-US", ["TimeZone"] = "America/Montreal", ["SiteTheme"] = "Brand",
        });
        await admin.AssertRedirectWithMessageAsync(created, "/admin/atelier-nord", "Espace de marque «\u00a0Atelier Nord\u00a0» créé.");
        Assert.Equal(before["Core_Workspaces"] + 1, (await DatabaseSnapshot.CountsAsync(host))["Core_Workspaces"]);
    }

    [Fact]
    public async Task A_reserved_or_malformed_key_is_refused_with_what_to_do()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        foreach (var (key, expected) in new[]
                 {
                     ("admin", "«\u00a0admin\u00a0» est réservé par le portail. Choisissez une autre clé."),
                     ("Maison Lumen", "«\u00a0Maison Lumen\u00a0» n’est pas une clé valable. Utilisez de 1 à 40 minuscules, chiffres et tirets, en commençant et en finissant par une lettre ou un chiffre."),
                 })
        {
            var response = await admin.PostFormAsync("/admin/workspaces/new", new() { ["Key"] = key, ["Name"] = "X", ["Culture"] = "fr-FR", ["TimeZone"] = "Europe/Paris" });
            Assert.Equal([expected], FieldErrors(await response.Content.ReadAsStringAsync(), "Key"));
        }
    }

    [Fact]
    public async Task Every_refused_workspace_setting_is_explained_in_the_page_language_with_its_values()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var form = new Dictionary<string, string>
        {
            ["Key"] = "atelier-nord", ["Name"] = "Atelier\nNord", ["Culture"] = "fr", ["TimeZone"] = "CET+1", ["SiteTheme"] = "Baroque",
            ["Hosts"] = "https://atelier-nord.fr",
        };
        var french = await (await admin.PostFormAsync("/admin/workspaces/new", form)).Content.ReadAsStringAsync();
        Assert.Equal(["Le nom contient U+000A (saut de ligne) à la position 8. Écrivez-le sur une ligne, avec des caractères visibles seulement\u00a0: retirez les retours à la ligne, tabulations, caractères de contrôle et marques de direction."],
            FieldErrors(french, "Name"));
        Assert.Equal(["«\u00a0fr\u00a0» n’est pas une langue prise en charge. Utilisez l’une de celles-ci\u00a0: fr-FR, en-US."], FieldErrors(french, "Culture"));
        Assert.Equal(["«\u00a0CET+1\u00a0» n’est pas un fuseau horaire IANA. Utilisez un nom comme «\u00a0Europe/Paris\u00a0»."], FieldErrors(french, "TimeZone"));
        Assert.Equal(["«\u00a0https://atelier-nord.fr\u00a0» n’est pas un nom d’hôte valable. Utilisez un nom en minuscules comme «\u00a0www.exemple.fr\u00a0», sans protocole ni port."], FieldErrors(french, "Hosts"));
        Assert.Single(FieldErrors(french, "SiteTheme"), e => e.StartsWith("Il n’y a pas de thème de site «\u00a0Baroque\u00a0». Utilisez l’un de ceux-ci\u00a0: ", StringComparison.Ordinal));

        await admin.PostFormAsync("/account/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/admin" });
        var english = await (await admin.PostFormAsync("/admin/workspaces/new", form)).Content.ReadAsStringAsync();
        Assert.Equal(["\"CET+1\" is not an IANA time zone. Use a name such as \"Europe/Paris\"."], FieldErrors(english, "TimeZone"));
        Assert.Equal(["The name contains U+000A (line feed) at position 8. Write it on one line with visible characters only: remove line breaks, tabs, control characters and direction marks."],
            FieldErrors(english, "Name"));
    }

    /// <summary>The messages shown under a form field (its validation span), as a person reads them.</summary>
    private static List<string> FieldErrors(string html, string field) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelectorAll($"[data-valmsg-for='{field}']")
            .Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();

    [Fact]
    public async Task A_bound_host_name_serves_the_workspace_public_site_at_its_root()
    {
        await using var host = await PortalHost.StartSetUpAsync();
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
        await using var host = await PortalHost.StartSetUpAsync();
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
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/nobody")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/nobody/key-dates.ics")).StatusCode);
        Assert.Equal("Healthy", await admin.GetStringAsync("/health"));
    }
}
