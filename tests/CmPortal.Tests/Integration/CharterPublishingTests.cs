using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Publishing the community charter goes through a confirmation step that shows what changes, and the public page
/// then tells readers what is new in the version they read.
/// </summary>
public sealed class CharterPublishingTests
{
    private static Task<long> VersionCountAsync(PortalHost host) =>
        DatabaseSnapshot.CountsAsync(host).ContinueWith(t => t.Result["CommunityCharter_Versions"]);

    /// <summary>The draft of "alpha" from the admin editor: the first rule's text and, when given, a second rule "accueil".</summary>
    private static Dictionary<string, string> Draft(string respect, string? welcome = null)
    {
        var form = CommunityCharterTests.EditForm(respect);
        if (welcome is not null)
        {
            form["Sections[0].Rules[1].Id"] = "accueil";
            form["Sections[0].Rules[1].Text"] = welcome;
        }
        return form;
    }

    /// <summary>What a sighted reader reads: without the words only screen readers get, spaces made plain.</summary>
    private static string Seen(IElement element)
    {
        var copy = (IElement)element.Clone();
        foreach (var hidden in copy.QuerySelectorAll(".visually-hidden").ToList()) hidden.Remove();
        return Regex.Replace(copy.TextContent, @"[\s\u00a0\u202f]+", " ").Trim();
    }

    [Fact]
    public async Task Publishing_shows_the_differences_first_and_publishes_nothing_until_confirmed()
    {
        await using var host = await CharterRecipes.StartAsync();
        using var admin = await host.SignInAsync();
        await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync("/admin/alpha/charter/edit", Draft("On se respecte, même en désaccord.")), "/admin/alpha/charter", "Brouillon enregistré. Il n’est pas public tant que vous ne l’avez pas publié.");

        // The admin page's publish button leads to the confirmation step, not to a publication.
        var index = CharterRecipes.Parse(await admin.GetStringAsync("/admin/alpha/charter"));
        var button = index.QuerySelector("#publish-form")!;
        Assert.Equal("get", button.GetAttribute("method"));
        Assert.Equal("/admin/alpha/charter/publish", button.GetAttribute("action"));

        // First publication: nothing to compare with, said in words.
        var first = CharterRecipes.Parse(await admin.GetStringAsync("/admin/alpha/charter/publish"));
        Assert.Contains("il n’y a pas de version précédente", Seen(first.QuerySelector("#publish-summary")!));
        Assert.Equal(0, await VersionCountAsync(host));
        // Posting the note without having seen the step (no review key) shows the step again, and publishes nothing.
        var unreviewed = await admin.PostFormAsync("/admin/alpha/charter/publish", new() { ["changeNote"] = "" }, "/admin/alpha/charter");
        Assert.Equal(HttpStatusCode.OK, unreviewed.StatusCode);
        Assert.Contains("publish-confirm-form", await unreviewed.Content.ReadAsStringAsync());
        Assert.Equal(0, await VersionCountAsync(host));
        await admin.AssertRedirectWithMessageAsync(await CharterRecipes.PublishAsync(admin, "alpha", ""), "/admin/alpha/charter", "La version 1 de la charte est publiée.");

        // Version 2: one rule reworded, one added.
        await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync("/admin/alpha/charter/edit", Draft("On se respecte, toujours, même en désaccord.", "On accueille les nouveaux.")), "/admin/alpha/charter", "Brouillon enregistré. Il n’est pas public tant que vous ne l’avez pas publié.");
        var before = await DatabaseSnapshot.ContentAsync(host);
        var step = await admin.GetAsync("/admin/alpha/charter/publish?changeNote=" + Uri.EscapeDataString("Règle du respect précisée."));
        Assert.Equal(HttpStatusCode.OK, step.StatusCode);
        var page = CharterRecipes.Parse(await step.Content.ReadAsStringAsync());
        Assert.Equal("Différences avec la version 1", page.QuerySelector("#diff-title")!.TextContent.Trim());
        Assert.Equal("Règles : 1 nouvelle, 1 reformulée, 0 retirée. Lire le brouillon tel qu’il sera publié", Seen(page.QuerySelector("#publish-summary")!));
        var reworded = page.QuerySelector("#rule-changes [data-rule='respect']")!;
        Assert.Equal("changed", reworded.GetAttribute("data-change"));
        Assert.Contains("Règle reformulée Règle 1.1", Seen(reworded.QuerySelector("h3")!));
        // The words that changed are marked, with words for screen readers too.
        Assert.Equal(["toujours,"], reworded.QuerySelectorAll("ins.diff-added").Select(e => Seen(e)).ToList());
        Assert.Contains("[ajouté", reworded.QuerySelector("ins.diff-added")!.TextContent);
        Assert.Empty(reworded.QuerySelectorAll("del.diff-removed"));
        Assert.Equal("Avant : On se respecte, même en désaccord.", Seen(reworded.QuerySelectorAll(".diff-side")[0]));
        Assert.Equal("Après : On se respecte, toujours, même en désaccord.", Seen(reworded.QuerySelectorAll(".diff-side")[1]));
        var added = page.QuerySelector("#rule-changes [data-rule='accueil']")!;
        Assert.Equal("added", added.GetAttribute("data-change"));
        Assert.Equal("On accueille les nouveaux.", Seen(added.QuerySelector("ins")!));
        // The note typed on the admin page is carried to the step; still nothing is published.
        Assert.Equal("Règle du respect précisée.", page.QuerySelector("#publish-confirm-form textarea[name=changeNote]")!.TextContent.Trim());
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
        using var visitor = host.CreateClient();
        Assert.DoesNotContain("toujours", await visitor.GetStringAsync("/alpha/charter"));

        // The draft changes after the review: confirming what was reviewed is refused, and says why.
        var reviewed = PageForm.Parse(await (await admin.GetAsync("/admin/alpha/charter/publish?changeNote=x")).Content.ReadAsStringAsync(), "#publish-confirm-form");
        await admin.PostFormAsync("/admin/alpha/charter/edit", Draft("On se respecte, toujours et partout.", "On accueille les nouveaux."));
        var stale = await reviewed.SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("a changé depuis que vous avez vérifié les différences", WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()));
        Assert.Equal(1, await VersionCountAsync(host));

        // Confirmed: published, and public at once.
        await admin.AssertRedirectWithMessageAsync(await CharterRecipes.PublishAsync(admin, "alpha", "Règle du respect précisée."), "/admin/alpha/charter", "La version 2 de la charte est publiée.");
        Assert.Equal(2, await VersionCountAsync(host));
        Assert.Contains("toujours et partout", await visitor.GetStringAsync("/alpha/charter"));
    }

    [Fact]
    public async Task The_public_page_says_what_is_new_in_its_version_and_marks_the_rules_in_words()
    {
        await using var host = await CharterRecipes.StartAsync(CharterRecipes.Standard());
        using var visitor = host.CreateClient();
        // Version 1 is cached by a first visit; it has no "what's new".
        var v1 = CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/charter"));
        Assert.Null(v1.QuerySelector("#charter-news"));
        Assert.Empty(v1.QuerySelectorAll(".charter-rule-mark"));

        var standard = CharterRecipes.Standard(changeNote: "Règle sur les insultes précisée, règle sur les sources ajoutée.", insults: "Pas d’insultes, ni de menaces, ni de moqueries.");
        ((System.Text.Json.Nodes.JsonArray)((System.Text.Json.Nodes.JsonObject)standard["sections"]![1]!)["rules"]!).Add(CharterRecipes.Rule("sources", "Citez vos sources."));
        using var admin = await host.SignInAsync();
        await host.ApplyRecipeAsync(CharterRecipes.Recipe("alpha", standard));

        var page = CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/charter"));
        var news = page.QuerySelector("#charter-news")!;
        Assert.Matches(@"^Nouveautés de la version 2 \(\d{1,2} \w+ \d{4}\)$", Seen(news.QuerySelector("h2")!));
        Assert.Contains("Règle sur les insultes précisée", Seen(news));
        Assert.Equal(["Nouvelle règle : 2.2 · Ce qui est bienvenu", "Règle reformulée : 3.2 · Ce qui n’est pas accepté"],
            news.QuerySelectorAll("li[data-rule]").Select(li => Seen(li)).OrderBy(t => t, StringComparer.Ordinal).ToList());
        Assert.Equal("#rule-insultes", news.QuerySelector("li[data-rule='insultes'] a")!.GetAttribute("href"));

        // The rules themselves carry a worded mark, not a colour alone; untouched rules carry none.
        var insults = page.QuerySelector("#rule-insultes")!;
        Assert.Contains("charter-rule-changed", insults.ClassName);
        Assert.Equal("Règle reformulée", insults.QuerySelector(".charter-rule-mark")!.TextContent);
        Assert.Equal("Nouvelle règle", page.QuerySelector("#rule-sources .charter-rule-mark")!.TextContent);
        Assert.Null(page.QuerySelector("#rule-respect .charter-rule-mark"));
        Assert.Equal(2, page.QuerySelectorAll(".charter-rule-mark").Length);

        // Still served from the cache (anonymous, no cookie) and the earlier version keeps working, without marks.
        var again = await visitor.GetAsync("/alpha/charter");
        Assert.Equal(page.QuerySelector("#charter-news")!.OuterHtml, CharterRecipes.Parse(await again.Content.ReadAsStringAsync()).QuerySelector("#charter-news")!.OuterHtml);
        Assert.NotNull(again.Headers.ETag);
        var older = CharterRecipes.Parse(await visitor.GetStringAsync("/alpha/charter/v/1"));
        Assert.Null(older.QuerySelector("#charter-news"));
        Assert.Contains("Pas d’insultes ni de menaces.", older.QuerySelector("#rule-insultes")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/alpha/charte/v/2")).StatusCode);

        // The admin's list of versions says who published each: here a recipe, in words rather than a blank.
        var versions = CharterRecipes.Parse(await admin.GetStringAsync("/admin/alpha/charter")).QuerySelectorAll("#charter-versions tbody tr");
        Assert.All(versions, row => Assert.Equal("Recette", row.QuerySelectorAll("td")[2].TextContent.Trim()));
    }
}
