using System.Text;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Networks.Bluesky;

namespace CmPortal.Tests.Publishing.Bluesky;

/// <summary>Facets addressed in UTF-8 bytes, grapheme counts, and record keys (TIDs) chosen once per delivery.</summary>
public sealed class BlueskyRichTextTests
{
    private static string Slice(string text, RichText.Found facet) =>
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)[facet.ByteStart..facet.ByteEnd]);

    [Fact]
    public void Offsets_count_UTF8_bytes_after_accents_and_emoji()
    {
        const string text = "Café 🕯️ et 👩‍💻 : https://lumen.test/été.";

        var link = Assert.Single(RichText.Detect(text));

        Assert.Equal(RichText.FacetKind.Link, link.Kind);
        // "Café " is 6 bytes (5 characters), the candle with its variation selector and a space 8, "et " 3,
        // the woman technologist (three code points) 11, " : " 3 — 20 UTF-16 units, 31 bytes.
        Assert.Equal(6 + 8 + 3 + 11 + 3, link.ByteStart);
        Assert.Equal(20, text.IndexOf("https", StringComparison.Ordinal));
        Assert.Equal("https://lumen.test/été", link.Value);
        Assert.Equal("https://lumen.test/été", Slice(text, link));
        Assert.Equal(link.ByteStart + Encoding.UTF8.GetByteCount("https://lumen.test/été"), link.ByteEnd);
    }

    [Fact]
    public void Mentions_hashtags_and_links_are_found_in_order_without_their_trailing_punctuation()
    {
        const string text = "Avec @Atelier.test, #BougieParfumée! (voir https://lumen.test/a) #2026 #été";

        var found = RichText.Detect(text);

        Assert.Equal(
            [(RichText.FacetKind.Mention, "@Atelier.test", "atelier.test"), (RichText.FacetKind.Tag, "#BougieParfumée", "BougieParfumée"),
             (RichText.FacetKind.Link, "https://lumen.test/a", "https://lumen.test/a"), (RichText.FacetKind.Tag, "#été", "été")],
            found.Select(f => (f.Kind, Slice(text, f), f.Value)));
    }

    [Fact]
    public void Words_that_only_look_like_facets_are_left_alone()
    {
        Assert.Empty(RichText.Detect("rendez-vous à midi@maison, le #1, ftp://lumen.test et contact@lumen.test"));
    }

    [Fact]
    public void Graphemes_count_what_a_reader_sees()
    {
        Assert.Equal(4, RichText.Graphemes("été!"));
        Assert.Equal(1, RichText.Graphemes("👩‍💻"));
        Assert.Equal(2, RichText.Graphemes("🇫🇷🕯️"));
        Assert.Equal(300, RichText.Graphemes(string.Concat(Enumerable.Repeat("é👩‍💻", 150))));
    }

    [Fact]
    public void A_delivery_key_is_a_valid_TID_of_its_instant_and_each_thread_part_gets_its_own_fixed_key()
    {
        var at = new DateTime(2026, 11, 30, 17, 0, 0, DateTimeKind.Utc);

        var key = Tid.New(at);

        Assert.True(Tid.IsValid(key));
        Assert.Equal(13, key.Length);
        Assert.Equal(key, Tid.ForPart(key, 0));
        var parts = Enumerable.Range(0, 5).Select(i => Tid.ForPart(key, i)).ToList();
        Assert.Equal(5, parts.Distinct().Count());
        Assert.All(parts, p => Assert.True(Tid.IsValid(p)));
        Assert.Equal(parts.Order(StringComparer.Ordinal), parts); // sortable: later parts, later keys
        Assert.Equal(parts, Enumerable.Range(0, 5).Select(i => Tid.ForPart(key, i))); // the same on every attempt
        Assert.True(string.CompareOrdinal(Tid.New(at.AddMilliseconds(1)), Tid.ForPart(key, 999)) > 0);
    }

    [Fact]
    public void TIDs_follow_the_atproto_syntax()
    {
        // From atproto's interop files (tid_syntax_valid.txt / tid_syntax_invalid.txt).
        Assert.All(["3jzfcijpj2z2a", "7777777777777", "3zzzzzzzzzzzz", "a222222222222"], t => Assert.True(Tid.IsValid(t), t));
        Assert.All(["3jzfcijpj2z21", "3jzfcijpj2z2", "zzzzzzzzzzzzz", "kjzfcijpj2z2a", "3JZFCIJPJ2Z2A"], t => Assert.False(Tid.IsValid(t), t));
        Assert.Equal("2222222222222", Tid.FromParts(0, 0));
    }

    [Fact]
    public void A_part_link_is_added_on_its_own_line_unless_the_text_already_holds_it()
    {
        Assert.Equal("Nouveautés\n\nhttps://lumen.test/n", BlueskyNetwork.TextOf(new DeliveryPart("Nouveautés ", "https://lumen.test/n", [])));
        Assert.Equal("Voir https://lumen.test/n", BlueskyNetwork.TextOf(new DeliveryPart("Voir https://lumen.test/n", "https://lumen.test/n", [])));
    }
}
