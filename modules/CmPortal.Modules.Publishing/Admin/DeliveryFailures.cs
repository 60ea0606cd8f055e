using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;

namespace CmPortal.Modules.Publishing.Admin;

/// <summary>
/// A delivery and its attempts as the log shows them, in the reader's language (<see cref="NetworkFailures"/>, the same
/// words as a reply's failure in the inbox). A failed delivery: when the network caused it (a refusal with its status
/// code, or no answer after every retry), the reason in words with the network's own message quoted and what to do;
/// null when the portal wrote the reason itself (the channel's limits, an article that failed), which is shown as it
/// is. Each attempt: what the network answered, in words, its raw text kept apart for whoever needs it.
/// </summary>
internal static class DeliveryFailures
{
    public static Problem? Of(DeliveryView view)
    {
        var delivery = view.Delivery;
        if (delivery.State != DeliveryState.Failed || delivery.LastError is null) return null;
        var last = Last(view);
        if (last is { Outcome: "NoProof" }) return NoProof(view);
        if (last is null || !FromNetwork(last)) return null;
        return NetworkFailures.Explain(SubjectOf(view), view.ChannelKind, view.ChannelName, last.HttpStatus, delivery.LastError);
    }

    /// <summary>
    /// The network's last answer, in words, of a delivery that neither went out nor failed: why one waiting for another
    /// attempt (pending after "retry later", sending while the portal asks the network whether it went out) did not go
    /// yet, or what the network last said of one canceled since. Null when the last attempt has no answer to explain.
    /// </summary>
    public static Problem? LastAnswer(DeliveryView view) =>
        view.Delivery is { State: not (DeliveryState.Published or DeliveryState.Failed or DeliveryState.Held), LastError: not null }
        && Last(view) is { } last && Answer(view, last) is { } answer
            ? answer
            : null;

    /// <summary>Whether the delivery still waits for an attempt of the outbox (its last answer then says why it waits).</summary>
    public static bool Waits(DeliveryView view) => view.Delivery.State is DeliveryState.Pending or DeliveryState.Sending;

    /// <summary>
    /// What the network answered to <paramref name="attempt"/>, in words (without the next step: the delivery's reason
    /// says it); null when the attempt has no answer to explain — under way, published, marked published, found or
    /// absent when the portal asked — or when its text is the portal's own (<see cref="WrittenByPortal"/>).
    /// </summary>
    public static Problem? Answer(DeliveryView view, DeliveryAttempt attempt) => attempt switch
    {
        { Outcome: "NoProof" } => NoProof(view),
        _ when FromNetwork(attempt) || attempt.Outcome == "CannotTell" =>
            NetworkFailures.Answer(SubjectOf(view), view.ChannelKind, view.ChannelName, attempt.HttpStatus, attempt.Message),
        _ => null,
    };

    /// <summary>
    /// A refusal written before anything reached the network (a failure without a status code: the channel's limits
    /// in the workspace's language, a channel missing its address or token), why sending again is safe after the
    /// portal asked the network (not found), or why the portal could not ask it: the portal's own words, shown as
    /// written.
    /// </summary>
    public static bool WrittenByPortal(DeliveryAttempt attempt) =>
        attempt is { Outcome: nameof(SendStatus.Failed), HttpStatus: null, Message.Length: > 0 }
            or { Outcome: nameof(ReconcileStatus.NotFound), Message.Length: > 0 } // why sending again is safe (ReconcileOutcome.NotSent)
            or { Outcome: "CannotAsk", Message.Length: > 0 }; // ReconcileOutcome.CannotAsk

    /// <summary>
    /// Whether the delivery's last error is the portal's own sentence (<see cref="WrittenByPortal"/>), to be said as
    /// written rather than quoted as the network's words. Read from the attempt that wrote it, not the latest one: a
    /// new attempt under way has no words yet.
    /// </summary>
    public static bool LastErrorWrittenByPortal(DeliveryView view) =>
        view.Delivery.LastError is { } error &&
        view.Attempts.Where(a => a.Message == error).OrderByDescending(a => a.StartedUtc).FirstOrDefault() is { } source && WrittenByPortal(source);

    /// <summary>The network's raw text of the attempt, when it has one that is not the portal's own sentence.</summary>
    public static string? Raw(DeliveryAttempt attempt) =>
        attempt.Message is { Length: > 0 } message && !WrittenByPortal(attempt) && message != DeliverySender.NoProof ? message : null;

    private static bool FromNetwork(DeliveryAttempt attempt) =>
        attempt is { Outcome: nameof(SendStatus.Failed), HttpStatus: not null } or { Outcome: nameof(SendStatus.RetryLater) or nameof(SendStatus.Unknown) };

    private static DeliveryAttempt? Last(DeliveryView view) => view.Attempts.OrderByDescending(a => a.StartedUtc).FirstOrDefault();

    private static NetworkFailures.Subject SubjectOf(DeliveryView view) =>
        view.Delivery.ReplyId is null ? NetworkFailures.Subject.Post : NetworkFailures.Subject.Reply;

    private static Problem NoProof(DeliveryView view) =>
        new(null, "{0} answered without the published post's address: the portal counts it as failed, not as published. Check on the network before sending it again.",
            NetworkFailures.NetworkName(view.ChannelKind));
}
