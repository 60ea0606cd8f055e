using CmPortal.Core.Workspaces;

namespace CmPortal.Modules.Publishing.Data;

/// <summary>Whether a channel sends. Only <see cref="Active"/> channels send; the others keep their deliveries waiting.</summary>
internal enum ChannelState { Active, Paused, NeedsSecret, NeedsReconnect }

/// <summary>A workspace's account on a network (a Mastodon account, a Bluesky handle, a webhook, a manual channel).</summary>
internal sealed class Channel : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>The <see cref="Channels.IChannelNetwork.Kind"/> that serves it: "mastodon", "bluesky", "webhook", "manual"…</summary>
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string? AccountName { get; set; }
    public string? AccountUrl { get; set; }

    /// <summary>What is not secret, as the network gave it at connect (instance URL, handle, webhook URL, network of a manual channel).</summary>
    public string SettingsJson { get; set; } = "{}";

    /// <summary>The secret, encrypted with Data Protection (purpose "CmPortal.Publishing.ChannelSecrets"); never logged nor exported.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>The network's own limits (characters, media: JSON of <see cref="Contracts.NetworkLimits"/>), as last read from it.</summary>
    public string? LimitsJson { get; set; }

    /// <summary>When <see cref="LimitsJson"/> was read (connect, reconnect, then daily by the planning job); null before.</summary>
    public DateTime? LimitsReadUtc { get; set; }
    public ChannelState State { get; set; } = ChannelState.Active;

    /// <summary>For a manual channel: the member who posts by hand.</summary>
    public Guid? AssigneeUserId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
}

/// <summary>Where a delivery stands in the outbox.</summary>
/// <summary>Where a delivery is. <see cref="Held"/>: a promotional post that came due during a crisis, waiting for a person.</summary>
internal enum DeliveryState { Pending, Sending, Published, Failed, Canceled, AwaitingPerson, Held }

/// <summary>
/// One occurrence of a post for one channel: the unit the outbox sends exactly once. Unique per channel, post and
/// occurrence, so planning it twice is harmless.
/// </summary>
internal sealed class Delivery : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ChannelId { get; set; }
    public Guid PostId { get; set; }
    public DateTime OccurrenceUtc { get; set; }

    /// <summary>When it should go: the occurrence, or earlier after "publish now".</summary>
    public DateTime DueUtc { get; set; }

    /// <summary>The post's network (a <c>SocialNetworks</c> id) whose variant goes to this channel.</summary>
    public string Network { get; set; } = "";
    public DeliveryState State { get; set; } = DeliveryState.Pending;

    /// <summary>Chosen once by the network (<see cref="Channels.IChannelNetwork.NewDeliveryKey"/>), the same on every attempt.</summary>
    public string DeliveryKey { get; set; } = "";
    public int Attempts { get; set; }
    public DateTime? FirstAttemptUtc { get; set; }
    public DateTime? NextAttemptUtc { get; set; }

    /// <summary>The node (and worker) holding the delivery while it sends, until <see cref="LeaseUntilUtc"/>.</summary>
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntilUtc { get; set; }

    /// <summary>The parts already sent, with their proof (JSON of <see cref="Channels.SentPart"/>): never sent again.</summary>
    public string? SentPartsJson { get; set; }
    public string? RemoteId { get; set; }
    public string? RemoteUrl { get; set; }
    public string? LastError { get; set; }
    public DateTime? PublishedUtc { get; set; }
    public string? CanceledReason { get; set; }

    /// <summary>A person sent it on after it was held during a crisis: the crisis no longer holds it.</summary>
    public bool HoldLifted { get; set; }

    /// <summary>
    /// A reply from the inbox (<see cref="Reply"/>) rather than a calendar post. Its <see cref="PostId"/> then repeats
    /// the reply's id (so the unique channel + post + occurrence key still holds one delivery per reply) and means no
    /// calendar post: the planner, the calendar and crisis holds leave such deliveries alone.
    /// </summary>
    public Guid? ReplyId { get; set; }

    /// <summary>Raised by every change; claims compare it (a conditional UPDATE), so two workers never both win.</summary>
    public int Version { get; set; }
}

/// <summary>One attempt of a delivery, written before the network is called and completed after: the per-post log.</summary>
internal sealed class DeliveryAttempt : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid DeliveryId { get; set; }
    public DateTime StartedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }

    /// <summary>"Sending" while under way, then a <see cref="Channels.SendStatus"/> or a reconcile outcome.</summary>
    public string Outcome { get; set; } = "";
    public int? HttpStatus { get; set; }
    public string? Message { get; set; }
}

/// <summary>
/// A reply the inbox asked to send to a remote post through a channel (docs/publishing.md, "Replies from the inbox"):
/// its text and what it answers. One delivery points at it (<see cref="Delivery.ReplyId"/>) and sends it.
/// </summary>
internal sealed class Reply : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ChannelId { get; set; }
    public string Text { get; set; } = "";

    /// <summary>The post answered: its id as the inbox read it (a Mastodon status id, a Bluesky at:// URI).</summary>
    public string InReplyToId { get; set; } = "";
    public string? InReplyToUrl { get; set; }

    /// <summary>The channel the id was read through, or the public instance it comes from (Mastodon ids are per instance).</summary>
    public Guid? ReadThroughChannelId { get; set; }
    public string? ReadFromInstance { get; set; }
    public Guid AuthorUserId { get; set; }

    /// <summary>The caller's key for this request: asked again, the same reply answers (unique per workspace).</summary>
    public string RequestKey { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
}
