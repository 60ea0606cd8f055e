using CmPortal.Core.Admin;
using CmPortal.Core.Networks;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;

namespace CmPortal.Modules.Publishing.Admin;

/// <summary>
/// The "Publishing" panel of the calendar's post editor: each channel's delivery of the post with its state, and
/// the link to the post's deliveries page (attempts, the network's answers, publish now, cancel, retry). Nothing
/// while the post has no delivery.
/// </summary>
internal sealed class PostDeliveriesPanel(DeliveryService deliveries) : IAdminPanelSource
{
    /// <summary>A recurring post has a delivery per date: the panel shows the latest ones, the page all.</summary>
    public const int MaxLines = 6;

    public string Place => PostEditorPanels.Place;

    public async Task<DashboardCard?> PanelAsync(Workspace workspace, Guid subjectId, CancellationToken ct)
    {
        var list = await deliveries.ForPostAsync(subjectId, ct);
        // "Posts that silently never go out": a network of the post without an active channel is said first.
        var unserved = await deliveries.NetworksWithoutChannelAsync(subjectId, ct);
        if (list.Count == 0 && unserved.Count == 0) return null;
        var shown = list.OrderByDescending(v => v.Delivery.OccurrenceUtc).ThenBy(v => v.ChannelName).Take(MaxLines).ToList();
        var lines = new List<DashboardLine>();
        foreach (var network in unserved)
        {
            var name = SocialNetworks.Find(network) is { } known ? ProblemValue.Declared(known.Name) : (object)network;
            lines.Add(new DashboardLine("{0}: no active channel, so the post will not go out there. Connect an account on the channels page, or take {0} off the post.", name));
        }
        foreach (var v in shown)
        {
            var state = ProblemValue.Declared(DeliveryStateWords.Of(v.Delivery.State));
            // A failure the network caused reads as on the log's pages (the network, its code, its words, what to do);
            // one the portal wrote itself (the channel's limits, an article) as it was written.
            if ((DeliveryFailures.Of(v) ?? DeliveryFailures.LastAnswer(v)) is { } explained)
            {
                lines.Add(new DashboardLine("{0}: {1}", v.ChannelName, state));
                lines.Add(new DashboardLine(explained.Template, explained.Values));
            }
            else if (v.Delivery is { State: DeliveryState.Failed, LastError: { } said })
                lines.Add(new DashboardLine("{0}: {1} — “{2}”", v.ChannelName, state, ArticleTeasers.IsReason(said) ? ProblemValue.Declared(said) : said));
            else if (v.Delivery.LastError is { } waits && DeliveryFailures.LastErrorWrittenByPortal(v))
                lines.Add(new DashboardLine("{0}: {1} — {2}", v.ChannelName, state, waits)); // the portal's own words, not quoted
            else
                lines.Add(new DashboardLine("{0}: {1}", v.ChannelName, state));
        }
        if (list.Count > shown.Count) lines.Add(new DashboardLine("And {0} more.", list.Count - shown.Count));
        // Without any delivery yet, the way out is the channels page; otherwise the post's deliveries.
        var (linkPath, linkText) = list.Count == 0 ? ("channels", "Channels") : ($"publishing/posts/{subjectId}", "Deliveries, attempts and actions");
        return new DashboardCard("Publishing", "broadcast", lines,
            NeedsAttention: unserved.Count > 0 || list.Any(v => v.Delivery.State is DeliveryState.Failed or DeliveryState.AwaitingPerson or DeliveryState.Held),
            LinkPath: linkPath, LinkText: linkText, LinkPermission: PublishingPermissions.View.Name);
    }
}
