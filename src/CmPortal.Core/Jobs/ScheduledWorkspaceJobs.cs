using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CmPortal.Core.Jobs;

/// <summary>
/// Work a module schedules for one workspace at one instant (publish this post at 09:00). Stored in the
/// portal's database by Quartz, so it survives a restart; skipped if the module is off by then.
/// </summary>
public interface IScheduledWorkspaceJob
{
    Task RunAsync(Workspace workspace, string payload, CancellationToken ct);
}

public sealed record ScheduledJobRegistration(string ModuleId, Type JobType)
{
    public string Group => $"{ModuleId}.{JobType.Name}";
}

/// <summary>Schedules and cancels <see cref="IScheduledWorkspaceJob"/>s. A key identifies one scheduled run within its workspace and job type.</summary>
public sealed class WorkspaceJobScheduler(ISchedulerFactory schedulers, IEnumerable<ScheduledJobRegistration> registrations)
{
    /// <summary>Schedules (or moves) the run named <paramref name="key"/>; a time in the past runs at once.</summary>
    public async Task ScheduleAsync<TJob>(Workspace workspace, string key, DateTimeOffset at, string payload, CancellationToken ct = default)
        where TJob : IScheduledWorkspaceJob
    {
        var registration = Registration<TJob>();
        var jobKey = JobKey(registration, workspace, key);
        var job = JobBuilder.Create<ScheduledWorkspaceJobDispatcher>()
            .WithIdentity(jobKey)
            .UsingJobData(ScheduledWorkspaceJobDispatcher.WorkspaceKey, workspace.Id.ToString())
            .UsingJobData(ScheduledWorkspaceJobDispatcher.ModuleKey, registration.ModuleId)
            .UsingJobData(ScheduledWorkspaceJobDispatcher.TypeKey, registration.JobType.FullName!)
            .UsingJobData(ScheduledWorkspaceJobDispatcher.PayloadKey, payload)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create().WithIdentity(jobKey.Name, jobKey.Group).ForJob(jobKey).StartAt(at).Build();
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.ScheduleJob(job, trigger, ScheduleJobOptions.Replacing, ct);
    }

    /// <summary>Cancels the run if it has not started; false when there was nothing to cancel.</summary>
    public async Task<bool> CancelAsync<TJob>(Workspace workspace, string key, CancellationToken ct = default) where TJob : IScheduledWorkspaceJob =>
        await (await schedulers.GetScheduler(ct)).DeleteJob(JobKey(Registration<TJob>(), workspace, key), ct);

    private ScheduledJobRegistration Registration<TJob>() =>
        registrations.FirstOrDefault(r => r.JobType == typeof(TJob))
        ?? throw new InvalidOperationException($"{typeof(TJob).Name} is not registered. Call AddScheduledJob<{typeof(TJob).Name}>() in its module.");

    private static JobKey JobKey(ScheduledJobRegistration registration, Workspace workspace, string key) =>
        new($"{workspace.Id:N}:{key}", registration.Group);
}

/// <summary>The Quartz job behind every scheduled run: finds the workspace, checks the module is on, runs the module's job.</summary>
internal sealed class ScheduledWorkspaceJobDispatcher(IServiceScopeFactory scopes, ILogger<ScheduledWorkspaceJobDispatcher> logger) : IJob
{
    public const string WorkspaceKey = "workspace";
    public const string ModuleKey = "module";
    public const string TypeKey = "type";
    public const string PayloadKey = "payload";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var data = context.MergedJobDataMap;
        var moduleId = data.GetString(ModuleKey)!;
        var typeName = data.GetString(TypeKey)!;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var registration = services.GetServices<ScheduledJobRegistration>().FirstOrDefault(r => r.ModuleId == moduleId && r.JobType.FullName == typeName);
        var workspaceId = Guid.Parse(data.GetString(WorkspaceKey)!);
        var workspace = await services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().FirstOrDefaultAsync(w => w.Id == workspaceId, ct);
        if (registration is null || workspace is null || !await services.GetRequiredService<ModuleFeatures>().IsEnabledAsync(workspace.Id, moduleId, ct))
        {
            logger.LogInformation("Skipped {Job}: its workspace is gone, or module {Module} is off or no longer installed", context.JobDetail.Key, moduleId);
            return;
        }
        services.GetRequiredService<WorkspaceContext>().Set(workspace);
        var job = (IScheduledWorkspaceJob)services.GetRequiredService(registration.JobType);
        try
        {
            await job.RunAsync(workspace, data.GetString(PayloadKey) ?? "", ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Scheduled job {Job} failed for workspace {Workspace}", context.JobDetail.Key, workspace.Key);
        }
    }
}
