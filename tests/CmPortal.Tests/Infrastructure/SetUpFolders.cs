using System.Collections.Concurrent;
using CmPortal.Core.Events;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

/// <summary>
/// SQLite data folders set up once per test run, one per recipe and parameters, that <see cref="PortalHost.StartSetUpAsync"/>
/// copies for each test. A folder is made by a real portal: started, set up, its module events handled (so that no
/// event is left leased by a portal that is gone) and stopped; its database is then copied with <c>VACUUM INTO</c>.
/// </summary>
internal static class SetUpFolders
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Folders = new();

    static SetUpFolders() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var folder in Folders.Values.Where(f => f.IsValueCreated && f.Value.IsCompletedSuccessfully))
            try { Directory.Delete(folder.Value.Result, recursive: true); } catch (IOException) { }
    };

    public static async Task CopyAsync(string recipe, Dictionary<string, string>? parameters, string target)
    {
        var key = recipe + string.Concat((parameters ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\n{p.Key}={p.Value}"));
        var folder = await Folders.GetOrAdd(key, _ => new Lazy<Task<string>>(() => MakeAsync(recipe, parameters))).Value;
        CopyFiles(folder, target, _ => true);
    }

    private static void CopyFiles(string from, string to, Func<string, bool> which)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Where(which))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    private static async Task<string> MakeAsync(string recipe, Dictionary<string, string>? parameters)
    {
        var work = Directory.CreateTempSubdirectory("cmportal-setting-up-").FullName;
        await using (var host = await PortalHost.StartOnAsync(work))
        {
            await host.SetUpAsync(recipe, parameters);
            await host.InScopeAsync(services => services.GetRequiredService<ModuleEventDispatcher>().DrainAsync());
        }
        var folder = Directory.CreateTempSubdirectory("cmportal-set-up-").FullName;
        CopyFiles(work, folder, f => !Path.GetFileName(f).StartsWith("cmportal.db", StringComparison.Ordinal));
        // The stopped portal's pooled connections may still hold the write-ahead log: VACUUM INTO writes one whole file.
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder
                     {
                         DataSource = Path.Combine(work, "cmportal.db"), Pooling = false,
                     }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "VACUUM INTO $target";
            command.Parameters.AddWithValue("$target", Path.Combine(folder, "cmportal.db"));
            await command.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        return folder;
    }
}
