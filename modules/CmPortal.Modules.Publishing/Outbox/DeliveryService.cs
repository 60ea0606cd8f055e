using CmPortal.Core.Validation;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>The result of an action on deliveries: problems, or nothing (done).</summary>
internal sealed record DeliveryOutcome(IReadOnlyList<Problem> Problems, int Count = 0)
{
    public bool Succeeded => Problems.Count == 0;
    public bool IsNotFound { get; init; }
    public static DeliveryOutcome Done(int count = 1) => new([], count);
    public static DeliveryOutcome Refused(string? field, string template, params object?[] values) => new([new Problem(field, template, values)]);
    public static readonly DeliveryOutcome NotFound = new([new Problem(null, "This delivery no longer exists.")]) { IsNotFound = true };
}

/// <summary>One delivery as the log and the API show it, with its channel's name.</summary>
internal sealed record DeliveryView(Delivery Delivery, string ChannelName, string ChannelKind, IReadOnlyList<DeliveryAttempt> Attempts);

/// <summary>What a person does with deliveries: publish now, cancel, retry a failed one, mark a manual one published; and the log.</summary>
internal sealed class DeliveryService(PublishingDbContext db, OutboxPlanner planner, IPublishingSchedule schedule, ArticleTeasers teasers, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>
    /// "Publish now": the post's next pending deliveries (planned first if they were not yet) become due at once.
    /// Only a scheduled post has any.
    /// </summary>
    public async Task<DeliveryOutcome> PublishNowAsync(Guid postId, CancellationToken ct)
    {
        await planner.PlanAsync(ct);
        var next = await PendingOfAsync(postId, ct);
        // Due beyond the planned 24 hours: its next occurrence is planned now, to go at once.
        if (next.Count == 0 && await schedule.NextOccurrenceAsync(postId, Now, ct) is { } occurrence)
        {
            await planner.PlanOccurrenceAsync(postId, occurrence, ct);
            next = await PendingOfAsync(postId, ct);
        }
        if (next.Count == 0)
            return await db.Deliveries.AnyAsync(d => d.PostId == postId, ct) || await schedule.ContentAsync(postId, DateTime.MinValue, ct) is not null
                ? DeliveryOutcome.Refused(null, "This post has nothing waiting to be sent: schedule it on channels first.")
                : DeliveryOutcome.NotFound; // no delivery of it here: another workspace's post, or none
        var first = next[0].OccurrenceUtc;
        var now = Now;
        foreach (var delivery in next.Where(d => d.OccurrenceUtc == first))
        {
            delivery.DueUtc = now;
            delivery.NextAttemptUtc = null;
            // Staged ahead of its instant by a node (a pending delivery with a lease): taken back, it goes now.
            delivery.LeaseOwner = null;
            delivery.LeaseUntilUtc = null;
            delivery.Version++;
        }
        return await SaveAsync(next.Count(d => d.OccurrenceUtc == first), ct);
    }

    private Task<List<Delivery>> PendingOfAsync(Guid postId, CancellationToken ct) =>
        db.Deliveries.Where(d => d.PostId == postId && d.State == DeliveryState.Pending).OrderBy(d => d.OccurrenceUtc).ToListAsync(ct);

    public async Task<DeliveryOutcome> CancelAsync(Guid id, string reason, CancellationToken ct)
    {
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null) return DeliveryOutcome.NotFound;
        if (delivery.State is not (DeliveryState.Pending or DeliveryState.AwaitingPerson or DeliveryState.Failed or DeliveryState.Held))
            return DeliveryOutcome.Refused(null, "Only a delivery waiting to be sent, or one that failed, can be canceled.");
        delivery.State = DeliveryState.Canceled;
        delivery.CanceledReason = reason.Length > 500 ? reason[..500] : reason;
        delivery.Version++;
        var outcome = await SaveAsync(1, ct);
        if (outcome.Succeeded) await teasers.ArticleCanceledAsync(delivery, ct); // an article's teasers never go without it
        return outcome;
    }

    /// <summary>
    /// Sends a failed delivery again, with the same key (a network that saw it already does not publish it twice); or
    /// sends a post held during a crisis now, a person having decided it should go (it is not held a second time).
    /// </summary>
    public async Task<DeliveryOutcome> RetryAsync(Guid id, CancellationToken ct)
    {
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null) return DeliveryOutcome.NotFound;
        if (delivery.State is not (DeliveryState.Failed or DeliveryState.Held))
            return DeliveryOutcome.Refused(null, "Only a failed or held delivery can be sent again.");
        delivery.HoldLifted |= delivery.State == DeliveryState.Held;
        delivery.State = DeliveryState.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptUtc = null;
        delivery.DueUtc = delivery.DueUtc < Now ? Now : delivery.DueUtc;
        delivery.Version++;
        var outcome = await SaveAsync(1, ct);
        if (outcome.Succeeded) await teasers.ArticleRetriedAsync(delivery, ct); // its teasers wait for it again
        return outcome;
    }

    /// <summary>The person posted a manual delivery by hand: published, with the address they give.</summary>
    public async Task<DeliveryOutcome> MarkPublishedAsync(Guid id, string? url, CancellationToken ct)
    {
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null) return DeliveryOutcome.NotFound;
        if (delivery.State != DeliveryState.AwaitingPerson)
            return DeliveryOutcome.Refused(null, "Only a post waiting to be posted by hand can be marked published.");
        url = url?.Trim();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return DeliveryOutcome.Refused("url", "Give the address of the published post (starting with https://).");
        delivery.State = DeliveryState.Published;
        delivery.RemoteId = uri.ToString();
        delivery.RemoteUrl = uri.ToString();
        delivery.PublishedUtc = Now;
        delivery.Version++;
        db.Attempts.Add(new DeliveryAttempt { Id = Guid.NewGuid(), DeliveryId = id, StartedUtc = Now, FinishedUtc = Now, Outcome = "MarkedPublished" });
        var outcome = await SaveAsync(1, ct);
        if (outcome.Succeeded) await teasers.ArticlePublishedAsync(delivery, ct); // an article posted by hand: its teasers go
        if (outcome.Succeeded && !await db.Deliveries.AnyAsync(d => d.PostId == delivery.PostId && d.OccurrenceUtc == delivery.OccurrenceUtc
                && d.State != DeliveryState.Published && d.State != DeliveryState.Canceled, ct))
            await schedule.RecordOutcomeAsync(delivery.PostId, delivery.OccurrenceUtc, true, null, ct);
        return outcome;
    }

    public Task<DeliveryView?> FindAsync(Guid id, CancellationToken ct) =>
        ViewsAsync(db.Deliveries.Where(d => d.Id == id), ct).ContinueWith(t => t.Result.FirstOrDefault(), ct);

    public Task<IReadOnlyList<DeliveryView>> ForPostAsync(Guid postId, CancellationToken ct) =>
        ViewsAsync(db.Deliveries.Where(d => d.PostId == postId), ct);

    /// <summary>
    /// The networks of a scheduled post's next occurrence that no active channel serves: the post will not go out
    /// there (a post on Facebook with no Facebook channel connected, or only a paused one). Empty for a post that is
    /// not scheduled, or that every one of its networks reaches.
    /// </summary>
    public async Task<IReadOnlyList<string>> NetworksWithoutChannelAsync(Guid postId, CancellationToken ct)
    {
        if (await schedule.NextOccurrenceAsync(postId, Now, ct) is not { } next) return [];
        var occurrence = (await schedule.DueBetweenAsync(next, next.AddSeconds(1), ct)).FirstOrDefault(o => o.PostId == postId);
        if (occurrence is null) return [];
        var active = OutboxPlanner.WithNetworks(await db.Channels.AsNoTracking().Where(c => c.State == ChannelState.Active).ToListAsync(ct));
        var served = OutboxPlanner.Targets(occurrence.Networks, occurrence.ChannelIds, active).Select(t => t.Network).ToHashSet(StringComparer.Ordinal);
        return occurrence.Networks.Where(n => !served.Contains(n)).ToList();
    }

    /// <summary>The publishing log: latest due first, filtered by channel, state and due day (UTC bounds).</summary>
    /// <summary>
    /// The replies among the log's deliveries (sent from the inbox, <see cref="ReplyService"/>): their text and the post
    /// they answer, so the log names them for what they are rather than as a deleted calendar post.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, Reply>> RepliesAsync(IEnumerable<DeliveryView> views, CancellationToken ct)
    {
        var ids = views.Where(v => v.Delivery.ReplyId is not null).Select(v => v.Delivery.ReplyId!.Value).Distinct().ToList();
        if (ids.Count == 0) return new Dictionary<Guid, Reply>();
        return await db.Replies.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
    }

    public Task<IReadOnlyList<DeliveryView>> LogAsync(Guid? channel, DeliveryState? state, DateTime? fromUtc, DateTime? toUtc, int take, CancellationToken ct)
    {
        var query = db.Deliveries.AsQueryable();
        if (channel is { } c) query = query.Where(d => d.ChannelId == c);
        if (state is { } s) query = query.Where(d => d.State == s);
        if (fromUtc is { } f) query = query.Where(d => d.DueUtc >= f);
        if (toUtc is { } t) query = query.Where(d => d.DueUtc < t);
        return ViewsAsync(query.OrderByDescending(d => d.DueUtc).Take(take), ct);
    }

    /// <summary>
    /// Deliveries of this workspace due for longer than <paramref name="lateAfter"/> and not sent yet, on active
    /// channels (a paused channel's posts wait on purpose): how many, and since when the oldest waits. The health
    /// check's measure (<see cref="PublishingHealthCheck"/>), for one workspace.
    /// </summary>
    public async Task<(int Count, DateTime? OldestDueUtc)> LateAsync(TimeSpan lateAfter, CancellationToken ct)
    {
        var before = Now - lateAfter;
        var active = db.Channels.Where(c => c.State == ChannelState.Active).Select(c => c.Id);
        var late = db.Deliveries.Where(d => active.Contains(d.ChannelId)
            && (d.State == DeliveryState.Pending || d.State == DeliveryState.Sending) && d.DueUtc < before);
        var count = await late.CountAsync(ct);
        return (count, count == 0 ? null : await late.OrderBy(d => d.DueUtc).Select(d => (DateTime?)d.DueUtc).FirstAsync(ct));
    }

    /// <summary>Failed deliveries that were due, or last tried, since <paramref name="sinceUtc"/>.</summary>
    public Task<int> FailedSinceAsync(DateTime sinceUtc, CancellationToken ct) =>
        db.Deliveries.CountAsync(d => d.State == DeliveryState.Failed
            && (d.DueUtc >= sinceUtc || db.Attempts.Any(a => a.DeliveryId == d.Id && a.StartedUtc >= sinceUtc)), ct);

    private async Task<IReadOnlyList<DeliveryView>> ViewsAsync(IQueryable<Delivery> query, CancellationToken ct)
    {
        var deliveries = await query.AsNoTracking().ToListAsync(ct);
        if (deliveries.Count == 0) return [];
        var ids = deliveries.Select(d => d.Id).ToList();
        var attempts = (await db.Attempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct))
            .GroupBy(a => a.DeliveryId).ToDictionary(g => g.Key, g => (IReadOnlyList<DeliveryAttempt>)g.OrderBy(a => a.StartedUtc).ToList());
        var channelIds = deliveries.Select(d => d.ChannelId).Distinct().ToList();
        var channels = await db.Channels.AsNoTracking().Where(c => channelIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        return deliveries.Select(d => new DeliveryView(d, channels.GetValueOrDefault(d.ChannelId)?.Name ?? "", channels.GetValueOrDefault(d.ChannelId)?.Kind ?? "",
            attempts.GetValueOrDefault(d.Id) ?? [])).ToList();
    }

    private async Task<DeliveryOutcome> SaveAsync(int count, CancellationToken ct)
    {
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return DeliveryOutcome.Refused(null, "The delivery changed in the meantime (it may be sending). Reload the page and try again.");
        }
        return DeliveryOutcome.Done(count);
    }
}
