using CmPortal.Core.Validation;

namespace CmPortal.Modules.Publishing.Contracts;

/// <summary>
/// How the inbox answers a Mastodon or Bluesky post through one of the current workspace's channels: the reply goes
/// through the outbox (due at once, the same lease, idempotency, retries and log as posts) and is sent exactly once.
/// The inbox keeps only the id <see cref="SendAsync"/> returns and reads the reply's state back with
/// <see cref="StatesAsync"/>; no table is shared between the modules (docs/publishing.md, "Replies from the inbox").
/// </summary>
public interface IPublishingReplies
{
    /// <summary>
    /// Queues the reply (checked against the channel's network and length) and returns its id. The same
    /// <see cref="ReplyToSend.RequestKey"/> asked twice (a double click, two tabs) returns the first reply's id and
    /// sends nothing more.
    /// </summary>
    Task<ReplySendOutcome> SendAsync(ReplyToSend reply, CancellationToken ct);

    /// <summary>The state of the current workspace's replies among <paramref name="ids"/> (another workspace's are not there).</summary>
    Task<IReadOnlyList<ReplyStatus>> StatesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct);
}

/// <summary>A reply to send, in reply to a remote post.</summary>
/// <param name="ChannelId">One of the workspace's Mastodon or Bluesky channels.</param>
/// <param name="AuthorUserId">The member who wrote it (shown with the reply).</param>
/// <param name="RequestKey">Chosen by the caller, the same for a repeat of the same request (≤ 100 characters).</param>
/// <param name="RemoteId">The post's id as the network gave it to the caller: a Mastodon status id, a Bluesky at:// URI.</param>
/// <param name="RemoteUrl">The post's public address (a Mastodon status found elsewhere is looked up by it).</param>
/// <param name="ReadThroughChannelId">The channel the caller read <paramref name="RemoteId"/> through, when it did.</param>
/// <param name="ReadFromInstance">The Mastodon instance <paramref name="RemoteId"/> comes from, when known (a public instance).</param>
public sealed record ReplyToSend(
    Guid ChannelId, string Text, Guid AuthorUserId, string RequestKey, string RemoteId, string? RemoteUrl,
    Guid? ReadThroughChannelId = null, string? ReadFromInstance = null);

/// <summary>The queued reply's id, or why it was refused (nothing queued).</summary>
public sealed record ReplySendOutcome(Guid? ReplyId, IReadOnlyList<Problem> Problems)
{
    public bool Succeeded => ReplyId is not null && Problems.Count == 0;
}

/// <summary>Where a reply stands.</summary>
public enum ReplyState
{
    /// <summary>In the outbox: due now, retried, or held by a paused channel.</summary>
    Waiting,

    /// <summary>On the network, with its address.</summary>
    Sent,

    /// <summary>Refused by the network (its message) or given up after retries.</summary>
    Failed,

    Canceled,
}

/// <summary>A reply as the inbox shows it.</summary>
/// <param name="Message">For a failed reply: the network's own words (shown inside a translated sentence).</param>
/// <param name="HttpStatus">For a failed reply: the status code the network answered last, null when none came.</param>
public sealed record ReplyStatus(
    Guid Id, Guid ChannelId, string ChannelName, string Kind, string Text, Guid AuthorUserId, DateTime CreatedUtc, ReplyState State,
    string? RemoteUrl, DateTime? SentUtc, string? Message, int? HttpStatus = null);
