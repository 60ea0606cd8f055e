using CmPortal.Core.Validation;

namespace CmPortal.Modules.Publishing.Contracts;

/// <summary>
/// A kind of channel the portal publishes to: Mastodon, Bluesky, the blog, a webhook, a manual channel. A network
/// added later is one class behind this contract, in this module or in a module of its own (registered with
/// <c>module.Services.AddScoped&lt;IChannelNetwork, TheNetwork&gt;()</c>) and its own test server; the outbox,
/// its retries, leases and log are the same for every network.
/// <para>
/// What a network must guarantee: <see cref="SendAsync"/> may be called again for the same delivery after a
/// timeout, a crash or a dropped connection, with the same <see cref="SendRequest.DeliveryKey"/>; it must then not
/// publish twice (an idempotency key, a record key chosen once, a lookup before writing…). Parts already recorded
/// in <see cref="SendRequest.SentParts"/> are never sent again.
/// </para>
/// </summary>
public interface IChannelNetwork
{
    /// <summary>The channel kind this class serves: "mastodon", "bluesky", "blog", "webhook", "manual".</summary>
    string Kind { get; }

    /// <summary>
    /// Checks what a member gave to connect a channel (instance, token, handle, app password, URL and secret…)
    /// against the network itself, and says what the portal keeps. Never logs the secrets it is given.
    /// </summary>
    Task<ConnectOutcome> ConnectAsync(ConnectRequest request, CancellationToken ct);

    /// <summary>
    /// The key of a new delivery, chosen once and kept for all its attempts: a Mastodon <c>Idempotency-Key</c>, a
    /// Bluesky record key (a TID), a webhook's <c>webhook-id</c>, the blog's article key.
    /// </summary>
    string NewDeliveryKey(DateTime utcNow);

    /// <summary>Publishes the parts of a delivery not yet in <see cref="SendRequest.SentParts"/>, in order.</summary>
    Task<SendOutcome> SendAsync(SendRequest request, CancellationToken ct);

    /// <summary>
    /// An earlier attempt ended without an answer (timeout, dropped connection, a crash while sending): find out,
    /// from the network, whether it went out, before anything is sent again.
    /// </summary>
    Task<ReconcileOutcome> ReconcileAsync(SendRequest request, CancellationToken ct);

    /// <summary>
    /// Reads again what the network accepts from a connected channel (Mastodon: <c>GET /api/v2/instance</c>), as
    /// <see cref="ConnectAsync"/> did: the planning job calls it once a channel's limits are a day old. Null when the
    /// network has no limits of its own to say (the default) or cannot say now; the limits kept stay then.
    /// </summary>
    Task<NetworkLimits?> ReadLimitsAsync(ChannelAccount channel, CancellationToken ct) => Task.FromResult<NetworkLimits?>(null);
}

/// <summary>A stored channel as its network sees it: non-secret settings and the decrypted secret.</summary>
/// <param name="Settings">What is not secret: instance URL, handle, DID, PDS URL, webhook URL, visibility…</param>
/// <param name="Secret">The decrypted secret (access token, session, app password, webhook secret), or null.</param>
/// <param name="SaveSecretAsync">Stores a new secret for the channel (a refreshed session), encrypted, at once.</param>
/// <param name="Limits">What the network accepts, as last read from it (connect, reconnect, daily); null when it said nothing.</param>
public sealed record ChannelAccount(
    Guid ChannelId, string Kind, string Name, IReadOnlyDictionary<string, string> Settings, string? Secret,
    Func<string, CancellationToken, Task> SaveSecretAsync, NetworkLimits? Limits = null);

/// <summary>What a member typed to connect a channel, by field name (the form's and the API's names).</summary>
/// <param name="Culture">The workspace's culture ("fr-FR"), for messages and the language of posts.</param>
public sealed record ConnectRequest(IReadOnlyDictionary<string, string> Fields, string Culture);

/// <summary>The result of a connection: either problems (field + French-translatable message) or what to keep.</summary>
public sealed record ConnectOutcome(
    IReadOnlyList<Problem> Problems, string? AccountName = null, string? AccountUrl = null,
    IReadOnlyDictionary<string, string>? Settings = null, string? Secret = null, NetworkLimits? Limits = null)
{
    public bool Succeeded => Problems.Count == 0;

    public static ConnectOutcome Refused(params Problem[] problems) => new(problems);
}

/// <summary>What a network accepts, read from the network when it says (Mastodon's <c>/api/v2/instance</c>).</summary>
public sealed record NetworkLimits(
    int MaxCharacters, int? CharactersReservedPerUrl = null, int? MaxMediaAttachments = null,
    long? ImageSizeLimit = null, IReadOnlyList<string>? SupportedMimeTypes = null);

/// <summary>One delivery to send: a post's variant for one channel, as one part or a thread of parts.</summary>
/// <param name="DeliveryKey">Chosen once by <see cref="IChannelNetwork.NewDeliveryKey"/>; the same on every attempt.</param>
/// <param name="Attempt">1 for the first attempt.</param>
/// <param name="FirstAttemptUtc">When the first attempt started (Mastodon keeps an idempotency key about an hour).</param>
/// <param name="Language">Two-letter language of the post ("fr"), from the workspace's culture.</param>
/// <param name="Options">Per-network options of the variant: visibility, content warning…</param>
public sealed record SendRequest(
    Guid DeliveryId, string DeliveryKey, ChannelAccount Channel, IReadOnlyList<DeliveryPart> Parts,
    IReadOnlyList<SentPart> SentParts, int Attempt, DateTime? FirstAttemptUtc, string Language,
    IReadOnlyDictionary<string, string> Options, Guid PostId, DateTime OccurrenceUtc);

/// <summary>One part of a delivery (a thread has several): its text, its link and its images.</summary>
/// <param name="Title">For the blog: the article's title; null for social networks.</param>
public sealed record DeliveryPart(string Text, string? Link, IReadOnlyList<DeliveryMedia> Media, string? Title = null);

/// <summary>An image of a part, read from the workspace's media library when the network needs its bytes.</summary>
public sealed record DeliveryMedia(
    Guid MediaId, string FileName, string ContentType, long Length, string AltText,
    Func<CancellationToken, Task<byte[]>> ReadAsync);

/// <summary>The proof that a part went out: the network's id for it and its public address.</summary>
/// <param name="Reference">What a reply to this part needs besides the id (Bluesky: the record's CID).</param>
public sealed record SentPart(int Index, string RemoteId, string? RemoteUrl, string? Reference = null);

/// <summary>How an attempt ended.</summary>
public enum SendStatus
{
    /// <summary>Every part went out, each with its proof (remote id and URL).</summary>
    Published,

    /// <summary>Worth another attempt later (timeout, 5xx, 429): <see cref="SendOutcome.RetryAfter"/> when the network said.</summary>
    RetryLater,

    /// <summary>Will not change by retrying (422, a refused token): fails at once with the network's message.</summary>
    Failed,

    /// <summary>No answer after the request may have reached the network: reconcile before any retry.</summary>
    Unknown,

    /// <summary>A person publishes it (manual channel): they were told and will mark it published with its URL.</summary>
    HandedToPerson,
}

/// <summary>The result of one attempt. Parts sent before a failure are kept so a retry goes on from there.</summary>
/// <param name="SentParts">Every part sent so far: those of the request and those of this attempt.</param>
/// <param name="Message">The network's own words (shown in the log), never a secret.</param>
/// <param name="HttpStatus">The network's HTTP status, when there was one.</param>
public sealed record SendOutcome(
    SendStatus Status, IReadOnlyList<SentPart> SentParts, string? Message = null, int? HttpStatus = null,
    TimeSpan? RetryAfter = null)
{
    public static SendOutcome Published(IReadOnlyList<SentPart> parts) => new(SendStatus.Published, parts);

    /// <summary>
    /// A refusal the portal wrote before anything reached the network (the instance's limits, a channel missing its
    /// token): the outbox records it in the workspace's language and tells the author this reason, not "the network
    /// did not answer". <see cref="Message"/> keeps it in English.
    /// </summary>
    public IReadOnlyList<Problem> Refusal { get; init; } = [];

    public static SendOutcome Refused(IReadOnlyList<SentPart> sent, params Problem[] refusal) =>
        new(SendStatus.Failed, sent, string.Join(" ", refusal.Select(p => p.ToString()))) { Refusal = refusal };
}

/// <summary>What the network says about an attempt whose outcome was unknown.</summary>
public enum ReconcileStatus
{
    /// <summary>It went out: <see cref="ReconcileOutcome.SentParts"/> hold the proof.</summary>
    Found,

    /// <summary>It did not go out: sending again is safe.</summary>
    NotFound,

    /// <summary>The network cannot tell now (unreachable): try again later, send nothing.</summary>
    CannotTell,
}

public sealed record ReconcileOutcome(ReconcileStatus Status, IReadOnlyList<SentPart> SentParts, string? Message = null)
{
    /// <summary>
    /// The portal's own words (why it is safe to send again, why the network could not be asked): recorded in the
    /// workspace's language and shown as the attempt's answer (not as the network's raw words). <see cref="Message"/>
    /// keeps it in English.
    /// </summary>
    public Problem? Reason { get; init; }

    public static ReconcileOutcome NotSent(IReadOnlyList<SentPart> sent, Problem reason) =>
        new(ReconcileStatus.NotFound, sent, reason.ToString()) { Reason = reason };

    /// <summary>
    /// The portal could not ask the network (the channel lacks its token or session): nothing reached the network, so
    /// there is no answer to quote, only the portal's reason and what to do.
    /// </summary>
    public static ReconcileOutcome CannotAsk(IReadOnlyList<SentPart> sent, Problem reason) =>
        new(ReconcileStatus.CannotTell, sent, reason.ToString()) { Reason = reason };
}

/// <summary>
/// The <see cref="SendRequest.Options"/> of a reply from the inbox: the post its first part answers. A network that
/// sends replies reads them; without <see cref="Id"/> the delivery is a post.
/// </summary>
public static class ReplyTarget
{
    /// <summary>The post answered, as the inbox read it: a Mastodon status id, a Bluesky at:// URI.</summary>
    public const string Id = "replyTo.id";

    /// <summary>The post's public address (Mastodon: looked up from the channel's instance when the id is another instance's).</summary>
    public const string Url = "replyTo.url";

    /// <summary>The channel the id was read through (a Mastodon id is valid on that channel's instance).</summary>
    public const string ReadThroughChannel = "replyTo.readThroughChannel";

    /// <summary>The Mastodon instance the id comes from, when it was read from a public instance.</summary>
    public const string ReadFromInstance = "replyTo.readFromInstance";
}
