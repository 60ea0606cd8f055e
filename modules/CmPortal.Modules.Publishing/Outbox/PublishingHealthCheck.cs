using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>
/// "The scheduler is watched": the age of the oldest delivery that is due and not sent yet, across workspaces.
/// Degraded (still 200, a node is not taken out of a load balancer for it) past <see cref="OutboxOptions.LateAfter"/>.
/// </summary>
internal sealed class PublishingHealthCheck(PublishingDbContext db, OutboxOptions options, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var active = db.Channels.IgnoreQueryFilters().Where(c => c.State == ChannelState.Active).Select(c => c.Id);
        var oldest = await db.Deliveries.IgnoreQueryFilters()
            .Where(d => active.Contains(d.ChannelId) && (d.State == DeliveryState.Pending || d.State == DeliveryState.Sending) && d.DueUtc <= now)
            .OrderBy(d => d.DueUtc).Select(d => (DateTime?)d.DueUtc).FirstOrDefaultAsync(ct);
        var age = oldest is { } due ? now - due : TimeSpan.Zero;
        var data = new Dictionary<string, object> { ["oldestDueSeconds"] = Math.Round(age.TotalSeconds) };
        return age > options.LateAfter
            ? HealthCheckResult.Degraded($"Publishing is late: the oldest due delivery has waited {age.TotalSeconds:0} s.", data: data)
            : HealthCheckResult.Healthy($"Publishing on time: the oldest due delivery has waited {age.TotalSeconds:0} s.", data: data);
    }
}
