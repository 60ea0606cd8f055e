using CmPortal.Core.Localization;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Csv;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>Posts to and from a spreadsheet: the CSV export, and the import (upload, preview, apply in the background, progress).</summary>
[Route("admin/{workspace}/posts")]
[RequirePermission("ContentCalendar.Write")]
internal sealed class PostsCsvController(
    PostImportService importer, ImportFiles files, ImportRuns runs, WorkspaceContext workspace, PermissionService permissions,
    IStringLocalizer<PostsCsvController> T) : Controller
{
    private string Base => $"/admin/{workspace.Required.Key}/posts";

    [HttpGet("export.csv")]
    public async Task<IActionResult> Export(CancellationToken ct) =>
        File(await importer.ExportAsync(ct), "text/csv; charset=utf-8", $"{workspace.Required.Key}-posts.csv");

    /// <summary>
    /// The upload form; with <paramref name="run"/>, an import's progress page (its status as JSON with
    /// <c>format=json</c>, for the page's script). Runs live in memory, so they are named in the query, not the route.
    /// </summary>
    [HttpGet("import")]
    public async Task<IActionResult> Import(Guid? run, string? format, CancellationToken ct)
    {
        if (run is null) return View(new ImportPageModel());
        var found = runs.Find(run.Value, workspace.Required.Id, (await ActorAsync(ct)).UserId ?? Guid.Empty);
        if (found is null) return NotFound();
        return format == "json"
            ? Json(new { status = found.Status, done = found.Done, total = found.Total, label = Label(found), problems = found.Problems.Select(T.Located).ToList() })
            : View("ImportRun", found);
    }

    /// <summary>Reads the uploaded file and shows what it would create, with every problem; nothing is stored yet.</summary>
    [HttpPost("import")]
    [RequestSizeLimit(PostCsv.MaxBytes + 64 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = PostCsv.MaxBytes + 64 * 1024)]
    public async Task<IActionResult> Preview(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", T["Choose a CSV file to import."].Value);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Import", new ImportPageModel());
        }
        if (file.Length > PostCsv.MaxBytes)
        {
            ModelState.AddModelError("file", T["The file is larger than {0} MB: split it into several files.", PostCsv.MaxBytes / 1024 / 1024].Value);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Import", new ImportPageModel());
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var actor = await ActorAsync(ct);
        var preview = await importer.PreviewAsync(bytes, actor, ct);
        var model = new ImportPageModel { FileName = file.FileName, Preview = preview };
        if (!preview.Problems.Any()) model.Key = await files.SaveAsync(workspace.Required.Id, actor.UserId ?? Guid.Empty, bytes, ct);
        else Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Import", model);
    }

    /// <summary>
    /// Imports the previewed file (kept on the server under <paramref name="key"/>) in the background. The key comes in
    /// the form, not the address: it is a secret of the member who uploaded the file, kept out of logs and history.
    /// </summary>
    [HttpPost("import/apply")]
    public async Task<IActionResult> Apply(string? key, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key)) return NotFound();
        var actor = await ActorAsync(ct);
        var bytes = await files.LoadAsync(workspace.Required.Id, actor.UserId ?? Guid.Empty, key, ct);
        if (bytes is null) return NotFound(); // already imported, older than a day, or someone else's
        var rows = PostCsv.Read(bytes).Rows.Count;
        var run = runs.Start(workspace.Required, actor, key, bytes, rows);
        return Redirect($"{Base}/import?run={run.Id}");
    }

    /// <summary>Where the import stands, in the reader's language (the progress page shows it as is).</summary>
    private string Label(ImportRun run) => run.Status switch
    {
        "succeeded" => T["Done: {0} posts imported.", run.Total].Value,
        "failed" => T["Failed: nothing was stored."].Value,
        _ => T["Importing… {0} of {1} posts.", run.Done, run.Total].Value,
    };

    private Task<PostActor> ActorAsync(CancellationToken ct) => PostActor.ForAsync(User, permissions, workspace.Required, ct);
}

internal sealed class ImportPageModel
{
    public string? FileName { get; init; }
    public CsvPostFile? Preview { get; init; }

    /// <summary>The key of the file kept on the server, when the preview found no problem.</summary>
    public string? Key { get; set; }
}
