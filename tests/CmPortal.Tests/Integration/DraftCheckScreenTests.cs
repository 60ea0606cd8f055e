using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CmPortal.Modules.BrandIdentity.Checking;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// The admin "Check a draft" screen on the demo brand: one card per network of the editorial line, French messages,
/// marks in the encoded text, grammar and typography from a real grammalecte-server the portal starts (Debian's
/// grammalecte-cli), and what the screen says when Grammalecte does not answer or the draft is empty.
/// </summary>
public sealed class DraftCheckScreenTests
{
    private const string Page = "/admin/maison-lumen/brand/check";

    private static Task<HttpResponseMessage> CheckAsync(PortalClient client, string text) =>
        client.PostFormAsync(Page, new() { ["Text"] = text }, tokenPage: Page);

    private static async Task<string> CheckedHtmlAsync(PortalClient client, string text)
    {
        var response = await CheckAsync(client, text);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {html}");
        return html;
    }

    /// <summary>
    /// The text of a page with spaces plain: the module's older French texts and Grammalecte's messages differ in
    /// where they put non-breaking spaces, which is not what these tests are about.
    /// </summary>
    private static string Plain(string html) => WebUtility.HtmlDecode(html).Replace('\u00A0', ' ').Replace('\u202F', ' ');

    private static List<string> Messages(string html) =>
        Regex.Matches(html, "<li class=\"list-group-item[^>]*>\\s*<span class=\"badge [^\"]*\">[^<]*</span>\\s*<span class=\"issue-message\">([^<]*)</span>")
            .Select(m => Plain(m.Groups[1].Value)).ToList();

    /// <summary>network id → (count shown by the server, its limit).</summary>
    private static Dictionary<string, (int Length, string? Max)> Cards(string html) =>
        Regex.Matches(html, "<article class=\"card[^\"]*draft-network[^\"]*\"[^>]*>")
            .Select(m => m.Value)
            .ToDictionary(
                tag => Regex.Match(tag, "data-network=\"([^\"]+)\"").Groups[1].Value,
                tag => (int.Parse(Regex.Match(tag, "data-server-length=\"(\\d+)\"").Groups[1].Value),
                        Regex.Match(tag, "data-max-length=\"(\\d+)\"") is { Success: true } max ? max.Groups[1].Value : null));

    [Fact]
    public async Task The_screen_checks_a_draft_for_every_network_of_the_demo_editorial_line_in_French()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var form = await admin.GetStringAsync(Page);
        Assert.Contains("<h1 class=\"h3 mb-3\">Vérifier un brouillon</h1>", form);
        // Before any check: one card per network of the editorial line, in the catalogue's order, with its limit.
        Assert.Equal(
            ["facebook", "instagram", "linkedin", "pinterest", "bluesky", "blog"],
            Cards(form).Keys);
        Assert.Equal((0, "1200"), Cards(form)["instagram"]);
        Assert.Contains("<span>/ 63&#x202F;206</span>", form); // Facebook's limit, written the French way
        Assert.DoesNotContain("id=\"draft-result\"", form);

        const string draft = "Notre promo de Noël : des bougies pas cher ?\nNon, bonjuor <b>l’atelier</b> 🕯️🕯️🕯️ https://maisonlumen.fr/atelier-bougies-hiver !";
        var html = await CheckedHtmlAsync(admin, draft);

        // Each network counts as it does: Bluesky writes the link in full, none of these shortens it.
        var cards = Cards(html);
        // 44 + 1 + 30 graphemes, 3 emoji, " " + a 44-character link + " !".
        Assert.Equal((125, "1200"), cards["instagram"]);
        Assert.Equal((125, "300"), cards["bluesky"]);
        Assert.Equal((125, null), cards["blog"]);
        // The demo allows two emoji per post on Instagram: the third is one too many.
        Assert.Matches("id=\"network-instagram\"[^>]*data-max-emoji=\"2\"[^>]*data-server-emoji=\"3\"", html);
        Assert.Contains("3 émojis, plus que les 2 autorisés par la ligne éditoriale sur Instagram", html);
        Assert.Contains("Sur Instagram, chaque post porte un hashtag signature : #MaisonLumen, #FaitMainALyon", Plain(html));

        Assert.Contains("data-spelling-checked=\"true\" data-grammar=\"Checked\"", html);
        Assert.DoesNotContain("id=\"spelling-unavailable\"", html);
        Assert.DoesNotContain("id=\"grammar-unavailable\"", html);
        Assert.Equal(
        [
            "Dites « offre » plutôt que « promo »",
            "Il manque un espace insécable.",                       // " :"
            "« pas cher » est interdit par la ligne éditoriale",
            "Il manque un espace insécable.",                       // " ?"
            "« bonjuor » n’est pas dans le dictionnaire",
            "Il manque un espace insécable.",                       // " !"
        ], Messages(html));
        Assert.Contains("<span class=\"text-muted small issue-position\" title=\"Ligne et colonne\">ligne 2, colonne 6</span>", html);
        // Suggestions are buttons that put the text in place of the range.
        Assert.Matches("<button type=\"button\" class=\"btn btn-sm btn-outline-primary py-0 ms-1 draft-apply\" data-start=\"50\" data-original=\"bonjuor\"\\s+data-replacement=\"bonjour\"", html);
        Assert.Matches("data-original=\" :\"\\s+data-replacement=\"&#xA0;:\" aria-label=\"[^\"]+\">⍽:</button>", html);

        // The draft comes back marked, every piece of it encoded.
        Assert.Contains("title=\"« pas cher » est interdit par la ligne éditoriale\">pas cher</mark>", Plain(html));
        Assert.Contains("<mark class=\"draft-mark draft-misspelling\"", html);
        Assert.Contains("&lt;b&gt;l’atelier&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>l’atelier</b>", html);
        // The textarea keeps the text, encoded too.
        Assert.Contains("Non, bonjuor &lt;b&gt;l’atelier&lt;/b&gt; ", html);
    }

    [Fact]
    public async Task Grammalecte_started_by_the_portal_finds_the_agreement_and_the_missing_non_breaking_space_and_stops_with_the_portal()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var server = host.Services.GetRequiredService<GrammalecteServer>();
        Assert.Null(server.Configured);
        Assert.Equal("/usr/bin/grammalecte-server", server.Executable);

        // Emoji (4 UTF-16 units, 2 code points) and "é" written e + combining accent before the errors: they must land
        // on the words all the same.
        const string draft = "Bonjour.\n👍🏽 Cafe\u0301 offert : Les bougie parfumé sont arrivées!";
        var html = await CheckedHtmlAsync(admin, draft);

        Assert.Contains("data-grammar=\"Checked\"", html);
        var issues = Regex.Matches(html, "<li class=\"list-group-item[^\"]*\" id=\"issue-\\d+\" data-kind=\"(\\w+)\" data-rule=\"([^\"]*)\" data-start=\"(\\d+)\" data-length=\"(\\d+)\"")
            .Select(m => (Kind: m.Groups[1].Value, Words: draft.Substring(int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value)), Rule: m.Groups[2].Value))
            .ToList();
        Assert.Contains(issues, i => i is { Kind: "Grammar", Words: "bougie" } && i.Rule.Contains("gn"));
        Assert.Contains(issues, i => i is { Kind: "Grammar", Words: "parfumé" });
        Assert.Contains(issues, i => i is { Kind: "Typography", Words: "!" } && i.Rule.StartsWith("nbsp"));
        Assert.Contains(issues, i => i is { Kind: "Typography", Words: " :" } && i.Rule.StartsWith("nbsp"));
        Assert.Contains("Accord de nombre erroné : « bougie » devrait être au pluriel.", Plain(html));
        Assert.Matches("data-original=\"bougie\"\\s+data-replacement=\"bougies\"", html);
        Assert.Matches("data-original=\"!\"\\s+data-replacement=\"&#xA0;!\"", html);

        // The server is the portal's own, on 127.0.0.1, and goes away with it (with its worker process).
        var pid = server.ProcessId ?? throw new InvalidOperationException("no grammalecte-server process");
        var children = File.Exists($"/proc/{pid}/task/{pid}/children")
            ? (await File.ReadAllTextAsync($"/proc/{pid}/task/{pid}/children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList()
            : [];
        Assert.Contains("127.0.0.1", await File.ReadAllTextAsync($"/proc/{pid}/cmdline"));
        await host.DisposeAsync();
        // Killed at once, the worker first so that the server reaps it.
        var stopped = Stopwatch.StartNew();
        while (children.Prepend(pid).Any(Running) && stopped.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(50);
        foreach (var id in children.Prepend(pid))
            Assert.False(Running(id), $"process {id} still runs after the portal stopped");
    }

    /// <summary>Still there, running or as a zombie nobody reaped.</summary>
    private static bool Running(int pid) => Directory.Exists($"/proc/{pid}");

    [Fact]
    public async Task When_Grammalecte_does_not_answer_the_screen_says_grammar_is_unavailable_and_the_other_checks_still_run()
    {
        // A port nobody listens on.
        int closed;
        using (var listener = new TcpListener(IPAddress.Loopback, 0)) { listener.Start(); closed = ((IPEndPoint)listener.LocalEndpoint).Port; }
        await using var host = await PortalHost.StartAsync(settings: new Dictionary<string, string?> { ["Grammalecte:Url"] = $"http://127.0.0.1:{closed}" });
        host.ExpectWarning("French grammar is unavailable");
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();

        var html = await CheckedHtmlAsync(admin, "Les bougie parfumé pas cher, bonjuor!");
        Assert.Contains("data-grammar=\"Unavailable\"", html);
        Assert.Contains("<div class=\"alert alert-warning\" role=\"status\" id=\"grammar-unavailable\">Grammaire indisponible\u00A0: Grammalecte n’a pas répondu. Les autres vérifications ont été faites.</div>", WebUtility.HtmlDecode(html));
        Assert.Equal(
        [
            "« pas cher » est interdit par la ligne éditoriale",
            "« bonjuor » n’est pas dans le dictionnaire",
        ], Messages(html));
        Assert.Equal(6, Cards(html).Count);
        Assert.DoesNotContain("Il manque un espace insécable", html);
    }

    [Fact]
    public async Task An_empty_draft_has_nothing_to_check_and_the_live_check_gets_the_result_alone()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var html = await CheckedHtmlAsync(admin, "  \n ");
        Assert.Contains("<div class=\"alert alert-info\" role=\"status\" id=\"draft-empty\">Rien à vérifier\u00A0: le brouillon est vide.</div>", WebUtility.HtmlDecode(html));
        Assert.DoesNotContain("id=\"draft-issues\"", html);
        Assert.DoesNotContain("alert-danger", html);
        Assert.DoesNotContain("invalid-feedback", html);

        // What the page's script asks while the draft is typed: the result alone, no layout.
        var page = await admin.GetStringAsync(Page);
        var token = WebUtility.HtmlDecode(PortalHost.AntiforgeryField().Match(page).Groups[1].Value);
        using var request = new HttpRequestMessage(HttpMethod.Post, Page)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Text"] = "Une promo", ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("X-Draft-Check", "live");
        var live = await admin.Http.SendAsync(request);
        var partial = await live.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.StartsWith("<div class=\"draft-result-body\" data-checked=\"true\"", partial.TrimStart());
        Assert.DoesNotContain("<html", partial);
        Assert.Equal(["Dites « offre » plutôt que « promo »"], Messages(partial));
    }

    [Fact]
    public async Task A_post_without_its_token_or_from_a_visitor_is_refused()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var forged = await admin.Http.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string> { ["Text"] = "Bonjour" }));
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

            var html = await CheckedHtmlAsync(admin, "Des bougies pas cher, bonjuor.");
            Assert.Contains("data-spelling-checked=\"false\"", html);
            Assert.Contains("Orthographe non vérifiée : dictionnaire indisponible.", Plain(html));
            Assert.Contains("« pas cher » est interdit par la ligne éditoriale", Plain(html));
            Assert.DoesNotContain("bonjuor » n’est pas dans le dictionnaire", Plain(html));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
