using CmPortal.Modules.Publishing.Contracts;
using System.Collections.Concurrent;
using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Channels;

namespace CmPortal.Tests.Publishing;

/// <summary>What the test network does on a call: answer with a status, or take the post and then drop the connection.</summary>
public enum TestAnswer { Publish, RetryLater, Fail, Unknown, AcceptThenDrop, PublishWithoutProof }

/// <summary>
/// The far side of the test network: the posts it really published (by delivery key: a second one for the same key is a
/// duplicate), and the answers it will give next. Shared by every scope of the host (and by two hosts in a cluster test).
/// </summary>
public sealed class TestNetworkServer
{
    private readonly ConcurrentQueue<TestAnswer> _script = new();

    /// <summary>Every post that went out: delivery key, text, node's attempt number.</summary>
    public ConcurrentQueue<(string Key, string Text, int Attempt, Guid ChannelId)> Published { get; } = new();

    /// <summary>Every call to SendAsync, with the key it carried.</summary>
    public ConcurrentQueue<(string Key, int Attempt)> Calls { get; } = new();
    public ConcurrentQueue<string> Reconciled { get; } = new();

    public TimeSpan Delay { get; set; }

    public void Then(params TestAnswer[] answers) { foreach (var a in answers) _script.Enqueue(a); }

    internal TestAnswer Next() => _script.TryDequeue(out var answer) ? answer : TestAnswer.Publish;

    public int CountOf(string key) => Published.Count(p => p.Key == key);
}

/// <summary>A network of the tests (kind "test"): records what it sends, answers as scripted.</summary>
internal sealed class TestNetwork(TestNetworkServer server) : IChannelNetwork
{
    public string Kind => "test";

    public Task<ConnectOutcome> ConnectAsync(ConnectRequest request, CancellationToken ct)
    {
        var token = request.Fields.GetValueOrDefault("token");
        if (token != "good-token") return Task.FromResult(ConnectOutcome.Refused(new Problem("token", "The network refused this token.")));
        return Task.FromResult(new ConnectOutcome([], "@lumen@test.example", "https://test.example/@lumen",
            new Dictionary<string, string> { ["network"] = request.Fields.GetValueOrDefault("network") ?? "mastodon" }, token));
    }

    public string NewDeliveryKey(DateTime utcNow) => "test-" + Guid.NewGuid().ToString("N");

    public async Task<SendOutcome> SendAsync(SendRequest request, CancellationToken ct)
    {
        server.Calls.Enqueue((request.DeliveryKey, request.Attempt));
        if (server.Delay > TimeSpan.Zero) await Task.Delay(server.Delay, ct);
        var text = request.Parts[0].Text;
        switch (server.Next())
        {
            case TestAnswer.RetryLater: return new SendOutcome(SendStatus.RetryLater, request.SentParts, "Too many requests", 429, TimeSpan.FromMilliseconds(50));
            case TestAnswer.Fail: return new SendOutcome(SendStatus.Failed, request.SentParts, "Validation failed: Text character limit of 500 exceeded", 422);
            case TestAnswer.Unknown: return new SendOutcome(SendStatus.Unknown, request.SentParts, "Timeout");
            case TestAnswer.AcceptThenDrop:
                server.Published.Enqueue((request.DeliveryKey, text, request.Attempt, request.Channel.ChannelId));
                return new SendOutcome(SendStatus.Unknown, request.SentParts, "Connection reset after the request was sent");
            case TestAnswer.PublishWithoutProof:
                server.Published.Enqueue((request.DeliveryKey, text, request.Attempt, request.Channel.ChannelId));
                return new SendOutcome(SendStatus.Published, [], null, 200);
            default:
                server.Published.Enqueue((request.DeliveryKey, text, request.Attempt, request.Channel.ChannelId));
                return SendOutcome.Published([new SentPart(0, "id-" + request.DeliveryKey, "https://test.example/@lumen/" + request.DeliveryKey)]);
        }
    }

    /// <summary>Looks the delivery key up among what went out, as a network's "recent posts" would.</summary>
    public Task<ReconcileOutcome> ReconcileAsync(SendRequest request, CancellationToken ct)
    {
        server.Reconciled.Enqueue(request.DeliveryKey);
        return Task.FromResult(server.CountOf(request.DeliveryKey) > 0
            ? new ReconcileOutcome(ReconcileStatus.Found, [new SentPart(0, "id-" + request.DeliveryKey, "https://test.example/@lumen/" + request.DeliveryKey)])
            : new ReconcileOutcome(ReconcileStatus.NotFound, []));
    }
}
