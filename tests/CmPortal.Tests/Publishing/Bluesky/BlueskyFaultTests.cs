using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Tests.Infrastructure;
using static CmPortal.Tests.Publishing.Bluesky.BlueskyChannels;
using static CmPortal.Tests.Publishing.Bluesky.BlueskyTestServer;

namespace CmPortal.Tests.Publishing.Bluesky;

/// <summary>The Bluesky channel against our own Bluesky test server: sessions, rate limits and faults on demand.</summary>
public sealed class BlueskyFaultTests : IAsyncLifetime
{
    private const string Handle = "maison-lumen.test";
    private const string AppPassword = "abcd-efgh-ijkl-mnop";
    private const string CreateRecord = "com.atproto.repo.createRecord";

    private BlueskyTestServer _server = null!;
    private readonly BlueskyChannels _bluesky = new();

    public async Task InitializeAsync()
    {
        _server = await StartAsync();
        _server.AddAccount(Handle, AppPassword);
        _server.AddAccount("atelier.test", "zzzz-zzzz-zzzz-zzzz");
    }

    public async Task DisposeAsync()
    {
        _bluesky.Dispose();
        await _server.DisposeAsync();
    }

    private string NewKey() => _bluesky.Network.NewDeliveryKey(DateTime.UtcNow);

    [Fact]
    public async Task The_channel_logs_in_once_for_many_posts_refreshes_an_expired_session_and_logs_in_again_only_when_the_refresh_is_refused()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        for (var i = 0; i < 3; i++)
            Assert.Equal(SendStatus.Published, (await _bluesky.SendAsync(channel, NewKey(), [Part($"Post {i}")])).Status);
        Assert.Equal(1, _server.CreateSessionCalls);
        Assert.Equal(0, _server.RefreshSessionCalls);
        Assert.Equal(0, channel.SecretSaves);

        _server.ExpireAccessTokens();
        var refreshed = await _bluesky.SendAsync(channel, NewKey(), [Part("Après expiration")]);

        Assert.Equal(SendStatus.Published, refreshed.Status);
        Assert.Equal((1, 1, 1), (_server.CreateSessionCalls, _server.RefreshSessionCalls, channel.SecretSaves));

        _server.ExpireAccessTokens();
        _server.RevokeRefreshTokens();
        var relogged = await _bluesky.SendAsync(channel, NewKey(), [Part("Après révocation")]);

        Assert.Equal(SendStatus.Published, relogged.Status);
        Assert.Equal((2, 2, 2), (_server.CreateSessionCalls, _server.RefreshSessionCalls, channel.SecretSaves));
        Assert.Equal(5, _server.Records.Count);

        // The new session serves the next posts without any more logins.
        Assert.Equal(SendStatus.Published, (await _bluesky.SendAsync(channel, NewKey(), [Part("Encore")])).Status);
        Assert.Equal(2, _server.CreateSessionCalls);
    }

    [Fact]
    public async Task When_the_refresh_token_and_the_app_password_are_both_refused_the_delivery_fails_asking_to_connect_again()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        _server.ExpireAccessTokens();
        _server.RevokeRefreshTokens();
        _server.ChangeAppPassword(Handle, "new1-new2-new3-new4");

        var outcome = await _bluesky.SendAsync(channel, NewKey(), [Part("Soldes d’hiver")]);

        Assert.Equal(SendStatus.Failed, outcome.Status);
        Assert.Contains("connect the channel again", outcome.Message);
        Assert.Empty(_server.Records);
    }

    [Fact]
    public async Task A_429_waits_as_long_as_Retry_After_says_and_the_retry_publishes_once()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        var key = NewKey();
        _server.FailNext(CreateRecord, Fault.TooManyRequests, TimeSpan.FromSeconds(120));

        var limited = await _bluesky.SendAsync(channel, key, [Part("Atelier ouvert")]);

        Assert.Equal(SendStatus.RetryLater, limited.Status);
        Assert.Equal(429, limited.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(120), limited.RetryAfter);
        Assert.Empty(_server.Records);

        var retried = await _bluesky.SendAsync(channel, key, [Part("Atelier ouvert")]);
        Assert.Equal(SendStatus.Published, retried.Status);
        Assert.Single(_server.Records);
    }

    [Fact]
    public async Task A_write_accepted_then_a_dropped_connection_is_published_once_with_its_proof()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        var key = NewKey();
        _server.FailNext(CreateRecord, Fault.AcceptThenDrop);

        var outcome = await _bluesky.SendAsync(channel, key, [Part("Atelier ouvert")]);

        Assert.Equal(SendStatus.Published, outcome.Status);
        var record = Assert.Single(_server.Records);
        Assert.Equal(record.Uri, outcome.SentParts[0].RemoteId);
        Assert.Equal(record.Cid, outcome.SentParts[0].Reference);

        // Sent again anyway (say the proof was lost in a crash): the key is taken, the record is read, still one post.
        var again = await _bluesky.SendAsync(channel, key, [Part("Atelier ouvert")]);
        Assert.Equal(SendStatus.Published, again.Status);
        Assert.Equal(record.Uri, again.SentParts[0].RemoteId);
        Assert.Single(_server.Records);
        Assert.Equal(2, _server.CreateRecordCalls);
    }

    [Fact]
    public async Task A_500_that_wrote_nothing_is_retried_later_and_a_slow_answer_past_the_timeout_never_duplicates()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        var key = NewKey();
        _server.FailNext(CreateRecord, Fault.Error500);

        var failed = await _bluesky.SendAsync(channel, key, [Part("Atelier ouvert")]);

        Assert.Equal(SendStatus.RetryLater, failed.Status);
        Assert.Equal(500, failed.HttpStatus);
        Assert.Empty(_server.Records);

        // The next attempt waits 5 s on the server, past a client that gives up after 2 s: the record is not there yet
        // when read back, so nothing is claimed published.
        using (var impatient = new BlueskyChannels(requestTimeout: TimeSpan.FromSeconds(2)))
        {
            _server.FailNext(CreateRecord, Fault.Slow, TimeSpan.FromSeconds(5));
            var slow = await impatient.SendAsync(channel, key, [Part("Atelier ouvert")]);
            Assert.Equal(SendStatus.RetryLater, slow.Status);
            Assert.Empty(slow.SentParts);
        }
        for (var i = 0; i < 100 && _server.Records.Count == 0; i++) await Task.Delay(100);

        var reconciled = await _bluesky.Network.ReconcileAsync(channel.Request(key, [Part("Atelier ouvert")]), CancellationToken.None);
        Assert.Equal(ReconcileStatus.Found, reconciled.Status);
        var retried = await _bluesky.SendAsync(channel, key, [Part("Atelier ouvert")]);
        Assert.Equal(SendStatus.Published, retried.Status);
        Assert.Equal(reconciled.SentParts[0].RemoteId, retried.SentParts[0].RemoteId);
        Assert.Single(_server.Records);
    }

    [Fact]
    public async Task A_thread_interrupted_after_its_first_part_goes_on_from_the_second_replying_to_the_first()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        var key = NewKey();
        DeliveryPart[] parts = [Part("1/2 Notre atelier"), Part("2/2 La cire d’abeille")];
        _server.FailNext(CreateRecord, Fault.Error500);
        var first = await _bluesky.SendAsync(channel, key, parts);
        Assert.Equal(SendStatus.RetryLater, first.Status);
        Assert.Empty(first.SentParts);

        var second = await _bluesky.SendAsync(channel, key, parts);
        Assert.Equal(SendStatus.Published, second.Status);

        // Now the second part fails; the retry sends only it, with the first as root and parent.
        var key2 = NewKey();
        var partial = await _bluesky.SendAsync(channel, key2, [parts[0]]);
        _server.FailNext(CreateRecord, Fault.Error500);
        var interrupted = await _bluesky.SendAsync(channel, key2, parts, partial.SentParts);
        Assert.Equal(SendStatus.RetryLater, interrupted.Status);
        Assert.Single(interrupted.SentParts);
        var resumed = await _bluesky.SendAsync(channel, key2, parts, interrupted.SentParts);
        Assert.Equal(SendStatus.Published, resumed.Status);
        var reply = _server.Records.Single(r => r.Uri == resumed.SentParts[1].RemoteId).Value["reply"]!;
        Assert.Equal(partial.SentParts[0].RemoteId, reply["root"]!["uri"]!.GetValue<string>());
        Assert.Equal(partial.SentParts[0].RemoteId, reply["parent"]!["uri"]!.GetValue<string>());
        Assert.Equal(4, _server.Records.Count);
    }

    [Fact]
    public async Task A_wrong_app_password_is_a_problem_on_that_field_and_an_unreachable_server_one_on_the_address()
    {
        var wrong = await _bluesky.ConnectAsync(_server.Url, Handle, "wxyz-wxyz-wxyz-wxyz");
        Assert.Equal("appPassword", Assert.Single(wrong.Problems).Field);

        var unreachable = await _bluesky.ConnectAsync("http://127.0.0.1:9", Handle, AppPassword);
        Assert.Equal("pdsUrl", Assert.Single(unreachable.Problems).Field);

        var empty = await _bluesky.ConnectAsync(_server.Url, "", "");
        Assert.Equal(["handle", "appPassword"], empty.Problems.Select(p => p.Field));
    }

    [Fact]
    public async Task A_post_of_301_graphemes_fails_before_anything_is_sent_and_one_of_300_with_emoji_goes_out()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        var exactly300 = string.Concat(Enumerable.Repeat("é👩‍💻", 150)); // 300 graphemes, 2,100 bytes

        var refused = await _bluesky.SendAsync(channel, NewKey(), [Part("Fil"), Part(exactly300 + "!")]);

        Assert.Equal(SendStatus.Failed, refused.Status);
        Assert.Contains("Part 2 has 301 characters", refused.Message);
        Assert.Equal(0, _server.CreateRecordCalls);
        Assert.Equal(SendStatus.Failed, (await _bluesky.SendAsync(channel, NewKey(), [])).Status);

        var accepted = await _bluesky.SendAsync(channel, NewKey(), [Part(exactly300)]);
        Assert.Equal(SendStatus.Published, accepted.Status);
    }

    [Fact]
    public async Task Mentions_of_handles_no_account_has_stay_plain_text()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);

        var outcome = await _bluesky.SendAsync(channel, NewKey(), [Part("Merci @atelier.test et @personne.test !")]);

        Assert.Equal(SendStatus.Published, outcome.Status);
        var facet = Assert.Single(_server.Records.Single().Value["facets"]!.AsArray())!;
        Assert.Equal(_server.DidOf("atelier.test"), facet["features"]![0]!["did"]!.GetValue<string>());
        Assert.Equal(6, facet["index"]!["byteStart"]!.GetValue<int>());
    }

    [Fact]
    public async Task Deliveries_sent_at_once_with_an_expired_session_refresh_it_once()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        _server.ExpireAccessTokens();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => _bluesky.SendAsync(channel, NewKey(), [Part($"Ensemble {i}")])));

        Assert.All(outcomes, o => Assert.Equal(SendStatus.Published, o.Status));
        Assert.Equal((1, 1, 1), (_server.CreateSessionCalls, _server.RefreshSessionCalls, channel.SecretSaves));
    }

    [Fact]
    public async Task When_neither_the_write_nor_the_read_back_is_answered_the_outcome_is_unknown_until_reconciled()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        var key = NewKey();
        _server.FailNext(CreateRecord, Fault.AcceptThenDrop);
        _server.FailNext("com.atproto.repo.getRecord", Fault.Error500);

        var outcome = await _bluesky.SendAsync(channel, key, [Part("Atelier ouvert")]);

        Assert.Equal(SendStatus.Unknown, outcome.Status);
        var reconciled = await _bluesky.Network.ReconcileAsync(channel.Request(key, [Part("Atelier ouvert")]), CancellationToken.None);
        Assert.Equal(ReconcileStatus.Found, reconciled.Status);
        Assert.Equal(_server.Records.Single().Uri, reconciled.SentParts.Single().RemoteId);
        var unsent = await _bluesky.Network.ReconcileAsync(channel.Request(NewKey(), [Part("Jamais envoyé")]), CancellationToken.None);
        Assert.Equal(ReconcileStatus.NotFound, unsent.Status);
    }

    [Fact]
    public async Task An_image_over_2_MB_or_a_fifth_image_fails_before_anything_is_uploaded()
    {
        var channel = await _bluesky.ConnectChannelAsync(_server.Url, Handle, AppPassword);
        var png = TestImages.Png(8, 8);

        var heavy = await _bluesky.SendAsync(channel, NewKey(), [Part("Lourd", Image(new byte[2_000_001], "Une bougie", "grande.png"))]);
        var five = await _bluesky.SendAsync(channel, NewKey(), [Part("Cinq", Enumerable.Range(0, 5).Select(_ => Image(png, "Une bougie")).ToArray())]);

        Assert.Equal(SendStatus.Failed, heavy.Status);
        Assert.Contains("grande.png", heavy.Message);
        Assert.Equal(SendStatus.Failed, five.Status);
        Assert.Contains("5 images", five.Message);
        Assert.Equal(0, _server.CreateRecordCalls);
    }
}
