using System.Net;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Blog.Articles;
using CmPortal.Modules.Blog.Contracts;
using CmPortal.Modules.Blog.Data;
using CmPortal.Modules.ContentCalendar.Media;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// The brand blog: its rules (slug, validation, conflicts), the contract publishing calls (one article per delivery),
/// the public pages and feeds, the sitemap, and that what an author types never runs in a reader's browser.
/// </summary>
public sealed class BlogTests
{
    private const string Ws = "maison-lumen";
    private static readonly HtmlParser Parser = new();

    private static async Task<PortalHost> StartAsync()
    {
        var host = await PortalHost.StartSetUpAsync();
        return host;
    }

    /// <summary>Runs <paramref name="work"/> in a fresh scope working in the demo workspace, as a request there would.</summary>
    private static Task<T> InLumenAsync<T>(PortalHost host, Func<IServiceProvider, Task<T>> work) => host.InScopeAsync(async services =>
    {
        services.GetRequiredService<WorkspaceContext>().Set(await services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().Include(w => w.Hosts).SingleAsync(w => w.Key == Ws));
        return await work(services);
    });

    private static Task<long> ArticleCountAsync(PortalHost host) => DatabaseSnapshot.CountsAsync(host).ContinueWith(t => t.Result["Blog_Articles"]);

    private static BlogArticleDraft Draft(string title, string markdown = "Un texte.", string? slug = null) =>
        new(title, "Le résumé.", markdown, Tags: ["bougies", "Noël"], AuthorName: "Camille", Slug: slug);

    [Fact]
    public async Task The_slug_comes_from_the_title_with_accents_folded_and_stays_unique_a_typed_slug_already_taken_is_refused()
    {
        await using var host = await StartAsync();
        var (first, second, taken, typed) = await InLumenAsync(host, async s =>
        {
            var articles = s.GetRequiredService<ArticleService>();
            var a = await articles.CreateAsync(new ArticleInput { Title = "Fête des lumières : œuvres à Noël !", BodyMarkdown = "x" });
            var b = await articles.CreateAsync(new ArticleInput { Title = "Fête des lumières : œuvres à Noël !", BodyMarkdown = "y" });
            var c = await articles.CreateAsync(new ArticleInput { Title = "Autre", Slug = "bien-entretenir-sa-bougie" });
            var d = await articles.CreateAsync(new ArticleInput { Title = "Autre", Slug = "Pas Valide" });
            return (a, b, c, d);
        });
        Assert.Equal("fete-des-lumieres-oeuvres-a-noel", first.Article!.Slug);
        Assert.Equal("fete-des-lumieres-oeuvres-a-noel-2", second.Article!.Slug);
        Assert.Equal("slug", Assert.Single(taken.Problems).Field);
        Assert.Equal("Another article already has the address “{0}”. Choose another slug.", taken.Problems[0].Template);
        Assert.Equal("slug", Assert.Single(typed.Problems).Field);
        // A title is required; publishing needs a text.
        var refused = await InLumenAsync(host, s => s.GetRequiredService<ArticleService>().CreateAsync(new ArticleInput { Title = " " }));
        Assert.Equal(["title"], refused.Problems.Select(p => p.Field));
        var empty = await InLumenAsync(host, async s =>
        {
            var articles = s.GetRequiredService<ArticleService>();
            var draft = (await articles.CreateAsync(new ArticleInput { Title = "Sans texte" })).Article!;
            return await articles.PublishAsync(draft.Id, draft.Version);
        });
        Assert.Equal("Write the article's text before publishing it.", Assert.Single(empty.Problems).Template);
    }

    [Fact]
    public async Task An_edit_based_on_an_older_version_is_refused_and_saves_nothing()
    {
        await using var host = await StartAsync();
        var (conflict, stored) = await InLumenAsync(host, async s =>
        {
            var articles = s.GetRequiredService<ArticleService>();
            var article = await articles.FindBySlugAsync("idees-cadeaux-noel");
            var input = ArticleService.InputOf(article!);
            var mine = await articles.UpdateAsync(article!.Id, article.Version, input with { Title = "Le mien" });
            Assert.True(mine.Succeeded);
            var theirs = await articles.UpdateAsync(article.Id, article.Version, input with { Title = "Le leur" });
            return (theirs, await articles.FindAsync(article.Id));
        });
        Assert.True(conflict.IsConflict);
        Assert.Equal("Le mien", conflict.Article!.Title);
        Assert.Equal("Le mien", stored!.Title);
    }

    [Fact]
    public async Task Publishing_twice_with_the_same_delivery_key_writes_one_article_and_answers_the_first_one()
    {
        await using var host = await StartAsync();
        var before = await ArticleCountAsync(host);
        var first = await InLumenAsync(host, s => s.GetRequiredService<IBlogArticles>().PublishAsync(Draft("Les bougies de l’Avent"), "delivery-42"));
        var second = await InLumenAsync(host, s => s.GetRequiredService<IBlogArticles>().PublishAsync(Draft("Les bougies de l’Avent (retry)"), "delivery-42"));
        Assert.Equal(before + 1, await ArticleCountAsync(host));
        Assert.False(first.AlreadyPublished);
        Assert.True(second.AlreadyPublished);
        Assert.Equal(first.ArticleId, second.ArticleId);
        Assert.Equal("/maison-lumen/blog/les-bougies-de-l-avent", first.Url);
        Assert.Equal(first.Url, second.Url);
        var found = await InLumenAsync(host, s => s.GetRequiredService<IBlogArticles>().FindByDeliveryKeyAsync("delivery-42"));
        Assert.Equal(first.ArticleId, found!.ArticleId);
        Assert.Null(await InLumenAsync(host, s => s.GetRequiredService<IBlogArticles>().FindByDeliveryKeyAsync("delivery-43")));
        // The article is public at the address the receipt gives, and its publication is an event for other modules.
        Assert.Contains("Les bougies de l’Avent", await host.CreateClient().GetStringAsync(first.Url));
        var events = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Database
            .SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM \"Core_ModuleEvents\" WHERE \"Name\" = 'Blog.ArticlePublished'").SingleAsync());
        Assert.Equal(1, events); // this one, once (the demo's articles, restored by its recipe, announce nothing)
        // A draft the blog refuses throws with its problems, and writes nothing.
        var error = await Assert.ThrowsAsync<BlogArticleRejectedException>(() => InLumenAsync(host, s => s.GetRequiredService<IBlogArticles>().PublishAsync(Draft("", ""), "delivery-44")));
        Assert.Contains(error.Problems, p => p.Field == "title");
        Assert.Equal(before + 1, await ArticleCountAsync(host));
    }

    [Fact]
    public async Task The_list_shows_ten_articles_a_page_newest_first_with_links_to_the_pages_around()
    {
        await using var host = await StartAsync();
        for (var i = 1; i <= 9; i++)
            await InLumenAsync(host, s => s.GetRequiredService<IBlogArticles>().PublishAsync(Draft($"Article numéro {i}"), $"d-{i}"));
        var client = host.CreateClient();
        var first = Parser.ParseDocument(await client.GetStringAsync("/maison-lumen/blog"));
        var slugs = first.QuerySelectorAll("#blog-list li").Select(li => li.GetAttribute("data-slug")).ToList();
        Assert.Equal(10, slugs.Count);
        Assert.Equal("article-numero-9", slugs[0]);
        Assert.Null(first.QuerySelector("link[rel=prev]"));
        Assert.Equal("/maison-lumen/blog?page=2", first.QuerySelector("link[rel=next]")!.GetAttribute("href"));
        var second = Parser.ParseDocument(await client.GetStringAsync("/maison-lumen/blog?page=2"));
        Assert.Equal(["bien-entretenir-sa-bougie", "bougies-d-hiver-la-collection"], second.QuerySelectorAll("#blog-list li").Select(li => li.GetAttribute("data-slug")));
        Assert.Equal("/maison-lumen/blog", second.QuerySelector("link[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("Blog, page 2 · Maison Lumen", second.Title);
        Assert.Null(second.QuerySelector("link[rel=next]"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/maison-lumen/blog?page=3")).StatusCode);
        // Feed autodiscovery on the list.
        Assert.Equal(["application/rss+xml", "application/atom+xml"], first.QuerySelectorAll("link[rel=alternate]").Select(l => l.GetAttribute("type")));
    }

    [Fact]
    public async Task An_article_page_shows_its_date_in_french_author_tags_and_shares_itself_a_draft_is_not_found()
    {
        await using var host = await StartAsync();
        var client = host.CreateClient();
        var response = await client.GetAsync("/maison-lumen/blog/dans-les-coulisses-de-l-atelier");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("Dans les coulisses de l’atelier\u00a0: de la cire au parfum", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("24\u00a0novembre\u00a02026", page.QuerySelector(".blog-meta time")!.TextContent);
        Assert.Contains("par Camille, atelier Maison Lumen", page.QuerySelector(".blog-meta")!.TextContent);
        Assert.Equal(["coulisses", "atelier", "parfums d’intérieur"], page.QuerySelectorAll(".blog-tags li").Select(li => li.TextContent));
        Assert.Equal("<h2>Le mélange</h2>", page.QuerySelector(".blog-body h2")!.OuterHtml);
        string? Meta(string selector) => page.QuerySelector(selector)?.GetAttribute("content");
        Assert.Equal("article", Meta("meta[property='og:type']"));
        Assert.Equal("Dans les coulisses de l’atelier\u00a0: de la cire au parfum", Meta("meta[property='og:title']"));
        Assert.StartsWith("Une matinée à l’atelier", Meta("meta[property='og:description']"));
        var canonical = page.QuerySelector("link[rel=canonical]")!.GetAttribute("href")!;
        Assert.Matches("^http://[^/]+/maison-lumen/blog/dans-les-coulisses-de-l-atelier$", canonical);
        Assert.Equal(canonical, Meta("meta[property='og:url']"));
        Assert.Equal("summary", Meta("meta[name='twitter:card']"));
        Assert.Equal(2, page.QuerySelectorAll("link[rel=alternate]").Length);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/maison-lumen/blog/idees-cadeaux-noel")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/maison-lumen/blog/idees-cadeaux-noel/cover")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/maison-lumen/blog/nulle-part")).StatusCode);
    }

    [Fact]
    public async Task While_the_site_is_not_published_the_blog_its_feeds_and_the_sitemap_are_not_found()
    {
        await using var host = await StartAsync();
        await host.InScopeAsync(async s =>
        {
            var workspaces = s.GetRequiredService<WorkspaceService>();
            await workspaces.SetSitePublishedAsync((await workspaces.FindAsync(Ws))!, false);
        });
        var client = host.CreateClient();
        foreach (var path in new[] { "/maison-lumen/blog", "/maison-lumen/blog/bien-entretenir-sa-bougie", "/maison-lumen/blog/rss.xml", "/maison-lumen/blog/atom.xml", "/maison-lumen/sitemap.xml" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task The_feeds_are_rss_2_and_atom_1_with_the_published_articles_newest_first()
    {
        await using var host = await StartAsync();
        var client = host.CreateClient();
        var rssResponse = await client.GetAsync("/maison-lumen/blog/rss.xml");
        Assert.Equal("application/rss+xml", rssResponse.Content.Headers.ContentType!.MediaType);
        var rss = XDocument.Parse(await rssResponse.Content.ReadAsStringAsync());
        Assert.Equal("2.0", rss.Root!.Attribute("version")!.Value);
        var channel = rss.Root.Element("channel")!;
        foreach (var required in new[] { "title", "link", "description" }) Assert.False(string.IsNullOrWhiteSpace(channel.Element(required)?.Value), required);
        var items = channel.Elements("item").ToList();
        Assert.Equal(["Dans les coulisses de l’atelier\u00a0: de la cire au parfum", "Cinq gestes pour qu’une bougie dure plus longtemps", "Bougies d’hiver\u00a0: la collection est arrivée"],
            items.Select(i => i.Element("title")!.Value));
        Assert.Equal("Tue, 24 Nov 2026 10:00:00 GMT", items[0].Element("pubDate")!.Value);
        Assert.Matches("^http://[^/]+/maison-lumen/blog/dans-les-coulisses-de-l-atelier$", items[0].Element("link")!.Value);
        Assert.Equal(items[0].Element("link")!.Value, items[0].Element("guid")!.Value);
        Assert.DoesNotContain("idees-cadeaux-noel", rss.ToString());

        XNamespace a = "http://www.w3.org/2005/Atom";
        var atomResponse = await client.GetAsync("/maison-lumen/blog/atom.xml");
        Assert.Equal("application/atom+xml", atomResponse.Content.Headers.ContentType!.MediaType);
        var atom = XDocument.Parse(await atomResponse.Content.ReadAsStringAsync());
        Assert.Equal(a + "feed", atom.Root!.Name);
        foreach (var required in new[] { "id", "title", "updated" }) Assert.NotNull(atom.Root.Element(a + required));
        Assert.Matches("/maison-lumen/blog/atom.xml$", atom.Root.Elements(a + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value);
        var entries = atom.Root.Elements(a + "entry").ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.StartsWith("urn:uuid:", e.Element(a + "id")!.Value));
        Assert.Equal(3, entries.Select(e => e.Element(a + "id")!.Value).Distinct().Count());
        Assert.Equal("2026-11-24T10:00:00Z", entries[0].Element(a + "published")!.Value);
        Assert.True(DateTimeOffset.TryParse(entries[0].Element(a + "updated")!.Value, out _));
        Assert.Matches("^http://[^/]+/maison-lumen/blog/dans-les-coulisses-de-l-atelier$", entries[0].Element(a + "link")!.Attribute("href")!.Value);
        Assert.Contains("<h2>Le mélange</h2>", entries[0].Element(a + "content")!.Value);
    }

    [Fact]
    public async Task Script_a_javascript_link_or_raw_html_in_an_article_never_reaches_the_page_or_the_feed()
    {
        await using var host = await StartAsync();
        const string markdown = "Avant <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=\"alert(2)\">\n\n<iframe src=\"https://evil.example\"></iframe> [ok](https://example.com)";
        var receipt = await InLumenAsync(host, s => s.GetRequiredService<IBlogArticles>().PublishAsync(Draft("Piège", markdown), "xss"));
        var client = host.CreateClient();
        var html = await client.GetStringAsync(receipt.Url);
        var body = Parser.ParseDocument(html).QuerySelector(".blog-body")!;
        Assert.Empty(body.QuerySelectorAll("script, img, iframe, [onerror]"));
        Assert.DoesNotContain("javascript:", body.InnerHtml);
        Assert.Equal(["https://example.com"], body.QuerySelectorAll("a[href]").Select(l => l.GetAttribute("href")));
        Assert.Contains("&lt;script&gt;", body.InnerHtml); // shown as text
        var content = XDocument.Parse(await client.GetStringAsync("/maison-lumen/blog/atom.xml")).Descendants(XName.Get("content", "http://www.w3.org/2005/Atom")).First().Value;
        var fed = Parser.ParseDocument("<div>" + content + "</div>");
        Assert.Empty(fed.QuerySelectorAll("script, img, iframe, [onerror]"));
        Assert.DoesNotContain("javascript:", content);
    }

    [Fact]
    public async Task The_sitemap_lists_the_home_the_charter_and_each_published_article_at_absolute_addresses()
    {
        await using var host = await StartAsync();
        var response = await host.CreateClient().GetAsync("/maison-lumen/sitemap.xml");
        Assert.Equal("application/xml", response.Content.Headers.ContentType!.MediaType);
        XNamespace sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var locs = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Elements(sm + "url").Select(u => u.Element(sm + "loc")!.Value).ToList();
        Assert.All(locs, l => Assert.Matches("^http://[^/]+/maison-lumen/", l));
        var paths = locs.Select(l => new Uri(l).AbsolutePath).ToList();
        Assert.Equal(["/maison-lumen/", "/maison-lumen/blog", "/maison-lumen/blog/dans-les-coulisses-de-l-atelier", "/maison-lumen/blog/bien-entretenir-sa-bougie",
            "/maison-lumen/blog/bougies-d-hiver-la-collection", "/maison-lumen/charter"], paths);
    }

    [Fact]
    public async Task A_published_article_serves_its_cover_from_the_media_library_with_its_type_and_cache_headers()
    {
        await using var host = await StartAsync();
        var image = await InLumenAsync(host, async s =>
        {
            var outcome = await s.GetRequiredService<MediaService>().UploadAsync("vitrine.png", new MemoryStream(TestImages.Png(40, 30)), "La vitrine de Noël", PostActor.System("test"));
            return outcome.Item!;
        });
        // Without its own description, the cover takes the library's.
        var receipt = await InLumenAsync(host, s => s.GetRequiredService<IBlogArticles>().PublishAsync(Draft("La vitrine") with { CoverMediaId = image.Id }, "cover"));
        var client = host.CreateClient();
        var page = Parser.ParseDocument(await client.GetStringAsync(receipt.Url));
        var cover = page.QuerySelector("img.blog-cover")!;
        Assert.Equal(receipt.Url + "/cover", cover.GetAttribute("src"));
        Assert.Equal("La vitrine de Noël", cover.GetAttribute("alt"));
        Assert.Matches("^http://[^/]+/maison-lumen/blog/la-vitrine/cover$", page.QuerySelector("meta[property='og:image']")!.GetAttribute("content")!);
        Assert.Equal("summary_large_image", page.QuerySelector("meta[name='twitter:card']")!.GetAttribute("content"));

        var response = await client.GetAsync(receipt.Url + "/cover");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Equal(TestImages.Png(40, 30), await response.Content.ReadAsByteArrayAsync());
        var again = new HttpRequestMessage(HttpMethod.Get, receipt.Url + "/cover");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.Http.SendAsync(again)).StatusCode);

        // Taken off the blog, the article's cover is no longer served.
        await InLumenAsync(host, async s =>
        {
            var articles = s.GetRequiredService<ArticleService>();
            var article = (await articles.FindAsync(receipt.ArticleId))!;
            return await articles.UnpublishAsync(article.Id, article.Version);
        });
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(receipt.Url + "/cover")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(receipt.Url)).StatusCode);
    }

    [Fact]
    public async Task The_editor_saves_a_draft_previews_it_and_publishes_it_and_a_stale_save_keeps_the_text()
    {
        await using var host = await StartAsync();
        using var admin = await host.SignInAsync();
        var form = new Dictionary<string, string>
        {
            ["Title"] = "Ouverture le dimanche", ["Slug"] = "", ["Summary"] = "La boutique ouvre les dimanches de décembre.",
            ["BodyMarkdown"] = "## Horaires\n\nDe 10 h à 18 h.", ["CoverMediaId"] = "", ["CoverAlt"] = "", ["AuthorName"] = "Inès", ["Tags"] = "boutique, Noël", ["Version"] = "0",
        };
        // The preview renders the text and saves nothing.
        var count = await ArticleCountAsync(host);
        var preview = await admin.PostFormAsync("/admin/maison-lumen/blog/new", new(form) { ["preview"] = "1" });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("<h2>Horaires</h2>", Parser.ParseDocument(await preview.Content.ReadAsStringAsync()).QuerySelector("#article-preview .blog-body h2")!.OuterHtml);
        Assert.Equal(count, await ArticleCountAsync(host));

        var saved = await admin.PostFormAsync("/admin/maison-lumen/blog/new", form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var editPath = saved.Headers.Location!.OriginalString;
        var article = await InLumenAsync(host, s => s.GetRequiredService<ArticleService>().FindBySlugAsync("ouverture-le-dimanche"));
        Assert.Equal(ArticleState.Draft, article!.State);
        Assert.Equal(HttpStatusCode.NotFound, (await host.CreateClient().GetAsync("/maison-lumen/blog/ouverture-le-dimanche")).StatusCode);

        var published = await admin.PostFormAsync($"/admin/maison-lumen/blog/{article.Id}/publish", new() { ["version"] = article.Version.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Contains("Ouverture le dimanche", await host.CreateClient().GetStringAsync("/maison-lumen/blog/ouverture-le-dimanche"));

        // Saved from an editor opened before the publication: refused, the typed text is still in the form.
        var stale = await admin.PostFormAsync(editPath, new(form) { ["Title"] = "Ouverture les dimanches", ["Version"] = article.Version.ToString() });
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var page = Parser.ParseDocument(await stale.Content.ReadAsStringAsync());
        Assert.Contains("Quelqu’un a enregistré cet article après que vous l’avez ouvert", page.QuerySelector("#article-errors")!.TextContent);
        Assert.Equal("Ouverture les dimanches", page.QuerySelector("#Title")!.GetAttribute("value"));
        Assert.Equal((article.Version + 1).ToString(), page.QuerySelector("input[name=Version]")!.GetAttribute("value"));
        Assert.Equal("Ouverture le dimanche", (await InLumenAsync(host, s => s.GetRequiredService<ArticleService>().FindAsync(article.Id)))!.Title);
    }
}
