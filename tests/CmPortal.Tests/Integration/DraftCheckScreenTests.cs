using System.Net;
using System.Text.RegularExpressions;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>The admin "Check a draft" screen on the demo brand: French messages, marks in the encoded text, refusals.</summary>
public sealed class DraftCheckScreenTests
{
    private const string Page = "/admin/maison-lumen/brand/check";

    private static Task<HttpResponseMessage> CheckAsync(PortalClient client, string network, string text) =>
        client.PostFormAsync(Page, new() { ["Network"] = network, ["Text"] = text }, tokenPage: Page);

    [Fact]
    public async Task The_screen_checks_a_draft_against_the_demo_editorial_line_in_French()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();

        var form = await admin.GetStringAsync(Page);
        Assert.Contains("<h1 class=\"h3 mb-3\">Vérifier un brouillon</h1>", form);
        // The first network of the catalogue with a guideline is chosen.
        Assert.Matches("<option value=\"facebook\" selected=\"selected\">Facebook ★</option>", form);
        Assert.DoesNotContain("id=\"draft-result\"", form);

        const string draft = "Notre promo de Noël : des bougies pas cher ?\nNon, bonjuor <b>l’atelier</b> !";
        var response = await CheckAsync(admin, "instagram", draft);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Contains("data-network=\"instagram\" data-length=\"76\" data-max-length=\"1200\" data-spelling-checked=\"true\"", html);
        Assert.Contains("76 / 1200 caractères (décompte Instagram).", html);
        Assert.DoesNotContain("id=\"spelling-unavailable\"", html);
        string[] messages =
        [
            "Dites «\u00a0offre\u00a0» plutôt que «\u00a0promo\u00a0»",
            "«\u00a0pas cher\u00a0» est interdit par la ligne éditoriale",
            "«\u00a0bonjuor\u00a0» n’est pas dans le dictionnaire",
            "Sur Instagram, chaque post porte un hashtag signature\u00a0: #MaisonLumen, #FaitMainALyon",
        ];
        var listed = Regex.Matches(html, "<span class=\"issue-message\">([^<]*)</span>").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(messages, listed);
        Assert.Contains("<span class=\"text-muted small issue-position\" title=\"Ligne et colonne\">ligne 2, colonne 6</span>", html);
        Assert.Contains("Suggestion\u00a0: <strong>bonjour", html);
        Assert.Contains("Suggestion\u00a0: <strong>#MaisonLumen</strong>", html);

        // The draft comes back marked, every piece of it encoded.
        Assert.Contains("<mark class=\"draft-mark draft-banned-term\" data-issue=\"2\" title=\"«&#xA0;pas cher&#xA0;» est interdit par la ligne éditoriale\">pas cher</mark>", html);
        Assert.Contains("<mark class=\"draft-mark draft-misspelling\" data-issue=\"3\"", html);
        Assert.Contains("&lt;b&gt;l’atelier&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>l’atelier</b>", html);
        // The textarea keeps the text, encoded too.
        Assert.Contains("Non, bonjuor &lt;b&gt;l’atelier&lt;/b&gt; !</textarea>", html);
    }

    [Fact]
    public async Task An_unknown_network_or_a_post_without_its_token_is_refused()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();

        var unknown = await CheckAsync(admin, "myspace", "Bonjour");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Réseau inconnu\u00a0: «\u00a0myspace\u00a0». Choisissez parmi\u00a0: facebook, instagram", await unknown.Content.ReadAsStringAsync());

        var forged = await admin.Http.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string> { ["Network"] = "x", ["Text"] = "Bonjour" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var visitor = host.CreateClient();
        var anonymous = await visitor.GetAsync(Page);
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public async Task Without_dictionaries_the_screen_says_spelling_was_not_checked_and_still_lists_the_rest()
    {
        var empty = Directory.CreateTempSubdirectory("cmportal-nodict-").FullName;
        try
        {
            await using var host = await PortalHost.StartAsync(settings: new Dictionary<string, string?> { ["Spelling:DictionaryDirectory"] = empty });
            await host.SetUpAsync();
            using var admin = await host.SignInAsync();

            var html = await (await CheckAsync(admin, "facebook", "Des bougies pas cher, bonjuor.")).Content.ReadAsStringAsync();
            Assert.Contains("data-spelling-checked=\"false\"", html);
            Assert.Contains("Orthographe non vérifiée\u00a0: dictionnaire indisponible.", html);
            // Issue messages are encoded into the page: a no-break space is written &#xA0;.
            Assert.Contains("«&#xA0;pas cher&#xA0;» est interdit par la ligne éditoriale", html);
            Assert.DoesNotContain("bonjuor&#xA0;» n’est pas dans le dictionnaire", html);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
