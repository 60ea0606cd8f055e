using CmPortal.Core.Events;
using CmPortal.Core.Jobs;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>
/// Turns the calendar's scheduled occurrences into deliveries, one per channel, for the next 24 hours, and cancels
/// the pending ones whose post no longer goes out then. Idempotent: the unique index (channel, post, occurrence)
/// makes a second plan — on another node, or a minute later — add nothing.
/// </summary>
internal sealed class OutboxPlanner(PublishingDbContext db, IPublishingSchedule schedule, ChannelService channels, OutboxOptions options, TimeProvider clock)
{
    public const string CanceledPostGone = "The post was deleted, unscheduled or moved: this delivery was not sent.";
    public const string CanceledChannelDropped = "The post no longer goes to this channel.";

    public async Task PlanAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var from = now - options.PlanBehind;
        var to = now + options.PlanAhead;
        var due = await schedule.DueBetweenAsync(from, to, ct);
        var all = WithNetworks(await db.Channels.AsNoTracking().ToListAsync(ct));
        await AddDeliveriesAsync(due, all, from, to, now, ct);
        await CancelGoneAsync(due, all, from, ct);
    }

    /// <summary>Plans one occurrence of one post, beyond the 24 hours ahead ("publish now" on a post due next week).</summary>
    public async Task PlanOccurrenceAsync(Guid postId, DateTime occurrenceUtc, CancellationToken ct)
    {
        var due = (await schedule.DueBetweenAsync(occurrenceUtc, occurrenceUtc.AddSeconds(1), ct)).Where(o => o.PostId == postId).ToList();
        var all = WithNetworks(await db.Channels.AsNoTracking().ToListAsync(ct));
        await AddDeliveriesAsync(due, all, occurrenceUtc, occurrenceUtc.AddSeconds(1), clock.GetUtcNow().UtcDateTime, ct);
    }

    private async Task AddDeliveriesAsync(IReadOnlyList<ScheduledOccurrence> due, IReadOnlyList<PlannedChannel> all, DateTime from, DateTime to, DateTime now,
        CancellationToken ct)
    {
        var existing = (await db.Deliveries.AsNoTracking().Where(d => d.OccurrenceUtc >= from && d.OccurrenceUtc < to)
                .Select(d => new { d.ChannelId, d.PostId, d.OccurrenceUtc }).ToListAsync(ct))
            .Select(d => (d.ChannelId, d.PostId, d.OccurrenceUtc)).ToHashSet();

        var added = new List<Delivery>();
        foreach (var occurrence in due)
        foreach (var (channel, network) in Targets(occurrence.Networks, occurrence.ChannelIds, all))
        {
            // A channel connected after the occurrence does not receive it (no old post to a new account).
            if (channel.CreatedUtc > occurrence.OccurrenceUtc) continue;
            if (!existing.Add((channel.Id, occurrence.PostId, occurrence.OccurrenceUtc))) continue;
            added.Add(new Delivery
            {
                Id = Guid.NewGuid(), ChannelId = channel.Id, PostId = occurrence.PostId, OccurrenceUtc = occurrence.OccurrenceUtc,
                DueUtc = occurrence.OccurrenceUtc, Network = network, State = DeliveryState.Pending,
                DeliveryKey = channels.NetworkOf(channel.Kind)?.NewDeliveryKey(now) ?? Guid.NewGuid().ToString("N"),
            });
        }
        await InsertAsync(added, ct);
    }

    /// <summary>
    /// The channels an occurrence goes to, with the network whose variant each sends: the channels the post names,
    /// or every channel of its networks. A webhook without a network of its own carries the post's first network.
    /// </summary>
    internal static IEnumerable<(Channel Channel, string Network)> Targets(IReadOnlyList<string> networks, IReadOnlyList<Guid> named, IReadOnlyList<PlannedChannel> all)
    {
        foreach (var (channel, network) in all)
        {
            if (named.Count > 0 && !named.Contains(channel.Id)) continue;
            if (network is null && networks.Count > 0) yield return (channel, networks[0]);
            else if (network is not null && networks.Contains(network)) yield return (channel, network);
        }
    }

    /// <summary>
    /// The network a channel posts to: the one its settings name (a manual channel, a webhook that names one), or its
    /// kind when that is a network (mastodon, bluesky, blog); null for a webhook that takes every post.
    /// </summary>
    internal static string? NetworkOf(Channel channel) =>
        ChannelService.SettingsOf(channel).GetValueOrDefault("network") is { Length: > 0 } named ? named
        : Core.Networks.SocialNetworks.Find(channel.Kind) is not null ? channel.Kind : null;

    /// <summary>
    /// The channels with their networks, worked out once per plan: a channel's network is in its settings (JSON), and
    /// a minute with 10,000 deliveries on 1,000 channels must not read them once per delivery.
    /// </summary>
    internal static IReadOnlyList<PlannedChannel> WithNetworks(IEnumerable<Channel> channels) =>
        channels.Select(c => new PlannedChannel(c, NetworkOf(c))).ToList();

    private async Task InsertAsync(List<Delivery> added, CancellationToken ct)
    {
        for (var round = 0; added.Count > 0; round++)
        {
            db.Deliveries.AddRange(added);
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (round < 3)
            {
                // Another node (or "publish now" beside the minute's plan) planned some of them at the same moment:
                // read what exists now and add the rest together, rather than one insert (and one error) each.
                db.ChangeTracker.Clear();
                var posts = added.Select(d => d.PostId).Distinct().ToList();
                var present = (await db.Deliveries.AsNoTracking().Where(d => posts.Contains(d.PostId))
                        .Select(d => new { d.ChannelId, d.PostId, d.OccurrenceUtc }).ToListAsync(ct))
                    .Select(d => (d.ChannelId, d.PostId, d.OccurrenceUtc)).ToHashSet();
                added = added.Where(d => !present.Contains((d.ChannelId, d.PostId, d.OccurrenceUtc))).ToList();
            }
        }
    }

    /// <summary>
    /// Pending deliveries whose post no longer goes out then, or no longer to that channel, are canceled with the
    /// reason. Each occurrence is judged once (its channels, or whether its post is gone), not once per delivery.
    /// </summary>
    private async Task CancelGoneAsync(IReadOnlyList<ScheduledOccurrence> due, IReadOnlyList<PlannedChannel> all, DateTime from, CancellationToken ct)
    {
        // Replies from the inbox have no calendar post: the planner never cancels them.
        var pending = await db.Deliveries.AsNoTracking().Where(d => d.State == DeliveryState.Pending && d.OccurrenceUtc >= from && d.ReplyId == null)
            .Select(d => new { d.Id, d.PostId, d.OccurrenceUtc, d.ChannelId }).ToListAsync(ct);
        if (pending.Count == 0) return;
        var byOccurrence = due.ToDictionary(o => (o.PostId, o.OccurrenceUtc));
        var targets = new Dictionary<(Guid, DateTime), HashSet<Guid>>();
        var gone = new Dictionary<(Guid, DateTime), bool>();
        var canceled = new Dictionary<string, List<Guid>>();
        foreach (var delivery in pending)
        {
            var key = (delivery.PostId, delivery.OccurrenceUtc);
            string? reason = null;
            if (!byOccurrence.TryGetValue(key, out var occurrence))
            {
                // Published or failed posts are no longer "scheduled" but their other channels still go.
                if (!gone.TryGetValue(key, out var isGone))
                    gone[key] = isGone = await schedule.ContentAsync(delivery.PostId, delivery.OccurrenceUtc, ct) is null;
                if (isGone) reason = CanceledPostGone;
            }
            else
            {
                if (!targets.TryGetValue(key, out var channelIds))
                    targets[key] = channelIds = Targets(occurrence.Networks, occurrence.ChannelIds, all).Select(t => t.Channel.Id).ToHashSet();
                if (!channelIds.Contains(delivery.ChannelId)) reason = CanceledChannelDropped;
            }
            if (reason is not null) (canceled.TryGetValue(reason, out var ids) ? ids : canceled[reason] = []).Add(delivery.Id);
        }
        // Only rows still pending: one a dispatcher took meanwhile goes its way (its send reads the post again).
        foreach (var (reason, ids) in canceled)
        foreach (var chunk in ids.Chunk(500))
            await db.Deliveries.Where(d => chunk.Contains(d.Id) && d.State == DeliveryState.Pending).ExecuteUpdateAsync(u => u
                .SetProperty(d => d.State, DeliveryState.Canceled)
                .SetProperty(d => d.CanceledReason, reason)
                .SetProperty(d => d.Version, d => d.Version + 1), ct);
    }
}

/// <summary>A channel and the network it posts to (null: a webhook that takes every post).</summary>
internal readonly record struct PlannedChannel(Channel Channel, string? Network);

/// <summary>
/// Every minute, in every workspace where publishing is on: plan the next 24 hours, then read again the limits of
/// channels whose limits are a day old. Here rather than at send time: sending stays one call to the network, on
/// time, and the draft checker sees an instance's new limits even when nothing is being sent.
/// </summary>
internal sealed class PlanDeliveriesJob(OutboxPlanner planner, ChannelService channels) : IWorkspaceJob
{
    public async Task RunAsync(Workspace workspace, CancellationToken ct)
    {
        await planner.PlanAsync(ct);
        await channels.RefreshLimitsAsync(ct);
    }
}

/// <summary>A post was scheduled: plan it at once rather than at the next minute.</summary>
internal sealed class PlanScheduledPost(OutboxPlanner planner) : IModuleEventHandler<PostScheduled>
{
    public Task HandleAsync(PostScheduled moduleEvent, CancellationToken ct) => planner.PlanAsync(ct);
}
