using CmPortal.Core.Localization;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.ContentCalendar.Csv;

/// <summary>
/// Imports posts from a CSV file: a preview that checks every line as the editor would (nothing stored), then the
/// whole file created in one transaction through <see cref="PostService.CreateAsync"/>: one bad line, and nothing is
/// stored. Exports the workspace's posts in the same form.
/// </summary>
internal sealed class PostImportService(PostService posts, CalendarDbContext db, PortalConnection connection)
{
    /// <summary>How many lines are created between two progress reports.</summary>
    public const int Chunk = 250;

    /// <summary>The file read and every line checked against the post rules.</summary>
    public async Task<CsvPostFile> PreviewAsync(byte[] bytes, PostActor actor, CancellationToken ct = default)
    {
        var file = PostCsv.Read(bytes);
        if (file.FileProblems.Count > 0) return file;
        var import = PostService.NewImport();
        foreach (var row in file.Rows.Where(r => r.Problems.Count == 0))
        {
            foreach (var problem in await posts.CheckCreateAsync(row.Input, row.State, actor, import, ct))
                row.Problems.Add(new CsvProblem(row.Line, PostCsv.Column(problem.Field), problem));
        }
        return file;
    }

    /// <summary>
    /// Creates every post of the file in one transaction; the problems (nothing stored) when a line is refused.
    /// Reports the number of lines done after each chunk.
    /// </summary>
    public async Task<IReadOnlyList<CsvProblem>> ApplyAsync(byte[] bytes, PostActor actor, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var file = PostCsv.Read(bytes);
        if (file.Problems.Any()) return file.Problems.ToList();
        var problems = new List<CsvProblem>();
        await connection.BeginTransactionAsync(ct);
        try
        {
            var done = 0;
            // The approval mode, the editorial line, the campaigns… read once for the file, not once a line.
            var import = PostService.NewImport();
            foreach (var row in file.Rows)
            {
                var outcome = await posts.CreateAsync(row.Input, row.State, actor, import, ct);
                if (!outcome.Succeeded)
                {
                    problems.AddRange(outcome.Problems.Select(p => new CsvProblem(row.Line, PostCsv.Column(p.Field), p)));
                    break;
                }
                // Forgetting each saved post keeps every save's cost its own: each save (and the workspace stamp before
                // it) scans every tracked entity for changes, and 250 lines' posts, variants and revisions made that
                // scan most of the import's time.
                db.ChangeTracker.Clear();
                if (++done % Chunk == 0) progress?.Report(done);
            }
            if (problems.Count > 0)
            {
                await connection.RollbackAsync();
                return problems;
            }
            await connection.CommitAsync(ct);
            progress?.Report(done);
            return problems;
        }
        catch
        {
            if (connection.Transaction is not null) await connection.RollbackAsync();
            throw;
        }
    }

    /// <summary>Every post of the workspace as a CSV file (UTF-8 with BOM, semicolons), by date, the backlog last.</summary>
    public async Task<byte[]> ExportAsync(CancellationToken ct = default)
    {
        var all = await db.Posts.AsNoTracking().Include(p => p.Variants).Where(p => p.SeriesId == null)
            .OrderBy(p => p.StartsLocal == null).ThenBy(p => p.StartsLocal).ThenBy(p => p.CreatedUtc).ToListAsync(ct);
        var campaigns = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Slug, ct);
        return PostCsv.Export(all, campaigns);
    }
}

/// <summary>The problem of a line as a message: "Line 3, column date: …", in the reader's language.</summary>
internal static class CsvProblems
{
    public static string Located(this Microsoft.Extensions.Localization.IStringLocalizer T, CsvProblem problem) =>
        problem.Line == 0 ? T.Problem(problem.Problem).Value
        : problem.Column is null
        ? T["Line {0}: {1}", problem.Line, T.Problem(problem.Problem).Value].Value
        : T["Line {0}, column {1}: {2}", problem.Line, problem.Column, T.Problem(problem.Problem).Value].Value;
}
