using CmPortal.Core.Recipes;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using CmPortal.Modules.BrandIdentity.Style;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.BrandIdentity.Recipes;

/// <summary>
/// <c>{ "step": "editorialLine", "mission", "tone": { "descriptors", "do", "dont" }, "valueShare",
/// "pillars": [...], "personas": [...], "networks": [...], "vocabulary": { "preferred", "banned" },
/// "signatureHashtags": [...] }</c>: replaces the editorial line (a new revision when it changes).
/// </summary>
internal sealed class EditorialLineStep : RecipeStep<EditorialLine>
{
    public override string Name => "editorialLine";

    public override string Label => "Editorial line";

    protected override async Task DescribeAsync(EditorialLine model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var stored = context.Existing is not null
            && (await context.Services.GetRequiredService<BrandIdentityStore>().CurrentAsync<EditorialLine>(BrandDocument.EditorialLine, ct)).Row is not null;
        changes.Add(stored ? new RecipeChange("Editorial line replaced (the current one stays in its history).") : new RecipeChange("Editorial line set."));
    }

    protected override Task ValidateAsync(EditorialLine model, RecipeValidationContext context, CancellationToken ct)
    {
        // Checked as written, so the paths in errors point where the author looks.
        foreach (var problem in EditorialLineRules.Check(model))
            context.Error(problem);
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(EditorialLine model, RecipeStepContext context, CancellationToken ct)
    {
        await context.Services.GetRequiredService<BrandIdentityStore>().SaveAsync(BrandDocument.EditorialLine, EditorialLineRules.Normalize(model), BrandRevision.RecipeAuthor, ct: ct);
        InvalidateAfterCommit(context);
    }

    protected override async Task<EditorialLine?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var current = await context.Services.GetRequiredService<BrandIdentityStore>().CurrentAsync<EditorialLine>(BrandDocument.EditorialLine, ct);
        return current.Row is null ? null : current.Document;
    }

    /// <summary>A request between the save and the commit may have cached the old style; drop it once committed.</summary>
    public static void InvalidateAfterCommit(RecipeStepContext context)
    {
        var workspaceId = context.Workspace.Required.Id;
        var cache = context.Services.GetRequiredService<BrandIdentityCache>();
        context.AfterCommit(() => { cache.Invalidate(workspaceId); return Task.CompletedTask; });
    }
}
