using CmPortal.Core.Localization;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Import;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Inbox.Admin;

/// <summary>What the import page shows: the upload, a file's preview with its columns, and the ingest hooks.</summary>
internal sealed class MentionImportPage
{
    public string? FileName { get; init; }
    /// <summary>The dry run of the file: its rows, problems and the counts an import would give.</summary>
    public ImportOutcome? Preview { get; init; }
    /// <summary>The key of the file kept on the server between the preview and the import.</summary>
    public string? Key { get; init; }
    public string? FileError { get; init; }
    public IReadOnlyList<IngestHook> Hooks { get; init; } = [];
    /// <summary>A hook just made: its secret is on this page only.</summary>
    public NewIngestHook? NewHook { get; init; }
    public string? HookError { get; init; }
    public string? HookName { get; init; }
    public required string HookBase { get; init; }
    public required NodaTime.DateTimeZone Zone { get; init; }
}

/// <summary>
/// Mentions from elsewhere (/admin/{ws}/inbox/import): a CSV file uploaded, previewed with its columns (detected or
/// chosen) and imported whole or not at all; the ingest hooks of Zapier/n8n bridges, made and revoked.
/// </summary>
[Route("admin/{workspace}/inbox/import")]
[RequirePermission("Inbox.Manage")]
internal sealed class ImportAdminController(MentionImportService importer, IngestHookService hooks, ImportFiles files, WorkspaceContext workspace,
    IStringLocalizer<ImportAdminController> T) : Controller
{
    private const long UploadLimit = MentionCsv.MaxBytes + 64 * 1024;
    private string Base => $"/admin/{workspace.Required.Key}/inbox/import";
    private Guid UserId => PermissionService.UserId(User) ?? Guid.Empty;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await PageAsync(ct: ct));

    /// <summary>Reads the uploaded file with the columns found from its header and shows what it would store; nothing is stored.</summary>
    [HttpPost("")]
    [RequestSizeLimit(UploadLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = UploadLimit)]
    public async Task<IActionResult> Upload(IFormFile? file, CancellationToken ct)
    {
        string? error = null;
        if (file is null || file.Length == 0) error = T["Choose a CSV file to import."].Value;
        else if (file.Length > MentionCsv.MaxBytes) error = T["The file is larger than {0} MB: split it into several files.", MentionCsv.MaxBytes / 1024 / 1024].Value;
        if (error is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await PageAsync(fileError: error, ct: ct));
        }
        using var buffer = new MemoryStream();
        await file!.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var key = await files.SaveAsync(workspace.Required.Id, UserId, bytes, ct);
        return await PreviewAsync(bytes, key, Path.GetFileName(file.FileName), null, ct);
    }

    /// <summary>The kept file read again with the columns the member chose.</summary>
    [HttpPost("preview")]
    public async Task<IActionResult> Preview(string? key, string? fileName, [FromForm] Dictionary<string, int>? columns, CancellationToken ct)
    {
        if (await LoadAsync(key, ct) is not { } bytes) return Gone();
        return await PreviewAsync(bytes, key!, fileName, columns, ct);
    }

    /// <summary>Imports the kept file with the chosen columns, in one transaction: every mention, or none and the problems.</summary>
    [HttpPost("apply")]
    public async Task<IActionResult> Apply(string? key, string? fileName, [FromForm] Dictionary<string, int>? columns, CancellationToken ct)
    {
        if (await LoadAsync(key, ct) is not { } bytes) return Gone();
        var outcome = await importer.RunAsync(bytes, fileName, dryRun: false, Clean(columns), ct);
        if (!outcome.Succeeded)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await PageAsync(new MentionImportPage { FileName = fileName, Preview = outcome, Key = key, HookBase = "", Zone = NodaTime.DateTimeZone.Utc }, ct: ct));
        }
        files.Delete(workspace.Required.Id, UserId, key!);
        TempData["Message"] = T["Import done: {0} {0|mention|mentions} stored, {1} {1|duplicate|duplicates} left out.", outcome.Stored, outcome.Duplicates].Value;
        return Redirect(Base);
    }

    [HttpPost("hooks")]
    public async Task<IActionResult> CreateHook(string? name, CancellationToken ct)
    {
        var (hook, problems) = await hooks.CreateAsync(name, PermissionService.UserId(User), ct);
        if (hook is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await PageAsync(hookError: T.Problem(problems[0]).Value, hookName: name, ct: ct));
        }
        // The secret is shown on this answer only (not in a redirect, a cookie or a log); the page's antiforgery
        // token already makes it no-store.
        return View("Index", await PageAsync(newHook: hook, ct: ct));
    }

    [HttpPost("hooks/{id:guid}/revoke")]
    public async Task<IActionResult> RevokeHook(Guid id, CancellationToken ct)
    {
        if (!await hooks.RevokeAsync(id, ct)) return NotFound();
        TempData["Message"] = T["Hook revoked: what its bridge sends is now refused."].Value;
        return Redirect(Base);
    }

    private async Task<IActionResult> PreviewAsync(byte[] bytes, string key, string? fileName, Dictionary<string, int>? columns, CancellationToken ct)
    {
        var outcome = await importer.RunAsync(bytes, fileName, dryRun: true, Clean(columns), ct);
        if (!outcome.Succeeded) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Index", await PageAsync(new MentionImportPage { FileName = fileName, Preview = outcome, Key = key, HookBase = "", Zone = NodaTime.DateTimeZone.Utc }, ct: ct));
    }

    /// <summary>Only the fields the reader knows; a column index the form did not offer is out of the file and leaves the field out.</summary>
    private static Dictionary<string, int>? Clean(Dictionary<string, int>? columns) =>
        columns?.Where(c => MentionCsv.Fields.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value);

    private Task<byte[]?> LoadAsync(string? key, CancellationToken ct) =>
        string.IsNullOrEmpty(key) ? Task.FromResult<byte[]?>(null) : files.LoadAsync(workspace.Required.Id, UserId, key, ct);

    /// <summary>The kept file is gone (imported already, older than a day, or another member's): back to the upload.</summary>
    private IActionResult Gone()
    {
        TempData["Error"] = T["This file is no longer kept: upload it again."].Value;
        return Redirect(Base);
    }

    private async Task<MentionImportPage> PageAsync(MentionImportPage? file = null, string? fileError = null, NewIngestHook? newHook = null,
        string? hookError = null, string? hookName = null, CancellationToken ct = default) => new()
    {
        FileName = file?.FileName, Preview = file?.Preview, Key = file?.Key, FileError = fileError,
        Hooks = await hooks.ListAsync(ct), NewHook = newHook, HookError = hookError, HookName = hookName,
        HookBase = $"{Request.Scheme}://{Request.Host}/api/v1/{workspace.Required.Key}/mentions/hooks/",
        Zone = NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(workspace.Required.TimeZone) ?? NodaTime.DateTimeZone.Utc,
    };
}
