using CmPortal.Modules.Inbox.Search;
using Microsoft.Data.Sqlite;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// The newest-first walk checks mentions in memory (docs/inbox.md, "How search runs"): it must find exactly what FTS5
/// finds, so the same searches are run both ways on texts with accents, ligatures, numbers, apostrophes, a title and
/// a text; and the snippets mark the words as they were typed, encoded.
/// </summary>
public sealed class MentionTextTests
{
    private static readonly (string? Title, string Text)[] Texts =
    [
        ("Éclairage", "Ma LAMPE de chevet Lumen, l'éclairage est doux."),
        ("Ma lampe", "de chevet : la suite du titre n'est pas une phrase avec lui"),
        (null, "Lampe-de-chevet, fait-main, 3,5 kg ; H²O ½ prix Ⅻ 𝐀bc"),
        (null, "Straße, œuvre, øre, Łódź, naïve café\u0301s, İstanbul, ﬁn"),
        (null, "#déco @Lumen_Paris éclairer éclairé ECLAIRAGES 2026"),
        ("Promo", "lampe de chevet en promo, pas de lumière"),
        (null, "日本語のランプ, 한국어 램프, lampe"),
    ];

    public static TheoryData<string> Queries =>
    [
        "lampe", "\"lampe de chevet\"", "\"ma lampe de chevet\"", "eclair*", "\"l eclairage\"", "eclairage", "lumen",
        "\"lumen paris\"", "h2o", "h²o", "½", "ⅻ", "𝐀bc", "abc", "strasse", "straße", "oeuvre", "œuvre", "ore", "lodz",
        "cafes", "istanbul", "fin", "ﬁn", "3", "\"3 5\"", "lampe -promo", "lampe OR applique", "chevet -\"de chevet\"",
        "\"de chevet la\"", "titre", "\"ma lampe\" chevet", "deco", "2026", "日本語のランプ", "한국어", "lam*", "\"lampe de\"*",
        "promo -lumiere", "\"fait main\"", "kg",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void The_in_memory_check_finds_what_fts5_finds(string q)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "CREATE VIRTUAL TABLE s USING fts5(Title, Text, tokenize='unicode61 remove_diacritics 2')");
        for (var i = 0; i < Texts.Length; i++)
            Execute(connection, "INSERT INTO s(rowid, Title, Text) VALUES ($id, $title, $text)", ("$id", i), ("$title", (object?)Texts[i].Title ?? DBNull.Value), ("$text", Texts[i].Text));

        var query = MentionQuery.Parse(q, out var problem);
        Assert.Null(problem);
        var byFts5 = new List<long>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT rowid FROM s WHERE s MATCH $q ORDER BY rowid";
            command.Parameters.AddWithValue("$q", query!.ToFts5());
            using var reader = command.ExecuteReader();
            while (reader.Read()) byFts5.Add(reader.GetInt64(0));
        }
        var matcher = new MentionText.Matcher(query);
        var inMemory = Enumerable.Range(0, Texts.Length).Where(i => matcher.Matches(Texts[i].Title, Texts[i].Text)).Select(i => (long)i).ToList();
        Assert.Equal(byFts5, inMemory);
    }

    [Fact]
    public void A_snippet_marks_the_words_as_typed_around_the_matches_and_encodes_the_rest()
    {
        var query = MentionQuery.Parse("\"lampe de chevet\" eclair*", out _)!;
        var long_ = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"mot{i}")) + " <b>Ma LAMPE de chevet</b> & l'Éclairage doux " + string.Join(' ', Enumerable.Range(41, 40).Select(i => $"mot{i}"));
        var snippet = MentionText.SnippetHtml(query, "Titre", long_);
        Assert.NotNull(snippet);
        Assert.Contains("<mark>LAMPE de chevet</mark>", snippet);
        Assert.Contains("<mark>Éclairage</mark>", snippet);
        Assert.Contains("&lt;b&gt;", snippet);
        Assert.Contains("&amp;", snippet);
        Assert.DoesNotContain("<b>", snippet);
        Assert.StartsWith("…", snippet);
        Assert.EndsWith("…", snippet);
        Assert.DoesNotContain("mot1 ", snippet);

        // A short text is shown whole; a query found nowhere (only excluded words around) gives no snippet.
        Assert.Equal("Une <mark>lampe</mark> !", MentionText.SnippetHtml(MentionQuery.Parse("lampe", out _)!, null, "Une lampe !"));
        Assert.Null(MentionText.SnippetHtml(MentionQuery.Parse("applique", out _)!, null, "Une lampe !"));
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }
}
