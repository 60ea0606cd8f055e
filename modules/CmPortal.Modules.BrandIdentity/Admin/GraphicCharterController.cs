using CmPortal.Core.Localization;
using CmPortal.Core.Networks;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using CmPortal.Modules.BrandIdentity.Fonts;
using CmPortal.Modules.BrandIdentity.Logos;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Admin;

/// <summary>The graphic charter editor: palette (with contrast flags), typography, logos and image formats.</summary>
[Route("admin/{workspace}/brand/graphic-charter")]
[RequirePermission("BrandIdentity.Edit")]
internal sealed class GraphicCharterController(BrandIdentityStore store, WorkspaceContext workspace, IStringLocalizer<GraphicCharterController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Edit(CancellationToken ct)
    {
        var current = await store.CurrentAsync<GraphicCharter>(BrandDocument.GraphicCharter, ct);
        return View(GraphicCharterForm.From(current.Document, current.Number));
    }

    [HttpPost("")]
    [RequestSizeLimit(3 * 1024 * 1024)]
    public async Task<IActionResult> Edit(GraphicCharterForm form, CancellationToken ct)
    {
        // A font file that passes its own checks is stored at once (by its SHA-256, like logos) and becomes a row of the
        // form: a refused save shows it in the list, so it need not be chosen again.
        if (form.NewFontFile is { Length: > 0 } fontFile)
        {
            using var buffer = new MemoryStream();
            await fontFile.CopyToAsync(buffer, ct);
            var content = buffer.ToArray();
            if (FontFiles.Check(nameof(form.NewFontFile), content) is { } fontError)
                ModelState.AddModelError(nameof(form.NewFontFile), T.Problem(fontError));
            else
            {
                var family = form.NewFontFamily?.Trim() ?? "";
                var added = await store.AddFontAsync(family, form.NewFontWeight, content, ct);
                form.Fonts.RemoveAll(f => f.Family.Trim() == family && f.Weight == form.NewFontWeight);
                form.Fonts.Add(new GraphicCharterForm.FontRow { Family = added.Family, Weight = added.Weight, Sha256 = added.Sha256 });
                (form.NewFontFamily, form.NewFontFile) = (null, null);
            }
        }
        var charter = GraphicCharterRules.Normalize(form.ToDocument());
        foreach (var font in charter.Fonts)
            if (await store.FontFileAsync(font.Sha256, ct) is null)
                ModelState.AddModelError(nameof(form.NewFontFile), T["The font file of \"{0}\" is not one of this brand's stored fonts. Add the file again.", font.Family]);
        // The form names the logos it keeps; what they are comes from the files this workspace stored.
        for (var i = 0; i < charter.Logos.Count; i++)
        {
            if (await store.StoredLogoAsync(charter.Logos[i].Name, charter.Logos[i].Sha256, ct) is { } stored) charter.Logos[i] = stored;
            else ModelState.AddModelError(nameof(form.NewLogoFile), T["The logo \"{0}\" is not one of this brand's stored logos. Reload the page and add it again.", charter.Logos[i].Name]);
        }
        CheckedLogo? upload = null;
        LogoFile? pending = null;
        var name = string.IsNullOrWhiteSpace(form.NewLogoName) ? "primary" : form.NewLogoName.Trim();
        if (form.NewLogoFile is { Length: > 0 } file)
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            var (logo, error) = LogoFiles.Check(nameof(form.NewLogoFile), buffer.ToArray());
            if (error is not null) ModelState.AddModelError(nameof(form.NewLogoFile), T.Problem(error));
            upload = logo;
            charter.Logos.RemoveAll(l => l.Name == name);
            charter.Logos.Add(new LogoFile { Name = name, ContentType = logo?.ContentType ?? "", Width = logo?.Width, Height = logo?.Height });
        }
        else if (!form.DropPendingLogo && !string.IsNullOrWhiteSpace(form.PendingLogoSha256))
        {
            // A file chosen before a refused save: it was checked and stored then, the form carries its SHA-256.
            pending = await store.StoredLogoAsync(name, form.PendingLogoSha256.Trim(), ct);
            if (pending is null) ModelState.AddModelError(nameof(form.NewLogoFile), T["The logo file you chose before is no longer available. Choose the file again."]);
            else
            {
                charter.Logos.RemoveAll(l => l.Name == name);
                charter.Logos.Add(pending);
            }
        }
        foreach (var error in GraphicCharterRules.Check(charter))
            ModelState.AddModelError(form.FieldFor(error.Field!), T.Problem(error));
        if (!ModelState.IsValid)
        {
            // A browser cannot put a file back into a file field: a valid file is stored now (by its SHA-256, not yet part
            // of the charter) and the form shows it, so the next save adds it without choosing it again.
            if (upload is not null) pending = await store.AddLogoAsync(name, upload, ct);
            form.PendingLogo = pending;
            return View(form.Describing(charter.Logos));
        }

        if (upload is not null)
        {
            var added = await store.AddLogoAsync(charter.Logos[^1].Name, upload, ct);
            charter.Logos[^1] = added;
            if (upload.Removed.Count > 0)
                TempData["Error"] = T["The logo was cleaned before it was stored; removed: {0}. Check that it still looks right.", string.Join(", ", upload.Removed.Distinct())].Value;
        }
        try
        {
            var saved = await store.SaveAsync(BrandDocument.GraphicCharter, charter, User.Identity?.Name ?? "?", form.BaseRevision, ct: ct);
            TempData["Message"] = saved is null ? T["Nothing changed."].Value : T["Graphic charter saved (version {0}).", saved.Number].Value;
        }
        catch (StaleRevisionException stale)
        {
            ModelState.AddModelError("", T["Someone saved version {0} of the graphic charter while you were editing. Open the history to see their changes, then edit again.", stale.Current]);
            form.PendingLogo = upload is not null ? charter.Logos[^1] : pending;
            return View(form.Describing(charter.Logos));
        }
        return Redirect($"/admin/{workspace.Required.Key}/brand/graphic-charter");
    }

    /// <summary>The contrast table for a palette being edited (the editor reloads it as colours change).</summary>
    [HttpGet("contrast")]
    public IActionResult Contrast([FromQuery(Name = "Palette")] List<PaletteColour>? palette) =>
        PartialView("_ContrastSection", GraphicCharterRules.Normalize(new GraphicCharter { Palette = (palette ?? []).Take(100).ToList() }));
}

/// <summary>The editor's fields; rows are checked by <see cref="GraphicCharterRules"/>, not by MVC's implicit required fields.</summary>
internal sealed class GraphicCharterForm
{
    public int BaseRevision { get; set; }
    [ValidateNever] public List<PaletteColour> Palette { get; set; } = [];
    [ValidateNever] public Typography Typography { get; set; } = new();
    [ValidateNever] public List<LogoRow> Logos { get; set; } = [];
    [ValidateNever] public List<ImageFormat> ImageFormats { get; set; } = [];
    /// <summary>The heading and body fonts as the pickers send them: a catalogue id, "own:" and a family of <see cref="Fonts"/>, or "" for a name typed.</summary>
    public string? HeadingChoice { get; set; }
    public string? BodyChoice { get; set; }

    /// <summary>The brand's own font files, kept by the form (family and weight editable).</summary>
    [ValidateNever] public List<FontRow> Fonts { get; set; } = [];
    public string? NewFontFamily { get; set; }
    public int NewFontWeight { get; set; } = 400;
    public IFormFile? NewFontFile { get; set; }

    public const string OwnPrefix = "own:";

    public sealed class FontRow
    {
        public string Family { get; set; } = "";
        public int Weight { get; set; } = 400;
        public string Sha256 { get; set; } = "";
        public bool Remove { get; set; }
    }

    public string? NewLogoName { get; set; }
    public IFormFile? NewLogoFile { get; set; }

    /// <summary>A logo file checked and stored during a refused save, added by the next save unless dropped.</summary>
    public string? PendingLogoSha256 { get; set; }
    public bool DropPendingLogo { get; set; }
    [BindNever] public LogoFile? PendingLogo { get; set; }

    /// <summary>A logo kept by the form: its name and which stored file. Type and size are read from the file.</summary>
    public sealed class LogoRow
    {
        public string Name { get; set; } = "";
        public string Sha256 { get; set; } = "";
        [BindNever] public string ContentType { get; set; } = "";
        [BindNever] public int? Width { get; set; }
        [BindNever] public int? Height { get; set; }
        public bool Remove { get; set; }
    }

    public static GraphicCharterForm From(GraphicCharter charter, int revision) => new()
    {
        BaseRevision = revision,
        Palette = charter.Palette,
        Typography = charter.Typography,
        HeadingChoice = Choice(charter.Typography.Heading, charter.Fonts),
        BodyChoice = Choice(charter.Typography.Body, charter.Fonts),
        Fonts = charter.Fonts.Select(f => new FontRow { Family = f.Family, Weight = f.Weight, Sha256 = f.Sha256 }).ToList(),
        Logos = charter.Logos.Select(l => new LogoRow { Name = l.Name, Sha256 = l.Sha256, ContentType = l.ContentType, Width = l.Width, Height = l.Height }).ToList(),
        ImageFormats = charter.ImageFormats.Count > 0 ? charter.ImageFormats : RecommendedFormats(),
    };

    /// <summary>The formats each network displays well, as a starting point.</summary>
    public static List<ImageFormat> RecommendedFormats() =>
        SocialNetworks.All.SelectMany(n => n.ImageFormats.Select(f => new ImageFormat
        {
            Network = n.Id, Name = f.Name, AspectRatio = $"{f.RatioWidth}:{f.RatioHeight}", MinWidth = f.MinWidth, MinHeight = f.MinHeight,
        })).ToList();

    /// <summary>Shows the kept logos as stored (a refused save shows the form again, every row as it was typed).</summary>
    public GraphicCharterForm Describing(IEnumerable<LogoFile> stored)
    {
        foreach (var row in Logos)
            if (stored.FirstOrDefault(l => l.Sha256 == row.Sha256) is { } logo)
                (row.ContentType, row.Width, row.Height) = (logo.ContentType, logo.Width, logo.Height);
        return this;
    }

    /// <summary>A colour row left entirely blank is ignored; one with a name or a code is checked.</summary>
    private static bool Kept(PaletteColour c) => !string.IsNullOrWhiteSpace(c.Name) || !string.IsNullOrWhiteSpace(c.Hex);

    /// <summary>A format row left blank (no name, no ratio, no size) is ignored; any other is checked.</summary>
    private static bool Kept(ImageFormat f) =>
        !string.IsNullOrWhiteSpace(f.Name) || !string.IsNullOrWhiteSpace(f.AspectRatio) || f.MinWidth != 0 || f.MinHeight != 0;

    /// <summary>What a picker shows for a font of the charter.</summary>
    public static string Choice(FontChoice font, IEnumerable<OwnFont> own) =>
        font.Font ?? (own.Any(f => f.Family == font.Family) ? OwnPrefix + font.Family : "");

    /// <summary>The picker's choice applied to the font: a catalogue font, one of the brand's own, or the name typed.</summary>
    private static FontChoice Chosen(FontChoice typed, string? choice)
    {
        if (string.IsNullOrWhiteSpace(choice)) return new FontChoice { Family = typed.Family, Fallback = typed.Fallback };
        if (choice.StartsWith(OwnPrefix, StringComparison.Ordinal)) return new FontChoice { Family = choice[OwnPrefix.Length..], Fallback = typed.Fallback };
        // A catalogue id (an unknown one is reported by the rules); the family follows from it.
        return new FontChoice { Font = choice, Family = typed.Family, Fallback = typed.Fallback };
    }

    public GraphicCharter ToDocument() => new()
    {
        Palette = Palette.Where(Kept).ToList(),
        Typography = new Typography { Heading = Chosen(Typography.Heading, HeadingChoice), Body = Chosen(Typography.Body, BodyChoice) },
        Fonts = Fonts.Where(f => !f.Remove).Select(f => new OwnFont { Family = f.Family, Weight = f.Weight, Sha256 = f.Sha256 }).ToList(),
        Logos = Logos.Where(l => !l.Remove).Select(l => new LogoFile { Name = l.Name, Sha256 = l.Sha256 }).ToList(),
        ImageFormats = ImageFormats.Where(Kept).ToList(),
    };

    /// <summary>
    /// The form field a rule's JSON path points at: the form mirrors the document, so it is the path in PascalCase,
    /// with a row's index counted among the form's rows (blank rows ignored by the document included).
    /// </summary>
    public string FieldFor(string path) =>
        path.StartsWith("logos") ? nameof(NewLogoFile) :
        path.StartsWith("fonts") ? nameof(NewFontFamily) :
        path.StartsWith("typography.heading.font") ? nameof(HeadingChoice) :
        path.StartsWith("typography.body.font") ? nameof(BodyChoice) :
        FormRows.Pascal(FormRows.Field(FormRows.Field(path, "palette", Palette, Kept), "imageFormats", ImageFormats, Kept));
}