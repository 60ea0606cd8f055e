using CmPortal.Core.Validation;
using CmPortal.Core.Caching;
using CmPortal.Core.Localization;
using System.Security.Claims;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.CommunityCharter.Data;
using CmPortal.Modules.CommunityCharter.Public;
using CmPortal.Modules.CommunityCharter.Rendering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.CommunityCharter.Admin;

/// <summary>What the charter's admin page shows.</summary>
internal sealed class CharterAdminPage
{
    public CharterDraft? Draft { get; init; }
    public CharterDocument? DraftDocument { get; init; }
    public IReadOnlyList<CharterVersionSummary> Versions { get; init; } = [];
    /// <summary>The draft has the content of the current version: nothing to publish.</summary>
    public bool DraftIsPublished { get; init; }
    public bool CanEdit { get; init; }
    public bool CanPublish { get; init; }
    public string? ChangeNote { get; init; }
    public string TimeZone { get; init; } = "Europe/Paris";
    public IReadOnlyList<string> PublishErrors { get; init; } = [];
    public int? CurrentNumber => Versions.Count == 0 ? null : Versions[0].Number;
}

/// <summary>
/// The confirmation step of publishing: the differences between the draft and the current version, the change
/// note, and the key of what was reviewed (<see cref="CharterStore.ReviewKey"/>).
/// </summary>
internal sealed record PublishReview(
    int Next, CharterDocument Draft, CharterChanges Changes, string? ChangeNote, string Reviewed, IReadOnlyList<string> Errors, bool NothingNew);

/// <summary>An error of the draft form, with where it is ("Section 3, rule 2") and the field it belongs to.</summary>
internal sealed record FormError(string Where, string Message, string FieldId);

/// <summary>
/// <c>/admin/{workspace}/charter</c>: the draft and the published versions; editing the draft, previewing it as it
/// would be published, and publishing it as a new version with a change note.
/// </summary>
[Route("admin/{workspace}/charter")]
[RequirePermission("CommunityCharter.View")]
internal sealed class CharterAdminController(
    CharterStore store, CharterCache cache, IPublicPageCache pages, WorkspaceContext workspace, PermissionService permissions,
    IStringLocalizer<CharterAdminController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await PageAsync(null, [], ct));

    [HttpGet("edit")]
    [RequirePermission("CommunityCharter.Edit")]
    public async Task<IActionResult> Edit(CancellationToken ct)
    {
        var draft = await store.FindDraftAsync(ct);
        var document = draft is null ? CharterTemplate.French(workspace.Required.Name) : CharterDocument.FromJson(draft.Document);
        ViewData["FromTemplate"] = draft is null;
        return View(CharterForm.From(document).WithBlankRows());
    }

    [HttpPost("edit")]
    [RequirePermission("CommunityCharter.Edit")]
    public async Task<IActionResult> Edit(CharterForm form, string? move, CancellationToken ct)
    {
        // The form is re-rendered from the model (reordered, compacted), not from the posted values.
        ModelState.Clear();
        if (move is not null)
        {
            form.Move(move);
            ViewData["Notice"] = T["The order changed. Save the draft to keep it."].Value;
            return View(form.WithBlankRows());
        }
        form.Compact();
        form.FillMissingIds();
        var document = form.ToDocument();
        var problems = CharterRules.Check(document).ToList();
        if (problems.Count > 0)
        {
            ViewData["Errors"] = problems.Select(p =>
            {
                ModelState.AddModelError(CharterFields.FormKey(p.Field), T.Problem(p).Value);
                return new FormError(Where(p), T.Problem(p).Value, FieldId(p));
            }).ToList();
            return View(form.WithBlankRows());
        }
        var saved = await store.SaveDraftAsync(document, UserName(), ct);
        TempData["Message"] = saved ? T["Draft saved. It is not public until you publish it."].Value : T["Nothing changed in the draft."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/charter");
    }

    [HttpGet("preview")]
    public async Task<IActionResult> Preview(CancellationToken ct)
    {
        var draft = await store.FindDraftAsync(ct);
        if (draft is null)
        {
            TempData["Error"] = T["There is no draft yet. Edit the charter to start one."].Value;
            return Redirect($"/admin/{workspace.Required.Key}/charter");
        }
        var document = CharterDocument.FromJson(draft.Document);
        var versions = await store.VersionsAsync(ct);
        var next = (versions.Count == 0 ? 0 : versions[0].Number) + 1;
        var current = await store.CurrentVersionAsync(ct);
        var changes = CharterChanges.Between(current?.Number, current is null ? null : CharterDocument.FromJson(current.Document), document);
        var charter = new PublishedCharter(next, DateTime.UtcNow, null, document, CharterRenderer.Render(document), next,
            versions.Select(v => new CharterVersionInfo(v.Number, v.PublishedUtc, v.ChangeNote)).ToList(), changes);
        return View(new CharterView(charter, "/" + workspace.Required.Key, workspace.Required.TimeZone, IsPreview: true));
    }

    /// <summary>The confirmation step: what publishing would change, and the button that does it.</summary>
    [HttpGet("publish")]
    [RequirePermission("CommunityCharter.Publish")]
    public async Task<IActionResult> Publish(string? changeNote, CancellationToken ct) =>
        await ReviewAsync(changeNote, [], ct) is { } review ? View("Publish", review) : NoDraft();

    /// <summary>
    /// Publishes once the differences were reviewed: a post without the review key (or with a key that no longer
    /// matches the draft and the current version) shows the confirmation step again and publishes nothing.
    /// </summary>
    [HttpPost("publish")]
    [RequirePermission("CommunityCharter.Publish")]
    public async Task<IActionResult> Publish(string? changeNote, string? reviewed, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(reviewed))
            return await ReviewAsync(changeNote, [], ct) is { } review ? View("Publish", review) : NoDraft();
        var outcome = await store.PublishAsync(changeNote, UserName(), ct, reviewed);
        if (!outcome.Published)
        {
            var errors = outcome.Problems.Select(p => T.Problem(p).Value).ToList();
            return await ReviewAsync(changeNote, errors, ct) is { } again ? View("Publish", again) : NoDraft();
        }
        cache.Invalidate(workspace.Required.Id);
        await pages.EvictAsync(workspace.Required.Id, ct);
        TempData["Message"] = T["Version {0} of the charter is published.", outcome.Version!.Number].Value;
        return Redirect($"/admin/{workspace.Required.Key}/charter");
    }

    private async Task<PublishReview?> ReviewAsync(string? changeNote, IReadOnlyList<string> errors, CancellationToken ct)
    {
        var draft = await store.FindDraftAsync(ct);
        if (draft is null) return null;
        var current = await store.CurrentVersionAsync(ct);
        var document = CharterDocument.FromJson(draft.Document);
        var published = current is null ? null : CharterDocument.FromJson(current.Document);
        var changes = CharterChanges.Between(current?.Number, published, document);
        return new PublishReview((current?.Number ?? 0) + 1, document, changes, changeNote, CharterStore.ReviewKey(draft, current), errors,
            NothingNew: published is not null && published.SameContentAs(document));
    }

    private RedirectResult NoDraft()
    {
        TempData["Error"] = T["There is no draft yet. Edit the charter to start one."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/charter");
    }

    private async Task<CharterAdminPage> PageAsync(string? changeNote, IReadOnlyList<string> publishErrors, CancellationToken ct)
    {
        var current = workspace.Required;
        var draft = await store.FindDraftAsync(ct);
        var document = draft is null ? null : CharterDocument.FromJson(draft.Document);
        var latest = await store.CurrentVersionAsync(ct);
        return new CharterAdminPage
        {
            Draft = draft,
            DraftDocument = document,
            Versions = await store.VersionsAsync(ct),
            DraftIsPublished = latest is not null && CharterDocument.FromJson(latest.Document).SameContentAs(document),
            CanEdit = await permissions.HasAsync(User, current, CharterPermissions.Edit.Name, ct),
            CanPublish = await permissions.HasAsync(User, current, CharterPermissions.Publish.Name, ct),
            ChangeNote = changeNote,
            PublishErrors = publishErrors,
            TimeZone = current.TimeZone,
        };
    }

    private string Where(Problem problem) => CharterFields.Parse(problem.Field) switch
    {
        ({ } s, { } r, _) => T["Section {0}, rule {1}", s + 1, CharterDocument.Number(s, r)].Value,
        ({ } s, null, _) => T["Section {0}", s + 1].Value,
        _ => T["Charter"].Value,
    };

    /// <summary>The id the form's tag helpers give the field ("Sections[2].Rules[0].Id" → "Sections_2__Rules_0__Id").</summary>
    private static string FieldId(Problem problem) => CharterFields.Parse(problem.Field) switch
    {
        (_, _, "sections") => "Sections_0__Title",
        ({ } s, _, "rules") => $"Sections_{s}__Title",
        _ => CharterFields.FormKey(problem.Field).Replace('[', '_').Replace(']', '_').Replace('.', '_'),
    };

    private string? UserName() => User.FindFirstValue(ClaimTypes.GivenName) ?? User.Identity?.Name;
}
