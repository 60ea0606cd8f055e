using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;
using CmPortal.Modules.Inbox.Answers;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Moderation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.Inbox.Recipes;

/// <summary>
/// <c>{ "step": "savedReplies", "replies": [ { "title", "text", "language", "tags": [] } ], "insultRule": "insultes" }</c>:
/// adds or updates saved replies matched on their title, through <see cref="SavedReplyService"/> (the others are left
/// alone); "insultRule" optionally names the charter rule the insult suggestion cites (the published charter must
/// hold it when the step is applied — put the step after "communityCharter"). Exported with the library.
/// </summary>
internal sealed class SavedRepliesStep : RecipeStep<SavedRepliesStep.Model>
{
    public sealed record Model(List<Item> Replies, string? InsultRule = null);

    public sealed record Item(string Title, string Text, string? Language = null, List<string>? Tags = null);

    public override string Name => "savedReplies";

    public override string Label => "Saved replies";

    private static SavedReplyInput InputOf(Item item) => new(item.Title, item.Text, item.Language, item.Tags is null ? null : string.Join(", ", item.Tags));

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var titles = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Replies.Count; i++)
        {
            foreach (var problem in SavedReplyService.Check(InputOf(model.Replies[i])))
                context.Error(problem with { Field = $"replies[{i}].{problem.Field}" });
            if (!titles.Add(model.Replies[i].Title.Trim()))
                context.Error($"replies[{i}].title", "The title “{0}” is used twice in this step. Give each reply its own title.", model.Replies[i].Title);
        }
        return Task.CompletedTask;
    }

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var titles = model.Replies.Select(r => r.Title.Trim()).ToList();
        var existing = context.Existing is null ? 0
            : await context.Services.GetRequiredService<InboxDbContext>().SavedReplies.AsNoTracking().CountAsync(r => titles.Contains(r.Title), ct);
        changes.Add(new RecipeChange("{0} saved {0|reply|replies} added, {1} updated.", titles.Count - existing, existing));
        if (model.InsultRule is { } rule) changes.Add(new RecipeChange("Probable insults cite the charter rule “{0}”.", rule));
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var replies = context.Services.GetRequiredService<SavedReplyService>();
        var problems = new List<Problem>();
        for (var i = 0; i < model.Replies.Count; i++)
        {
            var item = model.Replies[i];
            var existing = await replies.FindByTitleAsync(item.Title, ct);
            var outcome = existing is null ? await replies.CreateAsync(InputOf(item), ct) : await replies.UpdateAsync(existing.Id, existing.Version, InputOf(item), ct);
            problems.AddRange(outcome.Problems.Select(p => p with { Field = $"replies[{i}]" + (p.Field is null ? "" : "." + p.Field) }));
        }
        if (model.InsultRule is not null)
            problems.AddRange((await context.Services.GetRequiredService<ModerationService>().SetInsultRuleAsync(model.InsultRule, ct)).Select(p => p with { Field = "insultRule" }));
        if (problems.Count > 0) throw new RecipeStepException(problems);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var list = await context.Services.GetRequiredService<SavedReplyService>().ListAsync(ct);
        var insultRule = await context.Services.GetRequiredService<ModerationService>().InsultRuleSettingAsync(ct);
        if (list.Count == 0 && insultRule is null) return null;
        return new Model(list.Select(r => new Item(r.Title, r.Text, r.Language,
            MentionRules.SplitLabels(r.Tags) is { Count: > 0 } tags ? tags.ToList() : null)).ToList(), insultRule);
    }
}
