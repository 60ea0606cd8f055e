using System.Text.Json.Serialization;
using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Modules.CommunityCharter.Data;
using CmPortal.Modules.CommunityCharter.Public;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.CommunityCharter.Recipes;

/// <summary>
/// <c>{ "step": "communityCharter", "title", "description", "introduction", "sections": [ { "id", "title", "introduction"?,
/// "rules": [ { "id", "text" } ] } ], "publish": true|false, "changeNote"? }</c>: sets the draft of the charter and,
/// with <c>"publish": true</c>, publishes it as a new version unless the current version already has this content
/// (so applying the step again adds no version). <c>changeNote</c> is required to publish version 2 and later.
/// </summary>
internal sealed class CommunityCharterStep : RecipeStep<CommunityCharterStep.Model>
{
    public sealed record Model(
        [property: JsonPropertyOrder(0)] string Title,
        [property: JsonPropertyOrder(1)] string Description,
        [property: JsonPropertyOrder(2)] string Introduction,
        [property: JsonPropertyOrder(3)] List<SectionModel> Sections,
        [property: JsonPropertyOrder(4)] bool Publish = false,
        [property: JsonPropertyOrder(5)] string? ChangeNote = null)
    {
        public CharterDocument ToDocument() => new CharterDocument(Title, Description, Introduction,
            Sections.Select(s => new CharterSection(s.Id, s.Title, s.Introduction,
                (s.Rules ?? []).Select(r => new CharterRule(r.Id, r.Text)).ToList())).ToList()).Normalized();
    }

    public sealed record SectionModel(
        [property: JsonPropertyOrder(0)] string Id,
        [property: JsonPropertyOrder(1)] string Title,
        [property: JsonPropertyOrder(3)] List<RuleModel>? Rules = null,
        [property: JsonPropertyOrder(2)] string? Introduction = null);

    public sealed record RuleModel(string Id, string Text);

    public override string Name => "communityCharter";

    public override string Label => "Community charter";

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var store = context.Existing is null ? null : context.Services.GetRequiredService<CharterStore>();
        var draft = store is null ? null : await store.FindDraftAsync(ct);
        changes.Add(draft is null ? new RecipeChange("Charter draft created.") : new RecipeChange("Charter draft replaced."));
        if (!model.Publish) return;
        var current = store is null ? null : await store.CurrentVersionAsync(ct);
        if (current is null || !CharterDocument.FromJson(current.Document).SameContentAs(model.ToDocument()))
            changes.Add(new RecipeChange("Charter published as version {0}.", (current?.Number ?? 0) + 1));
    }

    protected override async Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var document = model.ToDocument();
        foreach (var problem in CharterRules.Check(document)) context.Error(problem);
        if (!model.Publish)
        {
            if (model.ChangeNote is not null)
                context.Error("changeNote", "A change note goes with a publication. Set \"publish\": true, or remove \"changeNote\".");
            return;
        }
        // Publishing version 2 or later needs a change note: say so now rather than halfway through the recipe.
        // (When the content is already the current version's, nothing is published and only the note's length counts.)
        var current = await CurrentVersionAsync(context, ct);
        var next = current is not null && !CharterDocument.FromJson(current.Document).SameContentAs(document) ? current.Number + 1 : 1;
        foreach (var problem in CharterRules.CheckChangeNote(model.ChangeNote, next)) context.Error(problem);
    }

    /// <summary>The current version of the workspace the recipe targets, if that workspace exists already.</summary>
    private static async Task<CharterVersion?> CurrentVersionAsync(RecipeValidationContext context, CancellationToken ct)
    {
        if (context.WorkspaceKey is null) return null;
        var core = context.Services.GetRequiredService<CoreDbContext>();
        var workspaceId = await core.Workspaces.AsNoTracking().Where(w => w.Key == context.WorkspaceKey).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(ct);
        if (workspaceId is null) return null;
        return await context.Services.GetRequiredService<CommunityCharterDbContext>().Versions.IgnoreQueryFilters().AsNoTracking()
            .Where(v => v.WorkspaceId == workspaceId).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var store = context.Services.GetRequiredService<CharterStore>();
        var document = model.ToDocument();
        await store.SaveDraftAsync(document, by: null, ct);
        if (!model.Publish) return;
        var current = await store.CurrentVersionAsync(ct);
        if (current is not null && CharterDocument.FromJson(current.Document).SameContentAs(document)) return;
        var outcome = await store.PublishAsync(model.ChangeNote, by: null, ct);
        if (!outcome.Published) throw new InvalidOperationException(string.Join(" ", outcome.Problems.Select(p => p.ToString())));
        var workspaceId = context.Workspace.Required.Id;
        var cache = context.Services.GetRequiredService<CharterCache>();
        context.AfterCommit(() =>
        {
            cache.Invalidate(workspaceId);
            return Task.CompletedTask;
        });
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var store = context.Services.GetRequiredService<CharterStore>();
        if (await store.FindDraftAsync(ct) is not { } draft) return null;
        var document = CharterDocument.FromJson(draft.Document);
        var current = await store.CurrentVersionAsync(ct);
        var published = current is not null && CharterDocument.FromJson(current.Document).SameContentAs(document);
        return new Model(document.Title, document.Description, document.Introduction,
            document.Sections.Select(s => new SectionModel(s.Id, s.Title, s.Rules.Select(r => new RuleModel(r.Id, r.Text)).ToList(), s.Introduction)).ToList(),
            published);
    }
}
