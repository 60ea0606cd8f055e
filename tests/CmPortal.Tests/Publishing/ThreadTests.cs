using System.Text.Json;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing.Bluesky;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// A post whose variant is a thread, from the calendar to the network through the outbox: the parts go out in
/// order, each replying to the one before (Mastodon's in_reply_to_id, Bluesky's reply {root, parent}), each once,
/// and a thread interrupted after its first part goes on from the second.
/// </summary>
public sealed class ThreadTests
{
    private static readonly string W = PublishingTestHost.Workspace;

    private static async Task<PortalHost> StartAsync()
    {
        var host = await PortalHost.StartAsync(Provider.Sqlite, PublishingTestHost.FastOutbox());
        await host.SetUpAsync();
        return host;
    }

    private static Task<Guid> ConnectAsync(PortalHost host, string kind, Dictionary<string, string> fields) =>
        host.InWorkspaceAsync(W, async s =>
        {
            var outcome = await s.GetRequiredService<ChannelService>().ConnectAsync(kind, kind, fields, null, default);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return outcome.Channel!.Id;
        });

    /// <summary>A post scheduled in two hours whose <paramref name="network"/> variant is a thread: its text, then <paramref name="thread"/>.</summary>
    private static async Task<Guid> ScheduleThreadAsync(PortalHost host, string network, string text, params string[] thread)
    {
        var start = await host.InWorkspaceAsync(W, s => Task.FromResult(PostRules.Format(NodaTime.SystemClock.Instance.GetCurrentInstant()
            .Plus(NodaTime.Duration.FromHours(2)).InZone(s.GetRequiredService<PostService>().Zone).LocalDateTime)));
        return await host.CreatePostAsync(new PostInput
        {
            Text = text, Networks = [network], StartsAt = start,
            Variants = new Dictionary<string, VariantInput> { [network] = new(null, Thread: thread) },
        }, PostState.Scheduled, W);
    }

    private static IReadOnlyList<SentPart> SentParts(Delivery delivery) =>
        JsonSerializer.Deserialize<List<SentPart>>(delivery.SentPartsJson!)!.OrderBy(p => p.Index).ToList();

    [Fact]
    public async Task A_Mastodon_thread_goes_out_in_order_each_part_replying_to_the_one_before_and_once()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        var (_, token) = mastodon.AddAccount("lumen");
        await using var host = await StartAsync();
        await ConnectAsync(host, "mastodon", new() { ["instanceUrl"] = mastodon.BaseAddress.ToString(), ["accessToken"] = token });
        var post = await ScheduleThreadAsync(host, "mastodon", "1/3 Dans l’atelier, la cire d’abeille fond doucement.",
            "2/3 On la coule dans des pots en verre recyclé.", "3/3 Elle sèche une nuit : les bougies partent demain.");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        var statuses = mastodon.Statuses;
        Assert.Equal(["1/3 Dans l’atelier, la cire d’abeille fond doucement.", "2/3 On la coule dans des pots en verre recyclé.",
            "3/3 Elle sèche une nuit : les bougies partent demain."], statuses.Select(s => s.Text));
        Assert.Null(statuses[0].InReplyToId);
        Assert.Equal(statuses[0].Id, statuses[1].InReplyToId);
        Assert.Equal(statuses[1].Id, statuses[2].InReplyToId);
        // The delivery keeps each part's proof, and links to the first post of the thread.
        Assert.Equal(statuses.Select(s => s.Id), SentParts(delivery).Select(p => p.RemoteId));
        Assert.Equal(statuses[0].Id, delivery.RemoteId);
        await host.PostBecomesAsync(post, PostState.Published);
    }

    [Fact]
    public async Task A_Mastodon_thread_whose_connection_drops_at_the_second_part_resumes_there_without_sending_the_first_again()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        var (_, token) = mastodon.AddAccount("lumen");
        // The first part goes through; the request of the second is cut before the instance takes it.
        mastodon.FailNext("POST", "/api/v1/statuses", new MastodonFault.DropBeforeAccept(), after: 1);
        await using var host = await StartAsync();
        await ConnectAsync(host, "mastodon", new() { ["instanceUrl"] = mastodon.BaseAddress.ToString(), ["accessToken"] = token });
        var post = await ScheduleThreadAsync(host, "mastodon", "Première partie", "Deuxième partie");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        var statuses = mastodon.Statuses;
        Assert.Equal(["Première partie", "Deuxième partie"], statuses.Select(s => s.Text));
        Assert.Equal(statuses[0].Id, statuses[1].InReplyToId);
        // Three requests: the first part once, the second cut, then the second again; never the first again.
        Assert.Equal(3, mastodon.Count("POST /api/v1/statuses"));
        Assert.Equal(statuses.Select(s => s.Id), SentParts(delivery).Select(p => p.RemoteId));
        var outcomes = (await host.AttemptsAsync(delivery.Id)).Select(a => a.Outcome).ToList();
        Assert.Equal("Published", outcomes[^1]);
        Assert.Contains(outcomes, o => o is "Unknown" or "RetryLater");
    }

    [Fact]
    public async Task A_Mastodon_thread_whose_first_part_was_taken_but_not_answered_publishes_it_once_then_the_second_as_its_reply()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        var (_, token) = mastodon.AddAccount("lumen");
        // The instance stores the first part, then the connection drops: the portal does not know it went out.
        mastodon.FailNext("POST", "/api/v1/statuses", new MastodonFault.AcceptThenDrop());
        await using var host = await StartAsync();
        await ConnectAsync(host, "mastodon", new() { ["instanceUrl"] = mastodon.BaseAddress.ToString(), ["accessToken"] = token });
        var post = await ScheduleThreadAsync(host, "mastodon", "Le début du fil", "La suite du fil");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        var statuses = mastodon.Statuses;
        Assert.Equal(["Le début du fil", "La suite du fil"], statuses.Select(s => s.Text));
        Assert.Equal(statuses[0].Id, statuses[1].InReplyToId);
        Assert.Equal(statuses.Select(s => s.Id), SentParts(delivery).Select(p => p.RemoteId));
        // Asked before sending again, within the hour: why it is safe, in the workspace's language, as the attempt's
        // answer rather than under the network's raw words.
        const string safe = "La clé d’idempotence protège encore un nouvel envoi\u00a0: l’instance répond avec le statut déjà créé, s’il existe.";
        Assert.Contains(await host.AttemptsAsync(delivery.Id), a => a.Outcome == "NotFound" && a.Message == safe);
        using var admin = await host.SignInAsync();
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await admin.GetStringAsync($"/admin/{PublishingTestHost.Workspace}/publishing/deliveries/{delivery.Id}"));
        Assert.Contains(page.QuerySelectorAll(".attempt-answer"), e => e.TextContent == safe);
        Assert.DoesNotContain(page.QuerySelectorAll(".attempt-raw"), e => e.TextContent.Contains("idempotence") || e.TextContent.Contains("idempotency"));
    }

    [Fact]
    public async Task A_Bluesky_thread_names_the_first_post_as_root_and_the_one_before_as_parent_of_each_reply()
    {
        await using var bluesky = await BlueskyTestServer.StartAsync();
        bluesky.AddAccount("maison-lumen.test", "abcd-efgh-ijkl-mnop");
        await using var host = await StartAsync();
        await ConnectAsync(host, "bluesky", new() { ["handle"] = "maison-lumen.test", ["appPassword"] = "abcd-efgh-ijkl-mnop", ["pdsUrl"] = bluesky.Url });
        var post = await ScheduleThreadAsync(host, "bluesky", "1/3 Notre atelier", "2/3 La cire d’abeille", "3/3 Les mèches en coton");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        Assert.Equal(3, bluesky.Records.Count);
        var byText = bluesky.Records.ToDictionary(r => r.Value["text"]!.GetValue<string>());
        var (first, second, third) = (byText["1/3 Notre atelier"], byText["2/3 La cire d’abeille"], byText["3/3 Les mèches en coton"]);
        Assert.Null(first.Value["reply"]);
        void RepliesTo(BlueskyTestServer.StoredRecord reply, BlueskyTestServer.StoredRecord root, BlueskyTestServer.StoredRecord parent)
        {
            var refs = reply.Value["reply"]!;
            Assert.Equal((root.Uri, root.Cid), (refs["root"]!["uri"]!.GetValue<string>(), refs["root"]!["cid"]!.GetValue<string>()));
            Assert.Equal((parent.Uri, parent.Cid), (refs["parent"]!["uri"]!.GetValue<string>(), refs["parent"]!["cid"]!.GetValue<string>()));
        }
        RepliesTo(second, first, first);
        RepliesTo(third, first, second);
        Assert.Equal([first.Uri, second.Uri, third.Uri], SentParts(delivery).Select(p => p.RemoteId));
    }

    [Fact]
    public async Task A_manual_channel_shows_each_part_of_a_thread_in_order_to_post_as_replies()
    {
        await using var host = await StartAsync();
        using var admin = await host.SignInAsync();
        var connected = await admin.PostFormAsync("/admin/maison-lumen/channels/connect",
            new() { ["kind"] = "manual", ["name"] = "Threads de la boutique", ["network"] = "threads" }, "/admin/maison-lumen/channels");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, connected.StatusCode);
        var post = await ScheduleThreadAsync(host, "threads", "Le début du fil", "La suite du fil", "La fin du fil");
        await host.PublishNowAsync(post);

        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.AwaitingPerson, delivery.State);
        var page = await admin.GetStringAsync($"/admin/maison-lumen/publishing/deliveries/{delivery.Id}");
        var first = page.IndexOf(">Le début du fil</textarea>", StringComparison.Ordinal);
        var second = page.IndexOf(">La suite du fil</textarea>", StringComparison.Ordinal);
        var third = page.IndexOf(">La fin du fil</textarea>", StringComparison.Ordinal);
        Assert.True(first > 0 && first < second && second < third, page);
        Assert.Contains("Partie 2 sur 3\u00a0: à publier en réponse à la partie 1", page);
        Assert.Contains("Partie 3 sur 3\u00a0: à publier en réponse à la partie 2", page);
    }
}
