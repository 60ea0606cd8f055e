using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.CommunityCharter.Contracts;
using CmPortal.Modules.CommunityCharter.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>Small charter recipes for the tests (the module is not in the demo recipe yet).</summary>
internal static class CharterRecipes
{
    public static JsonObject Rule(string id, string text) => new() { ["id"] = id, ["text"] = text };

    public static JsonObject Section(string id, string title, params JsonObject[] rules) =>
        new() { ["id"] = id, ["title"] = title, ["rules"] = new JsonArray(rules.Cast<JsonNode?>().ToArray()) };

    public static JsonObject Step(bool publish, string? changeNote = null, string title = "Charte d’Alpha", params JsonObject[] sections)
    {
        var step = new JsonObject
        {
            ["step"] = "communityCharter",
            ["title"] = title,
            ["description"] = "Les règles de la communauté Alpha.",
            ["introduction"] = "Bienvenue dans la communauté **Alpha**.",
            ["sections"] = new JsonArray(sections.Cast<JsonNode?>().ToArray()),
            ["publish"] = publish,
        };
        if (changeNote is not null) step["changeNote"] = changeNote;
        return step;
    }

    /// <summary>Three sections; the rule "insultes" is 3.2 and its text can be chosen.</summary>
    public static JsonObject Standard(bool publish = true, string? changeNote = null, string insults = "Pas d’insultes ni de menaces.") =>
        Step(publish, changeNote, "Charte d’Alpha",
            Section("valeurs", "Nos valeurs", Rule("respect", "On se respecte."), Rule("bienveillance", "On accueille les débutants.")),
            Section("bienvenu", "Ce qui est bienvenu", Rule("photos", "Vos photos.")),
            Section("interdit", "Ce qui n’est pas accepté", Rule("spam", "Pas de publicité."), Rule("insultes", insults)));

    /// <summary>A recipe: workspace, the module on, then the steps.</summary>
    public static string Recipe(string key, params JsonObject[] steps) => Recipe(key, "fr-FR", steps);

    public static string Recipe(string key, string culture, params JsonObject[] steps)
    {
        var all = new JsonArray
        {
            new JsonObject { ["step"] = "workspace", ["key"] = key, ["name"] = key == "maison-lumen" ? "Maison Lumen" : char.ToUpperInvariant(key[0]) + key[1..], ["culture"] = culture,
                ["site"] = new JsonObject { ["published"] = true } },
            new JsonObject { ["step"] = "modules", ["enable"] = new JsonArray("CommunityCharter") },
        };
        foreach (var step in steps) all.Add(step.DeepClone());
        return new JsonObject { ["name"] = "charter", ["steps"] = all }.ToJsonString();
    }

    /// <summary>A portal set up with the blank recipe for "alpha", plus the charter module on.</summary>
    public static Task<PortalHost> StartAsync(params JsonObject[] steps) => StartAsync(Provider.Sqlite, steps);

    public static async Task<PortalHost> StartAsync(Provider provider, params JsonObject[] steps)
    {
        var host = await PortalHost.StartAsync(provider);
        await host.SetUpAsync("blank.recipe.json", new() { ["key"] = "alpha", ["name"] = "Alpha" });
        await host.ApplyRecipeAsync(Recipe("alpha", steps));
        return host;
    }

    public static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>
    /// Publishes the draft as a publisher does: opens the confirmation step with the change note, then submits its
    /// form. When the step shows no form (nothing new to publish), returns the step itself.
    /// </summary>
    public static async Task<HttpResponseMessage> PublishAsync(PortalClient client, string workspace, string changeNote)
    {
        var step = await client.GetAsync($"/admin/{workspace}/charter/publish?changeNote={Uri.EscapeDataString(changeNote)}");
        var html = await step.Content.ReadAsStringAsync();
        if (step.StatusCode != HttpStatusCode.OK || !html.Contains("id=\"publish-confirm-form\"")) return step;
        return await PageForm.Parse(html, "#publish-confirm-form").SubmitAsync(client);
    }
}

public sealed class CommunityCharterTests
{
    private static async Task<HttpStatusCode> StatusAsync(PortalClient client, string path) => (await client.GetAsync(path)).StatusCode;

    private static Task<long> VersionCountAsync(PortalHost host) =>
        DatabaseSnapshot.CountsAsync(host).ContinueWith(t => t.Result["CommunityCharter_Versions"]);

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_new_version_shows_at_charter_while_the_earlier_one_stays_readable_at_its_own_address(Provider provider)
    {
        await using var host = await CharterRecipes.StartAsync(provider, CharterRecipes.Standard(insults: "Texte de la version un."));
        using var visitor = host.CreateClient();
        Assert.Contains("Texte de la version un.", await visitor.GetStringAsync("/alpha/charter"));

        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha",
            CharterRecipes.Standard(changeNote: "Règle 3.2 reformulée.", insults: "Texte de la version deux.")));

        var current = CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/charter"));
        Assert.Equal("2", current.QuerySelector("article.charter")!.GetAttribute("data-version"));
        Assert.Contains("Texte de la version deux.", current.QuerySelector("#rule-insultes")!.TextContent);
        Assert.Null(current.QuerySelector(".charter-notice"));
        var log = current.QuerySelectorAll(".charter-history li").Select(li => li.TextContent).ToList();
        Assert.Equal(2, log.Count);
        Assert.Contains("Règle 3.2 reformulée.", log[0]);
        Assert.Contains("Première version.", log[1]);
        Assert.NotNull(current.QuerySelector(".charter-history a[href='/alpha/charter/v/1']"));

        var first = CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/charter/v/1"));
        Assert.Equal("1", first.QuerySelector("article.charter")!.GetAttribute("data-version"));
        Assert.Contains("Texte de la version un.", first.QuerySelector("#rule-insultes")!.TextContent);
        Assert.DoesNotContain("Texte de la version deux.", first.DocumentElement.OuterHtml);
        var notice = first.QuerySelector(".charter-notice")!;
        Assert.Contains("Ceci est la version 1", notice.TextContent);
        Assert.Contains("ce n’est pas la charte en vigueur", notice.TextContent);
        Assert.Equal("/alpha/charter", notice.QuerySelector("a")!.GetAttribute("href"));
        Assert.EndsWith("/alpha/charter/v/1", first.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));

        Assert.Contains("Texte de la version deux.", await visitor.GetStringAsync("/alpha/charter/v/2"));
        Assert.Contains("Texte de la version un.", await visitor.GetStringAsync("/alpha/charte/v/1"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(visitor, "/alpha/charter/v/3"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(visitor, "/alpha/charter/v/0"));
    }

    [Fact]
    public async Task A_draft_never_reaches_the_public_pages()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard(publish: false, insults: "Brouillon jamais publié."));
        using var visitor = host.CreateClient();
        foreach (var path in new[] { "/alpha/charter", "/alpha/charte", "/alpha/charter/v/1", "/alpha/charte/v/1" })
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(visitor, path));
        // Nothing published: the site does not link to the charter either.
        Assert.DoesNotContain("/alpha/charter", await visitor.GetStringAsync("/alpha/"));

        using var admin = await host.SignInAsync();
        Assert.Contains("Brouillon jamais publié.", await admin.GetStringAsync("/admin/alpha/charter/preview"));
        var publish = await CharterRecipes.PublishAsync(admin, "alpha", "");
        await admin.AssertRedirectWithMessageAsync(publish, "/admin/alpha/charter", "La version 1 de la charte est publiée.");
        Assert.Contains("Brouillon jamais publié.", await visitor.GetStringAsync("/alpha/charter"));

        // Editing the draft after publication changes nothing the public can see, until it is published.
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", CharterRecipes.Standard(publish: false, insults: "SECRET-DU-BROUILLON")));
        var saved = await admin.PostFormAsync("/admin/alpha/charter/edit", EditForm("SECRET-DU-BROUILLON-2"));
        await admin.AssertRedirectWithMessageAsync(saved, "/admin/alpha/charter", "Brouillon enregistré. Il n’est pas public tant que vous ne l’avez pas publié.");
        foreach (var path in new[] { "/alpha/charter", "/alpha/charte", "/alpha/charter/v/1", "/alpha/charte/v/1", "/alpha/" })
        {
            var body = await visitor.GetStringAsync(path);
            Assert.DoesNotContain("SECRET-DU-BROUILLON", body);
        }
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(visitor, "/alpha/charter/v/2"));
        Assert.Contains("SECRET-DU-BROUILLON-2", await admin.GetStringAsync("/admin/alpha/charter/preview"));
        // The contract other modules use sees only the published text.
        var rule = await InWorkspaceAsync(host, "alpha", s => s.GetRequiredService<ICommunityCharter>().FindRuleAsync("insultes"));
        Assert.Equal("Brouillon jamais publié.", rule!.Text);
    }

    [Fact]
    public async Task Markdown_with_scripts_frames_javascript_links_and_event_handlers_is_served_inert()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Step(true, null, "Charte",
            CharterRecipes.Section("pieges", "Pièges",
                CharterRecipes.Rule("script", "Avant <script>window.__pwned = 1</script> après."),
                CharterRecipes.Rule("iframe", "<iframe src=\"javascript:parent.__pwned=1\"></iframe> Cadre."),
                CharterRecipes.Rule("lien-js", "[Cliquez ici](javascript:window.__pwned=1) ou [là](JaVaScRiPt:alert(1))."),
                CharterRecipes.Rule("image", "<img src=x onerror=\"window.__pwned=1\"> et ![photo](x\" onerror=\"window.__pwned=1)"),
                CharterRecipes.Rule("lien-ok", "Voir [le site](https://example.com/page) ou [la règle](#rule-script) ou [écrire](mailto:equipe@example.com)."))));
        using var visitor = host.CreateClient();
        var html = await visitor.GetStringAsync("/alpha/charter");
        var page = CharterRecipes.Parse(html);
        var body = page.QuerySelector(".charter-body")!;

        Assert.Empty(page.QuerySelectorAll("script, iframe, img, object, embed"));
        Assert.DoesNotContain(page.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(page.QuerySelectorAll("[href], [src]"), e =>
            (e.GetAttribute("href") ?? e.GetAttribute("src"))!.Trim().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));
        // What was typed shows as text, so the author sees what happened.
        Assert.Contains("<script>window.__pwned = 1</script>", body.QuerySelector("#rule-script")!.TextContent);
        Assert.Contains("Cliquez ici", body.QuerySelector("#rule-lien-js")!.TextContent);
        Assert.Null(body.QuerySelector("#rule-lien-js a[href]:not(.charter-rule-number)"));

        var external = body.QuerySelector("#rule-lien-ok a[href='https://example.com/page']")!;
        Assert.Equal("nofollow ugc noopener", external.GetAttribute("rel"));
        Assert.Null(body.QuerySelector("#rule-lien-ok a[href='#rule-script']")!.GetAttribute("rel"));
        Assert.NotNull(body.QuerySelector("#rule-lien-ok a[href='mailto:equipe@example.com']"));

        // The stored HTML of the version is the sanitised one.
        var stored = await InWorkspaceAsync(host, "alpha", s => s.GetRequiredService<CommunityCharterDbContext>().Versions.SingleAsync());
        Assert.DoesNotContain("<script", stored.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", stored.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"javascript", stored.Html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sections_and_rules_have_anchors_and_numbers_and_ids_survive_a_move()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard());
        using var visitor = host.CreateClient();
        var page = CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/charter"));

        var rule = page.QuerySelector("li#rule-insultes")!;
        var number = rule.QuerySelector("a.charter-rule-number")!;
        Assert.Equal("3.2", number.TextContent);
        Assert.Equal("#rule-insultes", number.GetAttribute("href"));
        Assert.Equal("1.1", page.QuerySelector("#rule-respect .charter-rule-number")!.TextContent);
        Assert.Contains("Ce qui n’est pas accepté", page.QuerySelector("section#section-interdit h2")!.TextContent);
        var toc = page.QuerySelectorAll(".charter-toc a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["#section-valeurs", "#section-bienvenu", "#section-interdit", "#charter-changes"], toc);
        Assert.Contains("Sommaire", page.QuerySelector(".charter-toc h2")!.TextContent);

        // Version 2 moves "insultes" to the top: its id stays, its number changes; version 1 keeps 3.2.
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", CharterRecipes.Step(true, "Les insultes d’abord.", "Charte d’Alpha",
            CharterRecipes.Section("interdit", "Ce qui n’est pas accepté", CharterRecipes.Rule("insultes", "Pas d’insultes ni de menaces."), CharterRecipes.Rule("spam", "Pas de publicité.")),
            CharterRecipes.Section("valeurs", "Nos valeurs", CharterRecipes.Rule("respect", "On se respecte.")))));
        var moved = CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/charter"));
        Assert.Equal("1.1", moved.QuerySelector("#rule-insultes .charter-rule-number")!.TextContent);
        Assert.Equal("3.2", CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/charter/v/1")).QuerySelector("#rule-insultes .charter-rule-number")!.TextContent);

        var (inV1, inV2, gone, version) = await InWorkspaceAsync(host, "alpha", async s =>
        {
            var charter = s.GetRequiredService<ICommunityCharter>();
            return (await charter.FindRuleAsync("insultes", 1), await charter.FindRuleAsync("insultes"), await charter.FindRuleAsync("photos"),
                await charter.CurrentVersionAsync());
        });
        Assert.Equal(2, version);
        Assert.Equal(new CharterRuleReference(1, "3.2", "insultes", "interdit", "Ce qui n’est pas accepté", "Pas d’insultes ni de menaces.",
            "<p>Pas d’insultes ni de menaces.</p>", "/alpha/charter/v/1#rule-insultes"), inV1);
        Assert.Equal(("1.1", 2, "/alpha/charter/v/2#rule-insultes"), (inV2!.Number, inV2.Version, inV2.Url));
        Assert.Null(gone); // "photos" is no longer in the current version.
    }

    [Fact]
    public async Task The_french_alias_serves_the_same_page_with_a_canonical_link_to_charter_and_article_meta()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard());
        using var visitor = host.CreateClient();
        var charter = await visitor.GetStringAsync("/alpha/charter");
        var charte = await visitor.GetStringAsync("/alpha/charte");
        var main = (string html) => CharterRecipes.Parse(html).QuerySelector("main")!.InnerHtml;
        Assert.Equal(main(charter), main(charte));

        var page = CharterRecipes.Parse(charte);
        Assert.Equal($"{host.BaseAddress.ToString().TrimEnd('/')}/alpha/charter", page.QuerySelector("link[rel=canonical]")!.GetAttribute("href"));
        Assert.Equal("Charte d’Alpha · Alpha", page.Title);
        Assert.Equal("article", page.QuerySelector("meta[property='og:type']")!.GetAttribute("content"));
        Assert.Equal("Charte d’Alpha", page.QuerySelector("meta[property='og:title']")!.GetAttribute("content"));
        Assert.Equal("Les règles de la communauté Alpha.", page.QuerySelector("meta[name=description]")!.GetAttribute("content"));
        Assert.Equal("Les règles de la communauté Alpha.", page.QuerySelector("meta[property='og:description']")!.GetAttribute("content"));
        Assert.NotNull(page.QuerySelector("meta[property='article:published_time']"));
        Assert.NotNull(page.QuerySelector("link[rel=stylesheet][href^='/_content/CmPortal.Modules.CommunityCharter/charter.css']"));
        Assert.Contains("Version 1", page.QuerySelector(".charter-meta")!.TextContent);
        Assert.Contains("publiée le", page.QuerySelector(".charter-meta")!.TextContent);
        // The stylesheet it links is served.
        Assert.Contains("@media print", await visitor.GetStringAsync("/_content/CmPortal.Modules.CommunityCharter/charter.css"));
        // Once published, the site's header and home link to the charter, in the workspace's language.
        var home = CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/"));
        Assert.Equal("Charte de la communauté", home.QuerySelector(".site-nav a[href='/alpha/charter']")!.TextContent);
        Assert.Contains("comment contester une décision", home.QuerySelector(".site-cards")!.TextContent);
    }

    [Fact]
    public async Task An_english_workspace_reads_its_charter_page_in_english()
    {
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Alpha" });
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", "en-US", CharterRecipes.Standard()));
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", "en-US", CharterRecipes.Standard(changeNote: "Reworded 3.2.", insults: "No insults.")));
        using var visitor = host.CreateClient();
        var page = CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/charter/v/1"));
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Contents", page.QuerySelector(".charter-toc h2")!.TextContent);
        Assert.Equal("Change log", page.QuerySelector(".charter-changes h2")!.TextContent);
        Assert.Contains("it is not the current charter", page.QuerySelector(".charter-notice")!.TextContent);
        Assert.Contains("Community charter", page.QuerySelector(".site-nav")!.TextContent);
    }

    [Fact]
    public async Task Publishing_from_the_admin_is_visible_at_once_although_the_page_is_cached()
    {
        await using var host = await CharterRecipes.StartAsync();
        using var admin = await host.SignInAsync();
        using var visitor = host.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(visitor, "/alpha/charter"));
        Assert.DoesNotContain("/alpha/charter", await visitor.GetStringAsync("/alpha/")); // "nothing published" is cached too

        await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync("/admin/alpha/charter/edit", EditForm("Première rédaction.")), "/admin/alpha/charter", "Brouillon enregistré. Il n’est pas public tant que vous ne l’avez pas publié.");
        await admin.AssertRedirectWithMessageAsync(await CharterRecipes.PublishAsync(admin, "alpha", ""), "/admin/alpha/charter", "La version 1 de la charte est publiée.");
        Assert.Contains("Première rédaction.", await visitor.GetStringAsync("/alpha/charter"));
        Assert.Contains("href=\"/alpha/charter\"", await visitor.GetStringAsync("/alpha/"));

        await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync("/admin/alpha/charter/edit", EditForm("Seconde rédaction.")), "/admin/alpha/charter", "Brouillon enregistré. Il n’est pas public tant que vous ne l’avez pas publié.");
        // Without a change note, version 2 is refused with the reason.
        var refused = await CharterRecipes.PublishAsync(admin, "alpha", " ");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("une note de modification est obligatoire à partir de la version 2", await refused.Content.ReadAsStringAsync());
        Assert.Equal(1, await VersionCountAsync(host));

        await admin.AssertRedirectWithMessageAsync(await CharterRecipes.PublishAsync(admin, "alpha", "Règle reformulée."), "/admin/alpha/charter", "La version 2 de la charte est publiée.");
        var current = await visitor.GetStringAsync("/alpha/charter");
        Assert.Contains("Seconde rédaction.", current);
        Assert.Contains("Règle reformulée.", current);
        Assert.Contains("Première rédaction.", await visitor.GetStringAsync("/alpha/charter/v/1"));

        // Publishing the same content again is refused: nothing new.
        var same = await CharterRecipes.PublishAsync(admin, "alpha", "Encore.");
        Assert.Contains("Le brouillon est identique à la version 2", await same.Content.ReadAsStringAsync());
        Assert.Equal(2, await VersionCountAsync(host));
        var index = CharterRecipes.Parse(await admin.GetStringAsync("/admin/alpha/charter"));
        Assert.Equal(["2", "1"], index.QuerySelectorAll("#charter-versions tbody tr").Select(tr => tr.GetAttribute("data-version")).ToList());
    }

    [Fact]
    public async Task The_editor_starts_from_a_french_template_and_explains_what_to_fix_without_saving()
    {
        await using var host = await CharterRecipes.StartAsync();
        using var admin = await host.SignInAsync();
        var template = CharterRecipes.Parse(await admin.GetStringAsync("/admin/alpha/charter/edit"));
        var sectionIds = template.QuerySelectorAll("input[name$='].Id']:not([name*='Rules'])").Select(i => i.GetAttribute("value")).Where(v => !string.IsNullOrEmpty(v)).ToList();
        Assert.Equal(["valeurs", "bienvenu", "interdit", "moderation", "sanctions", "recours"], sectionIds);
        Assert.Equal("Charte de la communauté", template.QuerySelector("input[name=Title]")!.GetAttribute("value"));
        Assert.NotNull(template.QuerySelector("input[name='Sections[6].Title']")); // a blank section to add one

        var before = await DatabaseSnapshot.ContentAsync(host);
        var form = EditForm("Un texte.");
        form["Sections[0].Rules[1].Id"] = "Pas Un Slug";
        form["Sections[0].Rules[1].Text"] = "Autre texte.";
        form["Sections[1].Id"] = "valeurs";
        form["Sections[1].Title"] = "Doublon";
        form["Sections[1].Rules[0].Id"] = "respect";
        form["Sections[1].Rules[0].Text"] = "Même identifiant.";
        var response = await admin.PostFormAsync("/admin/alpha/charter/edit", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = CharterRecipes.Parse(await response.Content.ReadAsStringAsync());
        var errors = page.QuerySelectorAll("#charter-errors li").Select(li => li.TextContent).ToList();
        Assert.Contains(errors, e => e.Contains("Section 1, règle 1.2") && e.Contains("«\u00a0Pas Un Slug\u00a0» n’est pas un identifiant de règle valide"));
        Assert.Contains(errors, e => e.Contains("Section 2") && e.Contains("L’identifiant de section «\u00a0valeurs\u00a0» est déjà utilisé par la section 1"));
        Assert.Contains(errors, e => e.Contains("Section 2, règle 2.1") && e.Contains("L’identifiant de règle «\u00a0respect\u00a0» est déjà utilisé par la règle 1.1"));
        Assert.Equal("#Sections_0__Rules_1__Id", page.QuerySelector("#charter-errors li a")!.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("#Sections_0__Rules_1__Id"));
        Assert.Equal("Pas Un Slug", page.QuerySelector("#Sections_0__Rules_1__Id")!.GetAttribute("value")); // what was typed is kept
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        // A rule without id gets one from its text; moving reorders without saving.
        var moving = EditForm("Un texte.");
        moving["Sections[0].Rules[1].Text"] = "Pas d’insultes, ni de menaces.";
        moving["move"] = "rule:0:1:up";
        var moved = CharterRecipes.Parse(await (await admin.PostFormAsync("/admin/alpha/charter/edit", moving)).Content.ReadAsStringAsync());
        Assert.Equal("Pas d’insultes, ni de menaces.", moved.QuerySelector("#Sections_0__Rules_0__Text")!.TextContent);
        Assert.Equal("Un texte.", moved.QuerySelector("#Sections_0__Rules_1__Text")!.TextContent);
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
        moving.Remove("move");
        await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync("/admin/alpha/charter/edit", moving), "/admin/alpha/charter", "Brouillon enregistré. Il n’est pas public tant que vous ne l’avez pas publié.");
        var draft = await InWorkspaceAsync(host, "alpha", s => s.GetRequiredService<CharterStore>().FindDraftAsync(default));
        Assert.Equal(["respect", "pas-d-insultes"], CharterDocument.FromJson(draft!.Document).Sections[0].Rules.Select(r => r.Id));
    }

    [Fact]
    public async Task Applying_the_step_twice_publishes_one_version_and_export_round_trips()
    {
        await using var host = await CharterRecipes.StartAsync();
        var recipe = CharterRecipes.Recipe("alpha", CharterRecipes.Standard(changeNote: "Première version."));
        await host.ApplyRecipeAsync(recipe);
        var first = await DatabaseSnapshot.CountsAsync(host);
        var content = await DatabaseSnapshot.ContentAsync(host);
        var exported = await host.ExportAsync("alpha");
        await host.ApplyRecipeAsync(recipe);
        // A different change note alone is no new content either.
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", CharterRecipes.Standard(changeNote: "Autre note.")));
        await DatabaseSnapshot.AssertUnchangedAsync(host, content);
        Assert.Equal((1L, 1L), (first["CommunityCharter_Versions"], first["CommunityCharter_Drafts"]));
        Assert.Equal(Steps(exported), Steps(await host.ExportAsync("alpha")));

        var step = CharterStep(exported);
        Assert.True(step["publish"]!.GetValue<bool>());
        Assert.Null(step["changeNote"]);
        Assert.Equal(CharterRecipes.Standard()["sections"]!.ToJsonString(), step["sections"]!.ToJsonString());

        // The export applied under another key reproduces the charter, published.
        await host.ApplyRecipeAsync(exported, new() { ["key"] = "copie" });
        Assert.Equal(step.ToJsonString(), CharterStep(await host.ExportAsync("copie")).ToJsonString());
        await host.PublishSiteAsync("copie"); // a copy made from an export starts offline
        using var visitor = host.CreateClient();
        Assert.Contains("Pas d’insultes ni de menaces.", await visitor.GetStringAsync("/copie/charter"));

        // A draft that differs from the current version exports unpublished.
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", CharterRecipes.Standard(publish: false, insults: "Changé.")));
        Assert.False(CharterStep(await host.ExportAsync("alpha"))["publish"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_bad_charter_step_is_refused_with_field_paths_and_stores_nothing()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard());
        var before = await DatabaseSnapshot.ContentAsync(host);
        var bad = CharterRecipes.Step(true, "Note", "Charte",
            CharterRecipes.Section("valeurs", "Nos valeurs", CharterRecipes.Rule("respect", "On se respecte."), CharterRecipes.Rule("Mauvais Id", "Texte.")),
            CharterRecipes.Section("valeurs", "Doublon", CharterRecipes.Rule("respect", "Même id."), CharterRecipes.Rule("vide", "")),
            CharterRecipes.Section("vide", ""));
        var error = await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", bad), file: "charte.recipe.json"));
        var errors = error.Errors.Select(e => (e.StepIndex, e.Field, e.Message)).ToList();
        Assert.All(error.Errors, e => Assert.Equal(("charte.recipe.json", 3, "communityCharter"), (e.File, e.StepIndex!.Value, e.StepName!)));
        Assert.Contains(errors, e => e.Field == "sections[0].rules[1].id" && e.Message.Contains("\"Mauvais Id\" is not a valid rule id. Use lowercase letters, digits and hyphens"));
        Assert.Contains(errors, e => e.Field == "sections[1].id" && e.Message.Contains("The section id \"valeurs\" is already used by section 1"));
        Assert.Contains(errors, e => e.Field == "sections[1].rules[0].id" && e.Message.Contains("The rule id \"respect\" is already used by rule 1.1"));
        Assert.Contains(errors, e => e.Field == "sections[1].rules[1].text" && e.Message.Contains("The rule has no text"));
        Assert.Contains(errors, e => e.Field == "sections[2].title" && e.Message.Contains("The section has no title"));
        Assert.Contains(errors, e => e.Field == "sections[2].rules" && e.Message.Contains("neither an introduction nor rules"));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        // Binding errors name the field too.
        var unknown = CharterRecipes.Standard();
        ((JsonObject)unknown["sections"]![0]!["rules"]![0]!).Add("numero", 1);
        var unknownError = Assert.Single((await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", unknown)))).Errors);
        Assert.Equal("sections[0].rules[0].numero", unknownError.Field);
        Assert.Contains("\"numero\" is not a field of this step", unknownError.Message);
        var missing = CharterRecipes.Standard();
        missing.Remove("title");
        var missingError = Assert.Single((await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", missing)))).Errors);
        Assert.Contains("Required field \"title\" is missing", missingError.Message);

        // Version 2 needs a change note: said before anything runs.
        var noNote = await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", CharterRecipes.Standard(insults: "Nouveau."))));
        var e2 = Assert.Single(noNote.Errors);
        Assert.Equal("changeNote", e2.Field);
        Assert.Contains("a change note is required from version 2 on", e2.Message);
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    [Fact]
    public async Task Only_roles_with_the_publish_permission_may_publish()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard(publish: false));
        await host.AddMemberAsync("cm@alpha.test", "alpha", DefaultRoles.CommunityManager);
        await host.AddMemberAsync("analyst@alpha.test", "alpha", DefaultRoles.Analyst);
        using var manager = await host.SignInAsync("cm@alpha.test", MemberHostExtensions.MemberPassword);
        var before = await DatabaseSnapshot.ContentAsync(host);

        var publish = await manager.PostFormAsync("/admin/alpha/charter/publish", new() { ["changeNote"] = "Tentative." });
        var denied = ResponseAssert.AssertRedirect(publish, "/account/denied?ReturnUrl=%2Fadmin%2Falpha%2Fcharter%2Fpublish");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(manager, denied));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host.CreateClient(), "/alpha/charter"));

        // The community manager edits the draft, and sees no publish form.
        var index = await manager.GetStringAsync("/admin/alpha/charter");
        Assert.DoesNotContain("publish-form", index);
        Assert.Contains("href=\"/admin/alpha/charter/edit\"", index);
        Assert.Contains("href=\"/admin/alpha/charter\"", await manager.GetStringAsync("/admin/alpha")); // menu entry
        await manager.AssertRedirectWithMessageAsync(await manager.PostFormAsync("/admin/alpha/charter/edit", EditForm("Par la CM.")), "/admin/alpha/charter", "Brouillon enregistré. Il n’est pas public tant que vous ne l’avez pas publié.");

        // The analyst reads, but neither edits nor publishes.
        using var analyst = await host.SignInAsync("analyst@alpha.test", MemberHostExtensions.MemberPassword);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(analyst, "/admin/alpha/charter"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(analyst, "/admin/alpha/charter/preview"));
        ResponseAssert.AssertRedirect(await analyst.GetAsync("/admin/alpha/charter/edit"), "/account/denied?ReturnUrl=%2Fadmin%2Falpha%2Fcharter%2Fedit");

        // The brand manager publishes.
        await host.AddMemberAsync("bm@alpha.test", "alpha", DefaultRoles.BrandManager);
        using var brand = await host.SignInAsync("bm@alpha.test", MemberHostExtensions.MemberPassword);
        await brand.AssertRedirectWithMessageAsync(await CharterRecipes.PublishAsync(brand, "alpha", ""), "/admin/alpha/charter", "La version 1 de la charte est publiée.");
        Assert.Contains("Par la CM.", await host.CreateClient().GetStringAsync("/alpha/charter"));
    }

    [Fact]
    public async Task Each_workspace_sees_only_its_own_charter_even_from_the_cache()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard(insults: "SECRET-ALPHA"));
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("beta", CharterRecipes.Standard(publish: false, insults: "Brouillon de beta.")));
        await host.AddMemberAsync("bm@beta.test", "beta", DefaultRoles.BrandManager);
        using var visitor = host.CreateClient();
        Assert.Contains("SECRET-ALPHA", await visitor.GetStringAsync("/alpha/charter")); // now cached for alpha
        foreach (var path in new[] { "/beta/charter", "/beta/charte", "/beta/charter/v/1" })
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(visitor, path));

        using var beta = await host.SignInAsync("bm@beta.test", MemberHostExtensions.MemberPassword);
        foreach (var path in new[] { "/admin/beta/charter", "/admin/beta/charter/edit", "/admin/beta/charter/preview" })
            Assert.DoesNotContain("SECRET-ALPHA", await beta.GetStringAsync(path));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(beta, "/admin/alpha/charter"));
        Assert.Equal(HttpStatusCode.NotFound, (await beta.PostFormAsync("/admin/alpha/charter/publish", new() { ["changeNote"] = "x" })).StatusCode);
        await beta.AssertRedirectWithMessageAsync(await CharterRecipes.PublishAsync(beta, "beta", ""), "/admin/beta/charter", "La version 1 de la charte est publiée.");

        var betaPage = await visitor.GetStringAsync("/beta/charter");
        Assert.Contains("Brouillon de beta.", betaPage);
        Assert.DoesNotContain("SECRET-ALPHA", betaPage);
        Assert.Contains("SECRET-ALPHA", await visitor.GetStringAsync("/alpha/charter"));
        var rule = await InWorkspaceAsync(host, "beta", s => s.GetRequiredService<ICommunityCharter>().FindRuleAsync("insultes"));
        Assert.Equal(("Brouillon de beta.", "/beta/charter/v/1#rule-insultes"), (rule!.Text, rule.Url));
        Assert.Equal(2, await VersionCountAsync(host));
    }

    [Fact]
    public async Task A_published_version_cannot_be_changed_or_deleted()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard());
        await host.InScopeAsync(async services =>
        {
            await SelectAsync(services, "alpha");
            var db = services.GetRequiredService<CommunityCharterDbContext>();
            var version = await db.Versions.SingleAsync();
            db.Entry(version).Property(v => v.Html).CurrentValue = "<p>réécrit</p>";
            var changed = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("is published and cannot be changed or deleted", changed.Message);
            db.ChangeTracker.Clear();
            db.Versions.Remove(await db.Versions.SingleAsync());
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        });
        Assert.DoesNotContain("réécrit", await host.CreateClient().GetStringAsync("/alpha/charter"));
        Assert.Equal(1, await VersionCountAsync(host));
    }

    [Fact]
    public void Every_validation_message_has_a_french_translation()
    {
        var french = new CmPortal.Core.Localization.PortalTranslations([typeof(CharterStore).Assembly]).Table("fr");
        // A charter with a problem of each kind the rules know about a document and its change note.
        var broken = CharterDocument.FromJson("""{"title":"","description":"","sections":[{"id":"Bad Id","title":"","rules":[{"id":"","text":""},{"id":"x y","text":"ok"}]},{"id":"","title":"t","rules":[]}]}""").Normalized();
        var problems = CharterRules.Check(broken).Concat(CharterRules.CheckChangeNote("", 2)).ToList();
        Assert.True(problems.Count > 8, string.Join("\n", problems));
        Assert.All(problems, p => Assert.True(french.ContainsKey(p.Template), $"no French for: {p.Template}"));
        // And for the site link the brand theme translates.
        Assert.True(french.ContainsKey("The rules we all sign up to: what is welcome, how moderation works, how to appeal."));
    }

    private static string Steps(string recipe) => JsonNode.Parse(recipe)!["steps"]!.ToJsonString();

    private static JsonObject CharterStep(string recipe) =>
        JsonNode.Parse(recipe)!["steps"]!.AsArray().Single(s => s!["step"]!.GetValue<string>() == "communityCharter")!.AsObject();

    /// <summary>The admin form with one section of two rules (the second blank), as the editor posts it.</summary>
    internal static Dictionary<string, string> EditForm(string firstRule) => new()
    {
        ["Title"] = "Charte d’Alpha",
        ["Description"] = "Les règles de la communauté Alpha.",
        ["Introduction"] = "Bienvenue.",
        ["Sections[0].Id"] = "valeurs",
        ["Sections[0].Title"] = "Nos valeurs",
        ["Sections[0].Introduction"] = "",
        ["Sections[0].Rules[0].Id"] = "respect",
        ["Sections[0].Rules[0].Text"] = firstRule,
        ["Sections[0].Rules[1].Id"] = "",
        ["Sections[0].Rules[1].Text"] = "",
        ["Sections[1].Id"] = "",
        ["Sections[1].Title"] = "",
        ["Sections[1].Rules[0].Id"] = "",
        ["Sections[1].Rules[0].Text"] = "",
        ["save"] = "1",
    };

    private static async Task SelectAsync(IServiceProvider services, string key) =>
        services.GetRequiredService<WorkspaceContext>().Set(await services.GetRequiredService<WorkspaceService>().FindAsync(key, default));

    private static Task<T> InWorkspaceAsync<T>(PortalHost host, string key, Func<IServiceProvider, Task<T>> work) =>
        host.InScopeAsync(async services =>
        {
            await SelectAsync(services, key);
            return await work(services);
        });
}
