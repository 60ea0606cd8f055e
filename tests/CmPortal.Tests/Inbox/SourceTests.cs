using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Search;
using CmPortal.Modules.Inbox.Sources.Feeds;
using CmPortal.Modules.Inbox.Sources.Stored;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing;
using CmPortal.Tests.Publishing.Bluesky;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>Feeds and test servers the source tests share, and a portal that may read them (they listen on 127.0.0.1).</summary>
internal static class SourceTesting
{
    public const string Workspace = "maison-lumen";

    public static readonly Dictionary<string, string?> AllowLocal = new() { [SourceAddresses.AllowPrivateSetting] = "true" };

    public static async Task<PortalHost> StartAsync(bool allowLocal = true)
    {
        var host = await PortalHost.StartAsync(settings: allowLocal ? AllowLocal : null);
        await host.SetUpAsync();
        // These tests read sources when they say so: the job runner's own read at the top of each minute would bump a
        // source's version (and its next read) under a test that has just read them.
        var scheduler = await host.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        await scheduler.PauseJob(host.Services.GetServices<CmPortal.Core.Jobs.WorkspaceJobRegistration>().Single(r => r.JobType == typeof(PollSourcesJob)).Key);
        return host;
    }

    /// <summary>Google Alerts' shape: Atom, wrapped links, bold titles; one praise in French, one complaint in English.</summary>
    public static string AlertsFeed(string suffix = "") => $"""
        <?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>tag:google.com,2005:reference/alerts/feeds/1/2{suffix}</id><title>Google Alert - &quot;Maison Lumen&quot;</title><updated>2026-11-30T08:14:03Z</updated>
        <entry><id>tag:google.com,2013:googlealerts/feed:1{suffix}</id><title type="html">La &lt;b&gt;Maison Lumen&lt;/b&gt; ouvre une boutique à Lyon</title><link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://www.leprogres.fr/lumen-boutique{suffix}%3Futm_source%3Dalerts&amp;ct=ga"></link><published>2026-11-30T08:14:03Z</published><content type="html">Une boutique magnifique, un accueil impeccable : merci la &lt;b&gt;Maison Lumen&lt;/b&gt; !</content></entry>
        <entry><id>tag:google.com,2013:googlealerts/feed:2{suffix}</id><title type="html">&lt;b&gt;Maison Lumen&lt;/b&gt; review{suffix}</title><link href="https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://candleblog.example/maison-lumen{suffix}&amp;ct=ga"></link><published>2026-11-29T16:02:11Z</published><content type="html">Terrible candles, awful smell, the worst purchase I made this year.</content></entry>
        </feed>
        """;

    /// <summary>A page's text as read: entities decoded, non-breaking spaces as spaces.</summary>
    public static string Read(string html) => WebUtility.HtmlDecode(html).Replace('\u00a0', ' ').Replace('\u202f', ' ');

    public static async Task<string> PageAsync(this PortalClient client, string path) => Read(await client.GetStringAsync(path));

    public static Task<T> InWorkspace<T>(this PortalHost host, Func<IServiceProvider, Task<T>> work) => host.InWorkspaceAsync(Workspace, work);

    public static Task<int> PollAsync(this PortalHost host) => host.InWorkspace(s => s.GetRequiredService<SourcePoller>().PollDueAsync());

    /// <summary>Runs the job as the job runner does, once, in the demo workspace.</summary>
    public static Task RunJobAsync(this PortalHost host) => host.InWorkspace(async s =>
    {
        var workspace = s.GetRequiredService<CmPortal.Core.Workspaces.WorkspaceContext>().Required;
        await s.GetRequiredService<PollSourcesJob>().RunAsync(workspace, default);
        return 0;
    });

    public static Task<ListeningSource> SourceAsync(this PortalHost host, Guid id) =>
        host.InWorkspace(async s => (await s.GetRequiredService<SourceService>().FindAsync(id))!);

    public static Task<ListeningSource> AddAsync(this PortalHost host, SourceInput input) => host.InWorkspace(async s =>
    {
        var outcome = await s.GetRequiredService<SourceService>().CreateAsync(input);
        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
        return outcome.Source!;
    });

    /// <summary>Makes a source due now (as if its wait had passed), without touching the rest of its state.</summary>
    public static Task MakeDueAsync(this PortalHost host, Guid id) => host.InWorkspace(s =>
        s.GetRequiredService<InboxDbContext>().Sources.Where(x => x.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.NextTryUtc, DateTime.UtcNow.AddSeconds(-1))));

    public static Task<List<Mention>> MentionsAsync(this PortalHost host, string? sourceName = null) => host.InWorkspace(s =>
        s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking().Where(m => sourceName == null || m.SourceName == sourceName).OrderBy(m => m.Id).ToListAsync());
}

/// <summary>Sources read on the job runner: what arrives in the inbox, what a failing source shows, how it waits, how nodes share the work.</summary>
public sealed class SourcePollingTests
{
    [Fact]
    public async Task A_google_alerts_feed_added_on_the_page_is_read_by_the_job_and_its_mentions_arrive_with_sentiment()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        feeds.Serve("/alerts/feeds/1/2", "application/atom+xml; charset=utf-8", SourceTesting.AlertsFeed());
        await using var host = await SourceTesting.StartAsync();
        using var admin = await host.SignInAsync();
        const string page = "/admin/maison-lumen/inbox/sources";

        var empty = await admin.PageAsync(page);
        Assert.Contains("Aucune source pour l’instant", empty);
        Assert.Contains("Flux RSS", empty); // how to get a Google Alerts feed, in French

        var added = await admin.PostFormAsync(page, new() { ["kind"] = "rss", ["url"] = feeds.Url("/alerts/feeds/1/2"), ["name"] = "Alertes Lumen", ["intervalMinutes"] = "15" }, page);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("Source « Alertes Lumen » ajoutée", await admin.PageAsync(page));

        await host.RunJobAsync();

        var mentions = await host.MentionsAsync("Alertes Lumen");
        Assert.Equal(2, mentions.Count);
        var praise = mentions.Single(m => m.Language == "fr");
        Assert.Equal(("rss", "positive"), (praise.SourceKind, praise.Sentiment));
        Assert.Equal("https://www.leprogres.fr/lumen-boutique?utm_source=alerts", praise.Url); // the real link, not google.com/url
        Assert.Equal("La Maison Lumen ouvre une boutique à Lyon", praise.Title); // bold removed
        Assert.Equal("negative", mentions.Single(m => m.Language == "en").Sentiment);
        var inbox = await admin.PageAsync("/admin/maison-lumen/inbox?source=rss&q=%22accueil+impeccable%22");
        Assert.Contains("Flux RSS · Alertes Lumen", inbox);
        Assert.Contains("impeccable</mark>", inbox);

        var state = await admin.PageAsync(page);
        Assert.Contains("Lue à l’instant", state);
        Assert.Contains("2 nouvelles mentions", state);
        Assert.Matches(@"prochaine lecture (demain )?à \d\d:\d\d", state); // 15 minutes on: today, or tomorrow just before midnight

        // Not due again for 15 minutes: the next run reads nothing.
        var requests = feeds.Requests.Count;
        await host.RunJobAsync();
        Assert.Equal(requests, feeds.Requests.Count);
    }

    [Fact]
    public async Task A_broken_feed_next_to_a_good_one_shows_its_error_and_next_try_while_the_good_one_is_read_and_its_wait_grows()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        feeds.Serve("/good", "application/atom+xml", SourceTesting.AlertsFeed());
        feeds.Serve("/broken", "text/html; charset=utf-8", "<!doctype html><html><body>Not a feed</body></html>");
        await using var host = await SourceTesting.StartAsync();
        // The broken one first in the poller's order (it became due first).
        var broken = await host.AddAsync(new SourceInput("rss", "Forum cassé", feeds.Url("/broken")));
        var good = await host.AddAsync(new SourceInput("rss", "Presse", feeds.Url("/good")));

        Assert.Equal(2, await host.PollAsync());

        Assert.Equal(2, (await host.MentionsAsync("Presse")).Count);
        var failed = await host.SourceAsync(broken.Id);
        Assert.Equal(1, failed.ConsecutiveFailures);
        Assert.NotNull(SourceService.LastErrorOf(failed));
        Assert.InRange(failed.NextTryUtc - failed.LastFetchUtc!.Value, TimeSpan.FromSeconds(47), TimeSpan.FromSeconds(73));
        Assert.Null((await host.SourceAsync(good.Id)).LastError);

        using var admin = await host.SignInAsync();
        var page = await admin.PageAsync("/admin/maison-lumen/inbox/sources");
        Assert.Contains("Échec de lecture à l’instant", page);
        Assert.Contains("text-danger", page);
        Assert.Matches(@"Prochain essai (demain )?à \d\d:\d\d", page); // a minute on: tomorrow at midnight
        Assert.Contains("1 échec d’affilée", page);

        // Each failure in a row waits about twice as long: 1, 2, 4, 8 minutes (±20 %).
        var waits = new List<TimeSpan> { failed.NextTryUtc - failed.LastFetchUtc.Value };
        for (var i = 0; i < 3; i++)
        {
            await host.MakeDueAsync(broken.Id);
            Assert.Equal(1, await host.PollAsync());
            var now = await host.SourceAsync(broken.Id);
            waits.Add(now.NextTryUtc - now.LastFetchUtc!.Value);
            Assert.Equal(i + 2, now.ConsecutiveFailures);
        }
        for (var i = 1; i < waits.Count; i++)
        {
            Assert.True(waits[i] > waits[i - 1], string.Join(", ", waits));
            Assert.InRange(waits[i].TotalMinutes, Math.Pow(2, i) * 0.79, Math.Pow(2, i) * 1.21);
        }
        Assert.Equal(TimeSpan.FromHours(6), SourceBackoff.Delay(30, 0.99));

        // Fixed: the next read succeeds and the failures are forgotten.
        feeds.Serve("/broken", "application/atom+xml", SourceTesting.AlertsFeed("-forum"));
        await host.MakeDueAsync(broken.Id);
        await host.PollAsync();
        var fixedSource = await host.SourceAsync(broken.Id);
        Assert.Equal((0, null, 2), (fixedSource.ConsecutiveFailures, fixedSource.LastError, fixedSource.LastFoundCount));
    }

    [Fact]
    public async Task Not_modified_keeps_the_validators_and_the_counts_and_is_not_an_error()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        var body = System.Text.Encoding.UTF8.GetBytes(SourceTesting.AlertsFeed());
        feeds.Map("/etag", async context =>
        {
            if (context.Request.Headers.IfNoneMatch == "\"v1\"") { context.Response.StatusCode = 304; return; }
            context.Response.Headers.ETag = "\"v1\"";
            context.Response.Headers.LastModified = "Mon, 30 Nov 2026 08:00:00 GMT";
            context.Response.ContentType = "application/atom+xml";
            await feeds.WriteAsync(context, body);
        });
        await using var host = await SourceTesting.StartAsync();
        var source = await host.AddAsync(new SourceInput("rss", "Presse", feeds.Url("/etag")));

        await host.PollAsync();
        var first = await host.SourceAsync(source.Id);
        Assert.Equal(("\"v1\"", 2, 2), (first.ETag, first.LastFoundCount, first.TotalFoundCount));

        await host.MakeDueAsync(source.Id);
        await host.PollAsync();
        var second = await host.SourceAsync(source.Id);
        Assert.Equal("\"v1\"", feeds.Requests.Last().Headers.IfNoneMatch.ToString());
        Assert.Equal(("\"v1\"", "Mon, 30 Nov 2026 08:00:00 GMT", 0, 2, 0), (second.ETag, second.LastModified, second.LastFoundCount, second.TotalFoundCount, second.ConsecutiveFailures));
        Assert.Null(second.LastError);
        Assert.True(second.LastFetchUtc > first.LastFetchUtc);
        Assert.Equal(2, (await host.MentionsAsync("Presse")).Count);
    }

    [Fact]
    public async Task Two_pollers_at_once_read_a_due_source_once()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        var served = 0;
        var body = System.Text.Encoding.UTF8.GetBytes(SourceTesting.AlertsFeed());
        feeds.Map("/slow", async context =>
        {
            Interlocked.Increment(ref served);
            await Task.Delay(300);
            context.Response.ContentType = "application/atom+xml";
            await feeds.WriteAsync(context, body);
        });
        await using var host = await SourceTesting.StartAsync();
        var sources = new List<ListeningSource>();
        for (var i = 0; i < 3; i++) sources.Add(await host.AddAsync(new SourceInput("rss", $"Presse {i}", feeds.Url("/slow"))));

        // Two nodes' runs (two scopes, two contexts) start together and see the same due sources.
        var start = new TaskCompletionSource();
        var runs = Enumerable.Range(0, 2).Select(_ => Task.Run(async () => { await start.Task; return await host.PollAsync(); })).ToList();
        start.SetResult();
        var read = await Task.WhenAll(runs);

        Assert.Equal(3, read.Sum());
        Assert.Equal(3, served);
        foreach (var source in sources)
        {
            var now = await host.SourceAsync(source.Id);
            Assert.Null(now.LeaseOwner);
            Assert.Null(now.LastError);
        }
        Assert.Equal(2, (await host.MentionsAsync()).Count(m => m.SourceName?.StartsWith("Presse", StringComparison.Ordinal) == true)); // the same items, stored once
    }

    [Fact]
    public async Task Read_now_during_the_minute_s_read_answers_with_what_that_read_found_and_asks_the_feed_once()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        var body = System.Text.Encoding.UTF8.GetBytes(SourceTesting.AlertsFeed());
        var asked = new TaskCompletionSource();
        feeds.Map("/slow", async context =>
        {
            asked.TrySetResult();
            await Task.Delay(1500);
            context.Response.ContentType = "application/atom+xml";
            await feeds.WriteAsync(context, body);
        });
        await using var host = await SourceTesting.StartAsync();
        var source = await host.AddAsync(new SourceInput("rss", "Presse", feeds.Url("/slow")));
        using var admin = await host.SignInAsync();
        const string page = "/admin/maison-lumen/inbox/sources";

        // The job runner's read has the source when the member clicks « Lire maintenant ».
        var job = host.PollAsync();
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var click = await admin.PostFormAsync($"{page}/{source.Id}/read", [], page);
        Assert.Equal(1, await job);

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Contains("Source lue : 2 nouvelles mentions.", await admin.PageAsync(page));
        Assert.Single(feeds.Requests);
        Assert.Equal(2, (await host.MentionsAsync("Presse")).Count);

        // Paused, it says so (and how to read it) rather than asking to try again.
        var paused = await host.InWorkspace(async s => await s.GetRequiredService<SourceService>().PauseAsync(source.Id, (await host.SourceAsync(source.Id)).Version));
        Assert.True(paused.Succeeded, string.Join(" ", paused.Problems));
        await admin.PostFormAsync($"{page}/{source.Id}/read", [], page);
        Assert.Contains("Cette source est en pause : reprenez-la pour la lire.", await admin.PageAsync(page));
        Assert.Single(feeds.Requests);
    }

    [Fact]
    public async Task Read_now_while_another_node_s_read_outlasts_the_wait_says_the_source_is_being_read_and_does_not_read_it_twice()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        feeds.Serve("/alerts", "application/atom+xml", SourceTesting.AlertsFeed());
        await using var host = await SourceTesting.StartAsync();
        var source = await host.AddAsync(new SourceInput("rss", "Presse", feeds.Url("/alerts")));
        await host.InWorkspace(s => s.GetRequiredService<InboxDbContext>().Sources.Where(x => x.Id == source.Id).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.LeaseOwner, "other-node/1/claim").SetProperty(x => x.LeaseUntilUtc, DateTime.UtcNow.AddMinutes(10))));

        var read = await host.InWorkspace(s =>
        {
            var poller = s.GetRequiredService<SourcePoller>();
            poller.OtherReadWait = TimeSpan.FromMilliseconds(600);
            return poller.ReadNowAsync(source.Id);
        });

        Assert.Equal(SourceReadState.Busy, read.State);
        Assert.Empty(feeds.Requests);
        Assert.Equal("other-node/1/claim", (await host.SourceAsync(source.Id)).LeaseOwner);
    }

    [Fact]
    public async Task A_mastodon_hashtag_source_reads_the_instance_s_public_timeline_and_goes_on_from_where_it_stopped()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        var first = mastodon.SeedStatus("lea@piaille.fr", "<p>Merci ! Boutique magnifique, accueil impeccable <a href=\"https://piaille.fr/tags/maisonlumen\">#MaisonLumen</a></p>", ["maisonlumen"], language: "fr", displayName: "Léa");
        mastodon.SeedStatus("tom@piaille.fr", "<p>Rien à voir</p>", ["autre"]);
        await using var host = await SourceTesting.StartAsync();
        using var admin = await host.SignInAsync();
        const string page = "/admin/maison-lumen/inbox/sources";
        var added = await admin.PostFormAsync(page, new() { ["kind"] = "mastodon-tag", ["query"] = "#MaisonLumen", ["url"] = mastodon.BaseAddress.ToString(), ["channelId"] = "" }, page);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        await host.RunJobAsync();

        var mention = Assert.Single(await host.MentionsAsync("#MaisonLumen"));
        Assert.Equal(("mastodon", first.Id, "@lea@piaille.fr", "positive"), (mention.SourceKind, mention.ExternalId, mention.AuthorHandle, mention.Sentiment));
        var source = (await host.InWorkspace(s => s.GetRequiredService<SourceService>().ListAsync())).Single();
        Assert.Equal(first.Id, source.Cursor);

        var second = mastodon.SeedStatus("marc@social.example", "<p>Livraison en retard, déçu <a href=\"#\">#MaisonLumen</a></p>", ["maisonlumen"]);
        await host.MakeDueAsync(source.Id);
        await host.RunJobAsync();
        Assert.Equal([first.Id, second.Id], (await host.MentionsAsync("#MaisonLumen")).Select(m => m.ExternalId));
        Assert.Contains(mastodon.ListeningRequests, r => r.PathAndQuery.Contains($"min_id={first.Id}", StringComparison.Ordinal));
        Assert.Contains("Hashtag Mastodon", await admin.PageAsync(page));
    }

    [Fact]
    public async Task A_bluesky_mentions_source_renews_an_expired_session_once_and_reads_on()
    {
        await using var bluesky = await BlueskyTestServer.StartAsync();
        bluesky.AddAccount("lumen.bsky.social", "app-pass-1234");
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer(), settings: SourceTesting.AllowLocal);
        var channelId = await host.InWorkspace(async s =>
        {
            var connected = await s.GetRequiredService<ChannelService>().ConnectAsync("bluesky", "Bluesky de Lumen",
                new Dictionary<string, string> { ["handle"] = "lumen.bsky.social", ["appPassword"] = "app-pass-1234", ["pdsUrl"] = bluesky.Url }, null, default);
            Assert.True(connected.Succeeded, string.Join(" ", connected.Problems));
            return connected.Channel!.Id;
        });
        var source = await host.AddAsync(new SourceInput("bluesky-mentions", ChannelId: channelId));
        Assert.Equal("Bluesky: Bluesky de Lumen", source.Name);
        bluesky.SeedNotification("lumen.bsky.social", "mention", bluesky.SeedPost("lea.bsky.social", "@lumen.bsky.social merci pour la jolie lampe !", DateTimeOffset.UtcNow));
        bluesky.ExpireAccessTokens();

        await host.PollAsync();

        var read = await host.SourceAsync(source.Id);
        Assert.Null(read.LastError);
        var mention = Assert.Single(await host.MentionsAsync(source.Name));
        Assert.Equal(("bluesky", "lea.bsky.social"), (mention.SourceKind, mention.AuthorHandle));

        // A channel that is gone: the source says so, in words, and waits.
        await host.InWorkspace(s => s.GetRequiredService<CmPortal.Modules.Publishing.Data.PublishingDbContext>().Channels.Where(c => c.Id == channelId).ExecuteDeleteAsync());
        await host.MakeDueAsync(source.Id);
        await host.PollAsync();
        var gone = await host.SourceAsync(source.Id);
        Assert.Equal(("channelId", 1), (SourceService.LastErrorOf(gone)!.Field, gone.ConsecutiveFailures));
    }
}

/// <summary>A source's address must be a public one: refused when saved and again when read (DNS can change), and at connection time.</summary>
public sealed class SourceAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.5", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)] // cloud metadata
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:4700:4700::1111", true)]
    public void Only_public_addresses_may_be_read(string address, bool isPublic) =>
        Assert.Equal(isPublic, SourceAddresses.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task A_feed_on_a_private_or_local_address_is_refused_when_saved_and_when_read()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        feeds.Serve("/feed", "application/atom+xml", SourceTesting.AlertsFeed());
        await using var host = await SourceTesting.StartAsync(allowLocal: false);
        using var admin = await host.SignInAsync();
        const string page = "/admin/maison-lumen/inbox/sources";

        var refused = await admin.PostFormAsync(page, new() { ["kind"] = "rss", ["url"] = feeds.Url("/feed") }, page);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var html = SourceTesting.Read(await refused.Content.ReadAsStringAsync());
        Assert.Contains("127.0.0.1 mène à 127.0.0.1, une adresse de réseau privé ou local", html);
        Assert.Contains("is-invalid", html);
        var ftp = await admin.PostFormAsync(page, new() { ["kind"] = "rss", ["url"] = "file:///etc/passwd" }, page);
        Assert.Contains("commençant par http:// ou https://", SourceTesting.Read(await ftp.Content.ReadAsStringAsync()));
        Assert.Empty(await host.InWorkspace(s => s.GetRequiredService<SourceService>().ListAsync()));

        // Saved while the name pointed elsewhere (stored here directly): the read checks again and refuses, sending nothing.
        var id = await host.InWorkspace(async s =>
        {
            var db = s.GetRequiredService<InboxDbContext>();
            var source = new ListeningSource { Id = Guid.NewGuid(), Kind = "rss", Name = "Rebound", Url = feeds.Url("/feed").Replace("127.0.0.1", "localhost"), NextTryUtc = DateTime.UtcNow.AddMinutes(-1) };
            db.Sources.Add(source);
            await db.SaveChangesAsync();
            return source.Id;
        });
        await host.PollAsync();
        var read = await host.SourceAsync(id);
        Assert.Contains("localhost", SourceService.LastErrorOf(read)!.ToString());
        Assert.Equal(1, read.ConsecutiveFailures);
        Assert.Empty(feeds.Requests);

        // And the portal's feed client itself will not connect inside (a redirect or a changed name would get there).
        var direct = await host.InScopeAsync(s => s.GetRequiredService<FeedReader>().FetchAsync(feeds.Url("/feed")));
        Assert.False(direct.Succeeded);
        Assert.Empty(feeds.Requests);
    }
}

/// <summary>POST and GET /api/v1/{workspace}/sources.</summary>
public sealed class SourceApiTests
{
    [Fact]
    public async Task A_script_adds_a_feed_source_gets_201_lists_it_and_gets_422_with_a_problem_per_field()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        await using var host = await SourceTesting.StartAsync();
        var token = await host.CreateTokenAsync(PortalHost.AdminEmail, SourceTesting.Workspace);
        using var api = host.Script(token);

        var created = await api.PostAsJsonAsync("/api/v1/maison-lumen/sources", new { kind = "rss", url = feeds.Url("/alerts") });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("rss", "127.0.0.1", 15, false), (body.GetProperty("kind").GetString(), body.GetProperty("name").GetString(),
            body.GetProperty("intervalMinutes").GetInt32(), body.GetProperty("paused").GetBoolean()));
        Assert.EndsWith("/sources/" + body.GetProperty("id").GetString(), created.Headers.Location!.ToString());

        var refused = await api.PostAsJsonAsync("/api/v1/maison-lumen/sources", new { kind = "rss", url = "ftp://example.com/feed", intervalMinutes = 2 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problems = await refused.Content.ReadAsStringAsync();
        Assert.Contains("\"url\"", problems);
        Assert.Contains("\"intervalMinutes\"", problems);
        var noChannel = await api.PostAsJsonAsync("/api/v1/maison-lumen/sources", new { kind = "bluesky-search", query = "lumen" });
        Assert.Contains("\"channelId\"", await noChannel.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsJsonAsync("/api/v1/maison-lumen/sources", new { kind = "twitter" })).StatusCode);

        var list = JsonDocument.Parse(await api.GetStringAsync("/api/v1/maison-lumen/sources")).RootElement.GetProperty("items");
        Assert.Equal("127.0.0.1", Assert.Single(list.EnumerateArray()).GetProperty("name").GetString());
    }
}
