using System.Collections.Concurrent;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Modules.ContentCalendar.Csv;

/// <summary>An import running in the background: how far it is, and how it ended.</summary>
internal sealed class ImportRun : IProgress<int>
{
    private int _done;
    public Guid Id { get; } = Guid.NewGuid();
    public required Guid WorkspaceId { get; init; }
    public required Guid UserId { get; init; }
    public required int Total { get; init; }
    public int Done => Volatile.Read(ref _done);

    /// <summary>running, succeeded or failed.</summary>
    public string Status { get; private set; } = "running";
    public IReadOnlyList<CsvProblem> Problems { get; private set; } = [];

    public void Report(int value) => Volatile.Write(ref _done, value);
    internal void Finish(IReadOnlyList<CsvProblem> problems)
    {
        Problems = problems;
        Status = problems.Count == 0 ? "succeeded" : "failed";
    }
}

/// <summary>
/// Runs CSV imports in the background, each in its own scope and transaction, and keeps the latest runs for their
/// progress pages. A run lost with a restart stored nothing: its transaction was never committed.
/// </summary>
internal sealed class ImportRuns(IServiceScopeFactory scopes, ImportFiles files, ILogger<ImportRuns> logger)
{
    private readonly ConcurrentDictionary<Guid, ImportRun> _runs = new();

    public ImportRun? Find(Guid id, Guid workspaceId, Guid userId) =>
        _runs.GetValueOrDefault(id) is { } run && run.WorkspaceId == workspaceId && run.UserId == userId ? run : null;

    public ImportRun Start(Workspace workspace, PostActor actor, string key, byte[] bytes, int total)
    {
        var run = new ImportRun { WorkspaceId = workspace.Id, UserId = actor.UserId ?? Guid.Empty, Total = total };
        foreach (var old in _runs.Values.Where(r => r.Status != "running").Skip(50)) _runs.TryRemove(old.Id, out _);
        _runs[run.Id] = run;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspace);
                var importer = scope.ServiceProvider.GetRequiredService<PostImportService>();
                run.Finish(await importer.ApplyAsync(bytes, actor, run));
            }
            catch (Exception e)
            {
                logger.LogError(e, "The import of posts into workspace {Workspace} failed", workspace.Key);
                run.Finish([new CsvProblem(0, null, new Core.Validation.Problem(null, "Unexpected error ({0}). Nothing was stored; see the portal's log.", e.GetType().Name))]);
            }
            finally
            {
                files.Delete(workspace.Id, run.UserId, key);
            }
        });
        return run;
    }
}
