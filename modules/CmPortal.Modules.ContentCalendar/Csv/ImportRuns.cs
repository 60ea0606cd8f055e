using System.Collections.Concurrent;
using System.Security.Cryptography;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Modules.ContentCalendar.Csv;

/// <summary>
/// Uploaded files between their preview and their import, kept on the server (never sent back through the page):
/// in the data directory's <c>imports</c> folder, readable by the portal's account only, named by the workspace, the
/// member and a random key, deleted once imported or after a day.
/// </summary>
internal sealed class ImportFiles(DatabaseOptions database)
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);
    private string Folder => Path.Combine(database.DataDirectory, "imports");

    public async Task<string> SaveAsync(Guid workspaceId, Guid userId, byte[] bytes, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        foreach (var old in new DirectoryInfo(Folder).EnumerateFiles("*.csv").Where(f => f.LastWriteTimeUtc < DateTime.UtcNow - KeptFor))
            old.Delete();
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(PathOf(workspaceId, userId, key), options))
            await stream.WriteAsync(bytes, ct);
        return key;
    }

    /// <summary>The file of this member in this workspace under <paramref name="key"/>; null if there is none (or no longer).</summary>
    public async Task<byte[]?> LoadAsync(Guid workspaceId, Guid userId, string key, CancellationToken ct)
    {
        if (key.Length != 32 || !key.All(char.IsAsciiHexDigitLower)) return null;
        var path = PathOf(workspaceId, userId, key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : null;
    }

    public void Delete(Guid workspaceId, Guid userId, string key)
    {
        if (key.Length == 32 && key.All(char.IsAsciiHexDigitLower)) File.Delete(PathOf(workspaceId, userId, key));
    }

    private string PathOf(Guid workspaceId, Guid userId, string key) => Path.Combine(Folder, $"{workspaceId:N}.{userId:N}.{key}.csv");
}

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
