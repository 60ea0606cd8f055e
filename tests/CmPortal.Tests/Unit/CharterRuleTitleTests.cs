using CmPortal.Modules.CommunityCharter.Contracts;

namespace CmPortal.Tests.Unit;

/// <summary>A charter rule is named in the inbox's lists and sentences by its words, never by its id or its Markdown.</summary>
public sealed class CharterRuleTitleTests
{
    private static CharterRuleReference Rule(string id, string text) => new(2, "1.4", id, "valeurs", "Nos valeurs", text, "", "/maison-lumen/charter/v/2#rule-" + id);

    [Fact]
    public void A_rule_opening_with_a_bold_sentence_is_named_by_it() =>
        Assert.Equal("Rendre à chacun son travail",
            Rule("credit-createurs", "**Rendre à chacun son travail.** Artisans, apiculteurs : citez l’auteur.").Title);

    [Fact]
    public void A_rule_without_a_bold_lead_is_named_by_its_first_clause_without_markdown()
    {
        Assert.Equal("Les insultes", Rule("insultes", "Les insultes, les menaces et les attaques personnelles.").Title);
        Assert.Equal("Les photos de vos bougies Maison Lumen chez vous",
            Rule("photos", "Les photos de vos bougies *Maison Lumen* chez vous, avec le mot-dièse #LumenChezMoi.").Title);
        var long_ = Rule("long", new string('a', 100)).Title;
        Assert.Equal(CharterRuleReference.TitleLength + 1, long_.Length);
        Assert.EndsWith("…", long_);
    }
}
