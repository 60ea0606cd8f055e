using System.Net;
using CmPortal.Modules.Inbox.Sources.Bluesky;
using CmPortal.Tests.Publishing.Bluesky;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.AspNetCore.WebUtilities;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// Listening on Bluesky (a search, the account's mentions) through the channel's session, against the project's Bluesky
/// test server: searchPosts and listNotifications are AppView methods the reference PDS does not answer offline.
/// </summary>
public sealed class ListeningBlueskyTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private readonly DateTimeOffset _t0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private BlueskyTestServer _server = null!;
    private BlueskyAccess _access = null!;

    public async Task InitializeAsync()
    {
        _server = await BlueskyTestServer.StartAsync();
        _server.AddAccount("lumen.bsky.social", "app-pass-1234");
        _access = new BlueskyAccess(_server.Url, _server.AccessTokenFor("lumen.bsky.social"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private BlueskyListening Listening(int maxPages = 5) => new(ListeningFactory.Real(), _clock) { MaxPagesPerPoll = maxPages };

    private IReadOnlyList<Dictionary<string, Microsoft.Extensions.Primitives.StringValues>> Queries() =>
        [.. _server.ListeningRequests.Select(r => QueryHelpers.ParseQuery(new Uri(new Uri(_server.Url), r.PathAndQuery).Query))];

    [Fact]
    public async Task Found_posts_become_items_with_their_web_address_author_language_and_parent()
    {
        var parent = _server.SeedPost("marc.bsky.social", "Une bougie Lumen ?", _t0);
        var post = _server.SeedPost("lea.bsky.social", "Maison Lumen, quelle bougie !", _t0.AddMinutes(1), ["fr", "en"],
            replyParentUri: parent.Uri, displayName: "Léa");

        var poll = await Listening().SearchAsync(_access, "lumen", "fr", null, CancellationToken.None);

        Assert.True(poll.Succeeded, poll.Error?.ToString());
        Assert.Equal([parent.Uri, post.Uri], poll.Items.Select(i => i.ExternalId));
        var item = poll.Items[1];
        Assert.Equal($"https://bsky.app/profile/lea.bsky.social/post/{post.Uri.Split('/')[^1]}", item.Url);
        Assert.Equal("Maison Lumen, quelle bougie !", item.Text);
        Assert.Equal("Léa", item.Author);
        Assert.Equal("lea.bsky.social", item.AuthorHandle);
        Assert.Equal("fr", item.Language);
        Assert.Equal(parent.Uri, item.InReplyToId);
        Assert.Equal(post.CreatedAt, item.PublishedAt);
        Assert.Equal("marc.bsky.social", poll.Items[0].Author);

        var request = _server.ListeningRequests.Single();
        Assert.Equal($"Bearer {_access.AccessJwt}", request.Authorization);
        var query = Queries().Single();
        Assert.Equal("lumen", query["q"]);
        Assert.Equal("latest", query["sort"]);
        Assert.Equal("fr", query["lang"]);
        Assert.False(query.ContainsKey("since"));
    }

    [Fact]
    public async Task A_second_search_asks_since_the_newest_post_seen_and_returns_only_newer_ones()
    {
        _server.SeedPost("lea.bsky.social", "lumen 1", _t0);
        var newest = _server.SeedPost("lea.bsky.social", "lumen 2", _t0.AddMinutes(1));
        var first = await Listening().SearchAsync(_access, "lumen", null, null, CancellationToken.None);
        Assert.Equal(2, first.Items.Count);

        var again = await Listening().SearchAsync(_access, "lumen", null, first.Cursor, CancellationToken.None);
        Assert.Empty(again.Items);
        Assert.Equal("2026-11-30T09:01:00.000Z", Queries()[1]["since"]);

        // 250 new posts, pages of 100, two pages a poll: the newest 200 come, oldest first, and the cap is said.
        var burst = Enumerable.Range(1, 250).Select(i => _server.SeedPost("paul.bsky.social", $"lumen burst {i}", _t0.AddMinutes(1).AddSeconds(i))).ToList();
        var capped = await Listening(maxPages: 2).SearchAsync(_access, "lumen", null, again.Cursor, CancellationToken.None);
        Assert.True(capped.HasMore);
        Assert.Equal(burst.Skip(50).Select(p => p.Uri), capped.Items.Select(i => i.ExternalId));
        Assert.DoesNotContain(newest.Uri, capped.Items.Select(i => i.ExternalId));
        Assert.Equal("100", Queries()[^1]["cursor"]);

        var later = _server.SeedPost("lea.bsky.social", "lumen encore", _t0.AddHours(1));
        var next = await Listening().SearchAsync(_access, "lumen", null, capped.Cursor, CancellationToken.None);
        Assert.Equal(later.Uri, Assert.Single(next.Items).ExternalId);
    }

    [Fact]
    public async Task Notifications_ask_for_mentions_replies_and_quotes_and_stop_at_the_last_one_seen()
    {
        var mention = _server.SeedPost("lea.bsky.social", "@lumen.bsky.social bravo", _t0);
        _server.SeedNotification("lumen.bsky.social", "mention", mention);
        _server.SeedNotification("lumen.bsky.social", "like", _server.SeedPost("paul.bsky.social", "(liked)", _t0.AddSeconds(5)));
        var first = await Listening().NotificationsAsync(_access, null, CancellationToken.None);

        Assert.True(first.Succeeded, first.Error?.ToString());
        Assert.Equal(mention.Uri, Assert.Single(first.Items).ExternalId);
        Assert.Equal(["mention", "reply", "quote"], Queries().Single()["reasons"].OfType<string>().ToArray());
        Assert.Equal($"Bearer {_access.AccessJwt}", _server.ListeningRequests.Single().Authorization);

        var reply = _server.SeedPost("marc.bsky.social", "et la livraison ?", _t0.AddMinutes(2), replyParentUri: "at://did:plc:lumen/app.bsky.feed.post/3lx");
        _server.SeedNotification("lumen.bsky.social", "reply", reply);
        var quote = _server.SeedPost("zoe.bsky.social", "regardez ça", _t0.AddMinutes(3));
        _server.SeedNotification("lumen.bsky.social", "quote", quote);
        var second = await Listening().NotificationsAsync(_access, first.Cursor, CancellationToken.None);

        Assert.Equal([reply.Uri, quote.Uri], second.Items.Select(i => i.ExternalId));
        Assert.Equal("at://did:plc:lumen/app.bsky.feed.post/3lx", second.Items[0].InReplyToId);
        var third = await Listening().NotificationsAsync(_access, second.Cursor, CancellationToken.None);
        Assert.Empty(third.Items);
    }

    [Fact]
    public async Task A_rate_limit_says_when_to_try_again_and_a_refused_session_is_an_error()
    {
        _server.FailNext("app.bsky.feed.searchPosts", BlueskyTestServer.Fault.TooManyRequests, TimeSpan.FromSeconds(90));
        var limited = await Listening().SearchAsync(_access, "lumen", null, null, CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(90), limited.TryAfter);
        Assert.Empty(limited.Items);

        _server.ExpireAccessTokens();
        var expired = await Listening().NotificationsAsync(_access, null, CancellationToken.None);
        Assert.Equal(BlueskyListening.SessionExpired, expired.Error);
    }

    [Fact]
    public async Task An_answer_outside_the_lexicon_is_reported_as_an_error()
    {
        var notPosts = new BlueskyListening(ListeningFactory.Answering(HttpStatusCode.OK, """{"posts":"none"}"""), _clock);
        var poll = await notPosts.SearchAsync(new BlueskyAccess("https://pds.example", "jwt"), "lumen", null, null, CancellationToken.None);
        Assert.Equal(BlueskyListening.OutsideTheLexicon, poll.Error);

        var noAuthor = new BlueskyListening(ListeningFactory.Answering(HttpStatusCode.OK,
            """{"posts":[{"uri":"at://did:plc:x/app.bsky.feed.post/3l","indexedAt":"2026-11-30T09:00:00.000Z","record":{"text":"x"}}]}"""), _clock);
        poll = await noAuthor.SearchAsync(new BlueskyAccess("https://pds.example", "jwt"), "lumen", null, null, CancellationToken.None);
        Assert.Equal(BlueskyListening.OutsideTheLexicon, poll.Error);
        Assert.Empty(poll.Items);
    }
}
