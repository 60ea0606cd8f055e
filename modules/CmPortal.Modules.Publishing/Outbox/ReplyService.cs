using CmPortal.Core.Networks;
using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>
/// Replies from the inbox (<see cref="IPublishingReplies"/>): a <see cref="Reply"/> row with the text and what it
/// answers, and one delivery pointing at it, due now; the outbox sends it as it sends posts (claim, lease,
/// idempotency key, reconcile, retries, log). A repeat of the same request key gives back the same reply.
/// </summary>
internal sealed class ReplyService(PublishingDbContext db, ChannelService channels, TimeProvider clock) : IPublishingReplies
{
    public const int MaxRequestKey = 100;

    /// <summary>The networks a reply can go through: those whose networks answer a post by its id.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["mastodon", "bluesky"];

    public async Task<ReplySendOutcome> SendAsync(ReplyToSend reply, CancellationToken ct)
    {
        var text = reply.Text?.Trim() ?? "";
        var key = reply.RequestKey?.Trim() ?? "";
        if (key.Length is 0 or > MaxRequestKey || string.IsNullOrWhiteSpace(reply.RemoteId) || reply.RemoteId.Length > 500)
            return Refused(new Problem(null, "This post cannot be answered through a channel."));

        // The same request again (a double click, a second tab): the reply already queued, nothing more sent.
        if (await IdOfAsync(key, ct) is { } existing) return new ReplySendOutcome(existing, []);

        var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == reply.ChannelId, ct);
        if (channel is null || !Kinds.Contains(channel.Kind) || channels.NetworkOf(channel.Kind) is not { } network)
            return Refused(new Problem("channel", "Choose one of the workspace's Mastodon or Bluesky channels."));
        if (text.Length == 0) return Refused(new Problem("text", "The reply has no text."));
        if (TooLong(channel, text) is { } tooLong) return Refused(tooLong);

        var now = clock.GetUtcNow().UtcDateTime;
        var row = new Reply
        {
            Id = Guid.NewGuid(), ChannelId = channel.Id, Text = text, InReplyToId = reply.RemoteId.Trim(),
            InReplyToUrl = reply.RemoteUrl is { Length: <= 2000 } url ? url : null, ReadThroughChannelId = reply.ReadThroughChannelId,
            ReadFromInstance = reply.ReadFromInstance is { Length: <= 500 } instance ? instance : null,
            AuthorUserId = reply.AuthorUserId, RequestKey = key, CreatedUtc = now,
        };
        db.Replies.Add(row);
        // Due now, whatever the crisis (a reply does not promote); a paused channel keeps it waiting, like a post.
        db.Deliveries.Add(new Delivery
        {
            Id = Guid.NewGuid(), ChannelId = channel.Id, PostId = row.Id, ReplyId = row.Id, OccurrenceUtc = now, DueUtc = now,
            Network = channel.Kind, State = DeliveryState.Pending, DeliveryKey = network.NewDeliveryKey(now),
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two requests with the same key at once: the unique key kept one; both get its id.
            db.ChangeTracker.Clear();
            if (await IdOfAsync(key, ct) is { } first) return new ReplySendOutcome(first, []);
            throw;
        }
        db.ChangeTracker.Clear();
        return new ReplySendOutcome(row.Id, []);
    }

    public async Task<IReadOnlyList<ReplyStatus>> StatesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var list = ids.Distinct().ToList();
        var replies = await db.Replies.AsNoTracking().Where(r => list.Contains(r.Id)).ToListAsync(ct);
        if (replies.Count == 0) return [];
        var deliveries = (await db.Deliveries.AsNoTracking().Where(d => d.ReplyId != null && list.Contains(d.ReplyId.Value)).ToListAsync(ct))
            .GroupBy(d => d.ReplyId!.Value).ToDictionary(g => g.Key, g => g.OrderByDescending(d => d.DueUtc).First());
        // A failed reply's last answer from the network: the inbox tells its status code (docs/inbox-answers.md).
        var failed = deliveries.Values.Where(d => d.State == DeliveryState.Failed).Select(d => d.Id).ToList();
        var codes = failed.Count == 0 ? new Dictionary<Guid, int?>() : (await db.Attempts.AsNoTracking().Where(a => failed.Contains(a.DeliveryId)).ToListAsync(ct))
            .GroupBy(a => a.DeliveryId).ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.StartedUtc).First().HttpStatus);
        var channelIds = replies.Select(r => r.ChannelId).Distinct().ToList();
        var named = await db.Channels.AsNoTracking().Where(c => channelIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => (c.Name, c.Kind), ct);
        return replies.Select(r =>
        {
            var delivery = deliveries.GetValueOrDefault(r.Id);
            var (name, kind) = named.TryGetValue(r.ChannelId, out var c) ? c : ("", "");
            var state = delivery?.State switch
            {
                DeliveryState.Published => ReplyState.Sent,
                DeliveryState.Failed => ReplyState.Failed,
                DeliveryState.Canceled or null => ReplyState.Canceled,
                _ => ReplyState.Waiting,
            };
            return new ReplyStatus(r.Id, r.ChannelId, name, kind, r.Text, r.AuthorUserId, r.CreatedUtc, state,
                state == ReplyState.Sent ? delivery!.RemoteUrl : null, delivery?.PublishedUtc,
                state is ReplyState.Failed ? delivery!.LastError : state is ReplyState.Canceled ? delivery?.CanceledReason : null,
                state is ReplyState.Failed ? codes.GetValueOrDefault(delivery!.Id) : null);
        }).OrderBy(s => s.CreatedUtc).ToList();
    }

    /// <summary>Why the text is too long for the channel (its network's counting and the limit last read from it), or null.</summary>
    private static Problem? TooLong(Channel channel, string text)
    {
        if (SocialNetworks.Find(channel.Kind) is not { } network) return null;
        var max = ChannelService.LimitsOf(channel)?.MaxCharacters ?? network.MaxLength;
        if (max is not { } limit) return null;
        var length = NetworkTextLength.Count(network, text);
        return length > limit
            ? new Problem("text", "The text is {0} characters long, as {1} counts them; {2} takes {3}.", length, network.Name, channel.Name, limit)
            : null;
    }

    private async Task<Guid?> IdOfAsync(string key, CancellationToken ct) =>
        await db.Replies.AsNoTracking().Where(r => r.RequestKey == key).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);

    private static ReplySendOutcome Refused(Problem problem) => new(null, [problem]);
}
