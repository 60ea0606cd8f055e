using CmPortal.Modules.Inbox.Search;

namespace CmPortal.Tests.Inbox;

/// <summary>The search language a marketer types, parsed into a tree and rebuilt for FTS5 — and every bad input the issue lists.</summary>
public sealed class MentionQueryTests
{
    private static string Fts(string q)
    {
        var query = MentionQuery.Parse(q, out var problem);
        Assert.Null(problem);
        return query!.ToFts5();
    }

    [Fact]
    public void Words_are_all_required_and_phrases_prefixes_exclusions_and_or_are_rebuilt_quoted()
    {
        Assert.Equal("\"lampe\" AND \"chevet\"", Fts("lampe chevet"));
        Assert.Equal("\"lampe de chevet\"", Fts("\"Lampe de chevet\""));
        Assert.Equal("\"eclair\" *", Fts("éclair*"));
        Assert.Equal("\"lampe\" NOT \"promo\"", Fts("lampe -promo"));
        Assert.Equal("(\"lampe\" OR \"applique\") AND \"laiton\"", Fts("lampe OR applique laiton"));
        Assert.Equal("\"eclairage\"", Fts("ÉCLAIRAGE"));
        Assert.Equal("\"lampe de chevet\"", Fts("« lampe de chevet »"));
    }

    [Fact]
    public void Engine_syntax_typed_by_a_user_is_only_words()
    {
        // FTS5 operators and column filters become plain quoted words; quotes inside words never reach the engine.
        Assert.Equal("\"text\" AND \"near\" AND \"lampe\"", Fts("text: NEAR lampe"));
        Assert.Equal("\"l eclairage\"", Fts("l'éclairage"));
        Assert.Equal("\"lampe\" AND \"and\"", Fts("lampe AND"));
    }

    [Theory]
    [InlineData("\"unbalanced", "quotation mark")]
    [InlineData("OR OR", "OR goes between")]
    [InlineData("lampe OR", "OR goes between")]
    [InlineData("*", "star")]
    [InlineData("-", "minus sign")]
    [InlineData("NEAR(", "Parentheses")]
    [InlineData("-promo -soldes", "only exclude")]
    [InlineData("lampe OR -promo", "excluded term")]
    [InlineData("e*", "two letters")]
    public void Bad_queries_get_a_message_naming_the_problem(string q, string expected)
    {
        Assert.Null(MentionQuery.Parse(q, out var problem));
        Assert.NotNull(problem);
        Assert.Equal("q", problem.Field);
        Assert.Contains(expected, problem.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_ten_thousand_character_query_is_refused_before_parsing()
    {
        Assert.Null(MentionQuery.Parse(new string('a', 10_000), out var problem));
        Assert.Contains("10000", problem!.ToString().Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_query_or_punctuation_alone_searches_nothing_and_lists_everything()
    {
        Assert.Empty(MentionQuery.Parse("", out _)!.Required);
        Assert.Empty(MentionQuery.Parse("  !!! ", out _)!.Required);
    }
}
