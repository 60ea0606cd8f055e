using System.Text.RegularExpressions;
using CmPortal.Core;
using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;
using CmPortal.Modules.KeyDates.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.KeyDates.Recipes;

/// <summary>
/// <c>{ "step": "keyDates", "keyDates": [ { "id", "title", "start", "end", "category", "recursYearly", "public", "publicDescription", "notes" } ] }</c>:
/// adds or updates key dates matched on "id". Key dates the step does not list are left alone. "publicDescription" is
/// published (feed, site); "notes" stay internal. "description", from recipes written before the split, is read as notes.
/// </summary>
internal sealed partial class KeyDatesStep : RecipeStep<KeyDatesStep.Model>
{
    public sealed record Model(List<Item> KeyDates);

    public sealed record Item(string Id, string Title, DateOnly Start, DateOnly? End = null, KeyDateCategory Category = KeyDateCategory.Seasonal,
        bool RecursYearly = false, bool Public = false, string? PublicDescription = null, string? Notes = null, string? Description = null)
    {
        /// <summary>The internal notes: "notes", else the "description" of a recipe written before public descriptions existed.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public string? InternalNotes => Notes ?? Description;
    }

    public override string Name => "keyDates";

    public override string Label => "Key dates";

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var slugs = model.KeyDates.Select(k => k.Id).ToList();
        var updated = context.Existing is null ? 0
            : await context.Services.GetRequiredService<KeyDatesDbContext>().KeyDates.AsNoTracking().CountAsync(k => slugs.Contains(k.Slug), ct);
        changes.Add(new RecipeChange("{0} key {0|date|dates} added, {1} updated.", slugs.Count - updated, updated));
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    internal static partial Regex SlugPattern();

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.KeyDates.Count; i++)
        {
            var item = model.KeyDates[i];
            foreach (var problem in KeyDateRules.Check(item.Id, item.Title, item.Start, item.End ?? item.Start, item.PublicDescription, item.InternalNotes))
                context.Error(problem with { Field = $"keyDates[{i}].{problem.Field}" });
            if (item.Notes is not null && item.Description is not null)
                context.Error($"keyDates[{i}].description", "Give either \"notes\" or the older \"description\" (read as notes), not both.");
            if (!ids.Add(item.Id))
                context.Error($"keyDates[{i}].id", "The id \"{0}\" is used twice in this step. Give each key date its own id.", item.Id);
        }
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var db = context.Services.GetRequiredService<KeyDatesDbContext>();
        // Only the key dates this step names: a recipe of many steps must not read back what earlier steps wrote.
        var slugs = model.KeyDates.Select(k => k.Id).ToList();
        var existing = await db.KeyDates.Where(k => slugs.Contains(k.Slug)).ToDictionaryAsync(k => k.Slug, ct);
        foreach (var item in model.KeyDates)
        {
            if (!existing.TryGetValue(item.Id, out var date))
                db.KeyDates.Add(date = new KeyDate { Slug = item.Id, Title = item.Title });
            date.Title = item.Title;
            date.PublicDescription = item.PublicDescription;
            date.Notes = item.InternalNotes;
            date.Start = item.Start;
            date.End = item.End ?? item.Start;
            date.Category = item.Category;
            date.RecursYearly = item.RecursYearly;
            date.IsPublic = item.Public;
        }
        await db.SaveChangesAsync(ct);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var dates = await context.Services.GetRequiredService<KeyDatesDbContext>().KeyDates.AsNoTracking().OrderBy(k => k.Start).ThenBy(k => k.Slug).ToListAsync(ct);
        return dates.Count == 0 ? null : new Model(dates.Select(d => new Item(d.Slug, d.Title, d.Start, d.End == d.Start ? null : d.End,
            d.Category, d.RecursYearly, d.IsPublic, d.PublicDescription, d.Notes)).ToList());
    }
}

/// <summary>What makes a key date valid; shared by the admin form (translated) and the recipe step (in English).</summary>
internal static class KeyDateRules
{
    public const int MaxIdLength = 80;
    public const int MaxTitleLength = 150;
    public const int MaxTextLength = 2000;

    /// <summary>Every problem, its field named as in recipes ("id", "title", "end", "publicDescription", "notes").</summary>
    public static IEnumerable<Problem> Check(string? slug, string? title, DateOnly start, DateOnly end, string? publicDescription, string? notes)
    {
        if (string.IsNullOrWhiteSpace(slug) || slug.Length > MaxIdLength || !KeyDatesStep.SlugPattern().IsMatch(slug))
            yield return new Problem("id", "\"{0}\" is not a valid id. Use lowercase letters, digits and hyphens, e.g. \"fete-des-meres\" ({1} characters at most).", slug, MaxIdLength);
        if (string.IsNullOrWhiteSpace(title) || title.Length > MaxTitleLength)
            yield return new Problem("title", "The title must have 1 to {0} characters.", MaxTitleLength);
        else if (!TextRules.IsSafeSingleLine(title))
            yield return new Problem("title", "The title must be one line of visible text: remove line breaks, tabs, control characters and direction marks.");
        if (end < start)
            yield return new Problem("end", "The end ({0}) is before the start ({1}). Give an end on or after the start.", end, start);
        else if (end.DayNumber - start.DayNumber > 366)
            yield return new Problem("end", "A key date lasts one year at most. Split longer periods.");
        if (publicDescription is { Length: > MaxTextLength })
            yield return new Problem("publicDescription", "The public description is longer than {0} characters. Shorten it.", MaxTextLength);
        else if (!TextRules.IsSafeMultiLine(publicDescription))
            yield return new Problem("publicDescription", "The public description contains a control character or a direction override. Remove it (line breaks and tabs are fine).");
        if (notes is { Length: > MaxTextLength })
            yield return new Problem("notes", "The internal notes are longer than {0} characters. Shorten them.", MaxTextLength);
        else if (!TextRules.IsSafeMultiLine(notes))
            yield return new Problem("notes", "The internal notes contain a control character or a direction override. Remove it (line breaks and tabs are fine).");
    }
}
