using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Campaigns;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Recipes;

/// <summary>What the calendar's steps remember while a recipe is checked: the campaigns earlier steps declare, for the posts that name them.</summary>
internal sealed class CalendarRecipeState
{
    public HashSet<string> Campaigns { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// <c>{ "step": "campaigns", "campaigns": [ { "slug", "name", "objective", "persona", "kind", "start", "end", "colour", "kpis": [ { "name", "target" } ], "notes" } ] }</c>:
/// adds or updates campaigns matched on "slug", through <see cref="CampaignService"/>; the others are left alone.
/// "start" and "end" are dates, absolute ("2027-03-01") or relative ("+7d", see <see cref="RecipeDates"/>).
/// </summary>
internal sealed class CampaignsStep : RecipeStep<CampaignsStep.Model>
{
    public sealed record Model(List<Item> Campaigns);

    public sealed record Item(string Slug, string Name, string Start, string End, CampaignKind Kind = CampaignKind.Other, string? Objective = null,
        string? Persona = null, string Colour = "#6f42c1", List<Kpi>? Kpis = null, string? Notes = null);

    public sealed record Kpi(string Name, decimal Target);

    public override string Name => "campaigns";

    public override string Label => "Campaigns";

    private static CampaignInput InputOf(Item item, LocalDate anchor) => new()
    {
        Slug = item.Slug, Name = item.Name, Objective = item.Objective, Persona = item.Persona, Kind = item.Kind,
        Start = RecipeDates.Day(item.Start, anchor)?.ToDateOnly(), End = RecipeDates.Day(item.End, anchor)?.ToDateOnly(), Colour = item.Colour,
        Kpis = (item.Kpis ?? []).Select(k => new KpiTarget(k.Name, k.Target)).ToList(), Notes = item.Notes,
    };

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        // The anchor only moves relative dates as a whole: any Monday tells whether the end falls before the start.
        var anchor = RecipeDates.Anchor(new LocalDate(2027, 1, 1));
        for (var i = 0; i < model.Campaigns.Count; i++)
        {
            var item = model.Campaigns[i];
            foreach (var problem in CampaignRules.Check(InputOf(item, anchor)))
            {
                var field = problem.Field is "start" or "end" && RecipeDates.Day(problem.Field == "start" ? item.Start : item.End, anchor) is null
                    ? null : problem.Field;
                if (field is null)
                    context.Error($"campaigns[{i}].{problem.Field}", "“{0}” is not a date. Write it as 2027-03-22, or relative to the application as +10d.",
                        problem.Field == "start" ? item.Start : item.End);
                else context.Error(problem with { Field = $"campaigns[{i}].{problem.Field}" });
            }
            if (!slugs.Add(item.Slug))
                context.Error($"campaigns[{i}].slug", "The slug \"{0}\" is used twice in this step. Give each campaign its own slug.", item.Slug);
        }
        context.State<CalendarRecipeState>().Campaigns.UnionWith(slugs);
        return Task.CompletedTask;
    }

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var slugs = model.Campaigns.Select(c => c.Slug).ToList();
        var updated = context.Existing is null ? 0
            : await context.Services.GetRequiredService<CalendarDbContext>().Campaigns.AsNoTracking().CountAsync(c => slugs.Contains(c.Slug), ct);
        changes.Add(new RecipeChange("{0} {0|campaign|campaigns} added, {1} updated.", slugs.Count - updated, updated));
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var campaigns = context.Services.GetRequiredService<CampaignService>();
        var anchor = RecipeDates.Anchor(context.Services.GetRequiredService<IClock>(), WorkspaceTime.ZoneOf(context.Workspace.Required.TimeZone));
        var problems = new List<Problem>();
        for (var i = 0; i < model.Campaigns.Count; i++)
        {
            var input = InputOf(model.Campaigns[i], anchor);
            var existing = await campaigns.FindAsync(input.Slug, ct);
            var outcome = existing is null ? await campaigns.CreateAsync(input, ct) : await campaigns.UpdateAsync(existing.Id, existing.Version, input, ct);
            problems.AddRange(outcome.Problems.Select(p => p with { Field = $"campaigns[{i}]" + (p.Field is null ? "" : "." + p.Field) }));
        }
        // The persona is checked against the editorial line as stored by the earlier steps: only now can it be.
        if (problems.Count > 0) throw new RecipeStepException(problems);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var list = await context.Services.GetRequiredService<CalendarDbContext>().Campaigns.AsNoTracking().OrderBy(c => c.Start).ThenBy(c => c.Slug).ToListAsync(ct);
        return list.Count == 0 ? null : new Model(list.Select(c => new Item(c.Slug, c.Name, PostRules.Format(LocalDate.FromDateOnly(c.Start)),
            PostRules.Format(LocalDate.FromDateOnly(c.End)), c.Kind, c.Objective, c.Persona, c.Colour,
            CampaignRules.ParseKpis(c.KpiTargets) is { Count: > 0 } kpis ? kpis.Select(k => new Kpi(k.Name, k.Target)).ToList() : null, c.Notes)).ToList());
    }
}
