using CmPortal.Core.Themes;

namespace CmPortal.Modules.BrandIdentity.Fonts;

/// <summary>
/// An open font the portal ships (from npm's <c>@fontsource</c> packages, pinned in package.json): the build copies
/// its latin and latin-ext WOFF2 files for <see cref="Weights"/> and its licence into <c>wwwroot/lib/fonts/{Id}/</c>.
/// </summary>
internal sealed record CatalogueFont(string Id, string Family, string Category, string Fallback, int[] Weights)
{
    public const string License = "SIL Open Font License 1.1";

    public string LicenseUrl => $"{FontCatalogue.Root}/{Id}/LICENSE";

    /// <summary>One face per weight and subset; the browser downloads a subset only when the page uses its characters.</summary>
    public IEnumerable<FontFace> Faces(IEnumerable<int>? weights = null) =>
        from weight in weights ?? Weights
        where Weights.Contains(weight)
        from subset in FontCatalogue.Subsets
        select new FontFace(Family, $"{FontCatalogue.Root}/{Id}/files/{Id}-{subset.Name}-{weight}-normal.woff2", weight, subset.UnicodeRange);
}

/// <summary>The open fonts a graphic charter can choose from, by id ("playfair-display"), for headings and body text.</summary>
internal static class FontCatalogue
{
    public const string Root = "/_content/CmPortal.Modules.BrandIdentity/lib/fonts";

    /// <summary>The subsets shipped, with the ranges @fontsource gives them (its unicode.json).</summary>
    public static readonly (string Name, string UnicodeRange)[] Subsets =
    [
        ("latin", "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"),
        ("latin-ext", "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF"),
    ];

    private static readonly int[] RegularAndBold = [400, 700];

    /// <summary>Category names are English keys, translated where shown ("Category: serif").</summary>
    public static readonly IReadOnlyList<CatalogueFont> All =
    [
        new("inter", "Inter", "sans-serif", "system-ui, sans-serif", RegularAndBold),
        new("roboto", "Roboto", "sans-serif", "Arial, sans-serif", RegularAndBold),
        new("open-sans", "Open Sans", "sans-serif", "Arial, sans-serif", RegularAndBold),
        new("lato", "Lato", "sans-serif", "Arial, sans-serif", RegularAndBold),
        new("montserrat", "Montserrat", "sans-serif", "Arial, sans-serif", RegularAndBold),
        new("poppins", "Poppins", "sans-serif", "Arial, sans-serif", RegularAndBold),
        new("source-sans-3", "Source Sans 3", "sans-serif", "Arial, sans-serif", RegularAndBold),
        new("raleway", "Raleway", "sans-serif", "Arial, sans-serif", RegularAndBold),
        new("merriweather", "Merriweather", "serif", "Georgia, serif", RegularAndBold),
        new("playfair-display", "Playfair Display", "serif", "Georgia, serif", RegularAndBold),
        new("lora", "Lora", "serif", "Georgia, serif", RegularAndBold),
        new("bebas-neue", "Bebas Neue", "display", "Impact, sans-serif", [400]),
        new("jetbrains-mono", "JetBrains Mono", "monospace", "ui-monospace, monospace", RegularAndBold),
    ];

    public static CatalogueFont? Find(string? id) => All.FirstOrDefault(f => f.Id == id);

    public static CatalogueFont? ForFamily(string? family) =>
        All.FirstOrDefault(f => string.Equals(f.Family, family?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string Ids => string.Join(", ", All.Select(f => f.Id));
}
