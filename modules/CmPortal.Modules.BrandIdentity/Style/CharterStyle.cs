using CmPortal.Core.Themes;
using CmPortal.Modules.BrandIdentity.Documents;

namespace CmPortal.Modules.BrandIdentity.Style;

/// <summary>A pair of colours the site uses for text, its contrast, and what the site shows instead when it fails AA.</summary>
internal sealed record ContrastCheck(string Use, string Foreground, string Background, double Ratio, string ShownForeground, double ShownRatio)
{
    public bool Passes => Ratio >= Colours.AaContrast;
}

/// <summary>Turns a graphic charter into the style the site theme applies, keeping every text pair AA readable.</summary>
internal static class CharterStyle
{
    /// <summary>The text pairs the brand site theme paints, checked against WCAG 2.1 AA. Null when the palette lacks a required role.</summary>
    public static IReadOnlyList<ContrastCheck>? Contrasts(GraphicCharter charter)
    {
        if (Colours.Normalize(charter.Colour(ColourRole.Primary)) is not { } primary ||
            Colours.Normalize(charter.Colour(ColourRole.Background)) is not { } background ||
            Colours.Normalize(charter.Colour(ColourRole.Text)) is not { } text)
            return null;
        var onPrimary = OnPrimary(primary, background, text);
        return
        [
            Check("Body text on the background", text, background),
            Check("Links on the background", primary, background),
            Check("Header text on the primary colour", onPrimary, primary),
        ];
    }

    /// <summary>The site's style from the charter, with failing pairs replaced by their accessible fallback.</summary>
    public static BrandStyle Apply(GraphicCharter charter, string? logoUrl, string? introduction)
    {
        var fallback = BrandStyle.Default;
        var checks = Contrasts(charter);
        var heading = charter.Typography.Heading;
        var body = charter.Typography.Body;
        return new BrandStyle(
            Primary: checks?[1].Foreground ?? fallback.Primary,
            OnPrimary: checks?[2].ShownForeground ?? fallback.OnPrimary,
            Accent: Colours.Normalize(charter.Colour(ColourRole.Accent)) ?? checks?[1].ShownForeground ?? fallback.Accent,
            Background: checks?[0].Background ?? fallback.Background,
            Text: checks?[0].ShownForeground ?? fallback.Text,
            HeadingFont: FontStacks.CheckFamily("", heading.Family) is null && FontStacks.CheckFallback("", heading.Fallback) is null
                ? FontStacks.Css(heading.Family, heading.Fallback) : fallback.HeadingFont,
            BodyFont: FontStacks.CheckFamily("", body.Family) is null && FontStacks.CheckFallback("", body.Fallback) is null
                ? FontStacks.Css(body.Family, body.Fallback) : fallback.BodyFont,
            LogoUrl: logoUrl) { Link = checks?[1].ShownForeground, Introduction = introduction };
    }

    /// <summary>Header text on the primary colour: the charter's background colour if readable there, else its text colour.</summary>
    private static string OnPrimary(string primary, string background, string text) =>
        Colours.Contrast(background, primary) >= Colours.Contrast(text, primary) ? background : text;

    private static ContrastCheck Check(string use, string foreground, string background)
    {
        var shown = Colours.Readable(foreground, background);
        return new(use, foreground, background, Colours.Contrast(foreground, background), shown, Colours.Contrast(shown, background));
    }
}
