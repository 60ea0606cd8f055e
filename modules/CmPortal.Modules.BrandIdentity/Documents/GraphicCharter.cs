namespace CmPortal.Modules.BrandIdentity.Documents;

/// <summary>How the brand looks: palette, typography, logos and image formats per network.</summary>
internal sealed class GraphicCharter
{
    public List<PaletteColour> Palette { get; set; } = [];
    public Typography Typography { get; set; } = new();
    public List<LogoFile> Logos { get; set; } = [];

    /// <summary>The brand's own font files (WOFF2), used by a heading or body font of the same family.</summary>
    public List<OwnFont> Fonts { get; set; } = [];
    public List<ImageFormat> ImageFormats { get; set; } = [];

    public string? Colour(ColourRole role) => Palette.FirstOrDefault(c => c.Role == role)?.Hex;

    /// <summary>The logo the site header shows: the one named "primary", else the first.</summary>
    public LogoFile? MainLogo => Logos.FirstOrDefault(l => l.Name == "primary") ?? Logos.FirstOrDefault();
}

internal enum ColourRole { Primary, Secondary, Accent, Background, Text, Other }

internal sealed class PaletteColour
{
    public string Name { get; set; } = "";

    /// <summary>Always stored as lowercase <c>#rrggbb</c>.</summary>
    public string Hex { get; set; } = "";
    public ColourRole Role { get; set; } = ColourRole.Other;
}

internal sealed class Typography
{
    public FontChoice Heading { get; set; } = new() { Family = "Georgia", Fallback = "'Times New Roman', serif" };
    public FontChoice Body { get; set; } = new() { Family = "Helvetica Neue", Fallback = "Arial, sans-serif" };
}

internal sealed class FontChoice
{
    /// <summary>
    /// A font of the portal's catalogue ("playfair-display"), whose files the site serves; then <see cref="Family"/> is its
    /// family. Null for the brand's own font (a family of <see cref="GraphicCharter.Fonts"/>) or a font readers must have installed.
    /// </summary>
    public string? Font { get; set; }

    /// <summary>The family name, e.g. "Playfair Display".</summary>
    public string Family { get; set; } = "";

    /// <summary>What to use when the family is missing, ending with a generic family, e.g. "Georgia, serif".</summary>
    public string Fallback { get; set; } = "";
}

/// <summary>A font file of the brand's own, stored once by its SHA-256 like logo files.</summary>
internal sealed class OwnFont
{
    public string Family { get; set; } = "";

    /// <summary>400 (regular) or 700 (bold).</summary>
    public int Weight { get; set; } = 400;
    public string Sha256 { get; set; } = "";
}

/// <summary>A logo of the charter; the file itself is stored once, by its SHA-256, in the logos table.</summary>
internal sealed class LogoFile
{
    /// <summary>"primary", "monochrome", "icon"…</summary>
    public string Name { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public string ContentType { get; set; } = "";
    public int? Width { get; set; }
    public int? Height { get; set; }
}

internal sealed class ImageFormat
{
    public string Network { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>Written "4:5".</summary>
    public string AspectRatio { get; set; } = "1:1";
    public int MinWidth { get; set; }
    public int MinHeight { get; set; }
}
