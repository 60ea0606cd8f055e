using System.Net;
using System.Text.Json;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Tests.Publishing.Blog;

/// <summary>
/// One post, an article and its social teasers: the teasers go only once the article is published on the brand's
/// blog, with its address (in place of {article}, or as their link); never before it, so never with a dead link.
/// </summary>
public sealed class ArticleTeasersTests
{
    private static readonly string W = PublishingTestHost.Workspace;
    private const string ArticleText = "# Nos bougies d’hiver\n\nCire d’abeille, mèche en coton : trois senteurs pour les soirées.";

    [Fact]
    public async Task Teasers_go_after_the_article_with_its_address_on_Mastodon_counted_as_a_link_and_as_the_webhook_body_s_link()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        var (_, token) = mastodon.AddAccount("lumen");
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        await host.WithoutDemoChannelsAsync();
        await host.PublishSiteAsync(W);
        var blog = await ConnectAsync(host, "blog", "Blog de la marque", []);
        await ConnectAsync(host, "mastodon", "Mastodon", new() { ["instanceUrl"] = mastodon.BaseAddress.ToString(), ["accessToken"] = token });
        var webhook = await host.InWorkspaceAsync(W, s => s.GetRequiredService<ChannelService>().ConnectAsync("webhook", "Site partenaire",
            new Dictionary<string, string> { ["url"] = receiver.Url }, null, default));
        receiver.Secret = webhook.GeneratedSecret!;

        // 448 + 7 characters, and the article's address: more than 500 as written, 478 as Mastodon counts a link (23).
        var padding = string.Concat(Enumerable.Repeat("Bougies ", 56));
        var teaser = padding + "Lire : {article}";
        var post = await ScheduleAsync(host, ["bluesky", "mastodon", "blog"], new()
        {
            ["blog"] = new VariantInput(ArticleText),
            ["mastodon"] = new VariantInput(teaser),
            ["bluesky"] = new VariantInput("Nos bougies d’hiver sont sur le blog."), // no {article}, no link: the address becomes its link
        });
        await host.PublishNowAsync(post);

        var deliveries = await host.SettledAsync(post);
        Assert.All(deliveries, d => Assert.Equal(DeliveryState.Published, d.State));
        var article = deliveries.Single(d => d.ChannelId == blog);
        Assert.EndsWith($"/{W}/blog/nos-bougies-d-hiver", article.RemoteUrl);
        var url = article.RemoteUrl!;
        Assert.True(padding.Length + 7 + url.Length > 500, url);
        foreach (var social in deliveries.Where(d => d.ChannelId != blog))
        {
            var attempt = Assert.Single(await host.AttemptsAsync(social.Id)); // waiting spent no attempt
            Assert.True(attempt.StartedUtc >= article.PublishedUtc, "a teaser went before its article");
        }

        var status = Assert.Single(mastodon.Statuses);
        Assert.Equal(padding + "Lire : " + url, status.Text);
        var body = JsonDocument.Parse(Assert.Single(receiver.Accepted).Value).RootElement.GetProperty("parts")[0];
        Assert.Equal("Nos bougies d’hiver sont sur le blog.", body.GetProperty("text").GetString());
        Assert.Equal(url, body.GetProperty("link").GetString());
        using var visitor = host.CreateClient();
        Assert.Contains("Nos bougies d’hiver", WebUtility.HtmlDecode(await visitor.GetStringAsync(new Uri(url).AbsolutePath)));
    }

    [Fact]
    public async Task When_the_article_fails_its_teasers_are_not_sent_the_log_says_why_and_sending_the_article_again_releases_them()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server, settings: new() { ["Publishing:DispatcherEnabled"] = "false" });
        await host.WithoutDemoChannelsAsync();
        var article = await host.ConnectTestChannelAsync("Blog partenaire", network: "blog");
        var social = await host.ConnectTestChannelAsync("Mastodon de test");
        var post = await ScheduleAsync(host, ["mastodon", "blog"], new()
        {
            ["blog"] = new VariantInput(ArticleText),
            ["mastodon"] = new VariantInput("À lire : {article}"),
        });
        server.Then(TestAnswer.RetryLater, TestAnswer.Fail);
        await host.PublishNowAsync(post);
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();

        // The article is asked to wait: the teaser waits for it, no attempt spent, the reason in the log.
        await dispatcher.RunOnceAsync(default);
        var teaser = (await host.DeliveriesAsync(post)).Single(d => d.ChannelId == social);
        Assert.Equal(DeliveryState.Pending, teaser.State);
        Assert.Equal(ArticleTeasers.Waiting, teaser.LastError);
        Assert.Equal(0, teaser.Attempts);
        using var admin = await host.SignInAsync();
        Assert.Contains("En attente de l’article", WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/{W}/publishing")));

        // The article is refused: the teaser fails at once with the reason, and nothing went to its network.
        await Task.Delay(300);
        await dispatcher.RunOnceAsync(default);
        var deliveries = await host.DeliveriesAsync(post);
        Assert.Equal(DeliveryState.Failed, deliveries.Single(d => d.ChannelId == article).State);
        teaser = deliveries.Single(d => d.ChannelId == social);
        Assert.Equal(DeliveryState.Failed, teaser.State);
        Assert.Equal(ArticleTeasers.ArticleFailed, teaser.LastError);
        Assert.All(server.Calls, c => Assert.Equal(deliveries.Single(d => d.ChannelId == article).DeliveryKey, c.Key));
        Assert.Empty(server.Published);
        var log = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/{W}/publishing/deliveries/{teaser.Id}"));
        Assert.Contains("l’article n’est pas parti", log);
        // "Send again" works from a browser: its form carries the antiforgery token (the page's forms set their action).
        Assert.Matches("(?s)action=\"[^\"]+/retry\">(?:(?!</form>).)*name=\"__RequestVerificationToken\"", log);

        // Sending the article again: once it is published, the teaser goes with its address.
        var articleId = deliveries.Single(d => d.ChannelId == article).Id;
        await host.InWorkspaceAsync(W, async s =>
        {
            Assert.True((await s.GetRequiredService<DeliveryService>().RetryAsync(articleId, default)).Succeeded);
            return 0;
        });
        Assert.Equal(ArticleTeasers.Waiting, (await host.DeliveriesAsync(post)).Single(d => d.ChannelId == social).LastError);
        for (var round = 0; round < 5 && (await host.DeliveriesAsync(post)).Any(d => d.State != DeliveryState.Published); round++)
            await dispatcher.RunOnceAsync(default);

        deliveries = await host.DeliveriesAsync(post);
        Assert.All(deliveries, d => Assert.Equal(DeliveryState.Published, d.State));
        var sent = server.Published.Single(p => p.ChannelId == social);
        Assert.Equal("À lire : " + deliveries.Single(d => d.ChannelId == article).RemoteUrl, sent.Text);
    }

    [Fact]
    public async Task Each_date_of_a_recurring_post_sends_its_own_article_and_its_teasers_carry_that_article_s_address()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        var blog = await ConnectAsync(host, "blog", "Blog de la marque", []);
        var social = await host.ConnectTestChannelAsync("Mastodon de test");
        // Channels connected last week: the series' first date, two hours ago, is theirs too.
        await host.InWorkspaceAsync(W, s => s.GetRequiredService<PublishingDbContext>().Channels
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.CreatedUtc, DateTime.UtcNow.AddDays(-7))));
        var post = await ScheduleAsync(host, ["mastodon", "blog"], new()
        {
            ["blog"] = new VariantInput(ArticleText),
            ["mastodon"] = new VariantInput("La bougie de la semaine : {article}"),
        }, recurrence: "FREQ=DAILY;COUNT=2");
        // A series that began two hours ago (a new one cannot start in the past): its first date is due, its second tomorrow.
        await host.InWorkspaceAsync(W, async s =>
        {
            var zone = s.GetRequiredService<PostService>().Zone;
            var began = SystemClock.Instance.GetCurrentInstant().Minus(Duration.FromHours(2));
            var local = PostRules.Format(began.InZone(zone).LocalDateTime);
            var utc = PostRules.ParseStart(local)!.Value.InZoneLeniently(zone).ToDateTimeUtc();
            return await s.GetRequiredService<CalendarDbContext>().Posts.Where(p => p.Id == post)
                .ExecuteUpdateAsync(x => x.SetProperty(p => p.StartsLocal, local).SetProperty(p => p.StartsUtc, utc));
        });
        await host.PlanAsync();

        var first = await OccurrenceSettledAsync(host, post, 0);
        await host.PublishNowAsync(post); // the next date, tomorrow, now
        var second = await OccurrenceSettledAsync(host, post, 1);

        var articles = new[] { first, second }.Select(o => o.Single(d => d.ChannelId == blog).RemoteUrl!).ToList();
        Assert.EndsWith("/blog/nos-bougies-d-hiver", articles[0]);
        Assert.EndsWith("/blog/nos-bougies-d-hiver-2", articles[1]);
        for (var i = 0; i < 2; i++)
        {
            var key = new[] { first, second }[i].Single(d => d.ChannelId == social).DeliveryKey;
            Assert.Equal("La bougie de la semaine : " + articles[i], server.Published.Single(p => p.Key == key).Text);
        }
    }

    [Fact]
    public async Task The_editor_offers_the_article_s_address_to_teasers_and_counts_it_as_each_network_counts_a_link()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer(), settings: new() { ["Publishing:DispatcherEnabled"] = "false" });
        await host.WithoutDemoChannelsAsync();
        // 475 characters and {article}: 485 as written, 499 once Mastodon counts the address as 23, which fits;
        // 478 and {article} would be 502: refused before it is scheduled, not at the network.
        var fits = new string('b', 475) + " {article}";
        var post = await ScheduleAsync(host, ["mastodon", "blog"], new() { ["blog"] = new VariantInput(ArticleText), ["mastodon"] = new VariantInput(fits) });
        var refused = await host.InWorkspaceAsync(W, s => s.GetRequiredService<PostService>().CheckCreateAsync(new PostInput
        {
            Text = "Nos bougies d’hiver", Networks = ["mastodon", "blog"], StartsAt = "2099-01-05T09:00",
            Variants = new Dictionary<string, VariantInput> { ["blog"] = new(ArticleText), ["mastodon"] = new(new string('b', 478) + " {article}") },
        }, PostState.Scheduled, PostActor.System("Tests"), default));
        Assert.Contains(refused, p => p.Field == "variants.mastodon.text" && p.Values.Contains(502));

        using var admin = await host.SignInAsync();
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/{W}/posts/{post}"));
        Assert.Contains("Ce post contient un article", page);
        Assert.Contains("Écrivez {article} là où l’adresse doit figurer", page);
        Assert.Contains("Insérer l’adresse de l’article", page);
        Assert.Matches("variant-length\">499<", page); // the counter of the Mastodon teaser, as Mastodon counts it
        var alone = await host.ScheduleAsync("Sans article");
        Assert.Contains("id=\"article-hint\" hidden", await admin.GetStringAsync($"/admin/{W}/posts/{alone}"));
    }

    private static Task<Guid> ConnectAsync(PortalHost host, string kind, string name, Dictionary<string, string> fields) =>
        host.InWorkspaceAsync(W, async s =>
        {
            var outcome = await s.GetRequiredService<ChannelService>().ConnectAsync(kind, name, fields, null, default);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return outcome.Channel!.Id;
        });

    private static async Task<Guid> ScheduleAsync(PortalHost host, string[] networks, Dictionary<string, VariantInput> variants, string? recurrence = null)
    {
        var start = await host.InWorkspaceAsync(W, s =>
        {
            var zone = s.GetRequiredService<PostService>().Zone;
            var local = SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromHours(2)).InZone(zone).LocalDateTime;
            return Task.FromResult(PostRules.Format(local));
        });
        return await host.CreatePostAsync(new PostInput
        {
            Text = "Nos bougies d’hiver", Networks = networks, Variants = variants, StartsAt = start, Recurrence = recurrence,
        }, PostState.Scheduled, W);
    }

    /// <summary>The deliveries of the post's <paramref name="index"/>-th date, once all are published (or fails the test).</summary>
    private static async Task<List<Delivery>> OccurrenceSettledAsync(PortalHost host, Guid post, int index)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var all = (await host.DeliveriesAsync(post)).Where(d => d.State != DeliveryState.Canceled).ToList();
            var dates = all.Select(d => d.OccurrenceUtc).Distinct().Order().ToList();
            var these = dates.Count > index ? all.Where(d => d.OccurrenceUtc == dates[index]).ToList() : [];
            if (these.Count == 2 && these.All(d => d.State == DeliveryState.Published)) return these;
            if (DateTime.UtcNow > until)
                throw new TimeoutException("Not published: " + string.Join(", ", all.Select(d => $"{d.OccurrenceUtc:u} {d.Network} {d.State} ({d.LastError})")));
            await Task.Delay(50);
        }
    }
}
