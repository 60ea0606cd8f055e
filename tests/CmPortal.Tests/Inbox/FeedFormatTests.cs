using CmPortal.Modules.Inbox.Sources.Feeds;

namespace CmPortal.Tests.Inbox;

/// <summary>The four feed formats, Google Alerts' wrapped links and bold titles, read through a real local server.</summary>
public sealed class FeedFormatTests : IAsyncLifetime
{
    private static readonly DateTimeOffset FetchTime = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private FeedTestServer _server = null!;

    public async Task InitializeAsync() => _server = await FeedTestServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<FeedFetch> ServeAndFetch(string path, string contentType, string body)
    {
        _server.Serve(path, contentType, body);
        var fetch = await FeedTestServer.Reader(clock: new FixedClock(FetchTime)).FetchAsync(_server.Url(path));
        Assert.True(fetch.Succeeded, fetch.Problem?.ToString());
        return fetch;
    }

    [Fact]
    public async Task Rss_2_items_keep_guid_link_plain_text_author_date_and_channel_language()
    {
        var fetch = await ServeAndFetch("/rss2.xml", "application/rss+xml; charset=utf-8", """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel><title>Le Mag &amp;amp; Co</title><link>https://mag.example/</link><language>fr-FR</language>
              <item>
                <title>Les bougies &lt;em&gt;Maison Lumen&lt;/em&gt; testées</title>
                <link>https://mag.example/2026/11/bougies-lumen</link>
                <guid isPermaLink="false">mag-8841</guid>
                <dc:creator>Camille Roux</dc:creator>
                <pubDate>Sun, 29 Nov 2026 18:30:00 +0100</pubDate>
                <description>Résumé court</description>
                <content:encoded><![CDATA[<p>Un parfum <strong>boisé</strong>,</p>
                  <ul><li>tenue&nbsp;: 40&nbsp;h</li><li>prix&nbsp;: 32&nbsp;€</li></ul>]]></content:encoded>
              </item>
              <item><title>Sans date ni guid</title><link>/relative/article</link></item>
            </channel></rss>
            """);

        Assert.Equal("Le Mag & Co", fetch.FeedTitle);
        Assert.Equal(2, fetch.Items.Count);
        var first = fetch.Items[0];
        Assert.Equal("mag-8841", first.ExternalId);
        Assert.Equal("https://mag.example/2026/11/bougies-lumen", first.Url);
        Assert.Equal("Les bougies Maison Lumen testées", first.Title);
        Assert.Equal("Un parfum boisé, tenue\u00a0: 40\u00a0h prix\u00a0: 32\u00a0€", first.Text);
        Assert.Equal("Camille Roux", first.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 18, 30, 0, TimeSpan.FromHours(1)), first.PublishedAt);
        Assert.Equal("fr-FR", first.Language);
        var undated = fetch.Items[1];
        Assert.Equal(_server.Url("/relative/article"), undated.Url);
        Assert.Equal(undated.Url, undated.ExternalId);
        Assert.Equal(FetchTime, undated.PublishedAt);
        Assert.Equal("Sans date ni guid", undated.Text); // No description: the title is the text.
    }

    [Fact]
    public async Task Rss_1_rdf_items_are_read_with_dublin_core_dates()
    {
        var fetch = await ServeAndFetch("/rdf.xml", "application/rdf+xml", """
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://forum.example/rss"><title>Forum déco</title><link>https://forum.example/</link>
                <dc:language>fr</dc:language>
                <items><rdf:Seq><rdf:li rdf:resource="https://forum.example/t/123"/></rdf:Seq></items>
              </channel>
              <item rdf:about="https://forum.example/t/123">
                <title>Lumen ou Bougie&amp;Co ?</title><link>https://forum.example/t/123</link>
                <description>Qui a testé les deux&#160;?</description>
                <dc:creator>deco_lili</dc:creator><dc:date>2026-11-28T21:05:00+01:00</dc:date>
              </item>
            </rdf:RDF>
            """);

        var item = Assert.Single(fetch.Items);
        Assert.Equal("Forum déco", fetch.FeedTitle);
        Assert.Equal("https://forum.example/t/123", item.ExternalId);
        Assert.Equal("Lumen ou Bougie&Co ?", item.Title);
        Assert.Equal("Qui a testé les deux\u00a0?", item.Text);
        Assert.Equal("deco_lili", item.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 20, 5, 0, TimeSpan.Zero), item.PublishedAt.ToUniversalTime());
        Assert.Equal("fr", item.Language);
    }

    [Fact]
    public async Task Atom_entries_read_html_and_xhtml_content_alternate_links_and_xml_lang()
    {
        var fetch = await ServeAndFetch("/atom.xml", "application/atom+xml", """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
              <title type="text">Candle Reviews</title><id>urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6</id>
              <updated>2026-11-30T07:00:00Z</updated><author><name>The Editors</name></author>
              <entry>
                <title type="html">Lumen&amp;#8217;s &lt;b&gt;new&lt;/b&gt; range</title>
                <link rel="self" href="https://reviews.example/api/e/1"/>
                <link rel="alternate" type="text/html" href="https://reviews.example/lumen-range"/>
                <id>tag:reviews.example,2026:1</id>
                <updated>2026-11-30T06:00:00Z</updated><published>2026-11-29T10:00:00Z</published>
                <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Smells <em>great</em>.</p><p>Burns evenly.</p></div></content>
              </entry>
              <entry xml:lang="fr">
                <title>Avis rapide</title><link href="https://reviews.example/avis"/><id>tag:reviews.example,2026:2</id>
                <updated>2026-11-30T06:30:00Z</updated>
                <summary type="html">&lt;p&gt;Très bien&lt;/p&gt;</summary>
                <author><name>Léa</name></author>
              </entry>
            </feed>
            """);

        Assert.Equal("Candle Reviews", fetch.FeedTitle);
        var (first, second) = (fetch.Items[0], fetch.Items[1]);
        Assert.Equal("tag:reviews.example,2026:1", first.ExternalId);
        Assert.Equal("https://reviews.example/lumen-range", first.Url);
        Assert.Equal("Lumen’s new range", first.Title);
        Assert.Equal("Smells great. Burns evenly.", first.Text);
        Assert.Equal("The Editors", first.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero), first.PublishedAt); // published wins over updated.
        Assert.Equal("en", first.Language);
        Assert.Equal("Très bien", second.Text);
        Assert.Equal("Léa", second.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 6, 30, 0, TimeSpan.Zero), second.PublishedAt);
        Assert.Equal("fr", second.Language);
    }

    [Fact]
    public async Task Json_feed_1_1_items_use_content_html_or_text_authors_and_language()
    {
        var fetch = await ServeAndFetch("/feed.json", "application/feed+json", """
            {
              "version": "https://jsonfeed.org/version/1.1",
              "title": "Blog Déco",
              "home_page_url": "https://deco.example/",
              "language": "fr",
              "authors": [{ "name": "Équipe Déco" }],
              "items": [
                { "id": "2026-11-30-lumen", "url": "https://deco.example/lumen", "title": "Lumen <i>sous</i> la loupe",
                  "content_html": "<p>Bougies &eacute;l&eacute;gantes</p><script>steal()</script>",
                  "date_published": "2026-11-30T08:15:00+01:00", "authors": [{ "name": "Jo" }] },
                { "id": 42, "external_url": "https://elsewhere.example/post", "content_text": "Just text,\n\n  spaced",
                  "date_modified": "2026-11-29T12:00:00Z", "language": "en" }
              ]
            }
            """);

        Assert.Equal("Blog Déco", fetch.FeedTitle);
        var (first, second) = (fetch.Items[0], fetch.Items[1]);
        Assert.Equal("2026-11-30-lumen", first.ExternalId);
        Assert.Equal("Lumen sous la loupe", first.Title);
        Assert.Equal("Bougies élégantes", first.Text);
        Assert.Equal("Jo", first.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 7, 15, 0, TimeSpan.Zero), first.PublishedAt.ToUniversalTime());
        Assert.Equal("fr", first.Language);
        Assert.Equal("42", second.ExternalId);
        Assert.Equal("https://elsewhere.example/post", second.Url);
        Assert.Equal("Just text, spaced", second.Text);
        Assert.Equal("Équipe Déco", second.Author);
        Assert.Equal("en", second.Language);
    }

    // The shape Google Alerts' "deliver to RSS feed" serves: Atom, an alerts tag id per entry, titles and content as
    // escaped HTML with <b> around the matched words, every link wrapped in google.com/url?...&url=TARGET&ct=ga...,
    // an empty <author><name/></author>.
    private const string GoogleAlertsFeed = """
        <?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing"><id>tag:google.com,2005:reference/alerts/feeds/06848252819471655870/4955034612384749578</id><title>Google Alert - &quot;Maison Lumen&quot;</title><link href="https://www.google.com/alerts/feeds/06848252819471655870/4955034612384749578" rel="self"></link><updated>2026-11-30T08:14:03Z</updated><entry><id>tag:google.com,2013:googlealerts/feed:10523648913462498291</id><title type="html">La &lt;b&gt;Maison Lumen&lt;/b&gt; ouvre une boutique à Lyon</title><link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://www.leprogres.fr/economie/2026/11/30/la-maison-lumen-ouvre-une-boutique%3Futm_source%3Dalerts%26id%3D7&amp;ct=ga&amp;cd=CAEYACoTNDk2MjU0NzY2NzQxNjQ5NTg5MjIcMzJjNGM1ZDE3ZWEwYjQxYzpmcjpmcjpGUg&amp;usg=AOvVaw2xkL3J9yQ1d8Jm3n4Q"></link><published>2026-11-30T08:14:03Z</published><updated>2026-11-30T08:14:03Z</updated><content type="html">Les bougies de la &lt;b&gt;Maison Lumen&lt;/b&gt; s&amp;#39;installent rue Mercière &amp;nbsp;...</content><author><name></name></author></entry><entry><id>tag:google.com,2013:googlealerts/feed:9981234412765539001</id><title type="html">&lt;b&gt;Maison Lumen&lt;/b&gt;: our honest review</title><link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://candleblog.example/reviews/maison-lumen&amp;ct=ga&amp;cd=CAEYASoUMTc&amp;usg=AOvVaw0Zq"></link><published>2026-11-29T16:02:11Z</published><updated>2026-11-29T16:02:11Z</updated><content type="html">We tried three &lt;b&gt;Maison Lumen&lt;/b&gt; candles ...</content><author><name></name></author></entry></feed>
        """;

    [Fact]
    public async Task Google_alerts_links_are_unwrapped_to_the_target_and_bold_titles_made_plain()
    {
        var fetch = await ServeAndFetch("/alerts/feeds/0684/4955", "application/atom+xml; charset=utf-8", GoogleAlertsFeed);

        Assert.Equal("Google Alert - \"Maison Lumen\"", fetch.FeedTitle);
        Assert.Equal(2, fetch.Items.Count);
        var first = fetch.Items[0];
        Assert.Equal("tag:google.com,2013:googlealerts/feed:10523648913462498291", first.ExternalId);
        Assert.Equal("https://www.leprogres.fr/economie/2026/11/30/la-maison-lumen-ouvre-une-boutique?utm_source=alerts&id=7", first.Url);
        Assert.Equal("La Maison Lumen ouvre une boutique à Lyon", first.Title);
        Assert.Equal("Les bougies de la Maison Lumen s'installent rue Mercière\u00a0...", first.Text);
        Assert.Null(first.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 14, 3, TimeSpan.Zero), first.PublishedAt);
        Assert.Equal("https://candleblog.example/reviews/maison-lumen", fetch.Items[1].Url);
        Assert.Equal("Maison Lumen: our honest review", fetch.Items[1].Title);
    }

    [Theory]
    [InlineData("https://www.google.com/url?rct=j&sa=t&url=https://a.example/x&ct=ga", "https://a.example/x")]
    [InlineData("https://www.google.fr/url?q=https%3A%2F%2Fb.example%2Fy%3Fz%3D1&sa=U", "https://b.example/y?z=1")]
    [InlineData("https://www.google.com/url?url=javascript:alert(1)", "https://www.google.com/url?url=javascript:alert(1)")]
    [InlineData("https://www.google.com/search?url=https://a.example/", "https://www.google.com/search?url=https://a.example/")]
    [InlineData("https://evil.example/url?url=https://a.example/", "https://evil.example/url?url=https://a.example/")]
    [InlineData("javascript:alert(1)", null)]
    public void Only_googles_own_redirect_is_unwrapped_and_only_to_a_web_address(string link, string? expected) =>
        Assert.Equal(expected, FeedText.RealLink(link));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
