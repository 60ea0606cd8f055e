using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CmPortal.Modules.Inbox.Import;

/// <summary>What an import did or would do: the file as read, and the mentions stored (or that would be) and left out as known.</summary>
internal sealed record ImportOutcome(ImportFile File, int Stored, int Duplicates)
{
    public IReadOnlyList<ImportProblem> Problems => File.Problems;
    public bool Succeeded => File.Problems.Count == 0;
}

/// <summary>
/// Imports mentions from a CSV file: every line checked first (one wrong line and nothing is stored), then the whole
/// file through <see cref="MentionService.IngestAsync"/> in ONE transaction — batches of <see cref="MentionService.MaxBatch"/>
/// joined in it, so a file of 50,000 lines is stored whole or not at all. The preview is the same run, rolled back:
/// its counts are the import's, duplicates within the file and with the inbox included.
/// </summary>
internal sealed class MentionImportService(InboxDbContext db, MentionService mentions, WorkspaceContext workspace)
{
    public async Task<ImportOutcome> RunAsync(byte[] bytes, string? fileName, bool dryRun, IReadOnlyDictionary<string, int>? columns = null,
        CancellationToken ct = default)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(workspace.Required.TimeZone) ?? DateTimeZone.Utc;
        var sourceName = fileName is { Length: > 0 } ? Path.GetFileName(fileName) : null;
        var file = MentionCsv.Read(bytes, zone, sourceName, columns);
        if (!file.Succeeded()) return new ImportOutcome(file, 0, 0);

        int stored = 0, duplicates = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var group in file.Rows.GroupBy(r => r.SourceKind))
            foreach (var chunk in group.Chunk(MentionService.MaxBatch))
            {
                var outcome = await mentions.IngestAsync(group.Key, sourceName, chunk.Select(r => r.Item).ToList(), ct);
                if (outcome.Problems.Count > 0)
                {
                    // The lines were checked as the service checks them; a problem here is one the reader does not know yet.
                    await transaction.RollbackAsync(ct);
                    var located = outcome.Problems.Select(p => new ImportProblem(LineOf(p.Field, chunk), null, p with { Field = null })).ToList();
                    return new ImportOutcome(file with { Problems = located }, 0, 0);
                }
                stored += outcome.Stored;
                duplicates += outcome.Duplicates;
            }
        if (dryRun) await transaction.RollbackAsync(ct);
        else await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new ImportOutcome(file, stored, duplicates);
    }

    private static int LineOf(string? field, ImportRow[] chunk)
    {
        var end = field?.IndexOf(']') ?? -1;
        return field is not null && field.StartsWith("mentions[", StringComparison.Ordinal) && end > 9
            && int.TryParse(field[9..end], out var i) && i < chunk.Length ? chunk[i].Line : 0;
    }
}

internal static class ImportFileExtensions
{
    public static bool Succeeded(this ImportFile file) => file.Problems.Count == 0;
}
