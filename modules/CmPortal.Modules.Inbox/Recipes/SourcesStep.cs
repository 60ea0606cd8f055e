using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Sources.Stored;
using CmPortal.Modules.Publishing.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.Inbox.Recipes;

/// <summary>
/// <c>{ "step": "sources", "sources": [ { "kind", "name", "url", "query", "anyTags", "allTags", "noneTags", "channel",
/// "intervalMinutes", "paused" } ] }</c> (docs/recipes.md): the sources the inbox reads, with the rules of the sources
/// page (<see cref="SourceService"/>). <c>channel</c> names one of the workspace's Publishing channels (a channels step
/// before it). A source whose name is already there is left as it is; one refused source stops the recipe, nothing stored.
/// Exported with their settings, never their reading state.
/// </summary>
internal sealed class SourcesStep : RecipeStep<SourcesStep.Model>
{
    public sealed record Model(List<Item> Sources);

    public sealed record Item(string Kind, string? Name = null, string? Url = null, string? Query = null, string? AnyTags = null,
        string? AllTags = null, string? NoneTags = null, string? Channel = null, int? IntervalMinutes = null, bool Paused = false);

    public override string Name => "sources";

    public override string Label => "Listening sources";

    protected override Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        changes.Add(new RecipeChange("Up to {0} {0|source|sources} added to the inbox (those already there by name are left alone).", model.Sources.Count));
        return Task.CompletedTask;
    }

    /// <summary>What can be checked before the workspace exists: kinds, intervals, the fields each kind needs.</summary>
    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        for (var i = 0; i < model.Sources.Count; i++)
        {
            var s = model.Sources[i];
            var kind = s.Kind.Trim().ToLowerInvariant();
            if (!SourceKinds.All.Contains(kind))
            {
                context.Error($"sources[{i}].kind", "Choose the kind of source: {0}.", string.Join(", ", SourceKinds.All));
                continue;
            }
            if (s.IntervalMinutes is < SourceService.MinInterval)
                context.Error($"sources[{i}].intervalMinutes", "A source is read at most every {0} minutes: give {0} or more.", SourceService.MinInterval);
            if (kind == SourceKinds.Feed && !Uri.TryCreate(s.Url, UriKind.Absolute, out _))
                context.Error($"sources[{i}].url", "Give the feed's address (it usually ends in /feed, .rss or .xml).");
            if (kind is SourceKinds.MastodonTag or SourceKinds.BlueskySearch && string.IsNullOrWhiteSpace(s.Query))
                context.Error($"sources[{i}].query", "Give the hashtag or the search the source follows.");
            if (kind is SourceKinds.MastodonMentions or SourceKinds.BlueskyMentions or SourceKinds.BlueskySearch && string.IsNullOrWhiteSpace(s.Channel))
                context.Error($"sources[{i}].channel", "Name the channel the source reads through.");
        }
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var sources = context.Services.GetRequiredService<SourceService>();
        var channels = context.Services.GetRequiredService<IPublishingChannels>();
        var db = context.Services.GetRequiredService<InboxDbContext>();
        var problems = new List<Problem>();
        for (var i = 0; i < model.Sources.Count; i++)
        {
            var s = model.Sources[i];
            if (s.Name is { Length: > 0 } name && await db.Sources.AnyAsync(x => x.Name == name.Trim(), ct)) continue;
            var kind = s.Kind.Trim().ToLowerInvariant();
            Guid? channelId = null;
            if (s.Channel is { Length: > 0 } channelName && SourceKinds.Network(kind) is { } network)
            {
                channelId = (await channels.ChannelsOfKindAsync(network, ct)).FirstOrDefault(c => c.Name == channelName.Trim())?.Id;
                if (channelId is null)
                {
                    problems.Add(new Problem($"sources[{i}].channel", "No channel of the workspace is called “{0}”.", channelName));
                    continue;
                }
            }
            var outcome = await sources.CreateAsync(new SourceInput(kind, s.Name, s.Url, s.Query, s.AnyTags, s.AllTags, s.NoneTags, channelId, s.IntervalMinutes), ct);
            problems.AddRange(outcome.Problems.Select(p => p with { Field = $"sources[{i}]" + (p.Field is null ? "" : "." + (p.Field == "channelId" ? "channel" : p.Field)) }));
            if (outcome.Succeeded && s.Paused) await sources.PauseAsync(outcome.Source!.Id, outcome.Source.Version, ct);
        }
        if (problems.Count > 0) throw new RecipeStepException(problems);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var list = await context.Services.GetRequiredService<SourceService>().ListAsync(ct);
        if (list.Count == 0) return null;
        var channels = context.Services.GetRequiredService<IPublishingChannels>();
        var names = new Dictionary<Guid, string>();
        foreach (var network in new[] { "mastodon", "bluesky" })
            foreach (var channel in await channels.ChannelsOfKindAsync(network, ct)) names[channel.Id] = channel.Name;
        return new Model(list.Select(s => new Item(s.Kind, s.Name, s.Url, s.Query, s.AnyTags, s.AllTags, s.NoneTags,
            s.ChannelId is { } id ? names.GetValueOrDefault(id) : null,
            s.IntervalMinutes == SourceService.DefaultInterval ? null : s.IntervalMinutes, s.Paused)).ToList());
    }
}
