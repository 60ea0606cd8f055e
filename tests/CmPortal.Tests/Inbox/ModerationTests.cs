using System.Net;
using System.Text.Json.Nodes;
using CmPortal.Modules.CommunityCharter.Contracts;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Moderation;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Integration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Inbox.AnswersTestData;

namespace CmPortal.Tests.Inbox;

/// <summary>Moderation by the community charter: decisions citing a published rule, hidden mentions, the log, the insult suggestion.</summary>
public sealed class ModerationTests
{
    /// <summary>The page's text as a reader sees it; the no-break spaces French puts before ":" and inside « » read as spaces here.</summary>
    private static string Decode(string html) => WebUtility.HtmlDecode(html).Replace('\u00a0', ' ').Replace('\u202f', ' ');

    [Fact]
    public async Task Hiding_a_mention_citing_rule_3_2_shows_the_rule_and_version_leaves_it_out_of_the_list_and_the_log_keeps_the_text()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var id = await AddMentionAsync(host, "a-masquer", "Votre équipe, bande d'incapables, ne répond jamais. Zéro étoile.");

        var hidden = await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/{id}/moderate", new() { ["decision"] = "Hide", ["ruleId"] = "insultes" });
        Assert.Equal(HttpStatusCode.Redirect, hidden.StatusCode);
        var page = Decode(await admin.GetStringAsync(hidden.Headers.Location!.ToString()));
        Assert.Contains("Mention masquée, en citant la règle 3.2 de la version 1.", page);
        Assert.Contains("Masqué — règle 3.2, version 1", page);
        Assert.Contains("Les insultes, les menaces et les attaques personnelles", page); // the rule's text as version 1 states it
        Assert.Contains($"/{Workspace}/charter/v/1#rule-insultes", page);

        // Left out of the default list (and of the API, which searches the same way); the filter shows it.
        Assert.DoesNotContain("bande d'incapables", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox")));
        Assert.DoesNotContain("<mark>incapables</mark>", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox?q=incapables")));
        Assert.Contains("bande d'incapables", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox?hidden=only")));
        Assert.Contains("<mark>incapables</mark>", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox?hidden=all&q=incapables")));

        // The text changes later (a source re-reads it): the log keeps the text that was judged.
        await host.InWorkspaceAsync(Workspace, async s =>
        {
            var db = s.GetRequiredService<InboxDbContext>();
            await db.Mentions.Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Text, "Texte corrigé par l'auteur."));
            return 0;
        });
        var log = Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/moderation"));
        Assert.Contains("Votre équipe, bande d'incapables, ne répond jamais.", log);
        Assert.Contains("Règle 3.2, version 1 — Les insultes", log); // named by its words, not its id
        Assert.DoesNotContain("(insultes)", log);
        Assert.Contains("Masquée", log);

        // Restoring puts it back in the list, and the log keeps both decisions.
        var restored = await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/{id}/moderate", new() { ["decision"] = "Restore" });
        Assert.Contains("Mention rétablie.", Decode(await admin.GetStringAsync(restored.Headers.Location!.ToString())));
        Assert.Contains("Texte corrigé par l'auteur.", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox")));
        var decisions = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<ModerationService>().LogAsync(id, 1));
        Assert.Equal([ModerationAction.Restore, ModerationAction.Hide], decisions.Select(d => d.Action).ToArray());
        Assert.Equal(("insultes", 1, "3.2"), (decisions[1].RuleId, decisions[1].CharterVersion, decisions[1].RuleNumber));
    }

    [Fact]
    public async Task A_rule_outside_the_charter_is_refused_and_a_viewer_cannot_hide()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var id = await AddMentionAsync(host, "regle-inconnue", "Un avis tout à fait correct.");

        var unknown = await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/{id}/moderate", new() { ["decision"] = "Flag", ["ruleId"] = "inventee" });
        Assert.Contains("La règle « inventee » n’est pas dans la charte de la communauté publiée.", Decode(await admin.GetStringAsync(unknown.Headers.Location!.ToString())));
        var none = await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/{id}/moderate", new() { ["decision"] = "Hide", ["ruleId"] = "" });
        Assert.Contains("Choisissez la règle de la charte de la communauté que la mention enfreint.", Decode(await admin.GetStringAsync(none.Headers.Location!.ToString())));

        await host.AddMemberAsync("analyst@example.test", Workspace, "Analyst");
        using var analyst = await host.SignInAsync("analyst@example.test", MemberHostExtensions.MemberPassword);
        await AssertDeniedAsync(analyst, analyst.SendFormAsync("POST", $"/admin/{Workspace}/inbox/{id}/moderate",
            new() { ["decision"] = "Hide", ["ruleId"] = "insultes" }));
        Assert.DoesNotContain("id=\"moderation\"", await analyst.GetStringAsync($"/admin/{Workspace}/inbox/{id}"));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendWithoutTokenAsync("POST", $"/admin/{Workspace}/inbox/{id}/moderate",
            [new("decision", "Hide"), new("ruleId", "insultes")])).StatusCode);
        var decisions = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<ModerationService>().LogAsync(id, 1));
        Assert.Empty(decisions);
    }

    [Fact]
    public async Task Without_a_published_charter_moderation_is_refused_with_a_link_to_the_charter()
    {
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Alpha" });
        using var admin = await host.SignInAsync();
        var id = await AddMentionAsync(host, "sans-charte", "Bande de connards.", workspace: "alpha");

        var page = Decode(await admin.GetStringAsync($"/admin/alpha/inbox/{id}"));
        Assert.Contains("Aucune charte de la communauté n’est publiée", page);
        Assert.Contains("href=\"/admin/alpha/charter\"", page);
        var refused = await admin.SendFormAsync("POST", $"/admin/alpha/inbox/{id}/moderate", new() { ["decision"] = "Hide", ["ruleId"] = "insultes" });
        Assert.Contains("Aucune charte de la communauté n’est publiée : une décision de modération cite l’une de ses règles. Publiez d’abord la charte.",
            Decode(await admin.GetStringAsync(refused.Headers.Location!.ToString())));
        Assert.Empty(await host.InWorkspaceAsync("alpha", s => s.GetRequiredService<ModerationService>().LogAsync(id, 1)));
    }

    [Fact]
    public void The_published_lists_catch_french_and_english_insults_as_whole_words_only()
    {
        var lists = ProfanityLists.Load();
        Assert.True(lists.Count > 500);
        Assert.Equal("connard", lists.Find("Quel CONNARD ce livreur."));
        Assert.Equal("connasse", lists.Find("Espèce de connasse !"));
        Assert.Equal("asshole", lists.Find("The delivery guy was a total asshole."));
        Assert.Equal("imbecile", lists.Find("Service client d’Imbéciles ? Non : d'imbécile."));
        // Scunthorpe: a listed word inside a harmless one is not a match.
        Assert.Null(lists.Find("Livraison rapide à Scunthorpe, très classe, en toute connaissance de cause."));
        Assert.Null(lists.Find("Our assistant passed the class on bass guitar."));
        Assert.Null(lists.Find("La collection Aube est superbe."));
    }

    [Fact]
    public async Task An_insult_suggests_a_one_click_hide_citing_the_insults_rule_but_never_hides_by_itself()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var french = await AddMentionAsync(host, "insulte-fr", "Le SAV de Maison Lumen, une bande de connards.");
        var english = await AddMentionAsync(host, "insulte-en", "Maison Lumen support is run by an asshole.", "Sam", language: "en");
        var harmless = await AddMentionAsync(host, "scunthorpe", "Livrée à Scunthorpe en toute connaissance de cause, très classe.");

        var page = Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{french}"));
        Assert.Contains("Insulte probable — la règle 3.2 « Les insultes » couvre les insultes.", page);
        Assert.Contains("Mot de la liste relevé : « connard »", page); // the list's word, for the plural written
        Assert.Contains("Insulte probable — la règle 3.2", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{english}")));
        Assert.DoesNotContain("Insulte probable", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{harmless}")));
        // Nothing was hidden by the suggestion.
        Assert.Contains("bande de connards", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox")));

        // The one-click form cites the rule; once hidden, no more suggestion.
        var form = CharterRecipes.Parse(page).QuerySelector("#insult-suggestion form")!;
        Assert.Equal("insultes", form.QuerySelector("input[name=ruleId]")!.GetAttribute("value"));
        var hidden = await admin.SendFormAsync("POST", form.GetAttribute("action")!, new() { ["decision"] = "Hide", ["ruleId"] = "insultes" });
        var after = Decode(await admin.GetStringAsync(hidden.Headers.Location!.ToString()));
        Assert.Contains("Masqué — règle 3.2, version 1", after);
        Assert.DoesNotContain("Insulte probable", after);

        // A workspace can name another rule for insults; the suggestion then cites it.
        var set = await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/moderation/insult-rule", new() { ["insultRule"] = "respect" });
        Assert.Contains("Règle des insultes enregistrée.", Decode(await admin.GetStringAsync(set.Headers.Location!.ToString())));
        Assert.Contains("la règle 1.1 « Le respect avant tout » couvre les insultes", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{english}")));
    }

    [Fact]
    public async Task The_charter_lists_its_rules_in_order_for_the_current_or_a_given_version()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard());
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", CharterRecipes.Step(true, "Les insultes d’abord.", "Charte d’Alpha",
            CharterRecipes.Section("interdit", "Ce qui n’est pas accepté", CharterRecipes.Rule("insultes", "Pas d’insultes."), CharterRecipes.Rule("spam", "Pas de publicité.")))));
        var (current, first) = await host.InWorkspaceAsync("alpha", async s =>
        {
            var charter = s.GetRequiredService<ICommunityCharter>();
            return (await charter.RulesAsync(), await charter.RulesAsync(1));
        });
        Assert.Equal(["1.1 insultes v2", "1.2 spam v2"], current.Select(r => $"{r.Number} {r.RuleId} v{r.Version}").ToArray());
        Assert.Equal(["1.1 respect", "1.2 bienveillance", "2.1 photos", "3.1 spam", "3.2 insultes"], first.Select(r => $"{r.Number} {r.RuleId}").ToArray());
        Assert.Equal("<p>Pas d’insultes.</p>", current[0].Html);
        Assert.Equal("/alpha/charter/v/2#rule-insultes", current[0].Url);
        Assert.Empty(await host.InWorkspaceAsync("alpha", s => s.GetRequiredService<ICommunityCharter>().RulesAsync(9)));
    }
}
