using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CmPortal.Core.Jobs;

/// <summary>Work a module does on a schedule, once for each workspace where the module is on.</summary>
public interface IWorkspaceJob
{
    Task RunAsync(Workspace workspace, CancellationToken ct);
}

public sealed record WorkspaceJobRegistration(string ModuleId, Type JobType, string CronExpression)
{
    public JobKey Key => new(JobType.Name, ModuleId);
}

/// <summary>
/// The Quartz job behind every <see cref="IWorkspaceJob"/>: it runs the module's job in a scope
/// per workspace, skipping workspaces where the module is off. One workspace failing does not
/// stop the others.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class WorkspaceJobDispatcher(IServiceScopeFactory scopes, ILogger<WorkspaceJobDispatcher> logger) : IJob
{
    public const string ModuleKey = "module";
    public const string TypeKey = "type";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var moduleId = context.MergedJobDataMap.GetString(ModuleKey)!;
        var typeName = context.MergedJobDataMap.GetString(TypeKey)!;
        await using var root = scopes.CreateAsyncScope();
        var registration = root.ServiceProvider.GetServices<WorkspaceJobRegistration>()
            .FirstOrDefault(r => r.ModuleId == moduleId && r.JobType.FullName == typeName);
        if (registration is null)
        {
            logger.LogInformation("Job {Type} of module {Module} is no longer registered; skipped", typeName, moduleId);
            return;
        }
        var workspaces = await root.ServiceProvider.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking()
            .Where(w => w.Modules.Any(m => m.ModuleId == moduleId)).ToListAsync(ct);
        foreach (var workspace in workspaces)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
            var job = (IWorkspaceJob)scope.ServiceProvider.GetRequiredService(registration.JobType);
            try
            {
                await job.RunAsync(workspace, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Job {Job} failed for workspace {Workspace}", registration.JobType.Name, workspace.Key);
            }
        }
    }
}
