using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Automation;
using CmPortal.Modules.Inbox.Listening;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.Inbox.Recipes;

/// <summary>
/// <c>{ "step": "rules", "rules": [ { "name", "enabled", "words", "query", "sentiment", "source", "author", "language",
/// "labels": [..], "assignTo", "status", "flagRule" } ] }</c>: creates the automation rules in this order, or updates
/// those of the same name (docs/inbox-rules.md). <c>query</c> names a listening query (put the step after
/// "listeningQueries"), <c>assignTo</c> a member's e-mail, <c>flagRule</c> a rule of the published charter. Rules apply
/// to mentions ingested after them: put the step before "mentions" for the demo's mentions to be sorted. Exported
/// without <c>assignTo</c> (members are not exported).
/// </summary>
internal sealed class RulesStep : RecipeStep<RulesStep.Model>
{
    public sealed record Model(List<Rule> Rules);

    public sealed record Rule(string Name, bool Enabled = true, string? Words = null, string? Query = null, string? Sentiment = null,
        string? Source = null, string? Author = null, string? Language = null, List<string>? Labels = null, string? AssignTo = null,
        string? Status = null, string? FlagRule = null);

    public override string Name => "rules";

    public override string Label => "Automation rules";

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var service = context.Existing is null ? null : context.Services.GetRequiredService<RuleService>();
        foreach (var rule in model.Rules)
            changes.Add(service is not null && await service.FindByNameAsync(rule.Name.Trim(), ct) is not null
                ? new RecipeChange("Automation rule “{0}” updated.", rule.Name)
                : new RecipeChange("Automation rule “{0}” added.", rule.Name));
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        for (var i = 0; i < model.Rules.Count; i++)
        {
            var rule = model.Rules[i];
            if (string.IsNullOrWhiteSpace(rule.Name) || rule.Name.Trim().Length > AutomationRule.MaxName)
                context.Error($"rules[{i}].name", "Give the rule a name (1 to {0} characters).", AutomationRule.MaxName);
            if (rule.Words is { Length: > 0 } words && MentionQuery.Parse(words, out var problem) is null)
                context.Error(problem! with { Field = $"rules[{i}].words" });
            if (rule.Sentiment is not null && !MentionRules.Sentiments.Contains(rule.Sentiment))
                context.Error($"rules[{i}].sentiment", "Choose a sentiment: negative, neutral or positive.");
            if (rule.Status is not null && Api.MentionsApi.ParseStatus(rule.Status) is null)
                context.Error($"rules[{i}].status", "“{0}” is not a status. Use one of: {1}.", rule.Status,
                    string.Join(", ", Enum.GetValues<Data.MentionStatus>().Select(Api.MentionsApi.StatusName)));
        }
        if (model.Rules.Select(r => r.Name.Trim()).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1) is { } twice)
            context.Error("rules", "Two rules are named “{0}”.", twice.Key);
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var service = context.Services.GetRequiredService<RuleService>();
        var queries = context.Services.GetRequiredService<ListeningQueryService>();
        var members = await Members(context, ct);
        foreach (var rule in model.Rules)
        {
            long? queryId = null;
            if (rule.Query is { Length: > 0 } name)
                queryId = (await queries.FindByNameAsync(name.Trim(), ct))?.Id
                    ?? throw new InvalidOperationException($"The rule “{rule.Name}” names the listening query “{name}”, which is not there.");
            Guid? assignee = null;
            if (rule.AssignTo is { Length: > 0 } email)
                assignee = members.FirstOrDefault(m => string.Equals(m.Email, email.Trim(), StringComparison.OrdinalIgnoreCase)).Id is var id && id != Guid.Empty
                    ? id : throw new InvalidOperationException($"The rule “{rule.Name}” assigns to {email}, who is not a member of the workspace.");
            var input = new RuleInput(rule.Name, rule.Words, queryId, rule.Sentiment, rule.Source, rule.Author, rule.Language,
                rule.Labels is null ? null : string.Join(",", rule.Labels), assignee, rule.Status, rule.FlagRule, rule.Enabled);
            var existing = await service.FindByNameAsync(rule.Name.Trim(), ct);
            var outcome = existing is null
                ? await service.CreateAsync(input, null, null, ct)
                : await service.UpdateAsync(existing.Id, existing.Version, input, existing.UpdatedById, existing.UpdatedByName, ct);
            if (outcome.Rule is null) throw new InvalidOperationException(string.Join(" ", outcome.Problems));
        }
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var rules = await context.Services.GetRequiredService<RuleService>().ListAsync(ct);
        if (rules.Count == 0) return null;
        var queries = (await context.Services.GetRequiredService<ListeningQueryService>().ListAsync(ct)).ToDictionary(q => q.Id, q => q.Name);
        // No assignTo: members are not exported (docs/recipes.md), so an export applied under a new key would name
        // someone who is not a member there. The copy's rules are assigned again on its rules page.
        return new Model(rules.Select(r => new Rule(r.Name, r.Enabled, r.Words, r.QueryId is { } q && queries.TryGetValue(q, out var n) ? n : null,
            r.Sentiment, r.SourceKind, r.Author, r.Language, MentionRules.SplitLabels(r.AddLabels) is { Count: > 0 } labels ? labels.ToList() : null,
            null, r.SetStatus is { } s ? Api.MentionsApi.StatusName(s) : null, r.FlagCharterRuleId)).ToList());
    }

    private static async Task<List<(Guid Id, string? Email)>> Members(RecipeStepContext context, CancellationToken ct) =>
        (await context.Services.GetRequiredService<MembershipService>().ListAsync(context.Workspace.Required.Id, ct))
            .Select(m => (m.UserId, m.User?.Email)).ToList();
}
