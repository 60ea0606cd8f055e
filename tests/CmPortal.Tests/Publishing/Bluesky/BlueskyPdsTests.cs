using System.Text;
using System.Text.Json.Nodes;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Networks.Bluesky;
using CmPortal.Tests.Infrastructure;
using static CmPortal.Tests.Publishing.Bluesky.BlueskyChannels;

namespace CmPortal.Tests.Publishing.Bluesky;

/// <summary>The Bluesky channel against Bluesky's own server (the reference PDS, offline): what a real PDS stores.</summary>
[Collection(BlueskyPdsCollection.Name)]
public sealed class BlueskyPdsTests(BlueskyPdsFixture pds) : IDisposable
{
    private readonly BlueskyChannels _bluesky = new();

    public void Dispose() => _bluesky.Dispose();

    [Fact]
    public async Task Connecting_logs_in_once_and_keeps_the_session_the_DID_and_the_app_password_as_the_secret()
    {
        var account = await pds.CreateAccountAsync("lumen");

        var outcome = await _bluesky.ConnectAsync(pds.PdsUrl, "@" + account.Handle, account.AppPassword);

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Problems));
        Assert.Equal("@" + account.Handle, outcome.AccountName);
        Assert.Equal("https://bsky.app/profile/" + account.Handle, outcome.AccountUrl);
        Assert.Equal(account.Did, outcome.Settings!["did"]);
        Assert.Equal(pds.PdsUrl, outcome.Settings["pdsUrl"]);
        Assert.Equal(300, outcome.Limits!.MaxCharacters);
        var secret = JsonNode.Parse(outcome.Secret!)!;
        Assert.Equal(account.Did, secret["did"]!.GetValue<string>());
        Assert.Equal(account.AppPassword, secret["appPassword"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(secret["refreshJwt"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_wrong_app_password_is_refused_on_the_app_password_field()
    {
        var account = await pds.CreateAccountAsync("lumen");

        var outcome = await _bluesky.ConnectAsync(pds.PdsUrl, account.Handle, "aaaa-bbbb-cccc-dddd");

        var problem = Assert.Single(outcome.Problems);
        Assert.Equal("appPassword", problem.Field);
        Assert.Contains("refused this handle and app password", problem.Template);
        Assert.Null(outcome.Secret);
    }

    [Fact]
    public async Task A_post_carries_link_mention_and_hashtag_facets_at_their_UTF8_byte_offsets_and_its_language()
    {
        var author = await pds.CreateAccountAsync("lumen");
        var friend = await pds.CreateAccountAsync("atelier");
        var channel = await _bluesky.ConnectChannelAsync(pds.PdsUrl, author.Handle, author.AppPassword);
        var text = $"Été 🕯️👩‍💻 chez @{friend.Handle} : https://maison-lumen.test/bougies?ref=été, #BougieParfumée !";

        var outcome = await _bluesky.SendAsync(channel, _bluesky.Network.NewDeliveryKey(DateTime.UtcNow), [Part(text)]);

        Assert.Equal(SendStatus.Published, outcome.Status);
        var part = Assert.Single(outcome.SentParts);
        Assert.StartsWith($"at://{author.Did}/app.bsky.feed.post/", part.RemoteId);
        Assert.Equal($"https://bsky.app/profile/{author.Handle}/post/{part.RemoteId.Split('/')[^1]}", part.RemoteUrl);
        var stored = await pds.GetRecordAsync(part.RemoteId);
        Assert.Equal(part.Reference, stored["cid"]!.GetValue<string>());
        var value = stored["value"]!;
        Assert.Equal(text, value["text"]!.GetValue<string>());
        Assert.Equal("fr", value["langs"]![0]!.GetValue<string>());
        var bytes = Encoding.UTF8.GetBytes(value["text"]!.GetValue<string>());
        var facets = value["facets"]!.AsArray().Select(f => (
            Slice: Encoding.UTF8.GetString(bytes, f!["index"]!["byteStart"]!.GetValue<int>(), f["index"]!["byteEnd"]!.GetValue<int>() - f["index"]!["byteStart"]!.GetValue<int>()),
            Feature: f["features"]![0]!)).ToList();
        Assert.Equal(3, facets.Count);
        Assert.Equal("@" + friend.Handle, facets[0].Slice);
        Assert.Equal(friend.Did, facets[0].Feature["did"]!.GetValue<string>());
        Assert.Equal("https://maison-lumen.test/bougies?ref=été", facets[1].Slice);
        Assert.Equal("https://maison-lumen.test/bougies?ref=été", facets[1].Feature["uri"]!.GetValue<string>());
        Assert.Equal("#BougieParfumée", facets[2].Slice);
        Assert.Equal("BougieParfumée", facets[2].Feature["tag"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_image_goes_up_as_a_blob_and_the_post_embeds_it_with_its_alt_text()
    {
        var author = await pds.CreateAccountAsync("lumen");
        var channel = await _bluesky.ConnectChannelAsync(pds.PdsUrl, author.Handle, author.AppPassword);
        var png = TestImages.Png(40, 30);

        var outcome = await _bluesky.SendAsync(channel, _bluesky.Network.NewDeliveryKey(DateTime.UtcNow),
            [Part("La bougie d’hiver", Image(png, "Une bougie ambrée allumée sur une table en bois"))]);

        Assert.Equal(SendStatus.Published, outcome.Status);
        var embed = (await pds.GetRecordAsync(outcome.SentParts[0].RemoteId))["value"]!["embed"]!;
        Assert.Equal("app.bsky.embed.images", embed["$type"]!.GetValue<string>());
        var image = Assert.Single(embed["images"]!.AsArray())!;
        Assert.Equal("Une bougie ambrée allumée sur une table en bois", image["alt"]!.GetValue<string>());
        Assert.Equal("image/png", image["image"]!["mimeType"]!.GetValue<string>());
        Assert.Equal(png.Length, image["image"]!["size"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_delivery_whose_first_write_went_through_is_sent_again_and_stays_one_post()
    {
        var author = await pds.CreateAccountAsync("lumen");
        var channel = await _bluesky.ConnectChannelAsync(pds.PdsUrl, author.Handle, author.AppPassword);
        var key = _bluesky.Network.NewDeliveryKey(DateTime.UtcNow);
        var first = await _bluesky.SendAsync(channel, key, [Part("Ouverture de la boutique samedi")]);
        Assert.Equal(SendStatus.Published, first.Status);

        // The portal crashed before recording the proof: the same delivery is sent again with nothing marked sent.
        var again = await _bluesky.SendAsync(channel, key, [Part("Ouverture de la boutique samedi")]);

        Assert.Equal(SendStatus.Published, again.Status);
        Assert.Equal(first.SentParts[0].RemoteId, again.SentParts[0].RemoteId);
        Assert.Equal(first.SentParts[0].Reference, again.SentParts[0].Reference);
        Assert.Single(await pds.ListRecordsAsync(author.Did));
        var reconciled = await _bluesky.Network.ReconcileAsync(channel.Request(key, [Part("Ouverture de la boutique samedi")]), CancellationToken.None);
        Assert.Equal(ReconcileStatus.Found, reconciled.Status);
        Assert.Equal(first.SentParts[0].RemoteId, reconciled.SentParts[0].RemoteId);
    }

    [Fact]
    public async Task A_thread_goes_out_in_order_each_part_replying_to_the_one_before_under_the_first()
    {
        var author = await pds.CreateAccountAsync("lumen");
        var channel = await _bluesky.ConnectChannelAsync(pds.PdsUrl, author.Handle, author.AppPassword);

        var outcome = await _bluesky.SendAsync(channel, _bluesky.Network.NewDeliveryKey(DateTime.UtcNow),
            [Part("1/3 Notre atelier"), Part("2/3 La cire"), Part("3/3 Les mèches")]);

        Assert.Equal(SendStatus.Published, outcome.Status);
        Assert.Equal([0, 1, 2], outcome.SentParts.Select(p => p.Index));
        var third = (await pds.GetRecordAsync(outcome.SentParts[2].RemoteId))["value"]!;
        Assert.Equal(outcome.SentParts[0].RemoteId, third["reply"]!["root"]!["uri"]!.GetValue<string>());
        Assert.Equal(outcome.SentParts[0].Reference, third["reply"]!["root"]!["cid"]!.GetValue<string>());
        Assert.Equal(outcome.SentParts[1].RemoteId, third["reply"]!["parent"]!["uri"]!.GetValue<string>());
        Assert.Equal(3, (await pds.ListRecordsAsync(author.Did)).Count);
    }

    [Fact]
    public async Task A_session_the_PDS_no_longer_accepts_is_refreshed_and_the_new_one_saved_without_logging_in()
    {
        var author = await pds.CreateAccountAsync("lumen");
        var channel = await _bluesky.ConnectChannelAsync(pds.PdsUrl, author.Handle, author.AppPassword);
        var connected = JsonNode.Parse(channel.Secret!)!.AsObject();
        // The stored access token is refused (the PDS answers 400 InvalidToken, as it answers ExpiredToken once expired).
        connected["accessJwt"] = "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl";
        // A wrong app password in the secret: had the client logged in again instead of refreshing, it would fail.
        connected["appPassword"] = "wrong-wrong-wrong-wrong";
        channel.Secret = connected.ToJsonString();

        var outcome = await _bluesky.SendAsync(channel, _bluesky.Network.NewDeliveryKey(DateTime.UtcNow), [Part("Nouvelle collection")]);

        Assert.Equal(SendStatus.Published, outcome.Status);
        Assert.Equal(1, channel.SecretSaves);
        var renewed = JsonNode.Parse(channel.Secret!)!;
        Assert.NotEqual(connected["refreshJwt"]!.GetValue<string>(), renewed["refreshJwt"]!.GetValue<string>());
        Assert.Equal("wrong-wrong-wrong-wrong", renewed["appPassword"]!.GetValue<string>());
    }
}
