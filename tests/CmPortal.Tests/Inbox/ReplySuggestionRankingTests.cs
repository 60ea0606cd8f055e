using System.Text.Json.Nodes;
using CmPortal.Modules.Inbox.Answers;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// The first suggestion for the mentions a brand typically gets, with the demo's own saved replies: the reply whose
/// title and keywords say what the mention is about comes first, not the one that shares a stray word with it.
/// </summary>
public sealed class ReplySuggestionRankingTests
{
    private static IReadOnlyList<SavedReply> DemoLibrary()
    {
        var steps = JsonNode.Parse(File.ReadAllText(RecipeHostExtensions.ShippedRecipe("demo.recipe.json")))!["steps"]!.AsArray();
        var replies = steps.First(s => (string?)s!["step"] == "savedReplies")!["replies"]!.AsArray();
        return replies.Select(r => new SavedReply
        {
            Title = (string)r!["title"]!, Text = (string)r["text"]!, Language = (string?)r["language"],
            Tags = r["tags"] is JsonArray tags ? "|" + string.Join("|", tags.Select(t => (string)t!)) + "|" : null,
        }).ToList();
    }

    [Theory]
    [InlineData("Ma commande n'est toujours pas arrivée, ça fait 3 semaines", "Retard de livraison")]
    [InlineData("Toujours rien reçu, le suivi du colis ne bouge plus depuis dix jours. Très déçue.", "Retard de livraison")]
    [InlineData("Bonjour, où peut-on acheter vos suspensions à Bordeaux ?", "Où acheter nos créations")]
    [InlineData("Ma lampe ne s'allume plus après huit mois, elle est encore sous garantie ?", "Garantie")]
    [InlineData("Quelle ampoule mettre dans l'applique, E14 ou E27 ? Compatible avec un variateur ?", "Type d’ampoule")]
    [InlineData("Je voudrais une suspension sur mesure de 80 cm, combien de temps pour la fabriquer ?", "Délai de fabrication sur commande")]
    [InlineData("Reçue hier, la suspension est magnifique, merci à toute l'équipe !", "Merci pour votre message")]
    public void The_reply_about_what_the_mention_says_comes_first(string text, string expected)
    {
        var mention = new Mention { SourceKind = "mastodon", ExternalId = "1", Text = text, Author = "Léa", Language = "fr" };
        var ranked = ReplySuggestions.Rank(mention, DemoLibrary(), "Maison Lumen");
        Assert.True(ranked.Count > 0 && ranked[0].Reply.Title == expected,
            $"expected « {expected} » first, got: {string.Join(" > ", ranked.Select(r => $"{r.Reply.Title} ({r.Score:0.000})"))}");
    }
}
