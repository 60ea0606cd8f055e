using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Modules.Blog.Data;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing.Bluesky;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// Issue 10's "done means", end to end over HTTP: one workspace with five channels — a Mastodon server, a Bluesky
/// server, the brand's blog, a webhook receiver and a manual Instagram channel — and one post written, approved and
/// scheduled through the calendar's API a few seconds ahead. It goes out on time, once to each, shows in the publishing
/// log with the link each server gave, is on the public blog, is published in the calendar, and the person who posts
/// on Instagram by hand is told, with the text to copy.
/// </summary>
public sealed class EndToEndPublishingTests
{
    private const string Key = PublishingTestHost.Workspace;
    private const string Handle = "maison-lumen.test";
    private const string AppPassword = "abcd-efgh-ijkl-mnop";
    private const string CommunityManager = "cm@maison-lumen.test";

    private const string MastodonText = "Nos bougies d’hiver sont là : cire d’abeille de Chiroubles, mèche en coton. #MaisonLumen";
    private const string BlueskyText = "Nos bougies d’hiver sont là 🕯️ Cire d’abeille, mèche en coton. #MaisonLumen";
    private const string BlogText = "# Nos bougies d’hiver\n\nCire d’abeille de Chiroubles, mèche en coton : **trois senteurs** pour les soirées.";
    private const string InstagramText = "Nos bougies d’hiver 🕯️ Trois senteurs, coulées à la main à l’atelier. #MaisonLumen #FaitMainALyon";

    [Fact]
    public async Task A_post_scheduled_in_the_calendar_goes_out_on_time_once_to_every_channel_shows_in_the_log_with_its_links_and_the_manual_channel_s_assignee_is_told()
    {
        await using var mastodon = await MastodonTestServer.StartAsync(TimeProvider.System);
        var (_, mastodonToken) = mastodon.AddAccount("lumen");
        await using var bluesky = await BlueskyTestServer.StartAsync();
        bluesky.AddAccount(Handle, AppPassword);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        await using var host = await PortalHost.StartAsync(Provider.Sqlite, PublishingTestHost.FastOutbox());
        await host.SetUpAsync();
        await host.WithoutDemoChannelsAsync(); // the five channels below are this test's own
        await host.PublishSiteAsync(Key);
        await host.AddMemberAsync(CommunityManager, Key, DefaultRoles.CommunityManager);
        var cm = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == CommunityManager).Select(u => u.Id).SingleAsync());
        using var api = await ApiAsync(host);

        // Five channels, connected as a script connects them (each network checks what it is given).
        var channels = new Dictionary<string, string>
        {
            ["Mastodon"] = await ConnectAsync(api, new() { ["network"] = "mastodon", ["name"] = "Mastodon", ["instanceUrl"] = mastodon.BaseAddress.ToString(), ["accessToken"] = mastodonToken }),
            ["Bluesky"] = await ConnectAsync(api, new() { ["network"] = "bluesky", ["name"] = "Bluesky", ["handle"] = Handle, ["appPassword"] = AppPassword, ["pdsUrl"] = bluesky.Url }),
            ["Blog de la maison"] = await ConnectAsync(api, new() { ["network"] = "blog", ["name"] = "Blog de la maison" }),
            ["Site partenaire"] = await ConnectAsync(api, new() { ["network"] = "webhook", ["name"] = "Site partenaire", ["url"] = receiver.Url, ["secret"] = receiver.Secret }),
            ["Instagram de la boutique"] = await ConnectAsync(api, new() { ["network"] = "manual", ["name"] = "Instagram de la boutique", ["manualNetwork"] = "instagram", ["assignee"] = cm.ToString() }),
        };

        // The post: a variant per network, written, sent for review, approved and scheduled as a member does.
        var startsAt = await NextMinuteAsync(host, atLeast: TimeSpan.FromSeconds(15));
        var created = await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{Key}/posts", new
        {
            text = "Nos bougies d’hiver arrivent", networks = new[] { "mastodon", "bluesky", "blog", "instagram" }, startsAt,
            variants = new Dictionary<string, object>
            {
                ["mastodon"] = new { text = MastodonText }, ["bluesky"] = new { text = BlueskyText },
                ["blog"] = new { text = BlogText }, ["instagram"] = new { text = InstagramText },
            },
        }), HttpStatusCode.Created);
        var post = Guid.Parse((string)created["id"]!);
        var due = DateTime.Parse((string)created["startsAtUtc"]!, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        foreach (var state in new[] { "inReview", "approved", "scheduled" })
            Assert.Equal(state, (string)(await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{Key}/posts/{post}/state", new { state }), HttpStatusCode.OK))["state"]!);

        // Planned as soon as it is scheduled (the calendar's event), sent at the due time and not before.
        for (var i = 0; i < 100 && (await host.DeliveriesAsync(post)).Count < 5; i++) await Task.Delay(50);
        Assert.Equal(5, (await host.DeliveriesAsync(post)).Count);
        await Task.Delay(due - DateTime.UtcNow - TimeSpan.FromSeconds(1) is { Ticks: > 0 } wait ? wait : TimeSpan.Zero);
        Assert.Empty(mastodon.Statuses);
        Assert.Empty(bluesky.Records);
        Assert.Empty(receiver.Calls);
        var deliveries = await host.SettledAsync(post, TimeSpan.FromSeconds(60));

        var article = await host.InWorkspaceAsync(Key, s => s.GetRequiredService<BlogDbContext>().Articles.AsNoTracking().SingleAsync(a => a.Title == "Nos bougies d’hiver"));
        Assert.True(article.PublishedUtc >= due, $"the article went online at {article.PublishedUtc:O}, due {due:O}");
        // The post holds an article: its social variants are its teasers, sent once it is online and carrying its address.
        var articlePath = $"/{Key}/blog/{article.Slug}";
        var status = Assert.Single(mastodon.Statuses);
        Assert.StartsWith(MastodonText, status.Text);
        Assert.EndsWith(articlePath, status.Text);
        Assert.True(status.CreatedAt.UtcDateTime >= article.PublishedUtc, $"Mastodon got it at {status.CreatedAt:O}, the article went online at {article.PublishedUtc:O}");
        var record = Assert.Single(bluesky.Records);
        Assert.StartsWith(BlueskyText, (string)record.Value["text"]!);
        Assert.True(record.WrittenAt.UtcDateTime >= article.PublishedUtc, $"Bluesky got it at {record.WrittenAt:O}, the article went online at {article.PublishedUtc:O}");
        var (hookId, hookBody) = Assert.Single(receiver.Accepted);
        Assert.All(receiver.Calls, c => Assert.True(c.Valid && c.At.UtcDateTime >= due, $"webhook call at {c.At:O}, due {due:O}"));
        Assert.StartsWith(MastodonText, (string)JsonNode.Parse(hookBody)!["parts"]![0]!["text"]!); // the webhook carries the post's first network

        // Each delivery's link is the address its server gave.
        var expected = new Dictionary<string, string>
        {
            ["Mastodon"] = $"{mastodon.BaseAddress}@lumen/{status.Id}",
            ["Bluesky"] = $"https://bsky.app/profile/{Handle}/post/{record.Uri.Split('/')[^1]}",
            ["Site partenaire"] = WebhookReceiver.PostUrl(hookId),
        };
        Assert.All(deliveries.Where(d => d.ChannelId != Guid.Parse(channels["Instagram de la boutique"])), d => Assert.Equal(DeliveryState.Published, d.State));
        var blogUrl = deliveries.Single(d => d.ChannelId == Guid.Parse(channels["Blog de la maison"])).RemoteUrl!;
        Assert.EndsWith($"/{Key}/blog/{article.Slug}", blogUrl);
        expected["Blog de la maison"] = blogUrl;
        foreach (var (name, url) in expected)
            Assert.Equal(url, deliveries.Single(d => d.ChannelId == Guid.Parse(channels[name])).RemoteUrl);

        // The brand's blog shows the article, its heading as title.
        using var visitor = host.CreateClient();
        Assert.Contains("Nos bougies d’hiver", WebUtility.HtmlDecode(await visitor.GetStringAsync($"/{Key}/blog")));
        var articlePage = WebUtility.HtmlDecode(await visitor.GetStringAsync(new Uri(blogUrl).AbsolutePath));
        Assert.Contains("<strong>trois senteurs</strong>", articlePage);

        // The manual channel waits for its assignee, who is told and finds the text to copy.
        var manual = deliveries.Single(d => d.ChannelId == Guid.Parse(channels["Instagram de la boutique"]));
        Assert.Equal(DeliveryState.AwaitingPerson, manual.State);
        Assert.True(manual.DueUtc >= due);
        using var person = await host.SignInAsync(CommunityManager, MemberHostExtensions.MemberPassword);
        var told = await EventuallyAsync(async () => WebUtility.HtmlDecode(await person.GetStringAsync("/admin/notifications")),
            page => page.Contains("C’est l’heure de publier «\u00a0Nos bougies d’hiver arrivent\u00a0» sur Instagram de la boutique à la main", StringComparison.Ordinal));
        var deliveryPath = $"/admin/{Key}/publishing/deliveries/{manual.Id}";
        var note = new HtmlParser().ParseDocument(told).QuerySelectorAll("[data-notification]")
            .Single(n => n.TextContent.Contains("Instagram de la boutique", StringComparison.Ordinal));
        var opened = await person.PostFormAsync(note.QuerySelector("form")!.GetAttribute("action")!, [], "/admin/notifications");
        Assert.Equal(deliveryPath, opened.Headers.Location?.OriginalString); // opening the notification leads to the delivery
        var toCopy = new HtmlParser().ParseDocument(await person.GetStringAsync(deliveryPath)).QuerySelector("#manual-text")!.TextContent;
        Assert.Equal(InstagramText + "\n\n" + host.BaseAddress.ToString().TrimEnd('/') + articlePath, toCopy); // a teaser too: with the article's address
        var marked = await person.PostFormAsync($"{deliveryPath}/published", new() { ["url"] = "https://www.instagram.com/p/DBx7lumen/" }, deliveryPath);
        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        expected["Instagram de la boutique"] = "https://www.instagram.com/p/DBx7lumen/";

        // The calendar shows the post published once every channel has it.
        await host.PostBecomesAsync(post, PostState.Published);
        Assert.Equal("published", (string)(await JsonAsync(await api.GetAsync($"/api/v1/{Key}/posts/{post}"), HttpStatusCode.OK))["state"]!);

        // The publishing log lists each delivery as published, with the link.
        using var admin = await host.SignInAsync();
        var log = new HtmlParser().ParseDocument(await admin.GetStringAsync($"/admin/{Key}/publishing"));
        foreach (var (name, url) in expected)
        {
            var row = log.QuerySelectorAll("#deliveries tbody tr").Single(r => r.QuerySelector("td.log-channel")!.TextContent.Trim() == name);
            Assert.Equal("Publié", row.QuerySelector(".badge")!.TextContent.Trim());
            Assert.Equal(url, row.QuerySelector(".log-link a[rel~=noopener]")!.GetAttribute("href"));
        }
        // Still once each: nothing was sent twice.
        Assert.Single(mastodon.Statuses);
        Assert.Single(bluesky.Records);
        Assert.Single(receiver.Accepted);
    }

    private static async Task<HttpClient> ApiAsync(PortalHost host)
    {
        var token = await host.InScopeAsync(async s =>
        {
            var user = await s.GetRequiredService<CoreDbContext>().Users.SingleAsync(u => u.Email == PortalHost.AdminEmail);
            var outcome = await s.GetRequiredService<AccessTokenService>().CreateAsync(user.Id, new AccessTokenRequest("planning", Key));
            Assert.Empty(outcome.Problems);
            return outcome.Secret!;
        });
        var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        return http;
    }

    private static async Task<string> ConnectAsync(HttpClient api, Dictionary<string, string> body) =>
        (string)(await JsonAsync(await api.PostAsJsonAsync($"/api/v1/{Key}/channels", body), HttpStatusCode.Created))["id"]!;

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The first whole minute at least <paramref name="atLeast"/> from now, on the workspace's wall clock (the calendar schedules by the minute).</summary>
    internal static Task<string> NextMinuteAsync(PortalHost host, TimeSpan atLeast) => host.InWorkspaceAsync(Key, s =>
    {
        var zone = s.GetRequiredService<PostService>().Zone;
        var local = SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromTimeSpan(atLeast)).InZone(zone).LocalDateTime;
        var minute = local.With(TimeAdjusters.TruncateToMinute);
        return Task.FromResult(PostRules.Format(minute < local ? minute.PlusMinutes(1) : minute));
    });

    private static async Task<string> EventuallyAsync(Func<Task<string>> read, Func<string, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 100 && !done(value); i++)
        {
            await Task.Delay(50);
            value = await read();
        }
        Assert.True(done(value), value);
        return value;
    }
}
