using CmPortal.Modules.Publishing.Contracts;
using System.Globalization;
using System.Text.Json;
using CmPortal.Core.Localization;
using CmPortal.Core.Modules;
using CmPortal.Core.Networks;
using CmPortal.Core.Notifications;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>
/// Sends one claimed delivery, in its workspace. The order is what makes "exactly once" hold: read the post at the
/// last moment (gone → canceled, never sent); reconcile first when an earlier attempt's outcome is unknown; write
/// the attempt before calling the network; then record the outcome, published only with the network's proof.
/// </summary>
internal sealed class DeliverySender(
    PublishingDbContext db, ChannelService channels, IPublishingSchedule schedule, ChannelRateLimits rateLimits, OutboxOptions options,
    INotifier notifier, ModuleFeatures features, WorkspaceContext workspace, TimeProvider clock, ILogger<DeliverySender> logger,
    IStringLocalizer<DeliverySender> T, ArticleTeasers teasers)
{
    public const string NoProof = "The network answered without the published post's id: counted as failed, not as published.";

    public async Task SendAsync(Claim claim, string node, CancellationToken ct)
    {
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == claim.Id, ct);
        if (delivery is null || delivery.Version != claim.Version || delivery.LeaseOwner != node) return;
        var channel = await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == delivery.ChannelId, ct);
        var network = channel is null ? null : channels.NetworkOf(channel.Kind);
        if (channel is null || network is null)
        {
            await FinishAsync(delivery, DeliveryState.Failed, "This channel's network is not available on the portal.", ct);
            return;
        }
        if (!await features.IsEnabledAsync(workspace.Required.Id, PublishingModule.ModuleId, ct))
        {
            await ReleaseAsync(delivery, TimeSpan.FromMinutes(5), claim.Reconcile && delivery.Attempts > 0, ct); // publishing is off here: wait
            return;
        }
        if (delivery.ReplyId is { } replyId)
        {
            await SendReplyAsync(delivery, claim, channel, network, replyId, ct);
            return;
        }

        // "Deleted posts never publish": the post is read now, not when the delivery was planned.
        var content = await schedule.ContentAsync(delivery.PostId, delivery.OccurrenceUtc, ct);
        if (content is null)
        {
            await CancelAsync(delivery, OutboxPlanner.CanceledPostGone, ct);
            return;
        }
        var variant = content.For(delivery.Network);
        if (variant is null)
        {
            await CancelAsync(delivery, "The post no longer goes to this network.", ct);
            return;
        }

        // Crisis mode: a promotional post that comes due during a crisis waits for a person (never one already under way).
        if (delivery.Attempts == 0 && !delivery.HoldLifted && await CrisisHoldAsync(delivery, ct) is { } hold)
        {
            await FinishAsync(delivery, DeliveryState.Held, InWorkspaceLanguage(() => T["Held: a crisis was declared on {0} and this post promotes. Send it or cancel it when the time is right.",
                PortalValues.DateTime(workspace.Required.LocalTime(hold.SinceUtc))].Value), ct);
            return;
        }

        var request = RequestOf(delivery, channel, content, variant);
        var gate = await teasers.GateAsync(delivery, request.Parts, content, ct);
        if (!await PassesArticleGateAsync(delivery, claim, content, gate, ct)) return;
        request = ArticleTeasers.WithArticle(request, gate.Url);
        if (claim.Reconcile && delivery.Attempts > 0)
        {
            var settled = await ReconcileAsync(delivery, network, request, ct);
            if (settled) return;
            request = request with { SentParts = SentPartsOf(delivery) };
        }

        // What the network accepts (an instance's images, their size and types; the length): checked before any
        // upload, so a post that cannot go fails at once with why, in the workspace's language, and stays as it is.
        if (LimitsRefusal(channel, delivery.Network, request) is { } refusal)
        {
            await RefuseAsync(delivery, content, refusal, ct);
            return;
        }

        await AttemptAsync(delivery, channel, network, content, request, ct);
    }

    /// <summary>
    /// One attempt, for a post or a reply: the channel's rate limit first (before the network has to say so), then the
    /// attempt on record before the network hears of it (a crash from here on leaves a trace to reconcile), the send,
    /// and its outcome recorded.
    /// </summary>
    private async Task AttemptAsync(Delivery delivery, Channel channel, IChannelNetwork network, ScheduledContent? content, SendRequest request, CancellationToken ct)
    {
        if (rateLimits.TryTake(channel.Id, channel.Kind, Now) is { } wait)
        {
            await ReleaseAsync(delivery, wait, stillUnknown: false, ct);
            return;
        }
        var attempt = new DeliveryAttempt { Id = Guid.NewGuid(), DeliveryId = delivery.Id, StartedUtc = Now, Outcome = "Sending" };
        db.Attempts.Add(attempt);
        delivery.Attempts++;
        delivery.FirstAttemptUtc ??= attempt.StartedUtc;
        if (!await SaveAsync(delivery, ct)) return;
        request = request with { Attempt = delivery.Attempts, FirstAttemptUtc = delivery.FirstAttemptUtc };

        SendOutcome outcome;
        try { outcome = await network.SendAsync(request, ct); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Channel {Channel} ({Kind}) threw {Error} while sending delivery {Delivery}", channel.Id, channel.Kind, e.GetType().Name, delivery.Id);
            outcome = new SendOutcome(SendStatus.Unknown, request.SentParts, "The network's client stopped without an answer.");
        }
        await RecordAsync(delivery, attempt, channel, content, request, outcome, ct);
    }

    /// <summary>
    /// A reply from the inbox (<see cref="ReplyService"/>): the same steps as a post — reconcile first, the channel's
    /// limits, the rate limit, the attempt on record before the network hears of it — without the calendar and without
    /// the crisis hold (a reply does not promote). The network answers the post named in the request's options.
    /// </summary>
    private async Task SendReplyAsync(Delivery delivery, Claim claim, Channel channel, IChannelNetwork network, Guid replyId, CancellationToken ct)
    {
        var reply = await db.Replies.AsNoTracking().FirstOrDefaultAsync(r => r.Id == replyId, ct);
        if (reply is null)
        {
            await CancelAsync(delivery, "The reply no longer exists.", ct);
            return;
        }
        var options = new Dictionary<string, string> { [ReplyTarget.Id] = reply.InReplyToId };
        if (reply.InReplyToUrl is { } url) options[ReplyTarget.Url] = url;
        if (reply.ReadThroughChannelId is { } through) options[ReplyTarget.ReadThroughChannel] = through.ToString();
        if (reply.ReadFromInstance is { } instance) options[ReplyTarget.ReadFromInstance] = instance;
        var request = RequestOf(delivery, channel, [new DeliveryPart(reply.Text, null, [])], options);
        if (claim.Reconcile && delivery.Attempts > 0)
        {
            if (await ReconcileAsync(delivery, network, request, ct)) return;
            request = request with { SentParts = SentPartsOf(delivery) };
        }
        if (LimitsRefusal(channel, delivery.Network, request) is { } refusal)
        {
            await RefuseAsync(delivery, null, refusal, ct);
            return;
        }
        await AttemptAsync(delivery, channel, network, null, request, ct);
    }

    /// <summary>The workspace's crisis hold when this delivery's post promotes; null otherwise (one key lookup when there is no crisis).</summary>
    private async Task<Crisis.PromotionHold?> CrisisHoldAsync(Delivery delivery, CancellationToken ct) =>
        await db.PromotionHolds.AsNoTracking().FirstOrDefaultAsync(ct) is { } hold && await schedule.IsPromotionAsync(delivery.PostId, ct) ? hold : null;

    /// <summary>
    /// Why the parts not yet sent break the channel's limits as last read (the rule the calendar applies at approval:
    /// <see cref="NetworkRules.ImageProblems"/>, and the length), in the workspace's language; null when they fit or
    /// the channel has no limits of its own.
    /// </summary>
    private string? LimitsRefusal(Channel channel, string networkId, SendRequest request)
    {
        if (ChannelService.LimitsOf(channel) is not { } limits || SocialNetworks.Find(networkId) is not { } catalogue) return null;
        var rules = ChannelNetworkLimits.Tightest(catalogue, [(channel.Name, limits)]);
        var problems = new List<Problem>();
        foreach (var part in request.Parts.Where((_, i) => request.SentParts.All(p => p.Index != i)))
        {
            problems.AddRange(rules.ImageProblems(part.Media.Select(m => new ImageFacts(m.FileName, m.ContentType, m.Length)).ToList(), "media"));
            if (rules.Network.MaxLength is { } max && NetworkTextLength.Count(rules.Network, part.Text) is var length && length > max)
                problems.Add(new Problem("text", "The text is {0} characters long, as {1} counts them; {2} takes {3}.", length, rules.Network.Name, channel.Name, max));
        }
        if (problems.Count == 0) return null;
        return InWorkspaceLanguage(() => T["Not sent: {0} Change the post, then retry this delivery.", Said(problems)].Value);
    }

    /// <summary>Records the refusal as an attempt that never reached the network, and fails the delivery (the author and approvers are told).</summary>
    private async Task RefuseAsync(Delivery delivery, ScheduledContent? content, string refusal, CancellationToken ct)
    {
        db.Attempts.Add(new DeliveryAttempt
        {
            Id = Guid.NewGuid(), DeliveryId = delivery.Id, StartedUtc = Now, FinishedUtc = Now, Outcome = nameof(SendStatus.Failed), Message = Short(refusal),
        });
        delivery.Attempts++;
        await FailAsync(delivery, content, refusal, ct);
    }

    /// <summary>Problems in the current language, one after the other.</summary>
    private string Said(IEnumerable<Problem> problems) => string.Join(" ", problems.Select(p => T.Problem(p).Value));

    /// <summary>A text for the log, written in the workspace's language (the dispatcher runs outside any request).</summary>
    private string InWorkspaceLanguage(Func<string> text)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(workspace.Required.Culture);
            return text();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    /// <summary>
    /// A teaser of an article goes only once the article is published (<see cref="ArticleTeasers"/>): otherwise it
    /// waits (back to pending, no attempt spent, the reason in the log), fails or is canceled with the reason.
    /// </summary>
    private async Task<bool> PassesArticleGateAsync(Delivery delivery, Claim claim, ScheduledContent content, ArticleGate gate, CancellationToken ct)
    {
        switch (gate.Status)
        {
            case ArticleGateStatus.Go:
                if (ArticleTeasers.IsReason(delivery.LastError)) delivery.LastError = null; // no longer waiting (saved with the attempt)
                return true;
            case ArticleGateStatus.Cancel:
                await CancelAsync(delivery, gate.Reason!, ct);
                return false;
            case ArticleGateStatus.Fail when gate.Tell:
                await FailAsync(delivery, content, gate.Reason!, ct);
                return false;
            case ArticleGateStatus.Fail:
                await FinishAsync(delivery, DeliveryState.Failed, gate.Reason!, ct);
                return false;
            default:
                delivery.LastError = gate.Reason;
                await ReleaseAsync(delivery, ArticleTeasers.Recheck, claim.Reconcile && delivery.Attempts > 0, ct);
                await teasers.RecheckAsync(delivery, ct);
                return false;
        }
    }

    /// <summary>Asks the network whether an earlier attempt went out. True when that settled the delivery (nothing to send).</summary>
    private async Task<bool> ReconcileAsync(Delivery delivery, IChannelNetwork network, SendRequest request, CancellationToken ct)
    {
        var attempt = new DeliveryAttempt { Id = Guid.NewGuid(), DeliveryId = delivery.Id, StartedUtc = Now, Outcome = "Reconciling" };
        db.Attempts.Add(attempt);
        if (!await SaveAsync(delivery, ct)) return true;
        ReconcileOutcome outcome;
        try { outcome = await network.ReconcileAsync(request, ct); }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("Channel {Channel} threw {Error} while the portal asked about delivery {Delivery}", delivery.ChannelId, e.GetType().Name, delivery.Id);
            outcome = ReconcileOutcome.CannotAsk(request.SentParts,
                new Problem(null, "The portal could not ask the network whether the post went out: it will ask again later."));
        }
        attempt.FinishedUtc = Now;
        attempt.Message = Short(outcome.Reason is { } reason ? InWorkspaceLanguage(() => Said([reason])) : outcome.Message);
        switch (outcome.Status)
        {
            case ReconcileStatus.Found when HasProof(outcome.SentParts, request.Parts.Count):
                attempt.Outcome = "Found";
                await PublishedAsync(delivery, outcome.SentParts, ct);
                await TellCalendarIfDoneAsync(delivery, ct);
                return true;
            case ReconcileStatus.NotFound:
                attempt.Outcome = "NotFound";
                delivery.SentPartsJson = JsonSerializer.Serialize(outcome.SentParts);
                return !await SaveAsync(delivery, ct);
            default:
                // The network could not answer, or the portal could not ask it (its reason, in words: "CannotAsk").
                attempt.Outcome = outcome.Reason is null ? "CannotTell" : "CannotAsk";
                // Still unknown: keep it Sending (so the next claim reconciles again), later.
                delivery.LeaseOwner = null;
                delivery.LeaseUntilUtc = Now + options.Backoff(delivery.Attempts, null);
                delivery.LastError = attempt.Message;
                await SaveAsync(delivery, ct);
                return true;
        }
    }

    private async Task RecordAsync(Delivery delivery, DeliveryAttempt attempt, Channel channel, ScheduledContent? content, SendRequest request,
        SendOutcome outcome, CancellationToken ct)
    {
        attempt.FinishedUtc = Now;
        attempt.HttpStatus = outcome.HttpStatus;
        var refusal = outcome.Refusal.Count > 0 ? InWorkspaceLanguage(() => Said(outcome.Refusal)) : null;
        attempt.Message = Short(refusal ?? outcome.Message);
        attempt.Outcome = outcome.Status.ToString();
        delivery.SentPartsJson = JsonSerializer.Serialize(outcome.SentParts);
        switch (outcome.Status)
        {
            case SendStatus.Published when HasProof(outcome.SentParts, request.Parts.Count):
                await PublishedAsync(delivery, outcome.SentParts, ct);
                await TellCalendarIfDoneAsync(delivery, ct);
                return;
            case SendStatus.Published:
                attempt.Outcome = "NoProof";
                attempt.Message = NoProof;
                await FailAsync(delivery, content, NoProof, ct);
                return;
            case SendStatus.RetryLater when delivery.Attempts < options.MaxAttempts:
                delivery.State = DeliveryState.Pending;
                delivery.NextAttemptUtc = Now + options.Backoff(delivery.Attempts, outcome.RetryAfter);
                delivery.LastError = Short(outcome.Message);
                ClearLease(delivery);
                await SaveAsync(delivery, ct);
                return;
            case SendStatus.Unknown when delivery.Attempts < options.MaxAttempts:
                // Maybe it went out: stays Sending, and the next claim (when this lease ends) reconciles first.
                delivery.LeaseOwner = null;
                delivery.LeaseUntilUtc = Now + options.Backoff(delivery.Attempts, outcome.RetryAfter);
                delivery.LastError = Short(outcome.Message);
                await SaveAsync(delivery, ct);
                return;
            case SendStatus.HandedToPerson:
                delivery.State = DeliveryState.AwaitingPerson;
                ClearLease(delivery);
                if (await SaveAsync(delivery, ct) && channel.AssigneeUserId is { } assignee && content is not null)
                    await notifier.NotifyAsync([assignee], new Notification(PublishingModule.ModuleId, "manual-post-due",
                        "It is time to post “{0}” on {1} by hand: copy the text, download the images, then mark it published.",
                        [content.Excerpt, channel.Name], $"/admin/{workspace.Required.Key}/publishing/deliveries/{delivery.Id}"), ct);
                return;
            case SendStatus.RetryLater or SendStatus.Unknown:
                await FailAsync(delivery, content, string.Format(CultureInfo.InvariantCulture,
                    "Gave up after {0} attempts: {1}", delivery.Attempts, outcome.Message ?? ""), ct,
                    NetworkFailures.Explain(NetworkFailures.Subject.Post, channel.Kind, channel.Name, outcome.HttpStatus, outcome.Message));
                return;
            default:
                await FailAsync(delivery, content, refusal ?? outcome.Message ?? "The network refused the post.", ct,
                    refusal is not null ? null /* the refusal itself */ : NetworkFailures.Explain(NetworkFailures.Subject.Post, channel.Kind, channel.Name, outcome.HttpStatus, outcome.Message));
                return;
        }
    }

    private async Task PublishedAsync(Delivery delivery, IReadOnlyList<SentPart> parts, CancellationToken ct)
    {
        var first = parts.OrderBy(p => p.Index).First();
        delivery.State = DeliveryState.Published;
        delivery.SentPartsJson = JsonSerializer.Serialize(parts);
        delivery.RemoteId = first.RemoteId;
        delivery.RemoteUrl = first.RemoteUrl;
        delivery.PublishedUtc = Now;
        delivery.LastError = null;
        ClearLease(delivery);
        if (await SaveAsync(delivery, ct) && delivery.ReplyId is null) await teasers.ArticlePublishedAsync(delivery, ct);
    }

    /// <summary>
    /// Failed for good: the author and the approvers are told, and the calendar marks the post. The log keeps the
    /// network's own text (<paramref name="message"/>); people are told the network's failure in words
    /// (<paramref name="explained"/>, in the workspace's language) when it comes from the network.
    /// </summary>
    private async Task FailAsync(Delivery delivery, ScheduledContent? content, string message, CancellationToken ct, Problem? explained = null)
    {
        // A reply (no calendar post): the inbox shows its failure under the mention, with the network's message.
        if (!await FinishAsync(delivery, DeliveryState.Failed, message, ct) || content is null) return;
        await teasers.ArticleFailedAsync(delivery, ct);
        var channelName = await db.Channels.AsNoTracking().Where(c => c.Id == delivery.ChannelId).Select(c => c.Name).FirstOrDefaultAsync(ct) ?? "";
        var people = content.ApproverIds.Append(content.AuthorId ?? Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList();
        var why = explained is null ? message : InWorkspaceLanguage(() => Said([explained]));
        await notifier.NotifyAsync(people, new Notification(PublishingModule.ModuleId, "delivery-failed",
            "The post “{0}” could not be published on {1}: {2}",
            [content.Excerpt, channelName, why], $"/admin/{workspace.Required.Key}/publishing/deliveries/{delivery.Id}"), ct);
        await schedule.RecordOutcomeAsync(delivery.PostId, delivery.OccurrenceUtc, published: false, why, ct);
    }

    /// <summary>When every delivery of the occurrence went out, the calendar marks the post published.</summary>
    private async Task TellCalendarIfDoneAsync(Delivery delivery, CancellationToken ct)
    {
        if (delivery.ReplyId is not null) return; // a reply has no calendar post
        var open = await db.Deliveries.AsNoTracking().AnyAsync(d => d.PostId == delivery.PostId && d.OccurrenceUtc == delivery.OccurrenceUtc
            && d.State != DeliveryState.Published && d.State != DeliveryState.Canceled, ct);
        if (!open) await schedule.RecordOutcomeAsync(delivery.PostId, delivery.OccurrenceUtc, published: true, null, ct);
    }

    private async Task CancelAsync(Delivery delivery, string reason, CancellationToken ct)
    {
        delivery.State = DeliveryState.Canceled;
        delivery.CanceledReason = reason;
        ClearLease(delivery);
        await SaveAsync(delivery, ct);
    }

    private async Task<bool> FinishAsync(Delivery delivery, DeliveryState state, string message, CancellationToken ct)
    {
        delivery.State = state;
        delivery.LastError = Short(message);
        ClearLease(delivery);
        return await SaveAsync(delivery, ct);
    }

    /// <summary>
    /// Gives the delivery back, no attempt spent, to be claimed again after <paramref name="wait"/>. One whose last
    /// outcome is still unknown stays Sending, so that the next claim reconciles it first.
    /// </summary>
    private async Task ReleaseAsync(Delivery delivery, TimeSpan wait, bool stillUnknown, CancellationToken ct)
    {
        if (stillUnknown)
        {
            delivery.LeaseOwner = null;
            delivery.LeaseUntilUtc = Now + wait;
        }
        else
        {
            delivery.State = DeliveryState.Pending;
            delivery.NextAttemptUtc = Now + wait;
            ClearLease(delivery);
        }
        await SaveAsync(delivery, ct);
    }

    private SendRequest RequestOf(Delivery delivery, Channel channel, ScheduledContent content, ScheduledVariant variant)
    {
        // A thread's parts, in order: the network sends those not yet in SentParts, each replying to the one before.
        var parts = variant.Parts.Select(p => new DeliveryPart(p.Text, p.Link,
            p.Media.Select(m => new DeliveryMedia(m.MediaId, m.FileName, m.ContentType, m.Length, m.AltText, m.ReadAsync)).ToList())).ToList();
        return RequestOf(delivery, channel, parts, new Dictionary<string, string>());
    }

    private SendRequest RequestOf(Delivery delivery, Channel channel, IReadOnlyList<DeliveryPart> parts, IReadOnlyDictionary<string, string> options)
    {
        var account = channels.AccountOf(channel, async (secret, token) =>
        {
            // A refreshed session is kept at once, apart from the delivery's own changes.
            await db.Channels.Where(c => c.Id == channel.Id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.ProtectedSecret, channels.ProtectSecret(secret)).SetProperty(c => c.Version, c => c.Version + 1), token);
        });
        return RequestOf(delivery, account, parts, options);
    }

    private SendRequest RequestOf(Delivery delivery, ChannelAccount account, IReadOnlyList<DeliveryPart> parts, IReadOnlyDictionary<string, string> options)
    {
        var culture = workspace.Required.Culture;
        var language = culture.Length >= 2 ? culture[..2].ToLowerInvariant() : "fr";
        return new SendRequest(delivery.Id, delivery.DeliveryKey, account, parts, SentPartsOf(delivery), delivery.Attempts, delivery.FirstAttemptUtc,
            language, options, delivery.PostId, delivery.OccurrenceUtc);
    }

    /// <summary>
    /// For the stager (<see cref="OutboxStager"/>): the request of a plain delivery read ahead of its instant — one part,
    /// no image, no article to wait for, first attempt, within the channel's limits; null for any other, which goes the
    /// one-by-one way (<see cref="SendAsync"/>) at its instant. <paramref name="account"/> is shared by the channel's
    /// staged deliveries (its secret read once).
    /// </summary>
    public SendRequest? StagedRequestOf(Delivery delivery, Channel channel, ScheduledContent content, ChannelAccount account)
    {
        if (delivery.ReplyId is not null || delivery.Attempts > 0 || delivery.Network == ArticleLink.Network || content.For(ArticleLink.Network) is not null)
            return null;
        if (content.For(delivery.Network) is not { Parts: [var part] } || part.Media.Count > 0 || ArticleLink.In(part.Text)) return null;
        var request = RequestOf(delivery, account, [new DeliveryPart(part.Text, part.Link, [])], new Dictionary<string, string>());
        return LimitsRefusal(channel, delivery.Network, request) is null ? request : null;
    }

    /// <summary>
    /// The outcome of a staged delivery's send, other than a plain publication (those are recorded in batches by the
    /// stager): recorded as <see cref="SendAsync"/> records it — retry later, unknown, failed (the author and approvers
    /// told), no proof. Nothing when the delivery changed since (its lease ran out and another node took it over).
    /// </summary>
    public async Task RecordStagedAsync(Guid deliveryId, int version, Guid attemptId, Channel channel, SendRequest request, SendOutcome outcome,
        CancellationToken ct)
    {
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, ct);
        var attempt = await db.Attempts.FirstOrDefaultAsync(a => a.Id == attemptId, ct);
        if (delivery is null || attempt is null || delivery.Version != version || delivery.State != DeliveryState.Sending) return;
        var content = delivery.ReplyId is null ? await schedule.ContentAsync(delivery.PostId, delivery.OccurrenceUtc, ct) : null;
        await RecordAsync(delivery, attempt, channel, content, request, outcome, ct);
    }

    private static IReadOnlyList<SentPart> SentPartsOf(Delivery delivery) =>
        delivery.SentPartsJson is { Length: > 0 } json ? JsonSerializer.Deserialize<List<SentPart>>(json) ?? [] : [];

    /// <summary>Proof: every part has the network's id for it.</summary>
    internal static bool HasProof(IReadOnlyList<SentPart> parts, int expected) =>
        parts.Count >= expected && expected > 0 && Enumerable.Range(0, expected).All(i => parts.Any(p => p.Index == i && !string.IsNullOrWhiteSpace(p.RemoteId)));

    private static void ClearLease(Delivery delivery)
    {
        delivery.LeaseOwner = null;
        delivery.LeaseUntilUtc = null;
    }

    /// <summary>Saves with the version check; false when someone else changed the delivery meanwhile (nothing saved).</summary>
    private async Task<bool> SaveAsync(Delivery delivery, CancellationToken ct)
    {
        delivery.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static string? Short(string? text) => text is { Length: > 2000 } ? text[..2000] : text;
}
