using CmPortal.Core.Validation;
using System.Text;
using CmPortal.Core.Recipes;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using CmPortal.Modules.BrandIdentity.Fonts;
using CmPortal.Modules.BrandIdentity.Logos;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.BrandIdentity.Recipes;

/// <summary>
/// <c>{ "step": "graphicCharter", "palette": [ { "name", "hex", "role" } ], "typography": { "heading": { "font" } | { "family", "fallback" }, "body": {…} },
/// "fonts": [ { "family", "weight", "woff2": "base64…" } ], "logos": [ { "name", "svg": "&lt;svg…" | "png": "base64…" } ],
/// "imageFormats": [ { "network", "name", "aspectRatio", "minWidth", "minHeight" } ] }</c>:
/// replaces the graphic charter. A font is a catalogue id ("playfair-display"), a family of "fonts", or a family readers
/// must have installed. A logo SVG that carries scripts, event handlers or external references is refused.
/// </summary>
internal sealed class GraphicCharterStep : RecipeStep<GraphicCharterStep.Model>
{
    public sealed class Model
    {
        public List<PaletteColour> Palette { get; set; } = [];
        public Typography Typography { get; set; } = new();
        public List<Font> Fonts { get; set; } = [];
        public List<Logo> Logos { get; set; } = [];
        public List<ImageFormat> ImageFormats { get; set; } = [];
    }

    /// <summary>A font file of the brand's own.</summary>
    public sealed class Font
    {
        public string Family { get; set; } = "";
        public int Weight { get; set; } = 400;

        /// <summary>The WOFF2 file in base64.</summary>
        public string Woff2 { get; set; } = "";
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
            ? new RecipeChange("Graphic charter replaced (the current one stays in its history): {0} {0|colour|colours}, {1} {1|logo|logos}.", model.Palette.Count, model.Logos.Count)
            : new RecipeChange("Graphic charter set: {0} {0|colour|colours}, {1} {1|logo|logos}.", model.Palette.Count, model.Logos.Count));
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        foreach (var problem in GraphicCharterRules.Check(ToCharter(model, [], [])))
            context.Error(problem);
        for (var i = 0; i < model.Fonts.Count; i++)
        {
            var (field, content, error) = FontContent(model.Fonts[i], i);
            if ((error ?? FontFiles.Check(field, content!)) is { } problem) context.Error(problem);
        }
        for (var i = 0; i < model.Logos.Count; i++)
        {
            var (field, content, error) = Content(model.Logos[i], i);
            if (error is not null) { context.Error(error); continue; }
            var (logo, problem) = LogoFiles.Check(field, content!);
            if (problem is not null) context.Error(problem);
            else if (logo!.Removed.Count > 0)
                context.Error(field, "The SVG carries {0}. A logo may not contain scripts, event handlers or references outside the file: remove them and try again.",
                    ProblemValue.List(logo.Removed.Distinct()));
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
        var fonts = new List<OwnFont>();
        for (var i = 0; i < model.Fonts.Count; i++)
            fonts.Add(await store.AddFontAsync(model.Fonts[i].Family.Trim(), model.Fonts[i].Weight, FontContent(model.Fonts[i], i).Content!, ct));
        await store.SaveAsync(BrandDocument.GraphicCharter, ToCharter(model, logos, fonts), BrandRevision.RecipeAuthor, ct: ct);
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
        var fonts = new List<Font>();
        foreach (var font in charter.Fonts)
            if (await store.FontFileAsync(font.Sha256, ct) is { } file)
                fonts.Add(new Font { Family = font.Family, Weight = font.Weight, Woff2 = Convert.ToBase64String(file.Content) });
        // A catalogue font is exported by its id alone: its family follows from it.
        foreach (var choice in new[] { charter.Typography.Heading, charter.Typography.Body }.Where(c => c.Font is not null))
            choice.Family = null!;
        return new Model { Palette = charter.Palette, Typography = charter.Typography, Fonts = fonts, Logos = logos, ImageFormats = charter.ImageFormats };
    }

    private static GraphicCharter ToCharter(Model model, List<LogoFile> logos, List<OwnFont> fonts) => GraphicCharterRules.Normalize(new GraphicCharter
    {
        Palette = model.Palette,
        Typography = model.Typography,
        Fonts = fonts.Count > 0 ? fonts : model.Fonts.Select(f => new OwnFont { Family = f.Family, Weight = f.Weight }).ToList(),
        Logos = logos.Count > 0 ? logos : model.Logos.Select(l => new LogoFile { Name = l.Name }).ToList(),
        ImageFormats = model.ImageFormats,
    });

    private static (string Field, byte[]? Content, Problem? Error) FontContent(Font font, int index)
    {
        var field = $"fonts[{index}].woff2";
        try { return (field, Convert.FromBase64String(font.Woff2 ?? ""), null); }
        catch (FormatException) { return (field, null, new Problem(field, "The font file is not valid base64. Encode the WOFF2 file with e.g. `base64 -w0 font.woff2`.")); }
    }

    private static (string Field, byte[]? Content, Problem? Error) Content(Logo logo, int index)
    {
        if ((logo.Svg is null) == (logo.Png is null))
            return ($"logos[{index}]", null, new Problem($"logos[{index}]", "Give the logo either as \"svg\" (the SVG text) or as \"png\" (the PNG file in base64), not both or neither."));
        if (logo.Svg is not null) return ($"logos[{index}].svg", Encoding.UTF8.GetBytes(logo.Svg), null);
        var field = $"logos[{index}].png";
        try { return (field, Convert.FromBase64String(logo.Png!), null); }
        catch (FormatException) { return (field, null, new Problem(field, "The PNG is not valid base64. Encode the file with e.g. `base64 -w0 logo.png`.")); }
    }
}
