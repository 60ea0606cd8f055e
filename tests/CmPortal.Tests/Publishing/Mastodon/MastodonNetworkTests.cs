using System.Net;
using System.Net.Sockets;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Networks.Mastodon;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing.Mastodon;

/// <summary>The Mastodon channel against a local Mastodon server: connect, send, threads, media, faults, reconciliation.</summary>
public sealed class MastodonNetworkTests : IAsyncLifetime
{
    private readonly TestClock _clock = new();
    private MastodonTestServer _server = null!;
    private ServiceProvider _services = null!;
    private MastodonNetwork _network = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await MastodonTestServer.StartAsync(_clock);
        (_, _token) = _server.AddAccount("lumen");
        _network = NewNetwork(TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
    }

    private MastodonNetwork NewNetwork(TimeSpan timeout)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(MastodonClient.HttpClientName, http => http.Timeout = timeout);
        _services = services.BuildServiceProvider();
        var client = new MastodonClient(_services.GetRequiredService<IHttpClientFactory>(), _clock) { MediaPollInterval = TimeSpan.FromMilliseconds(20) };
        return new MastodonNetwork(client, _clock);
    }

    private Task<ConnectOutcome> ConnectAsync(string? token = null, string? instance = null) =>
        _network.ConnectAsync(new ConnectRequest(new Dictionary<string, string>
        {
            ["instanceUrl"] = instance ?? _server.BaseAddress.ToString(),
            ["accessToken"] = token ?? _token,
        }, "fr-FR"), CancellationToken.None);

    private async Task<ChannelAccount> ChannelAsync()
    {
        var outcome = await ConnectAsync();
        Assert.True(outcome.Succeeded, string.Join(", ", outcome.Problems));
        return new ChannelAccount(Guid.NewGuid(), "mastodon", "Lumen", outcome.Settings!, outcome.Secret, (_, _) => Task.CompletedTask);
    }

    private SendRequest Request(ChannelAccount channel, string key, IReadOnlyList<DeliveryPart> parts, IReadOnlyList<SentPart>? sent = null,
        int attempt = 1, DateTime? firstAttempt = null, Dictionary<string, string>? options = null) =>
        new(Guid.NewGuid(), key, channel, parts, sent ?? [], attempt, firstAttempt ?? _clock.GetUtcNow().UtcDateTime, "fr",
            options ?? [], Guid.NewGuid(), _clock.GetUtcNow().UtcDateTime);

    private static DeliveryPart Part(string text, params DeliveryMedia[] media) => new(text, null, media);

    private static DeliveryMedia Image(string name, int size, string alt) =>
        new(Guid.NewGuid(), name, "image/png", size, alt, _ => Task.FromResult(new byte[size]));

    // ---- connect

    [Fact]
    public async Task Connecting_with_a_good_token_names_the_account_and_reads_the_instance_limits()
    {
        _server.MaxCharacters = 1000;
        _server.CharactersReservedPerUrl = 30;
        _server.MaxMediaAttachments = 6;

        var outcome = await ConnectAsync();

        Assert.True(outcome.Succeeded);
        Assert.Equal($"@lumen@{_server.Authority}", outcome.AccountName);
        Assert.Equal($"{_server.BaseAddress}@lumen", outcome.AccountUrl);
        Assert.Equal(_token, outcome.Secret);
        Assert.Equal(1000, outcome.Limits!.MaxCharacters);
        Assert.Equal(30, outcome.Limits.CharactersReservedPerUrl);
        Assert.Equal(6, outcome.Limits.MaxMediaAttachments);
        Assert.Equal(16_777_216, outcome.Limits.ImageSizeLimit);
        Assert.Equal(new[] { "image/jpeg", "image/png", "image/gif", "image/webp" }, outcome.Limits.SupportedMimeTypes!);
        Assert.Equal("1000", outcome.Settings!["maxCharacters"]);
        Assert.DoesNotContain(outcome.Settings.Values, v => v.Contains(_token));
    }

    [Fact]
    public async Task Connecting_with_a_refused_token_says_so_on_the_token_field()
    {
        var outcome = await ConnectAsync(token: "not-a-token");

        var problem = Assert.Single(outcome.Problems);
        Assert.Equal("accessToken", problem.Field);
        Assert.Equal($"The instance {_server.Authority} refused this access token: check that it was copied whole and has not been revoked.", problem.ToString());
    }

    [Fact]
    public async Task Connecting_to_an_unreachable_instance_says_so_on_the_address_field()
    {
        var closed = ClosedPort();
        var outcome = await ConnectAsync(instance: $"http://127.0.0.1:{closed}");

        var problem = Assert.Single(outcome.Problems);
        Assert.Equal("instanceUrl", problem.Field);
        Assert.Equal($"The instance 127.0.0.1:{closed} cannot be reached: check its address, or try again later.", problem.ToString());
    }

    [Theory]
    [InlineData("http://mastodon.social", "The instance address must start with https://")]
    [InlineData("", "Enter the address of the Mastodon instance")]
    [InlineData("ftp://mastodon.social", "is not the address of a Mastodon instance")]
    public async Task An_instance_address_that_is_not_https_outside_this_computer_is_refused_before_any_call(string typed, string expected)
    {
        var outcome = await ConnectAsync(instance: typed);

        var problem = Assert.Single(outcome.Problems);
        Assert.Equal("instanceUrl", problem.Field);
        Assert.Contains(expected, problem.ToString());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void An_instance_typed_without_scheme_or_with_a_profile_path_becomes_its_https_root()
    {
        Assert.Equal("https://piaille.fr/", MastodonNetwork.ParseInstanceUrl("piaille.fr").Instance!.ToString());
        Assert.Equal("https://piaille.fr/", MastodonNetwork.ParseInstanceUrl(" https://piaille.fr/@lumen ").Instance!.ToString());
        Assert.Equal("http://localhost:5310/", MastodonNetwork.ParseInstanceUrl("http://localhost:5310").Instance!.ToString());
    }

    // ---- send

    [Fact]
    public async Task A_post_with_an_image_waits_for_processing_and_carries_its_alt_text_visibility_language_and_warning()
    {
        var channel = await ChannelAsync();
        _server.MediaPollsBeforeReady = 3;
        var request = Request(channel, _network.NewDeliveryKey(DateTime.UtcNow),
            [Part("Nouvelle collection d’automne ✨", Image("lampe.png", 200_000, "Une lampe en laiton sur une table en chêne"))],
            options: new() { ["visibility"] = "unlisted", ["spoilerText"] = "Annonce" });

        var outcome = await _network.SendAsync(request, CancellationToken.None);

        Assert.Equal(SendStatus.Published, outcome.Status);
        var status = Assert.Single(_server.Statuses);
        var sent = Assert.Single(outcome.SentParts);
        Assert.Equal(status.Id, sent.RemoteId);
        Assert.Equal($"{_server.BaseAddress}@lumen/{status.Id}", sent.RemoteUrl);
        var media = Assert.Single(status.Media);
        Assert.Equal("Une lampe en laiton sur une table en chêne", media.Description);
        Assert.Equal(0, media.PollsLeft);
        Assert.Equal(3, _server.Count("GET /api/v1/media/:id")); // 206, 206, then 200 with its url
        Assert.Equal(("unlisted", "fr", "Annonce"), (status.Visibility, status.Language, status.SpoilerText));
        Assert.Equal("Nouvelle collection d’automne ✨", status.Text);
    }

    [Fact]
    public async Task A_thread_of_three_parts_goes_out_in_order_each_replying_to_the_previous()
    {
        var channel = await ChannelAsync();
        var key = _network.NewDeliveryKey(DateTime.UtcNow);
        var outcome = await _network.SendAsync(Request(channel, key,
            [Part("1/3 Notre atelier ouvre ses portes."), Part("2/3 Samedi de 10 h à 18 h."), new DeliveryPart("3/3 Tout le programme :", "https://lumen.example/atelier", [])]),
            CancellationToken.None);

        Assert.Equal(SendStatus.Published, outcome.Status);
        var statuses = _server.Statuses;
        Assert.Equal(3, statuses.Count);
        Assert.Equal(new[] { "1/3 Notre atelier ouvre ses portes.", "2/3 Samedi de 10 h à 18 h.", "3/3 Tout le programme :\n\nhttps://lumen.example/atelier" },
            statuses.Select(s => s.Text));
        Assert.Null(statuses[0].InReplyToId);
        Assert.Equal(statuses[0].Id, statuses[1].InReplyToId);
        Assert.Equal(statuses[1].Id, statuses[2].InReplyToId);
        Assert.Equal(new[] { $"{key}-0", $"{key}-1", $"{key}-2" }, statuses.Select(s => s.IdempotencyKey));
        Assert.Equal(statuses.Select(s => s.Id), outcome.SentParts.Select(p => p.RemoteId));
        Assert.Equal(new[] { 0, 1, 2 }, outcome.SentParts.Select(p => p.Index));
    }

    [Fact]
    public async Task A_retry_after_the_server_accepted_the_status_then_dropped_the_connection_publishes_it_once()
    {
        var channel = await ChannelAsync();
        var key = _network.NewDeliveryKey(DateTime.UtcNow);
        _server.FailNext("POST", "/api/v1/statuses", new MastodonFault.AcceptThenDrop());
        var first = Request(channel, key, [Part("Les ateliers reprennent lundi.")]);

        var lost = await _network.SendAsync(first, CancellationToken.None);
        Assert.Equal(SendStatus.Unknown, lost.Status);
        Assert.Empty(lost.SentParts);
        Assert.Single(_server.Statuses); // it did go through

        _clock.Advance(TimeSpan.FromMinutes(10));
        var reconcile = await _network.ReconcileAsync(first with { Attempt = 2 }, CancellationToken.None);
        Assert.Equal(ReconcileStatus.NotFound, reconcile.Status); // the key still protects a resend
        var retry = await _network.SendAsync(first with { Attempt = 2 }, CancellationToken.None);

        Assert.Equal(SendStatus.Published, retry.Status);
        var status = Assert.Single(_server.Statuses);
        Assert.Equal(status.Id, Assert.Single(retry.SentParts).RemoteId);
        Assert.Equal(2, _server.Count("POST /api/v1/statuses"));
    }

    [Fact]
    public async Task Past_the_idempotency_window_reconciliation_finds_the_status_and_nothing_is_sent_again()
    {
        var channel = await ChannelAsync();
        var key = _network.NewDeliveryKey(DateTime.UtcNow);
        var text = "Vernissage jeudi à 19 h : https://lumen.example/vernissage-de-l-automne-2026 — venez avec @amis@piaille.fr & vos proches !\n\nÀ jeudi.";
        _server.FailNext("POST", "/api/v1/statuses", new MastodonFault.AcceptThenDrop());
        var request = Request(channel, key, [Part(text)]);
        Assert.Equal(SendStatus.Unknown, (await _network.SendAsync(request, CancellationToken.None)).Status);
        _server.AddAccount("voisin"); // another account's statuses are not this one's
        _clock.Advance(TimeSpan.FromMinutes(61));

        var reconcile = await _network.ReconcileAsync(request with { Attempt = 2 }, CancellationToken.None);

        Assert.Equal(ReconcileStatus.Found, reconcile.Status);
        var status = Assert.Single(_server.Statuses);
        var part = Assert.Single(reconcile.SentParts);
        Assert.Equal((0, status.Id, $"{_server.BaseAddress}@lumen/{status.Id}"), (part.Index, part.RemoteId, part.RemoteUrl));
        Assert.Equal(1, _server.Count("POST /api/v1/statuses"));

        // Had the portal resent it now, the server (its key forgotten) would have posted it twice: that is why it looks first.
        var resend = await _network.SendAsync(request with { Attempt = 2 }, CancellationToken.None);
        Assert.Equal(2, _server.Statuses.Count);
        Assert.NotEqual(status.Id, Assert.Single(resend.SentParts).RemoteId);
    }

    [Fact]
    public async Task Past_the_window_a_thread_cut_after_its_first_part_is_found_up_to_there_and_goes_on_from_the_second()
    {
        var channel = await ChannelAsync();
        var key = _network.NewDeliveryKey(DateTime.UtcNow);
        var request = Request(channel, key, [Part("Première partie."), Part("Deuxième partie.")]);
        // Part 1 answers normally (a fault that changes nothing), part 2's connection drops before the server stores it.
        _server.FailNext("POST", "/api/v1/statuses", new MastodonFault.Slow(TimeSpan.Zero));
        _server.FailNext("POST", "/api/v1/statuses", new MastodonFault.DropBeforeAccept());
        var first = await _network.SendAsync(request, CancellationToken.None);
        Assert.Equal(SendStatus.Unknown, first.Status);
        Assert.Single(first.SentParts);
        _clock.Advance(TimeSpan.FromMinutes(90));

        // The outbox lost the first part's proof too (a crash before saving it): reconciliation reads it back.
        var reconcile = await _network.ReconcileAsync(request with { Attempt = 2 }, CancellationToken.None);
        Assert.Equal(ReconcileStatus.NotFound, reconcile.Status);
        Assert.Equal(_server.Statuses[0].Id, Assert.Single(reconcile.SentParts).RemoteId);

        var retry = await _network.SendAsync(request with { Attempt = 2, SentParts = reconcile.SentParts }, CancellationToken.None);
        Assert.Equal(SendStatus.Published, retry.Status);
        Assert.Equal(2, _server.Statuses.Count);
        Assert.Equal(_server.Statuses[0].Id, _server.Statuses[1].InReplyToId);
    }

    [Fact]
    public async Task A_post_the_instance_refuses_fails_at_once_with_the_instance_s_message()
    {
        var channel = await ChannelAsync();
        _server.FailNext("POST", "/api/v1/statuses", new MastodonFault.Error(422, "Validation failed: Text contains a forbidden word"));

        var outcome = await _network.SendAsync(Request(channel, "k", [Part("Bonjour")]), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, outcome.Status);
        Assert.Equal("Validation failed: Text contains a forbidden word", outcome.Message);
        Assert.Equal(422, outcome.HttpStatus);
        Assert.Empty(_server.Statuses);
    }

    [Fact]
    public async Task A_rate_limited_post_is_retried_later_after_the_time_the_instance_gives()
    {
        var channel = await ChannelAsync();
        _server.FailNext("POST", "/api/v1/statuses", new MastodonFault.Error(429, "Too many requests", TimeSpan.FromSeconds(120)));

        var outcome = await _network.SendAsync(Request(channel, "k", [Part("Bonjour")]), CancellationToken.None);

        Assert.Equal(SendStatus.RetryLater, outcome.Status);
        Assert.Equal(TimeSpan.FromSeconds(120), outcome.RetryAfter);
        Assert.Equal(429, outcome.HttpStatus);
    }

    [Fact]
    public async Task An_account_out_of_requests_gets_429_with_the_rate_limit_headers_and_retries_at_the_reset()
    {
        var channel = await ChannelAsync(); // two requests: verify_credentials (counted), instance (public)
        _server.RateLimit = 2;
        _clock.Advance(TimeSpan.FromMinutes(1));

        var outcome = await _network.SendAsync(Request(channel, "k", [Part("Un"), Part("Deux")]), CancellationToken.None);

        Assert.Equal(SendStatus.RetryLater, outcome.Status);
        Assert.Equal(TimeSpan.FromMinutes(4), outcome.RetryAfter);
        Assert.Single(outcome.SentParts); // the first part went out and is kept
        Assert.Single(_server.Statuses);

        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _token);
        var answer = await http.GetAsync("api/v1/accounts/verify_credentials");
        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.Equal("2", answer.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", answer.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal("2026-11-30T09:05:00.000000Z", answer.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.Equal(TimeSpan.FromMinutes(4), answer.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task A_server_error_or_an_unreachable_instance_is_retried_later_a_timeout_on_a_post_is_unknown()
    {
        var channel = await ChannelAsync();
        _server.FailNext("POST", "/api/v1/statuses", new MastodonFault.Error(500, "We're sorry, but something went wrong on our end."));
        Assert.Equal(SendStatus.RetryLater, (await _network.SendAsync(Request(channel, "k", [Part("Bonjour")]), CancellationToken.None)).Status);

        _network = NewNetwork(TimeSpan.FromMilliseconds(500));
        _server.FailNext("POST", "/api/v1/statuses", new MastodonFault.Slow(TimeSpan.FromSeconds(3)));
        var slow = await _network.SendAsync(Request(channel, "k", [Part("Bonjour")]), CancellationToken.None);
        Assert.Equal(SendStatus.Unknown, slow.Status);

        var gone = channel with { Settings = new Dictionary<string, string>(channel.Settings) { ["instanceUrl"] = $"http://127.0.0.1:{ClosedPort()}/" } };
        var unreachable = await _network.SendAsync(Request(gone, "k", [Part("Bonjour")]), CancellationToken.None);
        Assert.Equal(SendStatus.RetryLater, unreachable.Status);
    }

    [Fact]
    public async Task Text_too_long_for_the_instance_fails_before_anything_is_sent()
    {
        _server.MaxCharacters = 100;
        var channel = await ChannelAsync();
        var requestsBefore = _server.Requests.Count;

        var outcome = await _network.SendAsync(Request(channel, "k",
            [Part("Court."), Part(new string('a', 90) + " https://lumen.example/un-lien-tres-long-mais-compte-pour-vingt-trois")]), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, outcome.Status);
        Assert.Equal("Part 2 of the thread is 114 characters long; this Mastodon instance accepts 100.", outcome.Message);
        Assert.Equal(requestsBefore, _server.Requests.Count);
        Assert.Empty(_server.Statuses);
    }

    [Fact]
    public async Task An_image_too_large_for_the_instance_fails_before_anything_is_sent()
    {
        _server.ImageSizeLimit = 1_000_000;
        var channel = await ChannelAsync();

        var outcome = await _network.SendAsync(Request(channel, "k", [Part("Photo", Image("grande.png", 2_000_000, "Une grande photo"))]), CancellationToken.None);

        Assert.Equal(SendStatus.Failed, outcome.Status);
        Assert.Equal("The post: the image “grande.png” weighs 2000000 bytes; this Mastodon instance accepts 1000000.", outcome.Message);
        Assert.Equal(0, _server.Count("POST /api/v2/media"));
    }

    [Fact]
    public void A_status_rendered_by_Mastodon_reads_back_as_the_text_that_was_posted()
    {
        var text = "Vernissage : https://lumen.example/un-tres-long-chemin-qui-depasse-trente-caracteres?x=1 avec @amis@piaille.fr & <vous> !\n\nLigne 2\nLigne 3";
        var html = MastodonTestServer.Render(text);

        Assert.Equal(MastodonNetwork.NormalizeText(text), MastodonNetwork.NormalizeText(MastodonNetwork.HtmlToText(html)));
        Assert.Equal(MastodonNetwork.NormalizeText("Bonjour @amis"), MastodonNetwork.NormalizeText(MastodonNetwork.HtmlToText(
            "<p>Bonjour <span class=\"h-card\"><a href=\"https://piaille.fr/@amis\" class=\"u-url mention\">@<span>amis</span></a></span></p>")));
    }

    [Fact]
    public void Each_delivery_gets_a_new_random_key_and_each_part_its_own_idempotency_key()
    {
        var a = _network.NewDeliveryKey(DateTime.UtcNow);
        var b = _network.NewDeliveryKey(DateTime.UtcNow);
        Assert.NotEqual(a, b);
        Assert.True(Guid.TryParse(a, out _));
        Assert.Equal($"{a}-2", MastodonNetwork.IdempotencyKey(a, 2));
    }

    internal static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
