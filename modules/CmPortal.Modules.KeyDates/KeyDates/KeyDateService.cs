using CmPortal.Core.Caching;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Modules.KeyDates.Recipes;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CmPortal.Modules.KeyDates.KeyDates;

/// <summary>What a key date is saved with (the admin form gives it).</summary>
internal sealed record KeyDateInput(
    string? Id, string? Title, string? PublicDescription, string? Notes, DateOnly Start, DateOnly End,
    KeyDateCategory Category, bool RecursYearly, bool IsPublic);

/// <summary>The result of a save: the key date, or the problems that refused it (nothing saved), or not found.</summary>
internal sealed record KeyDateOutcome(KeyDate? KeyDate, IReadOnlyList<Problem> Problems, bool IsNotFound = false)
{
    public bool Succeeded => KeyDate is not null && Problems.Count == 0;
}

/// <summary>
/// The key dates of the current workspace: the one place they are read for pages and feeds, checked, saved and
/// deleted. A change empties the public pages' cache (the public page and the feed show them).
/// </summary>
internal sealed class KeyDateService(KeyDatesDbContext db, WorkspaceContext workspace, IPublicPageCache pages, IClock clock)
{
    /// <summary>Every key date at its next occurrence (as the calendar shows it: a yearly one this year while it lasts), by that start.</summary>
    public async Task<IReadOnlyList<(KeyDate Date, DateOnly Start, DateOnly End)>> UpcomingAsync(CancellationToken ct = default) =>
        YearlyOccurrence.Upcoming(await db.KeyDates.AsNoTracking().ToListAsync(ct), YearlyOccurrence.Today(workspace.Required, clock));

    /// <summary>The key dates shown on the public site and in its feed (never their internal notes' use).</summary>
    public async Task<IReadOnlyList<KeyDate>> ListPublicAsync(CancellationToken ct = default) =>
        await db.KeyDates.AsNoTracking().Where(k => k.IsPublic).OrderBy(k => k.Start).ThenBy(k => k.Title).ToListAsync(ct);

    public Task<bool> AnyPublicAsync(CancellationToken ct = default) => db.KeyDates.AnyAsync(k => k.IsPublic, ct);

    public Task<KeyDate?> FindAsync(Guid id, CancellationToken ct = default) =>
        db.KeyDates.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct);

    /// <summary>The checks that need no database.</summary>
    public static IEnumerable<Problem> Check(KeyDateInput input) =>
        KeyDateRules.Check(input.Id, input.Title, input.Start, input.End, input.PublicDescription, input.Notes);

    /// <summary>Adds a key date (<paramref name="id"/> null) or saves an existing one.</summary>
    public async Task<KeyDateOutcome> SaveAsync(Guid? id, KeyDateInput input, CancellationToken ct = default)
    {
        KeyDate? date = null;
        if (id is { } existing && (date = await db.KeyDates.FirstOrDefaultAsync(k => k.Id == existing, ct)) is null)
            return new KeyDateOutcome(null, [], IsNotFound: true);
        var problems = Check(input).ToList();
        if (problems.Count == 0 && await db.KeyDates.AnyAsync(k => k.Slug == input.Id && k.Id != id, ct))
            problems.Add(new Problem("id", "Another key date already uses the id \"{0}\". Choose another.", input.Id));
        if (problems.Count > 0) return new KeyDateOutcome(null, problems);

        date ??= db.KeyDates.Add(new KeyDate { Slug = input.Id!, Title = input.Title! }).Entity;
        date.Slug = input.Id!;
        date.Title = input.Title!.Trim();
        date.PublicDescription = Blank(input.PublicDescription);
        date.Notes = Blank(input.Notes);
        date.Start = input.Start;
        date.End = input.End;
        date.Category = input.Category;
        date.RecursYearly = input.RecursYearly;
        date.IsPublic = input.IsPublic;
        await db.SaveChangesAsync(ct);
        await pages.EvictAsync(workspace.Required.Id, ct);
        return new KeyDateOutcome(date, []);
    }

    /// <summary>Deletes a key date; null when there is none with this id.</summary>
    public async Task<KeyDate?> DeleteAsync(Guid id, CancellationToken ct = default)
    {
        var date = await db.KeyDates.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (date is null) return null;
        db.KeyDates.Remove(date);
        await db.SaveChangesAsync(ct);
        await pages.EvictAsync(workspace.Required.Id, ct);
        return date;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
