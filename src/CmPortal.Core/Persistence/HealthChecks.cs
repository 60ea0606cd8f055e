using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace CmPortal.Core.Persistence;

/// <summary>Healthy when the database answers and every context's migrations are applied.</summary>
internal sealed class DatabaseHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var pending = new List<string>();
            foreach (var registration in PortalMigrations.Ordered(services))
            {
                var db = (DbContext)services.GetRequiredService(registration.ContextType);
                pending.AddRange(await db.Database.GetPendingMigrationsAsync(ct));
            }
            return pending.Count == 0
                ? HealthCheckResult.Healthy("Database reachable, migrations applied.")
                : HealthCheckResult.Unhealthy($"Pending migrations: {string.Join(", ", pending)}. Restart the portal to apply them.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}

internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        return await scheduler.GetStatus(ct) == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("Scheduler running.")
            : HealthCheckResult.Unhealthy("The job scheduler is not running.");
    }
}
