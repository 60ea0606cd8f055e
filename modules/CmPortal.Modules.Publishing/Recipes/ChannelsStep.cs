using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.Publishing.Recipes;

/// <summary>
/// <c>{ "step": "channels", "channels": [ { "kind": "mastodon|bluesky|webhook|manual|blog", "name", "instanceUrl", "handle",
/// "pdsUrl", "url", "network", "assignee" } ] }</c>: adds the channels the workspace lacks, matched on kind and name, through
/// <see cref="ChannelService.ProvisionAsync"/>. A recipe never holds a secret: Mastodon, Bluesky and webhook channels are
/// created waiting for theirs (entered on the channels page), without any call to the network; the blog and manual
/// channels are active at once. The export writes names and settings, never a token.
/// </summary>
internal sealed class ChannelsStep : RecipeStep<ChannelsStep.Model>
{
    public sealed record Model(List<Item> Channels);

    /// <summary>Kind and name are checked by the step (not the binder) so that a missing one is named with its index.</summary>
    public sealed record Item(string? Kind = null, string? Name = null, string? InstanceUrl = null, string? Handle = null, string? PdsUrl = null,
        string? Url = null, string? Network = null, string? Assignee = null);

    public override string Name => "channels";

    public override string Label => "Channels";

    private static ChannelDescription DescriptionOf(Item item) =>
        new(item.Kind, item.Name, item.InstanceUrl, item.Handle, item.PdsUrl, item.Url, item.Network, item.Assignee);

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Channels.Count; i++)
        {
            var item = model.Channels[i];
            foreach (var problem in ChannelService.Check(DescriptionOf(item)))
                context.Error(problem with { Field = $"channels[{i}].{problem.Field}" });
            // The blog channel is the Blog module's network: it must be on when this step runs.
            if (item.Kind?.Trim() == "blog" && !context.EnabledModules.Contains("Blog"))
                context.Error($"channels[{i}].kind", "A blog channel needs the module \"Blog\", which is not on for the workspace at this point. Add \"Blog\" to a \"modules\" step before this one.");
            if (item.Name?.Trim() is { Length: > 0 } name && !names.Add(name))
                context.Error($"channels[{i}].name", "The name “{0}” is used twice in this step. Give each channel its own name.", name);
        }
        return Task.CompletedTask;
    }

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var stored = context.Existing is null ? []
            : await context.Services.GetRequiredService<PublishingDbContext>().Channels.AsNoTracking().Select(c => new { c.Kind, c.Name }).ToListAsync(ct);
        var added = model.Channels.Where(i => !stored.Any(s => s.Kind == i.Kind!.Trim() && s.Name == i.Name!.Trim())).ToList();
        changes.Add(new RecipeChange("{0} {0|channel|channels} added, {1} already there.", added.Count, model.Channels.Count - added.Count));
        var waiting = added.Count(i => i.Kind!.Trim() is "mastodon" or "bluesky" or "webhook");
        if (waiting > 0)
            changes.Add(new RecipeChange("{0} {0|channel|channels} will wait for {0|its|their} secret (token, app password or webhook secret): enter it on the channels page.", waiting));
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var channels = context.Services.GetRequiredService<ChannelService>();
        var problems = new List<Problem>();
        for (var i = 0; i < model.Channels.Count; i++)
        {
            var outcome = await channels.ProvisionAsync(DescriptionOf(model.Channels[i]), ct);
            problems.AddRange(outcome.Problems.Select(p => p with { Field = $"channels[{i}]" + (p.Field is null ? "" : "." + p.Field) }));
        }
        // The runner rolls the whole recipe back: no channel of this step, nor anything before it, is kept.
        if (problems.Count > 0) throw new RecipeStepException(problems);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var described = await context.Services.GetRequiredService<ChannelService>().DescribeAllAsync(ct);
        return described.Count == 0 ? null : new Model(described.Select(d =>
            new Item(d.Kind, d.Name, d.InstanceUrl, d.Handle, d.PdsUrl, d.Url, d.Network, d.Assignee)).ToList());
    }
}
