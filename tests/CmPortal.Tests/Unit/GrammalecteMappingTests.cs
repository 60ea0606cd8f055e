using System.Text.Json;
using CmPortal.Modules.BrandIdentity.Checking;
using CmPortal.Modules.BrandIdentity.Contracts;
using Microsoft.Extensions.Configuration;

namespace CmPortal.Tests.Unit;

/// <summary>
/// Grammalecte's answers (paragraphs numbered from 1, offsets in code points of the NFC text) mapped to the draft's
/// UTF-16 offsets, kinds and suggestions; and the settings that decide whether the portal starts a server of its own.
/// </summary>
public sealed class GrammalecteMappingTests
{
    private static IReadOnlyList<DraftIssue> Map(string draft, string json)
    {
        var sent = GrammalecteText.Of(draft);
        var answer = JsonSerializer.Deserialize<GrammalecteAnswer>(json)!;
        return DraftRules.Issues(draft, GrammalecteText.Findings(sent, answer));
    }

    [Fact]
    public void Errors_after_emoji_combining_accents_and_CR_LF_land_on_the_words_of_the_draft()
    {
        // Line 1 ends with CR LF; line 2 has "👍🏽" (2 code points, 4 UTF-16 units) and "é" written e + ◌́ (composed
        // to one code point in what Grammalecte reads) before the errors.
        const string draft = "Bonjour.\r\nUn e\u0301te\u0301 👍🏽 : Les bougie parfumé arrivent!";
        var sent = GrammalecteText.Of(draft);
        Assert.Equal("Bonjour.\r\nUn été 👍🏽 : Les bougie parfumé arrivent!", sent.Text);
        // Offsets as grammalecte-server gives them for that text (paragraph 2, code points).
        const string json = """
            { "program": "grammalecte-fr", "error": "", "data": [ { "iParagraph": 2,
              "lGrammarErrors": [
                { "nStart": 9, "nEnd": 11, "sRuleId": "nbsp_avant_deux_points", "sType": "nbsp", "sMessage": "Il manque un espace insécable.", "aSuggestions": ["\u00a0:"] },
                { "nStart": 16, "nEnd": 22, "sRuleId": "g3__gn_les_1m__b3_a1_1", "sType": "gn", "sMessage": "Accord de nombre erroné : « bougie » devrait être au pluriel.", "aSuggestions": ["bougies"] },
                { "nStart": 3, "nEnd": 6, "sRuleId": "made_up", "sType": "conf", "sMessage": "Le mot entier.", "aSuggestions": ["hiver", "Ete"] },
                { "nStart": 39, "nEnd": 40, "sRuleId": "nbsp_ajout_avant_double_ponctuation", "sType": "nbsp", "sMessage": "Il manque un espace insécable.", "aSuggestions": ["\u00a0!"] }
              ],
              "lSpellingErrors": [ { "i": 1, "sType": "WORD", "sValue": "Bonjuor", "nStart": 0, "nEnd": 7 } ] } ] }
            """;

        var issues = Map(draft, json);

        Assert.Equal(
        [
            (DraftIssueKind.Grammar, "e\u0301te\u0301", "made_up"),
            (DraftIssueKind.Typography, " :", "nbsp_avant_deux_points"),
            (DraftIssueKind.Grammar, "bougie", "g3__gn_les_1m__b3_a1_1"),
            (DraftIssueKind.Typography, "!", "nbsp_ajout_avant_double_ponctuation"),
        ], issues.Select(i => (i.Kind, draft.Substring(i.Start, i.Length), i.Rule)));
        Assert.Equal(["\u00a0:"], issues[1].Replacements);
        Assert.Equal(["bougies"], issues[2].Replacements);
        Assert.Equal("Accord de nombre erroné : « bougie » devrait être au pluriel.", issues[2].Message);
        Assert.Equal((2, 16), (issues[2].Line, issues[2].Column)); // columns in graphemes: "👍🏽" and "é" count one
        // Suggestions that only restore accents or case come first: "Ete" before "hiver".
        Assert.Equal(["Ete", "hiver"], issues[0].Replacements);
        // Grammalecte's own spelling errors are not used: Hunspell checks spelling.
        Assert.DoesNotContain(issues, i => i.Kind == DraftIssueKind.Misspelling);
    }

    [Fact]
    public void An_error_outside_the_text_is_dropped_rather_than_misplaced()
    {
        const string json = """
            { "data": [ { "iParagraph": 3, "lGrammarErrors": [ { "nStart": 0, "nEnd": 2, "sType": "gn", "sMessage": "x", "aSuggestions": [] } ] },
                        { "iParagraph": 1, "lGrammarErrors": [ { "nStart": 5, "nEnd": 40, "sType": "gn", "sMessage": "x", "aSuggestions": [] } ] } ] }
            """;
        Assert.Empty(Map("Une ligne.", json));
    }

    [Fact]
    public void Suggestions_that_only_add_the_missing_accent_come_first()
    {
        Assert.Equal(["Découvrez", "Décou vrez", "Découvre"], DraftRules.AccentFirst("Decouvrez", ["Décou vrez", "Découvrez", "Découvre"]));
        Assert.Equal(["l’atelier", "atelier"], DraftRules.AccentFirst("l'atelier", ["atelier", "l’atelier"]));
        Assert.Equal(["a", "b"], DraftRules.AccentFirst("x", ["a", "b", "a"])); // no accent-only one: order kept, duplicates dropped
    }

    [Fact]
    public async Task A_configured_address_is_used_as_given_and_no_server_is_started()
    {
        var server = new GrammalecteServer(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [GrammalecteServer.UrlKey] = "http://127.0.0.1:9/grammalecte",
        }).Build());
        Assert.Equal(new Uri("http://127.0.0.1:9/grammalecte/"), server.Configured);
        Assert.Null(server.Executable);

        var off = new GrammalecteServer(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [GrammalecteServer.StartKey] = "false",
        }).Build());
        Assert.Null(off.Executable);
        Assert.Null(await off.AddressAsync(CancellationToken.None));

        var missing = new GrammalecteServer(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [GrammalecteServer.ExecutableKey] = "/nonexistent/grammalecte-server",
        }).Build());
        Assert.Null(missing.Executable);

        Assert.Throws<InvalidOperationException>(() => new GrammalecteServer(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { [GrammalecteServer.UrlKey] = "127.0.0.1:8080" }).Build()));
    }
}
