using CmPortal.Core.Recipes;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.Inbox.Recipes;

/// <summary>
/// <c>{ "step": "mentions", "mentions": [ { "source", "sourceName", "externalId", "url", "title", "text", "author",
/// "authorHandle", "authorFollowers", "publishedAt" | "hoursAgo", "language" } ] }</c>: ingests the mentions as a source
/// would (de-duplicated: applying the recipe twice stores nothing new). <c>hoursAgo</c> dates a mention from the time the
/// recipe is applied, so a demo always looks recent. Mentions are data, not set-up: the step exports nothing.
/// </summary>
internal sealed class MentionsStep : RecipeStep<MentionsStep.Model>
{
    public sealed record Model(List<Item> Mentions);

    public sealed record Item(string ExternalId, string Text, string? Source = null, string? SourceName = null, string? Url = null,
        string? Title = null, string? Author = null, string? AuthorHandle = null, int? AuthorFollowers = null,
        DateTimeOffset? PublishedAt = null, double? HoursAgo = null, string? Language = null);

    public override string Name => "mentions";

    public override string Label => "Mentions";

    protected override Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        changes.Add(new RecipeChange("Up to {0} {0|mention|mentions} added to the inbox (those already there are left alone).", model.Mentions.Count));
        return Task.CompletedTask;
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var group in Groups(model, now))
            foreach (var problem in MentionService.Check(group.Kind, group.Items.Select(i => i.Item).ToList()))
                context.Error(problem with { Field = MentionService.BatchField(problem.Field, group.Items.Select(i => i.Index).ToList()) });
        for (var i = 0; i < model.Mentions.Count; i++)
            if (model.Mentions[i].PublishedAt is null == model.Mentions[i].HoursAgo is null)
                context.Error($"mentions[{i}].publishedAt", "Give either \"publishedAt\" (an instant) or \"hoursAgo\" (a number), one of the two.");
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var mentions = context.Services.GetRequiredService<MentionService>();
        foreach (var group in Groups(model, DateTimeOffset.UtcNow))
            await mentions.IngestAsync(group.Kind, group.Name, group.Items.Select(i => i.Item).ToList(), ct);
    }

    private static List<(string Kind, string? Name, List<(int Index, ListenedItem Item)> Items)> Groups(Model model, DateTimeOffset now)
    {
        var groups = new List<(string Kind, string? Name, List<(int Index, ListenedItem Item)> Items)>();
        for (var i = 0; i < model.Mentions.Count; i++)
        {
            var m = model.Mentions[i];
            var kind = string.IsNullOrWhiteSpace(m.Source) ? "api" : m.Source.Trim();
            var at = m.PublishedAt ?? now.AddHours(-(m.HoursAgo ?? 0));
            var item = new ListenedItem(m.ExternalId, m.Url, m.Text, m.Title, m.Author, m.AuthorHandle, m.AuthorFollowers, at, m.Language);
            var index = groups.FindIndex(g => g.Kind == kind && g.Name == m.SourceName);
            if (index >= 0) groups[index].Items.Add((i, item));
            else groups.Add((kind, m.SourceName, [(i, item)]));
        }
        return groups;
    }
}
