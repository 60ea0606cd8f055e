using CmPortal.Core.Jobs;
using CmPortal.Core.Modules;
using CmPortal.Modules.KeyDates.Jobs;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CmPortal.Tests.Integration;

/// <summary>
/// A job is only useful if the running portal will fire it: every job a module defines is registered, and the
/// scheduler of a running host holds a trigger for each registration, with its schedule and a next fire time,
/// before and after a restart. (One-off scheduled runs surviving a restart: ModuleTests.)
/// </summary>
public sealed class JobScheduleTests
{
    private static IEnumerable<Type> Implementations<T>(PortalHost host) =>
        host.Services.GetRequiredService<ModuleCatalog>().Modules.Select(m => m.GetType().Assembly).Distinct()
            .SelectMany(a => a.GetTypes()).Where(t => typeof(T).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Every_job_a_module_defines_is_registered_and_the_running_scheduler_will_fire_it_also_after_a_restart(Provider provider)
    {
        var host = await PortalHost.StartAsync(provider);
        await using var first = host;

        // A job class that no module registers never runs.
        var registrations = host.Services.GetServices<WorkspaceJobRegistration>().ToList();
        Assert.Equal(Implementations<IWorkspaceJob>(host).Select(t => t.FullName).Order(),
            registrations.Select(r => r.JobType.FullName).Order());
        Assert.Equal(Implementations<IScheduledWorkspaceJob>(host).Select(t => t.FullName).Order(),
            host.Services.GetServices<ScheduledJobRegistration>().Select(r => r.JobType.FullName).Order());

        // The key dates roll over every night at 03:15 UTC.
        var rollOver = Assert.Single(registrations, r => r.JobType == typeof(RollOverYearlyKeyDatesJob));
        Assert.Equal(("KeyDates", "0 15 3 * * ?"), (rollOver.ModuleId, rollOver.CronExpression));
        var next = await AssertScheduledAsync(host, registrations);
        var nextRollOver = next[rollOver.Key];
        Assert.Equal((3, 15, 0), (nextRollOver.UtcDateTime.Hour, nextRollOver.UtcDateTime.Minute, nextRollOver.UtcDateTime.Second));
        Assert.InRange(nextRollOver - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromDays(1));

        // The schedule lives in the database: a restarted portal has the same triggers, once each.
        await using var restarted = await host.RestartAsync();
        await AssertScheduledAsync(restarted, restarted.Services.GetServices<WorkspaceJobRegistration>().ToList());
    }

    /// <summary>Asserts the scheduler runs and has one trigger per registration, in its cron schedule (UTC), not paused; returns the next fire times.</summary>
    private static async Task<Dictionary<JobKey, DateTimeOffset>> AssertScheduledAsync(PortalHost host, IReadOnlyList<WorkspaceJobRegistration> registrations)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        // The hosted service starts the scheduler once the application has started.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await scheduler.GetStatus() != SchedulerStatus.Running && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(SchedulerStatus.Running, await scheduler.GetStatus());
        Assert.NotEmpty(registrations);
        var next = new Dictionary<JobKey, DateTimeOffset>();
        foreach (var registration in registrations)
        {
            Assert.True(await scheduler.Exists(registration.Key), $"{registration.Key} is not in the scheduler");
            var header = Assert.Single((await scheduler.QueryTriggers(new TriggerQuery { Job = registration.Key })).Items);
            Assert.Equal(TriggerState.Normal, await scheduler.GetTriggerState(header.Key));
            var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(header.Key));
            Assert.Equal(registration.CronExpression, trigger.CronExpressionString);
            Assert.Equal(TimeZoneInfo.Utc.Id, trigger.TimeZone.Id);
            var fire = trigger.NextFireTimeUtc;
            Assert.True(fire > DateTimeOffset.UtcNow, $"{registration.Key} has no next fire time");
            // The next time its schedule names, not a later one.
            var cron = new CronExpression(registration.CronExpression, TimeZoneInfo.Utc);
            Assert.True(cron.IsSatisfiedBy(fire!.Value) && fire <= cron.GetNextValidTimeAfter(DateTimeOffset.UtcNow), $"{registration.Key} fires at {fire:O}");
            next[registration.Key] = fire.Value;
        }
        return next;
    }
}
