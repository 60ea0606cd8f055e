using CmPortal.Core.Text;
using CmPortal.Modules.CommunityCharter.Admin;
using CmPortal.Modules.CommunityCharter.Data;
using CmPortal.Modules.CommunityCharter.Rendering;

namespace CmPortal.Tests.Unit;

/// <summary>What authors type becomes safe HTML; numbering and validation behave as the editor and recipes expect.</summary>
public sealed class CharterMarkdownTests
{
    [Fact]
    public void Markdown_formatting_and_safe_links_come_through()
    {
        var html = SafeMarkdown.ToHtml("**Gras** et *italique*, ~~barré~~.\n\n- un\n- deux\n\n[site](https://example.com/a?b=1&c=2) [ancre](#rule-respect) [mail](mailto:equipe@example.com) https://auto.example.com");
        Assert.Contains("<strong>Gras</strong>", html);
        Assert.Contains("<em>italique</em>", html);
        Assert.Contains("<del>barré</del>", html);
        Assert.Contains("<ul>\n<li>un</li>", html);
        Assert.Contains("<a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"nofollow ugc noopener\">site</a>", html);
        Assert.Contains("<a href=\"#rule-respect\">ancre</a>", html);
        Assert.Contains("<a href=\"mailto:equipe@example.com\">mail</a>", html);
        Assert.Contains("<a href=\"https://auto.example.com\" rel=\"nofollow ugc noopener\">https://auto.example.com</a>", html);
    }

    [Fact]
    public void A_space_typed_before_french_punctuation_or_inside_guillemets_does_not_break_but_code_stays_as_typed()
    {
        var html = SafeMarkdown.ToHtml("Les insultes : interdites ; vraiment ? Oui ! À 100 %, « même en privé ».\n\n**Gras** : ok. `a ? b : c`");
        // The HTML serialiser writes a no-break space as &nbsp;.
        Assert.Contains("Les insultes&nbsp;: interdites&nbsp;; vraiment&nbsp;? Oui&nbsp;! À 100&nbsp;%, «&nbsp;même en privé&nbsp;».", html);
        Assert.Contains("<strong>Gras</strong>&nbsp;: ok.", html);
        Assert.Contains("<code>a ? b : c</code>", html);
        Assert.Equal("Title: no space, https://a.example/?q=1 stays", NoBreakSpaces.Bind("Title: no space, https://a.example/?q=1 stays"));
        Assert.Equal("Soldes\u00a0: -20\u00a0%", NoBreakSpaces.Bind("Soldes  : -20 %"));
    }

    [Fact]
    public void Raw_html_in_markdown_shows_as_text()
    {
        var html = SafeMarkdown.ToHtml("Avant <script>alert(1)</script> <b onclick=\"x()\">gras</b>\n\n<iframe src=\"https://evil.example\"></iframe>");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<iframe", html);
        Assert.DoesNotContain("<b ", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&lt;iframe", html);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JaVaScRiPt:alert(1))")]
    [InlineData("[x](vbscript:msgbox)")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[x](/admin/alpha/roles)")]
    [InlineData("[x](//evil.example/path)")]
    [InlineData("<javascript:alert(1)>")]
    public void Links_other_than_http_https_mailto_and_anchors_lose_their_target(string markdown)
    {
        var html = SafeMarkdown.ToHtml(markdown);
        Assert.DoesNotContain("href", html);
    }

    [Fact]
    public void The_sanitiser_keeps_an_allow_list_of_elements_and_attributes()
    {
        var html = SafeHtml.Sanitize(
            "<p onclick=\"x()\" style=\"color:red\" id=\"rule-respect\" class=\"c\">Texte<script>bad()</script><style>p{}</style></p>" +
            "<img src=\"x\" onerror=\"bad()\" alt=\"Une bougie\">" +
            "<svg onload=\"bad()\"><circle r=\"1\"></circle></svg><math><mi>x</mi></math>" +
            "<a href=\"java&#x09;script:bad()\">tab</a><a href=\"  https://ok.example \" target=\"_blank\" onmouseover=\"bad()\">ok</a>" +
            "<div><section><em>gardé</em></section></div><!-- commentaire -->" +
            "<form action=\"https://evil.example\"><input name=\"q\"><button>Envoyer</button></form>" +
            "<h1>Titre</h1><code class=\"language-js\">x</code><code class=\"evil\">y</code><object data=\"x\"></object>");
        Assert.Equal(
            "<p>Texte</p>Une bougie<a>tab</a><a href=\"https://ok.example\" rel=\"nofollow ugc noopener\">ok</a><em>gardé</em>" +
            "<h3>Titre</h3><code class=\"language-js\">x</code><code>y</code>",
            html);
    }

    [Fact]
    public void Rules_are_numbered_by_position_and_found_by_id()
    {
        var document = new CharterDocument("Charte", "Description", "", [
            new CharterSection("valeurs", "Valeurs", null, [new CharterRule("respect", "a"), new CharterRule("ecoute", "b")]),
            new CharterSection("recours", "Recours", "Écrivez-nous.", []),
            new CharterSection("interdit", "Interdit", null, [new CharterRule("spam", "c"), new CharterRule("insultes", "d")]),
        ]);
        Assert.Equal(["1.1", "1.2", "3.1", "3.2"], document.NumberedRules().Select(r => r.Number));
        var found = document.FindRule("insultes")!;
        Assert.Equal(("3.2", "interdit"), (found.Number, found.Section.Id));
        Assert.Null(document.FindRule("absente"));
        Assert.Empty(CharterRules.Check(document.Normalized()));

        var html = CharterRenderer.Render(document);
        Assert.Contains("<li class=\"charter-rule\" id=\"rule-insultes\" data-rule=\"insultes\"><a class=\"charter-rule-number\" href=\"#rule-insultes\">3.2</a>", html);
        Assert.Contains("<section class=\"charter-section\" id=\"section-recours\"", html);
        Assert.Contains("<span class=\"charter-number\">2.</span> Recours</h2>", html);
    }

    [Fact]
    public void Normalising_makes_equal_content_compare_equal()
    {
        var typed = new CharterDocument(" Charte ", "Desc\r\n", "Ligne 1\r\nLigne 2", [new CharterSection("a", "A ", "  ", [new CharterRule("r", " Texte\r\n")])]);
        var clean = new CharterDocument("Charte", "Desc", "Ligne 1\nLigne 2", [new CharterSection("a", "A", null, [new CharterRule("r", "Texte")])]);
        Assert.True(typed.SameContentAs(clean));
        Assert.False(typed.SameContentAs(clean with { Title = "Autre" }));
        Assert.Equal(clean.Normalized().ToJson(), CharterDocument.FromJson(typed.Normalized().ToJson()).ToJson());
    }

    [Theory]
    [InlineData("Pas d’insultes, ni de menaces.", 3, "pas-d-insultes")]
    [InlineData("Ce qui n’est PAS accepté !", 4, "ce-qui-n-est")]
    [InlineData("Sœurs & frères été", 3, "soeurs-freres-ete")]
    [InlineData("   ", 3, "")]
    public void The_editor_makes_missing_ids_from_the_text(string text, int words, string slug) =>
        Assert.Equal(slug, CharterForm.Slug(text, words));

    [Theory]
    [InlineData("respect", true)]
    [InlineData("donnees-personnelles", true)]
    [InlineData("regle-2", true)]
    [InlineData("Respect", false)]
    [InlineData("-respect", false)]
    [InlineData("re--spect", false)]
    [InlineData("règle", false)]
    [InlineData("", false)]
    public void Ids_are_slugs(string id, bool valid) => Assert.Equal(valid, CharterRules.IsSlug(id));
}
