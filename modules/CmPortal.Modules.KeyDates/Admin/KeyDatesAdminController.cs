using CmPortal.Core.Localization;
using System.ComponentModel.DataAnnotations;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Modules.KeyDates.KeyDates;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.KeyDates.Admin;

[Route("admin/{workspace}/key-dates")]
[RequirePermission("KeyDates.View")]
internal sealed class KeyDatesAdminController(KeyDateService keyDates, WorkspaceContext workspace, IStringLocalizer<KeyDatesAdminController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        ViewData["FeedUrl"] = $"/{workspace.Required.Key}/key-dates.ics";
        return View(await keyDates.UpcomingAsync(ct));
    }

    [HttpGet("new")]
    [RequirePermission("KeyDates.Manage")]
    public IActionResult Create()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return View("Edit", new KeyDateForm { Start = today, End = today });
    }

    [HttpPost("new")]
    [RequirePermission("KeyDates.Manage")]
    public async Task<IActionResult> Create(KeyDateForm form, CancellationToken ct)
    {
        if (!ModelState.IsValid) return Refused(form, "Edit");
        var outcome = await keyDates.SaveAsync(null, form.ToInput(), ct);
        if (!Accepted(outcome)) return View("Edit", form);
        TempData["Message"] = T["Key date \"{0}\" added.", outcome.KeyDate!.Title].Value;
        return Redirect($"/admin/{workspace.Required.Key}/key-dates");
    }

    // The row's guid is the route's {key}, not {id}: "Id" is the form's identifier field (the slug), and a route
    // value named id would fill that field on the page and stand in for it when the form is posted back.
    [HttpGet("{key:guid}/edit")]
    [RequirePermission("KeyDates.Manage")]
    public async Task<IActionResult> Edit(Guid key, CancellationToken ct) =>
        await keyDates.FindAsync(key, ct) is { } date ? View(KeyDateForm.From(date)) : NotFound();

    [HttpPost("{key:guid}/edit")]
    [RequirePermission("KeyDates.Manage")]
    public async Task<IActionResult> Edit(Guid key, KeyDateForm form, CancellationToken ct)
    {
        form.Key = key;
        if (!ModelState.IsValid) return await keyDates.FindAsync(key, ct) is null ? NotFound() : Refused(form, "Edit");
        var outcome = await keyDates.SaveAsync(key, form.ToInput(), ct);
        if (outcome.IsNotFound) return NotFound();
        if (!Accepted(outcome)) return View(form);
        TempData["Message"] = T["Key date \"{0}\" saved.", outcome.KeyDate!.Title].Value;
        return Redirect($"/admin/{workspace.Required.Key}/key-dates");
    }

    [HttpPost("{key:guid}/delete")]
    [RequirePermission("KeyDates.Manage")]
    public async Task<IActionResult> Delete(Guid key, CancellationToken ct)
    {
        if (await keyDates.DeleteAsync(key, ct) is not { } date) return NotFound();
        TempData["Message"] = T["Key date \"{0}\" deleted.", date.Title].Value;
        return Redirect($"/admin/{workspace.Required.Key}/key-dates");
    }

    /// <summary>A form that did not bind (a date that is not one): shows the rules' problems too, all at once.</summary>
    private ViewResult Refused(KeyDateForm form, string view)
    {
        Show(KeyDateService.Check(form.ToInput()));
        return View(view, form);
    }

    private bool Accepted(KeyDateOutcome outcome)
    {
        Show(outcome.Problems);
        return outcome.Problems.Count == 0;
    }

    /// <summary>Puts problems on the form's fields ("publicDescription" → PublicDescription).</summary>
    private void Show(IEnumerable<Core.Validation.Problem> problems)
    {
        foreach (var problem in problems)
            ModelState.AddModelError(char.ToUpperInvariant(problem.Field![0]) + problem.Field[1..], T.Problem(problem));
    }
}

internal sealed class KeyDateForm
{
    public Guid? Key { get; set; }
    [Required] public string? Id { get; set; }
    [Required] public string? Title { get; set; }
    public string? PublicDescription { get; set; }
    public string? Notes { get; set; }
    public DateOnly Start { get; set; }
    public DateOnly End { get; set; }
    public KeyDateCategory Category { get; set; }
    public bool RecursYearly { get; set; }
    public bool IsPublic { get; set; }

    public static KeyDateForm From(KeyDate d) => new()
    {
        Key = d.Id, Id = d.Slug, Title = d.Title, PublicDescription = d.PublicDescription, Notes = d.Notes, Start = d.Start, End = d.End,
        Category = d.Category, RecursYearly = d.RecursYearly, IsPublic = d.IsPublic,
    };

    public KeyDateInput ToInput() => new(Id, Title, PublicDescription, Notes, Start, End, Category, RecursYearly, IsPublic);
}
