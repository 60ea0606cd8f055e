using System.Net;
using System.Text;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Modules.Inbox.Sources.Mastodon;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.AspNetCore.WebUtilities;

namespace CmPortal.Tests.Inbox;

/// <summary>Listening on Mastodon (a hashtag, the account's mentions) against a local server speaking Mastodon's API.</summary>
public sealed class ListeningMastodonTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private MastodonTestServer _server = null!;
    private TestAccount _lumen = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await MastodonTestServer.StartAsync(_clock);
        (_lumen, _token) = _server.AddAccount("lumen");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MastodonListening Listening(int maxPages = 5) => new(ListeningFactory.Real(), _clock) { MaxPagesPerPoll = maxPages };

    private static readonly MastodonHashtagQuery Lumen = new("lumen");

    [Fact]
    public async Task A_hashtag_s_statuses_become_plain_text_items_with_their_author_language_and_reply()
    {
        var original = _server.SeedStatus("lea@piaille.fr",
            "<p>J&#39;adore la <a href=\"https://piaille.fr/tags/lumen\" class=\"mention hashtag\" rel=\"tag\">#<span>lumen</span></a> &amp; ses bougies</p>"
            + "<p>Deuxième ligne<br />et <a href=\"https://lumen.example/bougies/ambre\"><span class=\"invisible\">https://</span><span class=\"\">lumen.example/bougies/ambre</span><span class=\"invisible\"></span></a></p>",
            ["lumen"], language: "fr", displayName: "Léa", followers: 120);
        var reply = _server.SeedStatus("marc", "<p>Pas d’accord</p>", ["lumen"], language: "en", inReplyToId: original.Id, displayName: "");
        var boost = _server.SeedBoost("paul@social.example", original);

        var poll = await Listening().HashtagAsync(_server.BaseAddress, token: null, Lumen, cursor: null, CancellationToken.None);

        Assert.True(poll.Succeeded, poll.Error?.ToString());
        // The boost is the status it boosts: the same item once, not a third one with an empty text.
        Assert.Equal([original.Id, reply.Id], poll.Items.Select(i => i.ExternalId));
        var first = poll.Items.Single(i => i.ExternalId == original.Id);
        Assert.Equal("J'adore la #lumen & ses bougies\n\nDeuxième ligne\net https://lumen.example/bougies/ambre", first.Text);
        Assert.Equal("Léa", first.Author);
        Assert.Equal("@lea@piaille.fr", first.AuthorHandle);
        Assert.Equal(120, first.AuthorFollowers);
        Assert.Equal("fr", first.Language);
        Assert.Equal($"https://piaille.fr/@lea/{original.Id}", first.Url);
        Assert.Equal(original.CreatedAt, first.PublishedAt);
        Assert.Null(first.InReplyToId);
        var answer = poll.Items.Single(i => i.ExternalId == reply.Id);
        Assert.Equal(original.Id, answer.InReplyToId);
        Assert.Equal("en", answer.Language);
        // A local account: its handle gets the instance's domain, its empty display name falls back to the username.
        Assert.Equal($"@marc@{_server.BaseAddress.Host}", answer.AuthorHandle);
        Assert.Equal("marc", answer.Author);
        Assert.Equal(boost.Id, poll.Cursor);
        Assert.Null(_server.ListeningRequests.Single().Authorization);
    }

    [Fact]
    public async Task A_second_poll_returns_only_newer_statuses_walking_pages_up_to_the_cap()
    {
        for (var i = 0; i < 5; i++) _server.SeedStatus("lea@piaille.fr", $"<p>ancien {i}</p>", ["lumen"]);
        var first = await Listening().HashtagAsync(_server.BaseAddress, null, Lumen, null, CancellationToken.None);
        Assert.Equal(5, first.Items.Count);

        var newer = Enumerable.Range(0, 95).Select(i => _server.SeedStatus("lea@piaille.fr", $"<p>nouveau {i}</p>", ["lumen"])).ToList();
        var second = await Listening(maxPages: 2).HashtagAsync(_server.BaseAddress, null, Lumen, first.Cursor, CancellationToken.None);
        Assert.True(second.HasMore);
        Assert.Equal(newer.Take(80).Select(s => s.Id), second.Items.Select(i => i.ExternalId));
        Assert.Equal(newer[79].Id, second.Cursor);

        var third = await Listening(maxPages: 2).HashtagAsync(_server.BaseAddress, null, Lumen, second.Cursor, CancellationToken.None);
        Assert.False(third.HasMore);
        Assert.Equal(newer.Skip(80).Select(s => s.Id), third.Items.Select(i => i.ExternalId));

        var fourth = await Listening().HashtagAsync(_server.BaseAddress, null, Lumen, third.Cursor, CancellationToken.None);
        Assert.Empty(fourth.Items);
        Assert.Equal(third.Cursor, fourth.Cursor);

        // After the first page, the next one is the Link header's rel="prev" address (min_id = the page's newest id).
        var requests = _server.ListeningRequests.Select(r => QueryHelpers.ParseQuery(new Uri(_server.BaseAddress, r.PathAndQuery).Query)).ToList();
        Assert.False(requests[0].ContainsKey("min_id"));
        Assert.Equal(first.Cursor, requests[1]["min_id"]);
        Assert.Equal(newer[39].Id, requests[2]["min_id"]);
        Assert.All(requests, r => Assert.Equal("40", r["limit"]));
    }

    [Fact]
    public async Task Any_all_and_none_tags_are_sent_as_the_api_documents_them()
    {
        var both = _server.SeedStatus("lea@piaille.fr", "<p>a</p>", ["lumen", "bougie"]);
        var other = _server.SeedStatus("lea@piaille.fr", "<p>b</p>", ["maisonlumen", "bougie"]);
        _server.SeedStatus("lea@piaille.fr", "<p>c</p>", ["lumen"]);
        _server.SeedStatus("lea@piaille.fr", "<p>d</p>", ["lumen", "bougie", "pub"]);

        var poll = await Listening().HashtagAsync(_server.BaseAddress, null,
            new MastodonHashtagQuery("#lumen", Any: ["maisonlumen"], All: ["bougie"], None: ["pub"]), null, CancellationToken.None);

        Assert.Equal([both.Id, other.Id], poll.Items.Select(i => i.ExternalId));
        var request = _server.ListeningRequests.Single().PathAndQuery;
        Assert.StartsWith("/api/v1/timelines/tag/lumen?", request);
        var query = QueryHelpers.ParseQuery(new Uri(_server.BaseAddress, request).Query);
        Assert.Equal(["maisonlumen"], query["any[]"].OfType<string>().ToArray());
        Assert.Equal(["bougie"], query["all[]"].OfType<string>().ToArray());
        Assert.Equal(["pub"], query["none[]"].OfType<string>().ToArray());
    }

    [Fact]
    public async Task Mentions_are_read_with_the_account_s_token_and_only_newer_ones_come_back()
    {
        var mention = _server.SeedStatus("lea@piaille.fr", "<p><span class=\"h-card\"><a href=\"#\">@<span>lumen</span></a></span> merci !</p>", []);
        _server.SeedMention(_lumen, mention);
        _server.SeedNotification(_lumen, _server.SeedStatus("paul@social.example", "<p>j'aime</p>", []), "favourite");

        var first = await Listening().MentionsAsync(_server.BaseAddress, _token, null, CancellationToken.None);

        Assert.True(first.Succeeded, first.Error?.ToString());
        Assert.Equal("@lumen merci !", Assert.Single(first.Items).Text);
        var request = _server.ListeningRequests.Single();
        Assert.Equal($"Bearer {_token}", request.Authorization);
        Assert.Equal(["mention"], QueryHelpers.ParseQuery(new Uri(_server.BaseAddress, request.PathAndQuery).Query)["types[]"].OfType<string>().ToArray());

        var reply = _server.SeedStatus("marc@piaille.fr", "<p>@lumen et la livraison ?</p>", [], inReplyToId: "42");
        _server.SeedMention(_lumen, reply);
        var second = await Listening().MentionsAsync(_server.BaseAddress, _token, first.Cursor, CancellationToken.None);
        Assert.Equal(reply.Id, Assert.Single(second.Items).ExternalId);
        Assert.Equal("42", second.Items[0].InReplyToId);
    }

    [Fact]
    public async Task The_channel_s_token_is_sent_on_the_hashtag_timeline_when_given()
    {
        _server.SeedStatus("lea@piaille.fr", "<p>a</p>", ["lumen"]);
        var poll = await Listening().HashtagAsync(_server.BaseAddress, _token, Lumen, null, CancellationToken.None);
        Assert.Single(poll.Items);
        Assert.Equal($"Bearer {_token}", _server.ListeningRequests.Single().Authorization);

        var refused = await Listening().HashtagAsync(_server.BaseAddress, "revoked", Lumen, null, CancellationToken.None);
        Assert.Equal(MastodonListening.RefusedToken, refused.Error);
        Assert.Empty(refused.Items);
    }

    [Fact]
    public async Task A_rate_limit_says_when_to_try_again_instead_of_throwing()
    {
        _server.SeedStatus("lea@piaille.fr", "<p>a</p>", ["lumen"]);
        _server.FailNext("GET", "/api/v1/timelines/tag", new MastodonFault.Error(429, "Too many requests", TimeSpan.FromSeconds(120)));

        var poll = await Listening().HashtagAsync(_server.BaseAddress, null, Lumen, "113000000000000000", CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(120), poll.TryAfter);
        Assert.Empty(poll.Items);
        Assert.Equal("113000000000000000", poll.Cursor);

        // Mastodon's own limiter: 429 once the account's requests are spent, with the reset time.
        _server.RateLimit = 1;
        await Listening().MentionsAsync(_server.BaseAddress, _token, null, CancellationToken.None);
        var limited = await Listening().MentionsAsync(_server.BaseAddress, _token, null, CancellationToken.None);
        Assert.InRange(limited.TryAfter!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_malformed_or_missing_answer_is_reported_as_an_error()
    {
        _server.FailNext("GET", "/api/v1/timelines/tag", new MastodonFault.Error(200, "not a list"));
        var notAList = await Listening().HashtagAsync(_server.BaseAddress, null, Lumen, null, CancellationToken.None);
        Assert.Equal(MastodonListening.NotMastodon, notAList.Error);

        var noAccount = new MastodonListening(ListeningFactory.Answering(HttpStatusCode.OK,
            """[{"id":"1","created_at":"2026-11-30T09:00:00.000Z","content":"<p>x</p>"}]"""), _clock);
        var broken = await noAccount.HashtagAsync(new Uri("https://piaille.fr/"), null, Lumen, null, CancellationToken.None);
        Assert.Equal(MastodonListening.NotMastodon, broken.Error);
        Assert.Empty(broken.Items);

        var closed = await Listening().HashtagAsync(new Uri("http://127.0.0.1:9/"), null, Lumen, "7", CancellationToken.None);
        Assert.Equal(ListeningHttp.CannotReach, closed.Error);
        Assert.Equal("7", closed.Cursor);
    }

    [Fact]
    public async Task A_refusal_is_told_in_the_member_s_language_with_the_instance_s_own_words_quoted()
    {
        _server.FailNext("GET", "/api/v1/timelines/tag", new MastodonFault.Error(503, "Maintenance"));
        var troubled = await Listening().HashtagAsync(_server.BaseAddress, null, Lumen, null, CancellationToken.None);
        Assert.Equal(("The Mastodon instance is having trouble (error {0}). The portal will try again later.", 503),
            (troubled.Error!.Template, troubled.Error.Values.Single()));

        _server.FailNext("GET", "/api/v1/timelines/tag", new MastodonFault.Error(422, "Validation failed: tag is too long"));
        var refused = await Listening().HashtagAsync(_server.BaseAddress, null, Lumen, null, CancellationToken.None);
        Assert.Equal("The Mastodon instance refused the request (error {0}). Its message: “{1}”", refused.Error!.Template);
        Assert.Equal([422, "Validation failed: tag is too long"], refused.Error.Values);
    }
}

/// <summary>HTTP clients for the listening classes: real ones, or one that always gives the same answer.</summary>
internal sealed class ListeningFactory(Func<HttpMessageHandler> handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(10) };

    public static ListeningFactory Real() => new(() => new SocketsHttpHandler());

    public static ListeningFactory Answering(HttpStatusCode status, string body) => new(() => new Fixed(status, body));

    private sealed class Fixed(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
