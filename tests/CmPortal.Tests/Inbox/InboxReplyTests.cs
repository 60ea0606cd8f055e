using System.Net;
using CmPortal.Modules.Inbox.Answers;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing;
using CmPortal.Tests.Publishing.Bluesky;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Inbox.AnswersTestData;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// One portal for the class (the outbox's waits shortened), with a Mastodon channel and a Bluesky channel connected to
/// local servers that speak those APIs. Each test adds its own mentions.
/// </summary>
public sealed class InboxReplyFixture : IAsyncLifetime
{
    public PortalHost Host { get; private set; } = null!;
    public MastodonTestServer Mastodon { get; private set; } = null!;
    public BlueskyTestServer Bluesky { get; private set; } = null!;
    public Guid MastodonChannel { get; private set; }
    public Guid BlueskyChannel { get; private set; }

    public async Task InitializeAsync()
    {
        Mastodon = await MastodonTestServer.StartAsync();
        var (_, token) = Mastodon.AddAccount("lumen");
        Bluesky = await BlueskyTestServer.StartAsync();
        Bluesky.AddAccount("lumen.bsky.social", "app-pass-1234");
        Host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        (MastodonChannel, BlueskyChannel) = await Host.InWorkspaceAsync(Workspace, async s =>
        {
            var channels = s.GetRequiredService<ChannelService>();
            var mastodon = await channels.ConnectAsync("mastodon", "Mastodon de Lumen",
                new Dictionary<string, string> { ["instanceUrl"] = Mastodon.BaseAddress.ToString(), ["accessToken"] = token }, null, default);
            Assert.True(mastodon.Succeeded, string.Join(" ", mastodon.Problems));
            var bluesky = await channels.ConnectAsync("bluesky", "Bluesky de Lumen",
                new Dictionary<string, string> { ["handle"] = "lumen.bsky.social", ["appPassword"] = "app-pass-1234", ["pdsUrl"] = Bluesky.Url }, null, default);
            Assert.True(bluesky.Succeeded, string.Join(" ", bluesky.Problems));
            return (mastodon.Channel!.Id, bluesky.Channel!.Id);
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Mastodon.DisposeAsync();
        await Bluesky.DisposeAsync();
    }
}

/// <summary>Replies to Mastodon and Bluesky mentions sent through the publishing outbox (docs/inbox-answers.md, docs/publishing.md).</summary>
public sealed class InboxReplyTests(InboxReplyFixture fixture) : IClassFixture<InboxReplyFixture>
{
    private PortalHost Host => fixture.Host;

    private static string Decode(string html) => WebUtility.HtmlDecode(html).Replace('\u00a0', ' ').Replace('\u202f', ' ');

    private Task<long> AddMastodonMentionAsync(SeededStatus status, string text, string workspace = Workspace) =>
        AddAsync("mastodon", "Mastodon #lumen", new ListenedItem(status.Id, $"https://piaille.fr/@lea/{status.Id}", text, null, "Léa",
            "@lea@piaille.fr", null, DateTimeOffset.UtcNow.AddMinutes(-5), "fr"), workspace);

    private Task<long> AddAsync(string kind, string source, ListenedItem item, string workspace = Workspace) =>
        Host.InWorkspaceAsync(workspace, async s =>
        {
            await s.GetRequiredService<MentionService>().IngestAsync(kind, source, [item]);
            var page = (await s.GetRequiredService<MentionSearch>().SearchAsync(new MentionFilter { Hidden = HiddenMentions.Include, PageSize = 200 })).Page!;
            return page.Items.Single(h => h.Mention.ExternalId == item.ExternalId).Mention.Id;
        });

    private Task<HttpResponseMessage> SendAsync(PortalClient client, long mention, Guid channel, string text) =>
        client.SendFormAsync("POST", $"/admin/{Workspace}/inbox/{mention}/send-reply", new() { ["channel"] = channel.ToString(), ["text"] = text });

    /// <summary>Steps the outbox until every reply of the mention has left "waiting" (the host's own dispatcher may take it first).</summary>
    private async Task<IReadOnlyList<SentReplyView>> SettledAsync(long mention)
    {
        for (var round = 0; ; round++)
        {
            await Host.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(default);
            var replies = await Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<SentReplyService>().RepliesAsync(mention));
            if (replies.All(r => r.Status is { State: not ReplyState.Waiting }) || round > 100) return replies;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_mastodon_mention_gets_one_reply_sent_as_a_reply_to_it_shown_under_it_with_its_link()
    {
        var status = fixture.Mastodon.SeedStatus("lea@piaille.fr", "<p>Vos bougies sont-elles vegan ?</p>", ["lumen"]);
        var id = await AddMastodonMentionAsync(status, "Vos bougies sont-elles vegan ?");
        using var admin = await Host.SignInAsync();

        var page = Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{id}"));
        Assert.Contains("Envoyer la réponse", page);
        Assert.Contains("Mastodon de Lumen", page);

        // A double click, then the same reply from a second tab: one reply.
        const string text = "Bonjour Léa, oui : cire de colza et parfums sans ingrédient animal. L’équipe Maison Lumen";
        var first = await SendAsync(admin, id, fixture.MastodonChannel, text);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        await SendAsync(admin, id, fixture.MastodonChannel, text);
        using var secondTab = await Host.SignInAsync();
        await SendAsync(secondTab, id, fixture.MastodonChannel, text);

        var reply = Assert.Single(await SettledAsync(id));
        Assert.Equal(ReplyState.Sent, reply.Status!.State);
        var sent = Assert.Single(fixture.Mastodon.Statuses, st => st.Text == text);
        // Found through a hashtag: looked up by its address from the channel's instance first, then answered by that id.
        Assert.Contains(fixture.Mastodon.Requests, r => r == "GET /api/v2/search");
        Assert.Equal(status.Id, sent.InReplyToId);
        Assert.False(string.IsNullOrEmpty(sent.IdempotencyKey));

        var after = Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{id}"));
        var html = CmPortal.Tests.Integration.CharterRecipes.Parse(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{id}"));
        var shown = Assert.Single(html.QuerySelectorAll("#sent-replies .sent-reply"));
        Assert.Equal("Sent", shown.GetAttribute("data-reply-state"));
        Assert.Contains("Publiée", shown.TextContent);
        Assert.Contains("Envoyée par", shown.TextContent);
        Assert.Contains(text, Decode(shown.TextContent));
        Assert.Equal(reply.Status.RemoteUrl, shown.QuerySelector("a.sent-reply-link")!.GetAttribute("href"));
        Assert.Contains(sent.Id, reply.Status.RemoteUrl);
        Assert.Contains("Mastodon de Lumen", after);
        var mention = await Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<MentionService>().FindAsync(id));
        Assert.Equal(MentionStatus.Handled, mention!.Status);

        // The publishing log names it a reply (not a deleted calendar post); its page shows the text and what it answers.
        var log = CmPortal.Tests.Integration.CharterRecipes.Parse(await admin.GetStringAsync($"/admin/{Workspace}/publishing"));
        var row = Assert.Single(log.QuerySelectorAll("tr[data-delivery]"), r => Decode(r.TextContent).Contains("Bonjour Léa, oui : cire de colza"));
        Assert.Contains("Réponse", row.TextContent);
        Assert.DoesNotContain("publication supprimée", row.TextContent);
        var delivery = Decode(await admin.GetStringAsync(row.QuerySelector("td.log-post a")!.GetAttribute("href")!));
        Assert.Contains(text, delivery);
        Assert.Contains("En réponse à", delivery);
        Assert.Contains($"https://piaille.fr/@lea/{status.Id}", delivery);
    }

    [Fact]
    public async Task A_mention_read_through_the_same_channel_is_answered_by_its_id_without_a_lookup()
    {
        var status = fixture.Mastodon.SeedStatus("lea@piaille.fr", "<p>@lumen vous avez reçu mon message ?</p>", []);
        await Host.InWorkspaceAsync(Workspace, async s =>
        {
            var db = s.GetRequiredService<InboxDbContext>();
            db.Sources.Add(new CmPortal.Modules.Inbox.Sources.Stored.ListeningSource
            {
                Id = Guid.NewGuid(), Kind = CmPortal.Modules.Inbox.Sources.Stored.SourceKinds.MastodonMentions, Name = "Mentions de Lumen",
                ChannelId = fixture.MastodonChannel, CreatedUtc = DateTime.UtcNow, NextTryUtc = DateTime.UtcNow.AddYears(50),
            });
            return await db.SaveChangesAsync();
        });
        var id = await AddAsync("mastodon", "Mentions de Lumen", new ListenedItem(status.Id, $"https://piaille.fr/@lea/{status.Id}",
            "@lumen vous avez reçu mon message ?", null, "Léa", "@lea@piaille.fr", null, DateTimeOffset.UtcNow.AddMinutes(-5), "fr"));
        using var admin = await Host.SignInAsync();
        var lookups = fixture.Mastodon.Count("GET /api/v2/search");

        await SendAsync(admin, id, fixture.MastodonChannel, "Bonjour Léa, bien reçu, nous vous répondons en privé.");

        Assert.Equal(ReplyState.Sent, Assert.Single(await SettledAsync(id)).Status!.State);
        Assert.Equal(status.Id, Assert.Single(fixture.Mastodon.Statuses, st => st.Text == "Bonjour Léa, bien reçu, nous vous répondons en privé.").InReplyToId);
        Assert.Equal(lookups, fixture.Mastodon.Count("GET /api/v2/search"));
    }

    [Fact]
    public async Task A_dropped_connection_after_the_instance_stored_the_reply_does_not_send_it_twice()
    {
        var status = fixture.Mastodon.SeedStatus("lea@piaille.fr", "<p>Livrez-vous en Suisse ?</p>", ["lumen"]);
        var id = await AddMastodonMentionAsync(status, "Livrez-vous en Suisse ?");
        using var admin = await Host.SignInAsync();
        fixture.Mastodon.FailNext("POST", "/api/v1/statuses", new MastodonFault.AcceptThenDrop());

        const string text = "Bonjour Léa, oui, nous livrons en Suisse sous cinq jours.";
        await SendAsync(admin, id, fixture.MastodonChannel, text);

        var reply = Assert.Single(await SettledAsync(id));
        Assert.Equal(ReplyState.Sent, reply.Status!.State);
        // The instance stored it before the connection dropped; the retry with the same Idempotency-Key got it back.
        var sent = Assert.Single(fixture.Mastodon.Statuses, st => st.Text == text);
        Assert.Equal(status.Id, sent.InReplyToId);
        Assert.Contains(sent.Id, reply.Status.RemoteUrl);
    }

    [Fact]
    public async Task The_instance_s_refusal_shows_its_message_under_the_mention_and_nothing_is_retried()
    {
        var status = fixture.Mastodon.SeedStatus("lea@piaille.fr", "<p>Et les mèches ?</p>", ["lumen"]);
        var id = await AddMastodonMentionAsync(status, "Et les mèches ?");
        using var admin = await Host.SignInAsync();
        fixture.Mastodon.FailNext("POST", "/api/v1/statuses", new MastodonFault.Error(422, "Validation failed: Text contains a forbidden word"));

        await SendAsync(admin, id, fixture.MastodonChannel, "Bonjour Léa, nos mèches sont en coton.");

        var reply = Assert.Single(await SettledAsync(id));
        Assert.Equal(ReplyState.Failed, reply.Status!.State);
        Assert.DoesNotContain(fixture.Mastodon.Statuses, st => st.Text == "Bonjour Léa, nos mèches sont en coton.");
        var page = Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{id}"));
        Assert.Contains("Non envoyée", page);
        Assert.Contains("Mastodon a refusé la réponse (erreur 422). Son message : « Validation failed: Text contains a forbidden word »", page);

        // Too long for the channel: refused before anything is queued, in French.
        var tooLong = await SendAsync(admin, id, fixture.MastodonChannel, new string('a', 501));
        var refused = Decode(await admin.GetStringAsync(tooLong.Headers.Location!.ToString()));
        Assert.Contains("Le texte fait 501 caractères (comptés à la manière de Mastodon) ; Mastodon de Lumen en accepte 500.", refused);
        Assert.Single(await SettledAsync(id));
    }

    [Fact]
    public async Task A_bluesky_mention_s_reply_points_at_the_post_and_the_root_of_its_thread()
    {
        var root = fixture.Bluesky.SeedPost("marc.bsky.social", "Qui connaît Maison Lumen ?", DateTimeOffset.UtcNow.AddMinutes(-20));
        var post = fixture.Bluesky.SeedPost("lea.bsky.social", "Leurs bougies tiennent 60 heures ?", DateTimeOffset.UtcNow.AddMinutes(-10),
            replyParentUri: root.Uri);
        var id = await AddAsync("bluesky", "Bluesky Lumen", new ListenedItem(post.Uri, $"https://bsky.app/profile/lea.bsky.social/post/{post.Uri[(post.Uri.LastIndexOf('/') + 1)..]}",
            post.Text, null, "Léa", "lea.bsky.social", null, DateTimeOffset.UtcNow.AddMinutes(-10), "fr"));
        using var admin = await Host.SignInAsync();
        Assert.Contains("Bluesky de Lumen", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{id}")));

        const string text = "Bonjour Léa, 60 heures pour la grande, 40 pour la petite.";
        await SendAsync(admin, id, fixture.BlueskyChannel, text);
        await SendAsync(admin, id, fixture.BlueskyChannel, text);

        var reply = Assert.Single(await SettledAsync(id));
        Assert.Equal(ReplyState.Sent, reply.Status!.State);
        var record = Assert.Single(fixture.Bluesky.Records, r => r.Value["text"]?.GetValue<string>() == text);
        var refs = record.Value["reply"]!;
        Assert.Equal(post.Uri, refs["parent"]!["uri"]!.GetValue<string>());
        Assert.Equal(post.Cid, refs["parent"]!["cid"]!.GetValue<string>());
        Assert.Equal(root.Uri, refs["root"]!["uri"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(refs["root"]!["cid"]!.GetValue<string>()));
        Assert.StartsWith("https://bsky.app/profile/lumen.bsky.social/post/", reply.Status.RemoteUrl);
    }

    [Fact]
    public async Task A_crisis_does_not_hold_a_reply_but_a_paused_channel_keeps_it_waiting_until_resumed()
    {
        var status = fixture.Mastodon.SeedStatus("lea@piaille.fr", "<p>Vous êtes ouverts dimanche ?</p>", ["lumen"]);
        var id = await AddMastodonMentionAsync(status, "Vous êtes ouverts dimanche ?");
        using var admin = await Host.SignInAsync();
        await Host.InWorkspaceAsync(Workspace, async s =>
        {
            var db = s.GetRequiredService<CmPortal.Modules.Publishing.Data.PublishingDbContext>();
            db.PromotionHolds.Add(new CmPortal.Modules.Publishing.Crisis.PromotionHold { CrisisId = Guid.NewGuid(), SinceUtc = DateTime.UtcNow, Reason = "Rappel produit" });
            return await db.SaveChangesAsync();
        });
        try
        {
            // A reply does not promote: it goes during a crisis.
            await SendAsync(admin, id, fixture.MastodonChannel, "Bonjour Léa, oui, de 10 h à 13 h.");
            Assert.Equal(ReplyState.Sent, Assert.Single(await SettledAsync(id)).Status!.State);
        }
        finally
        {
            await Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<CmPortal.Modules.Publishing.Data.PublishingDbContext>().PromotionHolds.ExecuteDeleteAsync());
        }

        await Pause(pause: true);
        try
        {
            await SendAsync(admin, id, fixture.MastodonChannel, "Et le lundi aussi.");
            for (var i = 0; i < 5; i++) await Host.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(default);
            var waiting = await Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<SentReplyService>().RepliesAsync(id));
            Assert.Equal(ReplyState.Waiting, waiting[^1].Status!.State);
            Assert.Contains("En attente d’envoi", Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{id}")));
            Assert.DoesNotContain(fixture.Mastodon.Statuses, st => st.Text == "Et le lundi aussi.");
        }
        finally
        {
            await Pause(pause: false);
        }
        Assert.All(await SettledAsync(id), r => Assert.Equal(ReplyState.Sent, r.Status!.State));
        Assert.Single(fixture.Mastodon.Statuses, st => st.Text == "Et le lundi aussi.");
    }

    private Task Pause(bool pause) => Host.InWorkspaceAsync(Workspace, async s =>
    {
        var channels = s.GetRequiredService<ChannelService>();
        var channel = (await channels.FindAsync(fixture.MastodonChannel, default))!;
        var outcome = pause ? await channels.PauseAsync(channel.Id, channel.Version, default) : await channels.ResumeAsync(channel.Id, channel.Version, default);
        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
        return 0;
    });

    [Fact]
    public async Task Only_triagers_send_other_workspaces_mentions_are_not_found_and_other_sources_keep_the_copy_flow()
    {
        var status = fixture.Mastodon.SeedStatus("lea@piaille.fr", "<p>Bravo pour la boutique</p>", ["lumen"]);
        var id = await AddMastodonMentionAsync(status, "Bravo pour la boutique");
        await Host.AddMemberAsync("analyst-replies@example.test", Workspace, "Analyst");
        using var analyst = await Host.SignInAsync("analyst-replies@example.test", MemberHostExtensions.MemberPassword);
        Assert.DoesNotContain("Envoyer la réponse", Decode(await analyst.GetStringAsync($"/admin/{Workspace}/inbox/{id}")));
        await AssertDeniedAsync(analyst, SendAsync(analyst, id, fixture.MastodonChannel, "Merci !"));

        await Host.ApplyRecipeAsync("""
            { "name": "x", "steps": [ { "step": "workspace", "key": "autre-marque-replies", "name": "Autre marque" }, { "step": "modules", "enable": ["Inbox"] } ] }
            """);
        var other = await AddMastodonMentionAsync(status, "Bravo pour la boutique", "autre-marque-replies");
        using var admin = await Host.SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(admin, other, fixture.MastodonChannel, "Merci !")).StatusCode);

        // A feed's mention: no channel to send through, the copy flow stays; sending is refused with why.
        var feed = await AddMentionAsync(Host, "replies-feed-1", "Un article sur Maison Lumen", url: "https://blog.example/lumen");
        var page = Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{feed}"));
        Assert.DoesNotContain("Envoyer la réponse", page);
        Assert.Contains("Copier la réponse et ouvrir le post", page);
        var refused = await SendAsync(admin, feed, fixture.MastodonChannel, "Merci !");
        Assert.Contains("Seules les mentions Mastodon et Bluesky reçoivent une réponse par un canal",
            Decode(await admin.GetStringAsync(refused.Headers.Location!.ToString())));
        Assert.Empty(await Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<SentReplyService>().RepliesAsync(feed)));
        Assert.Empty(await Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<SentReplyService>().RepliesAsync(id)));
    }
}
