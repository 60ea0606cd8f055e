using CmPortal.Core.Caching;
using CmPortal.Core.Localization;
using System.ComponentModel.DataAnnotations;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Modules.KeyDates.Recipes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.KeyDates.Admin;

[Route("admin/{workspace}/key-dates")]
[RequirePermission("KeyDates.View")]
internal sealed class KeyDatesAdminController(KeyDatesDbContext db, WorkspaceContext workspace, IPublicPageCache pages, IStringLocalizer<KeyDatesAdminController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var dates = await db.KeyDates.AsNoTracking().OrderBy(k => k.Start).ThenBy(k => k.Title).ToListAsync(ct);
        ViewData["FeedUrl"] = $"/{workspace.Required.Key}/key-dates.ics";
        return View(dates);
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
        if (!await ValidAsync(form, null, ct)) return View("Edit", form);
        var date = new KeyDate { Slug = form.Id!, Title = form.Title! };
        form.CopyTo(date);
        db.KeyDates.Add(date);
        await db.SaveChangesAsync(ct);
        await pages.EvictAsync(workspace.Required.Id, ct);
        TempData["Message"] = T["Key date \"{0}\" added.", date.Title].Value;
        return Redirect($"/admin/{workspace.Required.Key}/key-dates");
    }

    // The row's guid is the route's {key}, not {id}: "Id" is the form's identifier field (the slug), and a route
    // value named id would fill that field on the page and stand in for it when the form is posted back.
    [HttpGet("{key:guid}/edit")]
    [RequirePermission("KeyDates.Manage")]
    public async Task<IActionResult> Edit(Guid key, CancellationToken ct)
    {
        var date = await db.KeyDates.AsNoTracking().FirstOrDefaultAsync(k => k.Id == key, ct);
        return date is null ? NotFound() : View(KeyDateForm.From(date));
    }

    [HttpPost("{key:guid}/edit")]
    [RequirePermission("KeyDates.Manage")]
    public async Task<IActionResult> Edit(Guid key, KeyDateForm form, CancellationToken ct)
    {
        var date = await db.KeyDates.FirstOrDefaultAsync(k => k.Id == key, ct);
        if (date is null) return NotFound();
        form.Key = key;
        if (!await ValidAsync(form, key, ct)) return View(form);
        date.Slug = form.Id!;
        form.CopyTo(date);
        await db.SaveChangesAsync(ct);
        await pages.EvictAsync(workspace.Required.Id, ct);
        TempData["Message"] = T["Key date \"{0}\" saved.", date.Title].Value;
        return Redirect($"/admin/{workspace.Required.Key}/key-dates");
    }

    [HttpPost("{key:guid}/delete")]
    [RequirePermission("KeyDates.Manage")]
    public async Task<IActionResult> Delete(Guid key, CancellationToken ct)
    {
        var date = await db.KeyDates.FirstOrDefaultAsync(k => k.Id == key, ct);
        if (date is null) return NotFound();
        db.KeyDates.Remove(date);
        await db.SaveChangesAsync(ct);
        await pages.EvictAsync(workspace.Required.Id, ct);
        TempData["Message"] = T["Key date \"{0}\" deleted.", date.Title].Value;
        return Redirect($"/admin/{workspace.Required.Key}/key-dates");
    }

    private async Task<bool> ValidAsync(KeyDateForm form, Guid? existing, CancellationToken ct)
    {
        foreach (var problem in KeyDateRules.Check(form.Id, form.Title, form.Start, form.End, form.PublicDescription, form.Notes))
            ModelState.AddModelError(char.ToUpperInvariant(problem.Field![0]) + problem.Field[1..], T.Problem(problem));
        if (ModelState.IsValid && await db.KeyDates.AnyAsync(k => k.Slug == form.Id && k.Id != existing, ct))
            ModelState.AddModelError(nameof(KeyDateForm.Id), T["Another key date already uses the id \"{0}\". Choose another.", form.Id!]);
        return ModelState.IsValid;
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

    public void CopyTo(KeyDate d)
    {
        d.Title = Title!.Trim();
        d.PublicDescription = string.IsNullOrWhiteSpace(PublicDescription) ? null : PublicDescription.Trim();
        d.Notes = string.IsNullOrWhiteSpace(Notes) ? null : Notes.Trim();
        d.Start = Start;
        d.End = End;
        d.Category = Category;
        d.RecursYearly = RecursYearly;
        d.IsPublic = IsPublic;
    }
}
