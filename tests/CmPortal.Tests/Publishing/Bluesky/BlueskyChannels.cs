using System.Collections.Concurrent;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Networks.Bluesky;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing.Bluesky;

/// <summary>
/// The Bluesky network as the portal registers it (its DI registration, HttpClient "bluesky" and sessions), and a
/// channel whose secret is kept here as the channel service would keep it: each save replaces it and is counted.
/// </summary>
public sealed class BlueskyChannels : IDisposable
{
    private readonly ServiceProvider _services;

    public BlueskyChannels(TimeSpan? requestTimeout = null)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        BlueskyNetwork.Register(services);
        if (requestTimeout is { } timeout) services.AddHttpClient(BlueskyClient.HttpClientName, http => http.Timeout = timeout);
        _services = services.BuildServiceProvider();
        Network = _services.CreateScope().ServiceProvider.GetServices<IChannelNetwork>().Single(n => n.Kind == "bluesky");
    }

    public IChannelNetwork Network { get; }

    public Task<ConnectOutcome> ConnectAsync(string pdsUrl, string handle, string appPassword) =>
        Network.ConnectAsync(new ConnectRequest(new Dictionary<string, string>
        {
            ["handle"] = handle, ["appPassword"] = appPassword, ["pdsUrl"] = pdsUrl,
        }, "fr-FR"), CancellationToken.None);

    /// <summary>Connects and keeps the channel; fails the test if the network refuses.</summary>
    public async Task<StoredChannel> ConnectChannelAsync(string pdsUrl, string handle, string appPassword)
    {
        var outcome = await ConnectAsync(pdsUrl, handle, appPassword);
        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Problems));
        return new StoredChannel(outcome);
    }

    public Task<SendOutcome> SendAsync(StoredChannel channel, string key, IReadOnlyList<DeliveryPart> parts, IReadOnlyList<SentPart>? sent = null) =>
        Network.SendAsync(channel.Request(key, parts, sent), CancellationToken.None);

    public static DeliveryPart Part(string text, params DeliveryMedia[] media) => new(text, null, media);

    public static DeliveryMedia Image(byte[] bytes, string alt, string name = "bougie.png", string type = "image/png") =>
        new(Guid.NewGuid(), name, type, bytes.Length, alt, _ => Task.FromResult(bytes));

    public void Dispose() => _services.Dispose();
}

/// <summary>A connected channel: its settings and its secret, replaced at each <c>SaveSecretAsync</c>.</summary>
public sealed class StoredChannel(ConnectOutcome connected)
{
    private readonly ConcurrentQueue<string> _saves = new();

    public Guid Id { get; } = Guid.NewGuid();
    public ConnectOutcome Connected { get; } = connected;
    public string? Secret { get; set; } = connected.Secret;
    public int SecretSaves => _saves.Count;

    public ChannelAccount Account => new(Id, "bluesky", Connected.AccountName!, Connected.Settings!, Secret, (secret, _) =>
    {
        _saves.Enqueue(secret);
        Secret = secret;
        return Task.CompletedTask;
    });

    public SendRequest Request(string key, IReadOnlyList<DeliveryPart> parts, IReadOnlyList<SentPart>? sent = null) =>
        new(Guid.NewGuid(), key, Account, parts, sent ?? [], 1, null, "fr", new Dictionary<string, string>(), Guid.NewGuid(), DateTime.UtcNow);
}
