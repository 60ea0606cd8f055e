using System.Collections.Concurrent;
using CmPortal.Core.Networks;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Admin;
using CmPortal.Modules.BrandIdentity.Checking;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.BrandIdentity.Documents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace CmPortal.Tests.Unit;

/// <summary>
/// The draft checker's rules, as a pure function of the editorial line, the text and the network,
/// with the machine's real Hunspell dictionaries (Debian: libhunspell-1.7-0, hunspell-fr, hunspell-en-us).
/// </summary>
public sealed class DraftCheckTests
{
    /// <summary>The real dictionaries, opened once for the class (a French one takes a fraction of a second).</summary>
    private static readonly SpellCheckers Dictionaries = new(new ConfigurationBuilder().Build());

    private static ISpellChecker Dictionary(string language) =>
        Dictionaries.For(language) ?? throw new InvalidOperationException(
            $"No Hunspell dictionary for \"{language}\" in {SpellCheckers.DefaultDirectory}: apt-get install libhunspell-1.7-0 hunspell-fr hunspell-en-us");

    private static SocialNetwork Network(string id) => SocialNetworks.Find(id)!;

    private static EditorialLine Line() => new()
    {
        Networks =
        [
            new NetworkGuideline { Network = "instagram", MaxLength = 67, MaxHashtags = 3, RequireSignatureHashtag = true },
            new NetworkGuideline { Network = "linkedin", RequireSignatureHashtag = true },
            new NetworkGuideline { Network = "x" },
        ],
        Vocabulary = new Vocabulary
        {
            Preferred =
            [
                new PreferredTerm { Term = "créations", Replaces = ["produits", "articles"] },
                new PreferredTerm { Term = "Lumineo", Replaces = ["bougie parfumée"] },
            ],
            Banned =
            [
                new BannedTerm { Term = "écologique", Reason = "Trop vague : dites ce qui est durable" },
                new BannedTerm { Term = "promo" },
                new BannedTerm { Term = "pas cher", Reason = "Parlez de juste prix" },
            ],
        },
        SignatureHashtags = ["#MaisonLumen", "#LumenAtelier"],
    };

    private static DraftCheckResult Check(string text, string network = "instagram", ISpellChecker? spelling = null, EditorialLine? line = null) =>
        DraftRules.Check(line ?? Line(), text, Network(network), spelling);

    [Fact]
    public void Check_a_draft_finds_each_kind_of_issue_at_the_right_position()
    {
        const string line1 = "Découvrez nos Produits d’hiver 🕯️";   // 32 graphemes
        const string line2 = "Une bougie ecologique, en PROMO !";    // 33
        const string line3 = "#bougie #hiver #fait_main #artisanat"; // 36
        var text = string.Join("\n", line1, line2, line3);

        var result = Check(text);

        Assert.Equal(("instagram", 103, 67), (result.Network, result.Length, result.MaxLength));
        Assert.False(result.SpellingChecked);
        Assert.Collection(result.Issues,
            i => AssertIssue(i, DraftIssueKind.PreferredTerm, text.IndexOf("Produits"), 8, 1, 15, "Créations"),
            i => AssertIssue(i, DraftIssueKind.BannedTerm, text.IndexOf("ecologique"), 10, 2, 12, "Trop vague : dites ce qui est durable"),
            i => AssertIssue(i, DraftIssueKind.BannedTerm, text.IndexOf("PROMO"), 5, 2, 27, "Remove or rephrase"),
            i => AssertIssue(i, DraftIssueKind.TooLong, text.IndexOf('#'), line3.Length, 3, 1, "Remove 36 characters"),
            i => AssertIssue(i, DraftIssueKind.TooManyHashtags, text.IndexOf("#artisanat"), "#artisanat".Length, 3, 27, "Keep at most 3 hashtags"),
            i => AssertIssue(i, DraftIssueKind.MissingSignatureHashtag, text.Length, 0, 3, 37, "#MaisonLumen"));

        Assert.Equal("Say \"créations\" rather than \"Produits\"", result.Issues[0].Message);
        Assert.Equal("\"PROMO\" is banned by the editorial line", result.Issues[2].Message);
        Assert.Equal("103 characters, more than the 67 allowed on Instagram", result.Issues[3].Message);
        Assert.Equal("4 hashtags, more than the 3 allowed on Instagram", result.Issues[4].Message);
        Assert.Equal("Instagram posts carry a signature hashtag: #MaisonLumen, #LumenAtelier", result.Issues[5].Message);
    }

    private static void AssertIssue(DraftIssue issue, DraftIssueKind kind, int start, int length, int line, int column, string? suggestion) =>
        Assert.Equal((kind, start, length, line, column, suggestion), (issue.Kind, issue.Start, issue.Length, issue.Line, issue.Column, issue.Suggestion));

    [Fact]
    public void Columns_count_graphemes_and_lines_end_with_CR_LF()
    {
        // "👍🏽", "🇫🇷" and "é" written e + combining accent count one column each.
        var text = "Salut\r\n👍🏽🇫🇷e\u0301 promo";
        var issue = Assert.Single(Check(text, "facebook").Issues);
        Assert.Equal((DraftIssueKind.BannedTerm, text.IndexOf("promo"), 2, 5), (issue.Kind, issue.Start, issue.Line, issue.Column));
    }

    [Fact]
    public void Banned_and_replaced_terms_match_whole_words_ignoring_case_and_accents()
    {
        var line = Line();
        line.Vocabulary.Banned.Add(new BannedTerm { Term = "ecologique" }); // also written without its accent in the editorial line
        const string text = "Écologique, ÉCOLOGIQUE et écologiques. Promotion et promo-flash ; PAS\u00A0 CHER ! maisonlumen.fr/promo @promo";
        var result = Check(text, "facebook", line: line);

        var found = result.Issues.Select(i => (i.Kind, text.Substring(i.Start, i.Length), i.Suggestion)).ToList();
        Assert.Equal(
        [
            (DraftIssueKind.BannedTerm, "Écologique", "Trop vague : dites ce qui est durable"),
            (DraftIssueKind.BannedTerm, "ÉCOLOGIQUE", "Trop vague : dites ce qui est durable"),
            (DraftIssueKind.BannedTerm, "promo", "Remove or rephrase"),             // "promo-flash": the hyphen ends the word
            (DraftIssueKind.BannedTerm, "PAS\u00A0 CHER", "Parlez de juste prix"), // any spaces between the words of a phrase
        ], found);
    }

    [Fact]
    public void A_preferred_term_is_suggested_with_the_case_of_the_word_it_replaces()
    {
        const string text = "Nos produits, nos Articles, NOS PRODUITS, et une bougie  parfumée.";
        var result = Check(text, "facebook");
        Assert.Equal(
        [
            ("produits", "créations"), ("Articles", "Créations"), ("PRODUITS", "CRÉATIONS"), ("bougie  parfumée", "Lumineo"),
        ], result.Issues.Select(i => (text.Substring(i.Start, i.Length), i.Suggestion)));
        Assert.All(result.Issues, i => Assert.Equal(DraftIssueKind.PreferredTerm, i.Kind));
    }

    [Fact]
    public void X_counts_links_23_and_CJK_double_so_the_text_is_too_long_at_the_right_place()
    {
        var url = "https://www.maisonlumen.fr/ateliers/bougies-parfumees-hiver-2026/inscription?utm_source=x";
        var text = new string('a', 250) + " " + url + " 日本語"; // 250 + 1 + 23 + 1 + 6 = 281
        var result = Check(text, "x");
        Assert.Equal((281, 280), (result.Length, result.MaxLength));
        var issue = Assert.Single(result.Issues);
        // "語" (weight 2) takes the count from 279 to 281.
        Assert.Equal((DraftIssueKind.TooLong, text.Length - 1, 1, "Remove 1 character"), (issue.Kind, issue.Start, issue.Length, issue.Suggestion));

        Assert.True(Check(text[..^1], "x").IsClean);
    }

    [Fact]
    public void Mastodon_counts_a_link_23_and_Bluesky_counts_it_as_written()
    {
        var url = "https://www.maisonlumen.fr/" + new string('x', 300);
        var text = "Voir " + url;
        var mastodon = Check(text, "mastodon");
        Assert.Equal((5 + 23, 500), (mastodon.Length, mastodon.MaxLength));
        Assert.True(mastodon.IsClean);

        var bluesky = Check(text, "bluesky");
        Assert.Equal((text.Length, 300), (bluesky.Length, bluesky.MaxLength));
        var issue = Assert.Single(bluesky.Issues);
        Assert.Equal((DraftIssueKind.TooLong, 300, text.Length - 300), (issue.Kind, issue.Start, issue.Length));
        Assert.Equal($"Remove {text.Length - 300} characters", issue.Suggestion);
    }

    [Fact]
    public void Graphemes_count_one_towards_the_limit()
    {
        // 67 graphemes exactly, of which "👍🏽" (2 code points, 4 UTF-16 units), "🇫🇷" and "é" (e + accent).
        var text = new string('a', 64) + "👍🏽🇫🇷e\u0301";
        var line = Line();
        line.Networks[0].RequireSignatureHashtag = false;
        var result = Check(text, "instagram", line: line);
        Assert.Equal(67, result.Length);
        Assert.True(result.IsClean);
        var issue = Assert.Single(Check(text + "!", "instagram", line: line).Issues);
        Assert.Equal((DraftIssueKind.TooLong, text.Length, 1, "Remove 1 character"), (issue.Kind, issue.Start, issue.Length, issue.Suggestion));
    }

    [Fact]
    public void The_networks_hashtag_limit_applies_when_the_editorial_line_sets_none()
    {
        // Threads allows one hashtag; no guideline for Threads.
        const string text = "Nouvelle collection #bougies #hiver #MaisonLumen";
        var issue = Assert.Single(Check(text, "threads").Issues);
        Assert.Equal((DraftIssueKind.TooManyHashtags, text.IndexOf("#hiver"), text.Length - text.IndexOf("#hiver"), "Keep at most 1 hashtag"),
            (issue.Kind, issue.Start, issue.Length, issue.Suggestion));
    }

    [Fact]
    public void A_signature_hashtag_in_any_case_satisfies_the_guideline_but_a_longer_one_does_not()
    {
        Assert.True(Check("Bonne semaine ! #maisonlumen", "linkedin").IsClean);
        Assert.True(Check("Bonne semaine ! #LUMENATELIER", "linkedin").IsClean);
        var issue = Assert.Single(Check("Bonne semaine ! #MaisonLumenParis", "linkedin").Issues);
        Assert.Equal((DraftIssueKind.MissingSignatureHashtag, "Bonne semaine ! #MaisonLumenParis".Length, 0), (issue.Kind, issue.Start, issue.Length));
        // Not required where the guideline does not ask for it.
        Assert.True(Check("Bonne semaine !", "x").IsClean);
    }

    [Fact]
    public void A_misspelt_French_word_gets_Hunspell_suggestions_and_names_links_and_elisions_are_left_alone()
    {
        const string text =
            "Bonjour à tous, bonjuor ! L’atelier et l'atelier de Lumineo vous attendent aujourd’hui, peut-être qu’il pleuvra. " +
            "Voir maisonlumen.fr/atelier ou https://maisonlumen.fr/cours-diy, écrire à contact@maisonlumen.fr ou @lumenatelier. " +
            "SNCF, 24h, 3e, MaisonLumen, iPhone. #Bougiz #MaisonLumen et le l’ateleir.";
        var result = Check(text, "facebook", Dictionary("fr"));

        Assert.True(result.SpellingChecked);
        Assert.Equal("fr", result.SpellingLanguage);
        Assert.Collection(result.Issues,
            i =>
            {
                Assert.Equal((DraftIssueKind.Misspelling, text.IndexOf("bonjuor"), 7, 1, 17), (i.Kind, i.Start, i.Length, i.Line, i.Column));
                Assert.Equal("bonjour", i.Suggestion!.Split(", ")[0]);
                Assert.Equal("\"bonjuor\" is not in the dictionary", i.Message);
            },
            i =>
            {
                // After an elision only the word is wrong.
                Assert.Equal((DraftIssueKind.Misspelling, text.IndexOf("ateleir"), 7), (i.Kind, i.Start, i.Length));
                Assert.Contains("atelier", i.Suggestion!.Split(", "));
            });
    }

    [Fact]
    public void A_word_missing_its_accent_gets_the_accented_word_first()
    {
        // Hunspell ranks "Recouvrez" (one letter changed) before "Découvrez" (an accent added).
        const string text = "Decouvrez nos bougies pour les fetes.";
        var result = Check(text, "facebook", Dictionary("fr"));
        Assert.Equal(
        [
            ("Decouvrez", "Découvrez"),
            ("fetes", "fêtes"),
        ], result.Issues.Select(i => (text.Substring(i.Start, i.Length), i.Replacements[0])));
        Assert.Equal(["Découvrez", "Recouvrez"], result.Issues[0].Replacements);
        Assert.All(result.Issues, i => Assert.Equal(i.Suggestion, string.Join(", ", i.Replacements)));
    }

    [Fact]
    public void Words_quoted_in_the_we_dont_list_are_flagged_whatever_their_accents_and_apostrophes()
    {
        var line = Line();
        line.Tone.Dont =
        [
            "Promettre des effets bien-être (« apaise l’anxiété », « purifie l’air »).",
            "Parler de \"prix cassés\" : nous ne bradons pas.",
            "Multiplier les émojis.", // nothing quoted: guidance for people, nothing to flag
        ];
        const string text = "Cette bougie apaise l'anxiete et purifie l’air. Prix cassés ! Voir https://lumen.fr/purifie-l-air";
        var result = Check(text, "facebook", line: line);

        Assert.Equal(
        [
            (DraftIssueKind.WeDont, "apaise l'anxiete"),
            (DraftIssueKind.WeDont, "purifie l’air"),
            (DraftIssueKind.WeDont, "Prix cassés"),
        ], result.Issues.Select(i => (i.Kind, text.Substring(i.Start, i.Length))));
        Assert.Equal("\"apaise l'anxiete\" goes against what the editorial line says we don’t do: Promettre des effets bien-être (« apaise l’anxiété », « purifie l’air »).",
            result.Issues[0].Message);
        Assert.Equal("Rephrase", result.Issues[0].Suggestion);
        Assert.Equal(["apaise l’anxiété", "purifie l’air"], DraftRules.QuotedWords(line.Tone.Dont[0]));
    }

    [Fact]
    public void Emoji_beyond_the_networks_maximum_are_flagged_each_grapheme_cluster_counting_one()
    {
        var line = Line();
        line.Networks[0].MaxEmoji = 2; // Instagram
        line.Networks[0].RequireSignatureHashtag = false;
        // "👍🏽" (thumb and skin tone), "🇫🇷" (two regional indicators), "❤️" (heart and variation selector), "👩‍👩‍👧" (a ZWJ family).
        const string text = "Merci 👍🏽🇫🇷 pour tout ❤️ et 👩‍👩‍👧 !";
        var instagram = DraftRules.CheckNetwork(line, text, Network("instagram"));
        Assert.Equal((4, 2), (instagram.Emoji, instagram.MaxEmoji));
        var issue = Assert.Single(instagram.Issues);
        Assert.Equal((DraftIssueKind.TooManyEmoji, text.IndexOf("❤️"), text.IndexOf(" !") - text.IndexOf("❤️")), (issue.Kind, issue.Start, issue.Length));
        Assert.Equal("4 emoji, more than the 2 the editorial line allows on Instagram", issue.Message);
        Assert.Equal("Keep at most 2 emoji", issue.Suggestion);

        // LinkedIn has a guideline without a maximum: emoji are counted, not flagged.
        var linkedin = DraftRules.CheckNetwork(line, text + " #MaisonLumen", Network("linkedin"));
        Assert.Equal((4, (int?)null), (linkedin.Emoji, linkedin.MaxEmoji));
        Assert.True(linkedin.IsClean);
        line.Networks[1].MaxEmoji = 1;
        Assert.Equal("4 emoji, more than the one the editorial line allows on LinkedIn",
            Assert.Single(DraftRules.CheckNetwork(line, text + " #MaisonLumen", Network("linkedin")).Issues).Message);
        line.Networks[1].MaxEmoji = 0;
        Assert.Equal("Remove the emoji", Assert.Single(DraftRules.CheckNetwork(line, text + " #MaisonLumen", Network("linkedin")).Issues).Suggestion);
    }

    [Fact]
    public void The_editorial_line_takes_a_maximum_of_emoji_from_0_to_100()
    {
        var line = Line();
        line.Networks[0].MaxEmoji = 0;
        line.Networks[1].MaxEmoji = 100;
        Assert.DoesNotContain(EditorialLineRules.Check(line), e => e.Field?.Contains("maxEmoji") == true);
        line.Networks[2].MaxEmoji = 101;
        var error = Assert.Single(EditorialLineRules.Check(line), e => e.Field?.Contains("maxEmoji") == true);
        Assert.Equal("networks[2].maxEmoji", error.Field);
    }

    [Fact]
    public void A_missing_signature_hashtag_offers_to_add_it_at_the_end()
    {
        var issue = Assert.Single(Check("Bonne semaine !", "linkedin").Issues);
        Assert.Equal([" #MaisonLumen", " #LumenAtelier"], issue.Replacements);
        Assert.Equal(["#MaisonLumen", "#LumenAtelier"], Assert.Single(Check("Bonne semaine !\n", "linkedin").Issues).Replacements);
    }

    [Fact]
    public void A_misspelt_English_word_gets_Hunspell_suggestions()
    {
        const string text = "We recieve your orders and don’t ship on Sundays.";
        var result = Check(text, "facebook", Dictionary("en"));
        var issue = Assert.Single(result.Issues);
        Assert.Equal((DraftIssueKind.Misspelling, 3, 7, "en"), (issue.Kind, issue.Start, issue.Length, result.SpellingLanguage));
        Assert.Equal("receive", issue.Suggestion!.Split(", ")[0]);
        Assert.True(issue.Suggestion.Split(", ").Length <= DraftRules.MaxSuggestions);
    }

    [Fact]
    public void Without_dictionaries_spelling_is_reported_unavailable_once_and_the_other_checks_still_run()
    {
        var empty = Directory.CreateTempSubdirectory("cmportal-nodict-").FullName;
        try
        {
            var logger = new ListLogger();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [SpellCheckers.DirectoryKey] = empty }).Build();
            using var checkers = new SpellCheckers(configuration, logger);
            Assert.Equal(empty, checkers.Directory);
            Assert.Null(checkers.For("fr"));
            Assert.Null(checkers.For("fr"));
            Assert.Null(checkers.For("de")); // no dictionary for German at all: not logged
            var entry = Assert.Single(logger.Entries);
            Assert.Equal(LogLevel.Information, entry.Level);
            Assert.Contains("unavailable", entry.Message);

            var result = Check("Une promo bonjuor", "facebook", checkers.For("fr"));
            Assert.False(result.SpellingChecked);
            Assert.Null(result.SpellingLanguage);
            Assert.Equal(DraftIssueKind.BannedTerm, Assert.Single(result.Issues).Kind);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Theory]
    [InlineData("fr-FR", "fr")]
    [InlineData("fr-BE", "fr")]
    [InlineData("en-US", "en")]
    [InlineData("en-GB", "en")]
    [InlineData("de-DE", null)]
    [InlineData("", null)]
    public void The_dictionary_language_comes_from_the_workspace_culture(string culture, string? language) =>
        Assert.Equal(language, SpellCheckers.LanguageOf(culture));

    [Fact]
    public void One_dictionary_answers_several_threads_at_once()
    {
        var french = Dictionary("fr");
        var wrong = new ConcurrentBag<string>();
        Parallel.For(0, 200, i =>
        {
            if (!french.IsCorrect(i % 2 == 0 ? "bougie" : "atelier")) wrong.Add("correct word refused");
            if (french.IsCorrect("bonjuor")) wrong.Add("wrong word accepted");
            if (i % 20 == 0 && !french.Suggest("bonjuor", 3).Contains("bonjour")) wrong.Add("no suggestion");
        });
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task An_unknown_network_is_refused_with_the_known_ones()
    {
        var checker = new DraftChecker(null!, Dictionaries, new GrammalecteClient(new GrammalecteServer(new ConfigurationBuilder().Build())), new WorkspaceContext(), new English<DraftChecker>(), CatalogueNetworkLimits.Instance);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => checker.CheckAsync("Bonjour", "myspace"));
        Assert.Contains("\"myspace\"", error.Message);
        Assert.Contains("instagram, linkedin", error.Message);
        Assert.Equal("network", error.ParamName);
    }

    [Fact]
    public void The_screen_marks_each_issue_in_the_encoded_text()
    {
        const string text = "<b>promo</b> & <script>alert(1)</script>";
        var result = Check(text, "linkedin");
        var html = DraftHighlight.Render(text, result.Issues).ToString()!;
        Assert.StartsWith("&lt;b&gt;<mark class=\"draft-mark draft-banned-term\" data-issue=\"1\" title=\"&quot;promo&quot; is banned by the editorial line\">promo</mark><sup><a href=\"#issue-1\">1</a></sup>&lt;/b&gt; &amp; &lt;script&gt;", html);
        Assert.EndsWith("<mark class=\"draft-mark draft-missing-signature-hashtag\" data-issue=\"2\" title=\"LinkedIn posts carry a signature hashtag: #MaisonLumen, #LumenAtelier\">‸</mark><sup><a href=\"#issue-2\">2</a></sup>", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>", html);
    }

    private sealed class English<T> : IStringLocalizer<T>
    {
        public LocalizedString this[string name] => EnglishText.Instance[name];
        public LocalizedString this[string name, params object[] arguments] => EnglishText.Instance[name, arguments];
        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
    }

    private sealed class ListLogger : ILogger<SpellCheckers>
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Information) Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
