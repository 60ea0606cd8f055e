using System.Net;
using CmPortal.Modules.Inbox.Answers;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Inbox.AnswersTestData;

namespace CmPortal.Tests.Inbox;

/// <summary>Saved replies: the library's rules, the suggestions on a mention's page, the reply copied as a note, who may do what.</summary>
public sealed class SavedReplyTests
{
    /// <summary>The page's text as a reader sees it; the no-break spaces French puts before ":" and inside « » read as spaces here.</summary>
    private static string Decode(string html) => WebUtility.HtmlDecode(html).Replace('\u00a0', ' ').Replace('\u202f', ' ');

    [Fact]
    public void Variables_are_filled_in_french_or_english_and_an_unknown_one_is_named()
    {
        Assert.Equal("Bonjour Léa, merci de suivre Maison Lumen. Thanks Léa from Maison Lumen.",
            ReplyVariables.Fill("Bonjour {auteur}, merci de suivre {marque}. Thanks {author} from {brand}.", "Léa", "Maison Lumen"));
        var problems = SavedReplyService.Check(new SavedReplyInput("Merci", "Bonjour {auter}, merci ! {marque} {prenom}"));
        Assert.Equal(["{auter}", "{prenom}"], problems.Select(p => (string)p.Values[0]!).ToArray());
        Assert.All(problems, p => Assert.Equal("text", p.Field));
        Assert.Empty(SavedReplyService.Check(new SavedReplyInput("Merci", "Bonjour {auteur}, {marque} vous remercie.", "fr", "merci")));
    }

    [Fact]
    public async Task The_library_refuses_an_unknown_variable_in_french_and_a_viewer_can_read_but_not_edit()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var refused = await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/replies/new",
            new() { ["title"] = "Merci", ["text"] = "Bonjour {auter}, merci !", ["language"] = "fr", ["tags"] = "merci" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("« {auter} » n’est pas une variable qu’une réponse peut utiliser", Decode(page));
        Assert.Contains("Bonjour {auter}, merci !", Decode(page)); // what was typed is kept

        var saved = await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/replies/new",
            new() { ["title"] = "Merci d’être passé", ["text"] = "Merci {auteur} d’être passé chez {marque} !", ["language"] = "fr", ["tags"] = "boutique, merci" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var library = Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/replies"));
        Assert.Contains("Merci d’être passé", library);
        Assert.Contains("Retard de livraison", library); // the demo's library

        await host.AddMemberAsync("analyst@example.test", Workspace, "Analyst");
        using var analyst = await host.SignInAsync("analyst@example.test", MemberHostExtensions.MemberPassword);
        Assert.Contains("Retard de livraison", Decode(await analyst.GetStringAsync($"/admin/{Workspace}/inbox/replies")));
        await AssertDeniedAsync(analyst, analyst.GetAsync($"/admin/{Workspace}/inbox/replies/new"));
        await AssertDeniedAsync(analyst, analyst.SendFormAsync("POST", $"/admin/{Workspace}/inbox/replies/new",
            new() { ["title"] = "Pirate", ["text"] = "Texte" }));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendWithoutTokenAsync("POST", $"/admin/{Workspace}/inbox/replies/new",
            [new("title", "Sans jeton"), new("text", "Texte")])).StatusCode);
    }

    [Fact]
    public async Task A_delivery_question_gets_the_delivery_reply_first_filled_in_and_the_copied_reply_is_kept_as_a_note()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var id = await AddMentionAsync(host, "question-livraison",
            "Quand est-ce que ma commande sera livrée ? Trois semaines de retard pour la livraison, c'est long.", "Camille Roux",
            "https://blog.example/camille/commande");

        var page = Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{id}"));
        Assert.Contains("Cette mention pose une question", page);
        var suggestions = CmPortal.Tests.Integration.CharterRecipes.Parse(page).QuerySelectorAll("#reply-suggestions li strong").Select(e => e.TextContent).ToList();
        Assert.Equal("Retard de livraison", suggestions[0]);
        Assert.InRange(suggestions.Count, 1, 3);
        var area = CmPortal.Tests.Integration.CharterRecipes.Parse(page).QuerySelector("#reply-text")!.TextContent;
        Assert.StartsWith("Bonjour Camille Roux, nous sommes désolés pour ce retard de livraison.", area);
        Assert.Contains("Chaque pièce Maison Lumen", area);
        Assert.DoesNotContain("{", area);
        Assert.Contains("Copier la réponse et ouvrir le post", page);

        // Nothing is sent: the member edits the text, copies it, and the inbox keeps it as a note under the mention.
        var copied = await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/{id}/reply",
            new() { ["text"] = "Bonjour Camille, votre colis part demain. L’équipe Maison Lumen" });
        Assert.Equal(HttpStatusCode.Redirect, copied.StatusCode);
        var after = Decode(await admin.GetStringAsync(copied.Headers.Location!.ToString()));
        Assert.Contains("Réponse gardée en note de la mention.", after);
        Assert.Contains("Réponse copiée par", after);
        Assert.Contains("Bonjour Camille, votre colis part demain.", after);

        // A viewer sees the note but neither the suggestions nor the form, and cannot record a reply.
        await host.AddMemberAsync("analyst@example.test", Workspace, "Analyst");
        using var analyst = await host.SignInAsync("analyst@example.test", MemberHostExtensions.MemberPassword);
        var viewed = Decode(await analyst.GetStringAsync($"/admin/{Workspace}/inbox/{id}"));
        Assert.Contains("Bonjour Camille, votre colis part demain.", viewed);
        Assert.DoesNotContain("reply-suggestions", viewed);
        await AssertDeniedAsync(analyst, analyst.SendFormAsync("POST", $"/admin/{Workspace}/inbox/{id}/reply", new() { ["text"] = "x" }));
    }

    [Fact]
    public void Questions_follow_the_documented_rule()
    {
        Assert.True(ReplySuggestions.AsksAQuestion("Vous livrez en Belgique ?"));
        Assert.True(ReplySuggestions.AsksAQuestion("Comment entretenir le laiton"));
        Assert.True(ReplySuggestions.AsksAQuestion("Est-ce que la lampe Aube existe en blanc"));
        Assert.True(ReplySuggestions.AsksAQuestion("When will the sconce be back in stock"));
        Assert.False(ReplySuggestions.AsksAQuestion("Superbe suspension, très contente."));
        Assert.False(ReplySuggestions.AsksAQuestion("Lovely lamp, worth every penny."));
    }

    [Fact]
    public void Suggestions_rank_by_closeness_and_leave_out_replies_that_share_nothing()
    {
        SavedReply Reply(string title, string text, string? tags = null) => new() { Title = title, Text = text, Tags = tags };
        var library = new[]
        {
            Reply("Garantie", "Bonjour {auteur}, nos luminaires sont garantis deux ans.", "|garantie|panne|"),
            Reply("Retard de livraison", "Bonjour {auteur}, désolés pour le retard de livraison de votre commande.", "|livraison|retard|"),
            Reply("Où acheter", "Nos créations sont en boutique à Lyon.", "|boutique|"),
        };
        var mention = new Mention { SourceKind = "rss", ExternalId = "1", Text = "Ma commande n'est toujours pas livrée, quel retard !", Author = "Léa", Language = "fr" };
        var ranked = ReplySuggestions.Rank(mention, library, "Maison Lumen");
        Assert.Equal("Retard de livraison", ranked[0].Reply.Title);
        Assert.Equal("Bonjour Léa, désolés pour le retard de livraison de votre commande.", ranked[0].FilledText);
        Assert.DoesNotContain(ranked, s => s.Reply.Title == "Où acheter");
        Assert.Empty(ReplySuggestions.Rank(mention, [], "Maison Lumen"));
    }
}
