using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Networks;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Media;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Tests.Publishing.Mastodon;

/// <summary>
/// A Mastodon instance's own limits (<c>/api/v2/instance</c>) reach the draft checker, the editor, the approval gate
/// and the outbox: a connected portal against local Mastodon servers configured with other limits than the usual.
/// </summary>
public sealed class MastodonLimitsTests
{
    private const string W = PublishingTestHost.Workspace;
    private const string Posts = $"/admin/{W}/posts";

    private static async Task<PortalHost> StartAsync()
    {
        // Limits are what these tests look at: French grammar (a server of its own, slow on a busy machine) stays off.
        var host = await PortalHost.StartAsync(Provider.Sqlite, PublishingTestHost.FastOutbox(new() { ["Grammalecte:Start"] = "false" }));
        await host.SetUpAsync();
        await host.WithoutDemoPostsAsync(); // only this test's posts go out
        return host;
    }

    private static Dictionary<string, string> Fields(MastodonTestServer server, string token) =>
        new() { ["instanceUrl"] = server.BaseAddress.ToString(), ["accessToken"] = token };

    private static Task<Guid> ConnectAsync(PortalHost host, MastodonTestServer server, string name)
    {
        var (_, token) = server.AddAccount("lumen");
        return host.InWorkspaceAsync(W, async s =>
        {
            var outcome = await s.GetRequiredService<ChannelService>().ConnectAsync("mastodon", name, Fields(server, token), null, default);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return outcome.Channel!.Id;
        });
    }

    private static Task<Guid> UploadAsync(PortalHost host, string name, byte[] bytes) =>
        host.InWorkspaceAsync(W, async s =>
            (await s.GetRequiredService<MediaService>().UploadAsync(name, new MemoryStream(bytes), "Une lampe en laiton sur l’établi", PostActor.System("Tests"))).Item!.Id);

    private static async Task<JsonNode> CheckAsync(PortalClient client, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Posts}/check") { Content = JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", await client.AntiforgeryTokenAsync());
        var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["variants"]![0]!;
    }

    [Fact]
    public async Task The_editor_counts_a_Mastodon_post_against_its_instance_s_limit_and_a_post_naming_its_channel_against_that_one()
    {
        await using var roomy = await MastodonTestServer.StartAsync();
        roomy.MaxCharacters = 5000;
        await using var strict = await MastodonTestServer.StartAsync();
        await using var host = await StartAsync();
        using var admin = await host.SignInAsync();
        var text = string.Concat(Enumerable.Repeat("La bougie du soir. ", 64)).TrimEnd(); // 1,215 characters
        var roomyChannel = await ConnectAsync(host, roomy, "Mastodon de l’atelier");

        // An instance that takes 5,000 characters: 1,215 is no error, and the editor says 5,000.
        var check = await CheckAsync(admin, new { text, networks = new[] { "mastodon" } });
        Assert.Equal((text.Length, 5000, 0), ((int)check["length"]!, (int)check["maxLength"]!, (int)check["errors"]!));

        // A second channel on an instance that takes 500: the tightest of the workspace's channels applies...
        await ConnectAsync(host, strict, "Mastodon de la boutique");
        check = await CheckAsync(admin, new { text, networks = new[] { "mastodon" } });
        Assert.Equal((500, 1), ((int)check["maxLength"]!, (int)check["errors"]!));
        var tooLong = check["issues"]!.AsArray().Single(i => (string?)i!["severity"] == "error")!;
        Assert.Equal("TooLong", (string?)tooLong["kind"]);
        Assert.Contains("500", (string?)tooLong["message"]);

        // ...unless the post names its channel: then that instance's limit.
        check = await CheckAsync(admin, new { text, networks = new[] { "mastodon" }, channels = new[] { roomyChannel } });
        Assert.Equal((5000, 0), ((int)check["maxLength"]!, (int)check["errors"]!));

        // The editor of such a post counts against 5,000 from the start, and keeps the post's channel when saved.
        var post = await host.CreatePostAsync(new PostInput { Text = text, Networks = ["mastodon"], Channels = [roomyChannel] }, PostState.Draft, W);
        var page = await admin.GetStringAsync($"{Posts}/{post}");
        Assert.Contains("data-variant=\"mastodon\" data-counting=\"Graphemes\" data-url-length=\"23\" data-max-length=\"5000\"", page);
        Assert.Contains($"<input type=\"hidden\" name=\"Channels\" value=\"{roomyChannel}\" />", page);
    }

    [Fact]
    public async Task Approval_is_blocked_while_a_variant_has_more_images_than_the_instance_takes_and_the_editor_says_so()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        mastodon.MaxMediaAttachments = 2;
        await using var host = await StartAsync();
        await ConnectAsync(host, mastodon, "Mastodon de l’atelier");
        Guid[] images = [
            await UploadAsync(host, "atelier.png", TestImages.Png(60, 40, 0x10)),
            await UploadAsync(host, "vitrine.png", TestImages.Png(60, 40, 0x50)),
            await UploadAsync(host, "lampe.png", TestImages.Png(60, 40, 0x90)),
        ];
        var post = await host.CreatePostAsync(new PostInput { Text = "Trois vues de l’atelier", Networks = ["mastodon"], Media = images }, PostState.InReview, W);
        using var admin = await host.SignInAsync();

        // While writing: an error on the variant's images.
        var check = await CheckAsync(admin, new
        {
            text = "Trois vues de l’atelier", networks = new[] { "mastodon" }, media = new Dictionary<string, Guid[]> { ["mastodon"] = images },
        });
        Assert.Equal(1, (int)check["errors"]!);
        var issue = check["issues"]!.AsArray().Single(i => (string?)i!["kind"] == "Images")!;
        Assert.Equal(("Images", "error"), ((string?)issue["kind"], (string?)issue["severity"]));
        const string expected = "Mastodon accepte au plus 2 images par post (Mastodon de l’atelier)\u00a0; celui-ci en a 3. Retirez-en 1.";
        Assert.Equal(expected, (string?)issue["message"]);

        // Approving is refused with the same words; the post stays in review, its images with it.
        var version = (await host.FindPostAsync(post, W)).Version;
        var refused = await admin.PostFormAsync($"{Posts}/{post}/state", new() { ["version"] = version.ToString(), ["to"] = "Approved" }, $"{Posts}/{post}");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains(expected, WebUtility.HtmlDecode(await admin.GetStringAsync($"{Posts}/{post}")));
        var kept = await host.FindPostAsync(post, W);
        Assert.Equal(PostState.InReview, kept.State);
        Assert.Equal(string.Join(",", images), kept.Media);
    }

    [Fact]
    public async Task A_media_too_large_for_the_instance_fails_the_delivery_in_French_before_any_upload_and_the_post_stays()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        await using var host = await StartAsync();
        var channel = await ConnectAsync(host, mastodon, "Mastodon de l’atelier");
        var photo = await UploadAsync(host, "etabli.png", TestImages.Photo(700, 600)); // 1.2 MB (of 1,048,576 bytes)
        await host.AddMemberAsync("cm@maison-lumen.test", W, Core.Security.DefaultRoles.CommunityManager);
        var authorId = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == "cm@maison-lumen.test").Select(u => u.Id).SingleAsync());
        var start = await host.InWorkspaceAsync(W, s => Task.FromResult(PostRules.Format(
            SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromHours(2)).InZone(s.GetRequiredService<PostService>().Zone).LocalDateTime)));
        var post = await host.CreatePostAsync(new PostInput
        {
            Text = "L’établi au petit matin", Networks = ["mastodon"], StartsAt = start, Media = [photo], Channels = [channel],
        }, PostState.Scheduled, W);
        await host.SetAuthorAsync(post, authorId, W);

        // The instance's administrator lowers the image size to 1 MB; reconnecting the channel reads it again.
        mastodon.ImageSizeLimit = 1_048_576;
        var (_, token) = mastodon.AddAccount("lumen2");
        await host.InWorkspaceAsync(W, async s =>
        {
            var service = s.GetRequiredService<ChannelService>();
            var outcome = await service.ReconnectAsync(channel, (await service.FindAsync(channel, default))!.Version, Fields(mastodon, token), default);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return 0;
        });
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Failed, delivery.State);
        const string expected = "Non envoyé\u00a0: L’image «\u00a0etabli.png\u00a0» pèse 1,2\u00a0Mo\u00a0; Mastodon accepte des images jusqu’à 1\u00a0Mo "
            + "(Mastodon de l’atelier). Utilisez un fichier plus léger. Modifiez le post, puis relancez cet envoi.";
        Assert.Equal(expected, delivery.LastError);
        // Nothing went to the instance: no upload, no status.
        Assert.Equal(0, mastodon.Count("POST /api/v2/media"));
        Assert.Empty(mastodon.Statuses);
        // The log says why; the post stays, marked failed; its author is told.
        var attempt = Assert.Single(await host.AttemptsAsync(delivery.Id));
        Assert.Equal(("Failed", expected), (attempt.Outcome, attempt.Message));
        await host.PostBecomesAsync(post, PostState.Failed);
        var kept = await host.FindPostAsync(post, W);
        Assert.Equal(("L’établi au petit matin", photo.ToString()), (kept.Text, kept.Media));
        var notes = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Notifications
            .Where(n => n.UserId == authorId && n.Kind == "delivery-failed").ToListAsync());
        // The portal refused it, not the network: the note does not put its words in the network's mouth.
        Assert.Equal("The post “{0}” could not be published on {1}: {2}", Assert.Single(notes).Template);
    }

    [Fact]
    public async Task A_channel_that_lost_its_token_fails_its_delivery_in_French_and_the_author_is_told_that_rather_than_an_unreachable_network()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        await using var host = await StartAsync();
        var channel = await ConnectAsync(host, mastodon, "Mastodon de l’atelier");
        await host.AddMemberAsync("cm@maison-lumen.test", W, Core.Security.DefaultRoles.CommunityManager);
        var authorId = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == "cm@maison-lumen.test").Select(u => u.Id).SingleAsync());
        var start = await host.InWorkspaceAsync(W, s => Task.FromResult(PostRules.Format(
            SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromHours(2)).InZone(s.GetRequiredService<PostService>().Zone).LocalDateTime)));
        var post = await host.CreatePostAsync(new PostInput { Text = "L’établi au petit matin", Networks = ["mastodon"], StartsAt = start, Channels = [channel] },
            PostState.Scheduled, W);
        await host.SetAuthorAsync(post, authorId, W);
        // Its token is gone (a database restored without it, say): the network's client refuses before asking the instance.
        await host.InWorkspaceAsync(W, s => s.GetRequiredService<PublishingDbContext>().Channels.Where(c => c.Id == channel)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ProtectedSecret, (string?)null)));

        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Failed, delivery.State);
        const string expected = "Le canal n’a pas d’adresse d’instance ni de jeton d’accès\u00a0: connectez-le de nouveau.";
        Assert.Equal(expected, delivery.LastError);
        Assert.Equal(("Failed", expected), Assert.Single(await host.AttemptsAsync(delivery.Id)) is var a ? (a.Outcome, a.Message) : default);
        Assert.Empty(mastodon.Statuses);
        using var admin = await host.SignInAsync();
        var page = System.Net.WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/{W}/publishing/deliveries/{delivery.Id}"));
        Assert.Contains(expected, page);
        // In the log, said as the portal's words (not quoted as the network's), and under the post on a phone too.
        var log = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await admin.GetStringAsync($"/admin/{W}/publishing"));
        var row = log.QuerySelector($"tr[data-delivery='{delivery.Id}']")!;
        Assert.Contains(expected, row.QuerySelector(".log-post")!.TextContent);
        Assert.Empty(row.QuerySelectorAll("q"));
        var note = Assert.Single(await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Notifications
            .Where(n => n.UserId == authorId && n.Kind == "delivery-failed").ToListAsync()));
        Assert.Contains("connectez-le de nouveau", System.Text.RegularExpressions.Regex.Unescape(note.Values));
        Assert.DoesNotContain("joint", System.Text.RegularExpressions.Regex.Unescape(note.Values)); // not "could not be reached"
    }

    [Fact]
    public async Task The_planning_job_reads_a_channel_s_limits_again_once_they_are_a_day_old_and_not_before()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        await using var host = await StartAsync();
        var channel = await ConnectAsync(host, mastodon, "Mastodon de l’atelier");
        Task<int?> LimitAsync() => host.InWorkspaceAsync(W, async s => (await s.GetRequiredService<INetworkLimits>().ForAsync("mastodon")).Network.MaxLength);
        Task PlanAsync() => host.InWorkspaceAsync(W, async s =>
        {
            await s.GetRequiredService<PlanDeliveriesJob>().RunAsync(s.GetRequiredService<WorkspaceContext>().Required, default);
            return 0;
        });
        var reads = mastodon.Count("GET /api/v2/instance");
        mastodon.MaxCharacters = 1000;

        await PlanAsync();
        Assert.Equal(reads, mastodon.Count("GET /api/v2/instance"));
        Assert.Equal(500, await LimitAsync());

        await host.InWorkspaceAsync(W, s => s.GetRequiredService<PublishingDbContext>().Channels.Where(c => c.Id == channel)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.LimitsReadUtc, DateTime.UtcNow.AddHours(-25))));
        await PlanAsync();
        Assert.True(mastodon.Count("GET /api/v2/instance") > reads);
        Assert.Equal(1000, await LimitAsync());
    }
}
