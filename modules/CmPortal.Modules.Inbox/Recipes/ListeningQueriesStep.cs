using CmPortal.Core.Recipes;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Listening;
using CmPortal.Modules.Inbox.Search;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.Inbox.Recipes;

/// <summary>
/// <c>{ "step": "listeningQueries", "queries": [ { "name", "kind": "brand|competitor|campaign", "expression", "languages",
/// "color", "spikeFactor", "spikeMinimum", "negativeRise" } ], "alertWebhookUrl" }</c>: creates the queries, or updates
/// those of the same name, and tags the mentions already in the inbox at once (in the recipe's transaction).
/// Exported with the workspace's set-up.
/// </summary>
internal sealed class ListeningQueriesStep : RecipeStep<ListeningQueriesStep.Model>
{
    public sealed record Model(List<Query> Queries, string? AlertWebhookUrl = null);

    public sealed record Query(string Name, string Kind, string Expression, string? Languages = null, string? Color = null,
        double? SpikeFactor = null, int? SpikeMinimum = null, int? NegativeRise = null)
    {
        public ListeningQueryInput Input => new(Name, Kind, Expression, Languages, Color, SpikeFactor, SpikeMinimum, NegativeRise);
    }

    public override string Name => "listeningQueries";

    public override string Label => "Listening queries";

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var service = context.Existing is null ? null : context.Services.GetRequiredService<ListeningQueryService>();
        foreach (var query in model.Queries)
            changes.Add(service is not null && await service.FindByNameAsync(query.Name.Trim(), ct) is not null
                ? new RecipeChange("Listening query “{0}” updated.", query.Name)
                : new RecipeChange("Listening query “{0}” added: {1}", query.Name, query.Expression));
        if (model.AlertWebhookUrl is { Length: > 0 }) changes.Add(new RecipeChange("Spike alerts sent to the webhook {0}.", model.AlertWebhookUrl));
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        for (var i = 0; i < model.Queries.Count; i++)
            foreach (var problem in ListeningQueryService.Check(model.Queries[i].Input))
                context.Error(problem with { Field = $"queries[{i}].{problem.Field}" });
        if (model.Queries.Select(q => q.Name.Trim()).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
            context.Error("queries", "Two queries are named “{0}”.", twice.Key);
        if (model.AlertWebhookUrl is { Length: > 0 } url && !ListeningQueryService.IsAllowedWebhook(url))
            context.Error("alertWebhookUrl", "The alert webhook address must start with https:// (up to {0} characters).", 500);
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var service = context.Services.GetRequiredService<ListeningQueryService>();
        var db = context.Services.GetRequiredService<InboxDbContext>();
        var search = context.Services.GetRequiredService<MentionSearch>();
        foreach (var query in model.Queries)
        {
            var existing = await service.FindByNameAsync(query.Name.Trim(), ct);
            var outcome = existing is null
                ? await service.CreateAsync(query.Input, ct, background: false)
                : await service.UpdateAsync(existing.Id, existing.Version, query.Input, ct, background: false);
            if (outcome.Query is { } saved) await ListeningTagger.RetagAsync(db, search, saved.Id, ct);
            else throw new InvalidOperationException(string.Join(" ", outcome.Problems));
        }
        if (model.AlertWebhookUrl is not null) await service.SaveSettingsAsync(model.AlertWebhookUrl, ct);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var service = context.Services.GetRequiredService<ListeningQueryService>();
        var queries = await service.ListAsync(ct);
        var settings = await service.SettingsAsync(ct);
        return queries.Count == 0 && settings.AlertWebhookUrl is null ? null
            : new Model(queries.Select(q => new Query(q.Name, q.Kind, q.Expression, q.Languages, q.Color, q.SpikeFactor, q.SpikeMinimum, q.NegativeRise)).ToList(),
                settings.AlertWebhookUrl);
    }
}
