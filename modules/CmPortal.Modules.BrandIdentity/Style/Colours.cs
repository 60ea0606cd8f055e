using System.Globalization;
using System.Text.RegularExpressions;

namespace CmPortal.Modules.BrandIdentity.Style;

/// <summary>sRGB colours written <c>#rrggbb</c>, and their WCAG 2.1 contrast.</summary>
internal static partial class Colours
{
    /// <summary>WCAG 2.1 AA for normal text (success criterion 1.4.3).</summary>
    public const double AaContrast = 4.5;

    [GeneratedRegex("^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")]
    private static partial Regex HexPattern();

    /// <summary>Lowercase <c>#rrggbb</c>, or null when the value is not a hex colour.</summary>
    public static string? Normalize(string? value)
    {
        value = value?.Trim();
        if (value is null || !HexPattern().IsMatch(value)) return null;
        if (value.Length == 4) value = $"#{value[1]}{value[1]}{value[2]}{value[2]}{value[3]}{value[3]}";
        return value.ToLowerInvariant();
    }

    public static (int R, int G, int B) Rgb(string hex) => (
        int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber),
        int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber),
        int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber));

    public static double Luminance(string hex)
    {
        var (r, g, b) = Rgb(hex);
        static double Channel(int c)
        {
            var s = c / 255.0;
            return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(r) + 0.7152 * Channel(g) + 0.0722 * Channel(b);
    }

    public static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    public static bool PassesAa(string foreground, string background) => Contrast(foreground, background) >= AaContrast;

    /// <summary>
    /// The foreground itself when it is readable on the background; otherwise the same hue
    /// darkened (on a light background) or lightened (on a dark one) just enough to pass AA.
    /// </summary>
    public static string Readable(string foreground, string background)
    {
        if (PassesAa(foreground, background)) return foreground;
        var towards = Contrast("#000000", background) >= Contrast("#ffffff", background) ? (0, 0, 0) : (255, 255, 255);
        var (r, g, b) = Rgb(foreground);
        for (var step = 1; step <= 20; step++)
        {
            var t = step / 20.0;
            var mixed = Hex(Mix(r, towards.Item1, t), Mix(g, towards.Item2, t), Mix(b, towards.Item3, t));
            if (PassesAa(mixed, background)) return mixed;
        }
        return Hex(towards.Item1, towards.Item2, towards.Item3);
    }

    private static int Mix(int from, int to, double t) => (int)Math.Round(from + (to - from) * t);

    private static string Hex(int r, int g, int b) => $"#{r:x2}{g:x2}{b:x2}";
}
