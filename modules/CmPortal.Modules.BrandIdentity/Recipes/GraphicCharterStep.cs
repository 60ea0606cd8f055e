using System.Text;
using CmPortal.Core.Recipes;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using CmPortal.Modules.BrandIdentity.Logos;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.BrandIdentity.Recipes;

/// <summary>
/// <c>{ "step": "graphicCharter", "palette": [ { "name", "hex", "role" } ], "typography": { "heading": { "family", "fallback" }, "body": {…} },
/// "logos": [ { "name", "svg": "&lt;svg…" | "png": "base64…" } ], "imageFormats": [ { "network", "name", "aspectRatio", "minWidth", "minHeight" } ] }</c>:
/// replaces the graphic charter. A logo SVG that carries scripts, event handlers or external references is refused.
/// </summary>
internal sealed class GraphicCharterStep : RecipeStep<GraphicCharterStep.Model>
{
    public sealed class Model
    {
        public List<PaletteColour> Palette { get; set; } = [];
        public Typography Typography { get; set; } = new();
        public List<Logo> Logos { get; set; } = [];
        public List<ImageFormat> ImageFormats { get; set; } = [];
    }

    public sealed class Logo
    {
        public string Name { get; set; } = "";
        public string? Svg { get; set; }

        /// <summary>The PNG file in base64.</summary>
        public string? Png { get; set; }
    }

    public override string Name => "graphicCharter";

    public override string Label => "Graphic charter";

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var stored = context.Existing is not null
            && (await context.Services.GetRequiredService<BrandIdentityStore>().CurrentAsync<GraphicCharter>(BrandDocument.GraphicCharter, ct)).Row is not null;
        changes.Add(stored
            ? new RecipeChange("Graphic charter replaced (the current one stays in its history): {0} colour(s), {1} logo(s).", model.Palette.Count, model.Logos.Count)
            : new RecipeChange("Graphic charter set: {0} colour(s), {1} logo(s).", model.Palette.Count, model.Logos.Count));
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        foreach (var error in GraphicCharterRules.Check(ToCharter(model, [])))
            context.Error(error.Field, error.ToString());
        for (var i = 0; i < model.Logos.Count; i++)
        {
            var (field, content, error) = Content(model.Logos[i], i);
            if (error is not null) { context.Error(field, error); continue; }
            var (logo, problem) = LogoFiles.Check(field, content!);
            if (problem is not null) context.Error(problem.Field, problem.ToString());
            else if (logo!.Removed.Count > 0)
                context.Error(field, $"The SVG carries {string.Join(", ", logo.Removed.Distinct())}. A logo may not contain scripts, event handlers or references outside the file: remove them and try again.");
        }
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var store = context.Services.GetRequiredService<BrandIdentityStore>();
        var logos = new List<LogoFile>();
        for (var i = 0; i < model.Logos.Count; i++)
        {
            var (field, content, _) = Content(model.Logos[i], i);
            logos.Add(await store.AddLogoAsync(model.Logos[i].Name, LogoFiles.Check(field, content!).Logo!, ct));
        }
        await store.SaveAsync(BrandDocument.GraphicCharter, ToCharter(model, logos), BrandRevision.RecipeAuthor, ct: ct);
        EditorialLineStep.InvalidateAfterCommit(context);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var store = context.Services.GetRequiredService<BrandIdentityStore>();
        var current = await store.CurrentAsync<GraphicCharter>(BrandDocument.GraphicCharter, ct);
        if (current.Row is null) return null;
        var charter = current.Document;
        var logos = new List<Logo>();
        foreach (var reference in charter.Logos)
        {
            var file = await store.LogoAsync(reference.Sha256, ct);
            if (file is null) continue;
            logos.Add(file.ContentType == LogoFiles.Svg
                ? new Logo { Name = reference.Name, Svg = Encoding.UTF8.GetString(file.Content) }
                : new Logo { Name = reference.Name, Png = Convert.ToBase64String(file.Content) });
        }
        return new Model { Palette = charter.Palette, Typography = charter.Typography, Logos = logos, ImageFormats = charter.ImageFormats };
    }

    private static GraphicCharter ToCharter(Model model, List<LogoFile> logos) => GraphicCharterRules.Normalize(new GraphicCharter
    {
        Palette = model.Palette,
        Typography = model.Typography,
        Logos = logos.Count > 0 ? logos : model.Logos.Select(l => new LogoFile { Name = l.Name }).ToList(),
        ImageFormats = model.ImageFormats,
    });

    private static (string Field, byte[]? Content, string? Error) Content(Logo logo, int index)
    {
        if ((logo.Svg is null) == (logo.Png is null))
            return ($"logos[{index}]", null, "Give the logo either as \"svg\" (the SVG text) or as \"png\" (the PNG file in base64), not both or neither.");
        if (logo.Svg is not null) return ($"logos[{index}].svg", Encoding.UTF8.GetBytes(logo.Svg), null);
        try { return ($"logos[{index}].png", Convert.FromBase64String(logo.Png!), null); }
        catch (FormatException) { return ($"logos[{index}].png", null, "The PNG is not valid base64. Encode the file with e.g. `base64 -w0 logo.png`."); }
    }
}
