using CmPortal.Core.Networks;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Unit.Networks;

/// <summary>The length of a post as each network counts it: graphemes, X's weights, links at a fixed length.</summary>
public sealed class TextLengthTests
{
    private static SocialNetwork Network(string id) => SocialNetworks.Find(id)!;

    private const string SkinTone = "👍🏽";            // U+1F44D U+1F3FD
    private const string Flag = "🇫🇷";                 // two regional indicators
    private const string CombiningE = "e\u0301";       // e + combining acute
    private const string Family = "👩‍👩‍👧";         // three people joined by ZWJ
    private const string Keycap = "1\uFE0F\u20E3";    // 1️⃣
    private const string LongUrl = "https://www.maisonlumen.fr/ateliers/bougies-parfumees-hiver-2026?utm_source=x";

    [Theory]
    [InlineData(SkinTone, 1)]
    [InlineData(Flag, 1)]
    [InlineData(CombiningE, 1)]
    [InlineData(Family, 1)]
    [InlineData(Keycap, 1)]
    [InlineData("\r\n", 1)]
    [InlineData("Crème brûlée " + SkinTone + Flag, 15)]
    [InlineData("", 0)]
    public void Graphemes_count_one_per_perceived_character(string text, int expected)
    {
        Assert.Equal(expected, NetworkTextLength.Graphemes(text));
        Assert.Equal(expected, NetworkTextLength.Count(Network("instagram"), text));
    }

    [Theory]
    [InlineData("Bonjour", 7)]
    [InlineData("日本語", 6)]              // CJK weighs 2
    [InlineData("한국어", 6)]              // Hangul too
    [InlineData("é", 1)]
    [InlineData(CombiningE, 1)]            // counted after NFC
    [InlineData("’«»—", 4)]               // common punctuation weighs 1
    [InlineData("…", 2)]                   // U+2026 is outside the light ranges
    [InlineData("€", 2)]
    [InlineData(SkinTone, 2)]              // an emoji weighs 2 whatever its code points
    [InlineData(Flag, 2)]
    [InlineData(Family, 2)]
    [InlineData(Keycap, 2)]
    [InlineData("❤️", 2)]
    [InlineData("a\r\nb", 3)]              // CR LF is one line break
    public void X_weighs_characters_as_twitter_text_v3(string text, int expected) =>
        Assert.Equal(expected, NetworkTextLength.Count(Network("x"), text));

    [Fact]
    public void X_counts_every_link_23_with_or_without_scheme_but_not_an_e_mail_address()
    {
        var x = Network("x");
        Assert.Equal(5 + 23 + 2, NetworkTextLength.Count(x, $"Voir {LongUrl} !"));
        Assert.Equal(5 + 23, NetworkTextLength.Count(x, "Voir http://t.co"));
        Assert.Equal(5 + 23 + 1, NetworkTextLength.Count(x, "Voir maisonlumen.fr/atelier.")); // the full stop is not part of the link
        Assert.Equal(1 + 23 + 2, NetworkTextLength.Count(x, "(https://fr.wikipedia.org/wiki/Bougie_(luminaire)).")); // balanced brackets stay in the link
        Assert.Equal("contact@maisonlumen.fr".Length, NetworkTextLength.Count(x, "contact@maisonlumen.fr"));
        // Without a scheme, twitter-text does not link a bare "name.cc", but links a subdomain, a path or a generic TLD.
        Assert.Equal("maisonlumen.fr".Length, NetworkTextLength.Count(x, "maisonlumen.fr"));
        Assert.Equal(23, NetworkTextLength.Count(x, "www.maisonlumen.fr"));
        Assert.Equal(23, NetworkTextLength.Count(x, "maisonlumen.com"));
    }

    [Fact]
    public void Mastodon_counts_links_with_a_scheme_23_and_remote_mentions_by_their_local_part()
    {
        var mastodon = Network("mastodon");
        Assert.Equal(5 + 23 + 2, NetworkTextLength.Count(mastodon, $"Voir {LongUrl} !"));
        Assert.Equal("Voir maisonlumen.fr/atelier".Length, NetworkTextLength.Count(mastodon, "Voir maisonlumen.fr/atelier"));
        Assert.Equal("Merci @lumen !".Length, NetworkTextLength.Count(mastodon, "Merci @lumen@piaille.fr !"));
        Assert.Equal(1 + 1, NetworkTextLength.Count(mastodon, SkinTone + Flag)); // graphemes otherwise
    }

    [Fact]
    public void Bluesky_and_Instagram_count_links_as_written()
    {
        var text = $"Voir {LongUrl} !";
        Assert.Equal(text.Length, NetworkTextLength.Count(Network("bluesky"), text));
        Assert.Equal(text.Length, NetworkTextLength.Count(Network("instagram"), text));
        Assert.Equal(text.Length, NetworkTextLength.Count(Network("x"), text) - 23 + LongUrl.Length);
    }

    [Fact]
    public void The_first_character_beyond_the_limit_is_a_whole_grapheme_or_a_whole_link()
    {
        var instagram = Network("instagram");
        var text = "ab" + SkinTone + "cd";
        Assert.Equal(2, NetworkTextLength.FirstBeyond(instagram, text, 2));
        Assert.Equal(2 + SkinTone.Length, NetworkTextLength.FirstBeyond(instagram, text, 3));
        Assert.Null(NetworkTextLength.FirstBeyond(instagram, text, 5));

        // On X a link that does not fit whole is where the text goes beyond.
        var x = Network("x");
        var tweet = new string('a', 260) + " " + LongUrl;
        Assert.Equal(261 + 23, NetworkTextLength.Count(x, tweet));
        Assert.Equal(261, NetworkTextLength.FirstBeyond(x, tweet, 280));
        // A character of weight 2 straddling the limit is beyond it.
        Assert.Equal(279, NetworkTextLength.FirstBeyond(x, new string('a', 279) + "日", 280));
    }

    [Fact]
    public void The_limit_is_the_brands_when_stricter_else_the_networks()
    {
        Assert.Equal(500, NetworkTextLength.Limit(Network("facebook"), 500));
        Assert.Equal(63206, NetworkTextLength.Limit(Network("facebook"), 100_000));
        Assert.Equal(280, NetworkTextLength.Limit(Network("x"), null));
        Assert.Equal(280, NetworkTextLength.Limit(Network("x"), null /* a guideline without its own limit */));
        Assert.Null(NetworkTextLength.Limit(Network("blog"), null));
        Assert.Equal(5000, NetworkTextLength.Limit(Network("blog"), 5000));
    }

    [Fact]
    public void Links_addresses_mentions_and_hashtags_are_found_without_overlap()
    {
        const string text = "Écrivez à contact@maisonlumen.fr, suivez @maisonlumen et #MaisonLumen sur https://maisonlumen.fr/a#b ou maisonlumen.fr. C# &#39; 2026#1";
        var spans = TextSpans.Find(text).Select(s => (s.Kind, text.Substring(s.Start, s.Length))).ToList();
        Assert.Equal(
        [
            (SpanKind.Email, "contact@maisonlumen.fr"),
            (SpanKind.Mention, "@maisonlumen"),
            (SpanKind.Hashtag, "#MaisonLumen"),
            (SpanKind.Url, "https://maisonlumen.fr/a#b"),
            (SpanKind.Domain, "maisonlumen.fr"),
        ], spans);
    }

    [Fact]
    public void Any_module_counts_a_post_by_network_id_and_an_unknown_id_is_refused()
    {
        Assert.Equal(5 + 23 + 2, NetworkTextLength.Count("mastodon", $"Voir {LongUrl} !"));
        Assert.Equal(NetworkTextLength.Count(Network("x"), SkinTone + Flag), NetworkTextLength.Count("x", SkinTone + Flag));
        var error = Assert.Throws<ArgumentException>(() => NetworkTextLength.Count("myspace", "Bonjour"));
        Assert.Contains("mastodon", error.Message); // says which networks exist
    }

    [Fact]
    public void Every_network_has_its_logo_where_its_icon_address_points()
    {
        // The logos ship with the brand-identity module's static files (/_content/<assembly>/… is its wwwroot).
        var wwwroot = Path.Combine(RecipeHostExtensions.RepositoryRoot, "modules", "CmPortal.Modules.BrandIdentity", "wwwroot");
        const string prefix = "/_content/CmPortal.Modules.BrandIdentity/";
        foreach (var network in SocialNetworks.All)
        {
            Assert.StartsWith(prefix, network.IconUrl);
            var file = Path.Combine(wwwroot, network.IconUrl[prefix.Length..]);
            Assert.True(File.Exists(file), $"{network.Name}: no logo at {file}");
            Assert.Contains("<svg", File.ReadAllText(file));
        }
    }
}
