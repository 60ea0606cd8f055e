using CmPortal.Core.Admin;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Outbox;

namespace CmPortal.Modules.Publishing.Dashboard;

/// <summary>
/// "Publishing is late": deliveries due for longer than the health check tolerates
/// (<see cref="OutboxOptions.LateAfter"/>, <c>Publishing:LateAfterSeconds</c>) and not sent, or deliveries that failed
/// in the last 24 hours. Nothing when all goes out on time.
/// </summary>
internal sealed class PublishingLateCard(DeliveryService deliveries, OutboxOptions options, TimeProvider clock) : IDashboardCardSource
{
    public static readonly TimeSpan FailedWithin = TimeSpan.FromHours(24);

    public async Task<DashboardCard?> CardAsync(Workspace workspace, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (late, oldest) = await deliveries.LateAsync(options.LateAfter, ct);
        var failed = await deliveries.FailedSinceAsync(now - FailedWithin, ct);
        if (late == 0 && failed == 0) return null;
        var lines = new List<DashboardLine>();
        if (late > 0)
            lines.Add(new DashboardLine("{0} {0|delivery|deliveries} due for more than {1} {1|minute|minutes} {0|has|have} not gone out; {0|it|the oldest} has waited {2} {2|minute|minutes}.",
                late, Minutes(options.LateAfter), Minutes(now - oldest!.Value)));
        if (failed > 0)
            lines.Add(new DashboardLine("{0} {0|delivery|deliveries} failed in the last 24 hours.", failed));
        // The log filtered on what needs a hand first: the failures (to send again or cancel), else what waits.
        return new DashboardCard(late > 0 ? "Publishing is late" : "Publishing failed", "exclamation-triangle", lines, NeedsAttention: true,
            LinkPath: failed > 0 ? "publishing?state=Failed" : "publishing?state=Pending", LinkText: "See the publishing log",
            LinkPermission: PublishingPermissions.View.Name, Order: 130);
    }

    /// <summary>Whole minutes, at least one (a tolerance of 30 s still reads "1 minute").</summary>
    private static int Minutes(TimeSpan span) => Math.Max(1, (int)Math.Round(span.TotalMinutes));
}
