using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Admin;

/// <summary>What the brand book shows: the line and the charter, current or of a given version.</summary>
internal sealed record BrandBookModel(string WorkspaceKey, string WorkspaceName, Revision<EditorialLine> Line, Revision<GraphicCharter> Charter, bool CanEdit);

/// <summary>
/// The brand book: the editorial line and the graphic charter as one printable document, for
/// every member of the workspace.
/// </summary>
[Route("admin/{workspace}/brand")]
[RequirePermission("BrandIdentity.View")]
internal sealed class BrandBookController(BrandIdentityStore store, WorkspaceContext workspace, PermissionService permissions) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var line = await store.CurrentAsync<EditorialLine>(BrandDocument.EditorialLine, ct);
        var charter = await store.CurrentAsync<GraphicCharter>(BrandDocument.GraphicCharter, ct);
        var canEdit = await permissions.HasAsync(User, workspace.Required, BrandIdentityPermissions.Edit.Name, ct);
        return View(new BrandBookModel(workspace.Required.Key, workspace.Required.Name, line, charter, canEdit));
    }
}

internal sealed record HistoryModel(string WorkspaceKey, BrandDocument Document, string Slug, List<HistoryEntry> Entries, bool CanEdit, HistoryWording Wording);

internal sealed record RevisionModel(BrandBookModel Book, BrandDocument Document, string Slug, HistoryEntry Entry, int CurrentNumber, HistoryWording Wording)
{
    public BrandRevision Revision => Entry.Revision;
}

/// <summary>Every saved version of the line or the charter: who, when, what changed; view one, restore it.</summary>
[Route("admin/{workspace}/brand/{document:regex(^(editorial-line|graphic-charter)$)}/history")]
[RequirePermission("BrandIdentity.View")]
internal sealed class BrandHistoryController(BrandIdentityStore store, WorkspaceContext workspace, PermissionService permissions,
    AuthorNames authors, IStringLocalizer<BrandHistoryController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string document, CancellationToken ct)
    {
        var kind = Kind(document);
        var canEdit = await permissions.HasAsync(User, workspace.Required, BrandIdentityPermissions.Edit.Name, ct);
        var revisions = await store.HistoryAsync(kind, ct);
        var wording = new HistoryWording(T);
        return View(new HistoryModel(workspace.Required.Key, kind, document, await EntriesAsync(kind, revisions, wording, ct), canEdit, wording));
    }

    /// <summary>Each revision (newest first) with what it changed from the one before it, and its author's name.</summary>
    private async Task<List<HistoryEntry>> EntriesAsync(BrandDocument kind, List<BrandRevision> revisions, HistoryWording wording, CancellationToken ct)
    {
        var names = await authors.ForAsync(revisions.Select(r => r.Author), ct);
        return revisions.Select((revision, i) =>
        {
            var previous = i + 1 < revisions.Count && revisions[i + 1].Number == revision.Number - 1 ? revisions[i + 1] : null;
            var changes = previous is null ? [] : Changes(kind, previous.Content, revision.Content);
            var grouped = changes.GroupBy(c => c.Section).OrderBy(g => g.Key).ToList();
            return new HistoryEntry(revision, wording.Author(revision.Author, names), grouped);
        }).ToList();
    }

    private static List<FieldChange> Changes(BrandDocument kind, string before, string after) => kind == BrandDocument.EditorialLine
        ? RevisionDiff.Between(DocumentChanges.Deserialize<EditorialLine>(before), DocumentChanges.Deserialize<EditorialLine>(after))
        : RevisionDiff.Between(DocumentChanges.Deserialize<GraphicCharter>(before), DocumentChanges.Deserialize<GraphicCharter>(after));

    [HttpGet("{number:int}")]
    public async Task<IActionResult> Show(string document, int number, CancellationToken ct)
    {
        var kind = Kind(document);
        var revision = await store.RevisionAsync(kind, number, ct);
        if (revision is null) return NotFound();
        var line = kind == BrandDocument.EditorialLine
            ? new Revision<EditorialLine>(DocumentChanges.Deserialize<EditorialLine>(revision.Content), revision)
            : await store.CurrentAsync<EditorialLine>(BrandDocument.EditorialLine, ct);
        var charter = kind == BrandDocument.GraphicCharter
            ? new Revision<GraphicCharter>(DocumentChanges.Deserialize<GraphicCharter>(revision.Content), revision)
            : await store.CurrentAsync<GraphicCharter>(BrandDocument.GraphicCharter, ct);
        var current = await store.CurrentNumberAsync(kind, ct);
        var canEdit = await permissions.HasAsync(User, workspace.Required, BrandIdentityPermissions.Edit.Name, ct);
        var previous = number > 1 ? await store.RevisionAsync(kind, number - 1, ct) : null;
        var wording = new HistoryWording(T);
        var entry = (await EntriesAsync(kind, previous is null ? [revision] : [revision, previous], wording, ct))[0];
        return View(new RevisionModel(new BrandBookModel(workspace.Required.Key, workspace.Required.Name, line, charter, canEdit), kind, document, entry, current, wording));
    }

    [HttpPost("{number:int}/restore")]
    [RequirePermission("BrandIdentity.Edit")]
    public async Task<IActionResult> Restore(string document, int number, CancellationToken ct)
    {
        var kind = Kind(document);
        var revision = await store.RevisionAsync(kind, number, ct);
        if (revision is null) return NotFound();
        // Saved through the document type, so the restored version is stored in today's shape.
        var saved = kind == BrandDocument.EditorialLine
            ? await store.SaveAsync(kind, DocumentChanges.Deserialize<EditorialLine>(revision.Content), User.Identity?.Name ?? "?", restoredFrom: number, ct: ct)
            : await store.SaveAsync(kind, DocumentChanges.Deserialize<GraphicCharter>(revision.Content), User.Identity?.Name ?? "?", restoredFrom: number, ct: ct);
        TempData["Message"] = saved is null
            ? T["Version {0} is the same as the current one: nothing to restore.", number].Value
            : T["Version {0} restored as version {1}.", number, saved.Number].Value;
        return Redirect($"/admin/{workspace.Required.Key}/brand/{document}/history");
    }

    private static BrandDocument Kind(string slug) => slug == "editorial-line" ? BrandDocument.EditorialLine : BrandDocument.GraphicCharter;
}
