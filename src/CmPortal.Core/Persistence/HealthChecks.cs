using System.Text.Json;
using Microsoft.AspNetCore.Http;
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

/// <summary>
/// What <c>/health</c> answers: the status word (<c>Healthy</c>, <c>Degraded</c>, <c>Unhealthy</c>) for probes; with
/// <c>Accept: application/json</c>, each check with its description and figures (publishing's <c>oldestDueSeconds</c>…).
/// </summary>
internal static class HealthAnswer
{
    public static Task WriteAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        if (!context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status.ToString());
        }
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        }));
    }
}
