using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;

namespace CmPortal.Modules.Publishing.Admin;

/// <summary>
/// A failed delivery as the log shows it: when the network caused it (a refusal with its status code, or no answer
/// after every retry), the reason in words with the network's own message quoted and what to do
/// (<see cref="NetworkFailures"/>, the same words as a reply's failure in the inbox); null when the portal wrote the
/// reason itself (the channel's limits, no proof, an article that failed), which is shown as it is.
/// </summary>
internal static class DeliveryFailures
{
    public static Problem? Of(DeliveryView view)
    {
        var delivery = view.Delivery;
        if (delivery.State != DeliveryState.Failed || delivery.LastError is null) return null;
        var last = view.Attempts.OrderByDescending(a => a.StartedUtc).FirstOrDefault();
        if (last is not ({ Outcome: nameof(SendStatus.Failed), HttpStatus: not null } or { Outcome: nameof(SendStatus.RetryLater) or nameof(SendStatus.Unknown) }))
            return null;
        return NetworkFailures.Explain(delivery.ReplyId is null ? NetworkFailures.Subject.Post : NetworkFailures.Subject.Reply,
            view.ChannelKind, view.ChannelName, last.HttpStatus, delivery.LastError);
    }
}
