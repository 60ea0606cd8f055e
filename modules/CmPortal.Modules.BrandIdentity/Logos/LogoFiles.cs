using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CmPortal.Core.Validation;
using CmPortal.Modules.BrandIdentity.Documents;

namespace CmPortal.Modules.BrandIdentity.Logos;

/// <summary>A logo file that passed the checks, with what cleaning removed from it (SVG only).</summary>
internal sealed record CheckedLogo(string ContentType, byte[] Content, int? Width, int? Height, IReadOnlyList<string> Removed);

/// <summary>
/// Checks logo files: PNG or SVG only, 512 KB at most. An SVG is parsed without DTDs and cleaned
/// of what could run or phone home when it is displayed: scripts, event handlers, foreign
/// objects, links and references outside the file, style sheets that import or load URLs.
/// </summary>
internal static class LogoFiles
{
    public const int MaxBytes = 512 * 1024;
    public const string Png = "image/png";
    public const string Svg = "image/svg+xml";

    private static readonly XNamespace SvgNs = "http://www.w3.org/2000/svg";
    private static readonly XNamespace XLinkNs = "http://www.w3.org/1999/xlink";
    private static readonly HashSet<string> ForbiddenElements =
        new(StringComparer.OrdinalIgnoreCase) { "script", "foreignObject", "iframe", "embed", "object", "audio", "video", "handler", "listener", "animate", "set" };
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The checked file, or an error (template and arguments) saying what is wrong.</summary>
    public static (CheckedLogo? Logo, Problem? Error) Check(string field, byte[] content)
    {
        if (content.Length == 0) return (null, new Problem(field, "The file is empty."));
        if (content.Length > MaxBytes)
            return (null, new Problem(field, "The file weighs {0} KB; a logo may weigh {1} KB at most. Export it smaller.", content.Length / 1024, MaxBytes / 1024));
        if (content.AsSpan().StartsWith(PngSignature)) return CheckPng(field, content);
        var text = Encoding.UTF8.GetString(content).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (text.StartsWith('<')) return CheckSvg(field, text);
        return (null, new Problem(field, "The file is neither a PNG nor an SVG image. Give the logo as PNG or SVG."));
    }

    private static (CheckedLogo?, Problem?) CheckPng(string field, byte[] content)
    {
        // The IHDR chunk comes first: length (4), "IHDR" (4), width (4), height (4).
        if (content.Length < 24 || Encoding.ASCII.GetString(content, 12, 4) != "IHDR")
            return (null, new Problem(field, "The PNG file is damaged (no image header). Export it again."));
        var width = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(16, 4));
        var height = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(20, 4));
        if (width < 16 || height < 16)
            return (null, new Problem(field, "The PNG image is {0}×{1} pixels; a logo needs at least 16×16. Export it larger.", width, height));
        return (new CheckedLogo(Png, content, width, height, []), null);
    }

    private static (CheckedLogo?, Problem?) CheckSvg(string field, string text)
    {
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBytes * 2 };
            using var reader = XmlReader.Create(new StringReader(text), settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException e) when (text.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) || text.Contains("<!ENTITY", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new Problem(field, "The SVG file starts with a DOCTYPE declaration, which a logo may not carry (it can make the file load other files). Export it again as plain SVG, without DOCTYPE (line {0}).", e.LineNumber));
        }
        catch (XmlException e)
        {
            return (null, new Problem(field, "The SVG file is not valid XML: the error is at line {0}, position {1}. Export it again from your design tool.", e.LineNumber, e.LinePosition));
        }
        var root = document.Root!;
        if (root.Name != SvgNs + "svg")
            return (null, new Problem(field, "The file is XML but not an SVG image (its root is <{0}>). Give the logo as PNG or SVG.", root.Name.LocalName));

        var removed = new List<string>();
        foreach (var element in root.DescendantsAndSelf().ToList())
        {
            if (element != root && ForbiddenElements.Contains(element.Name.LocalName))
            {
                removed.Add($"<{element.Name.LocalName}>");
                element.Remove();
                continue;
            }
            if (element.Name.LocalName == "style" && LoadsSomething(element.Value))
            {
                removed.Add("<style> with @import or url()");
                element.Remove();
                continue;
            }
            foreach (var attribute in element.Attributes().ToList())
            {
                var name = attribute.Name.LocalName;
                var value = attribute.Value.Trim();
                var why =
                    name.StartsWith("on", StringComparison.OrdinalIgnoreCase) ? $"{name}=\"…\"" :
                    name == "href" && !value.StartsWith('#') ? $"href=\"{Shorten(value)}\"" :
                    value.Contains("javascript:", StringComparison.OrdinalIgnoreCase) ? $"{name}=\"javascript:…\"" :
                    name == "style" && LoadsSomething(value) ? "style=\"url(…)\"" :
                    null;
                if (why is null) continue;
                removed.Add(why);
                attribute.Remove();
            }
        }
        foreach (var node in document.DescendantNodes().OfType<XProcessingInstruction>().ToList()) { removed.Add("<?" + node.Target + "?>"); node.Remove(); }

        var (width, height) = Size(root);
        var cleaned = Encoding.UTF8.GetBytes(document.Root!.ToString(SaveOptions.DisableFormatting));
        return (new CheckedLogo(Svg, cleaned, width, height, removed), null);
    }

    /// <summary>CSS that fetches something: @import, or url() pointing outside the file.</summary>
    private static bool LoadsSomething(string css) =>
        css.Contains("@import", StringComparison.OrdinalIgnoreCase) ||
        css.Replace(" ", "").Split("url(", StringSplitOptions.None).Skip(1).Any(rest => !rest.TrimStart('\'', '"').StartsWith('#'));

    private static (int?, int?) Size(XElement root)
    {
        static int? Number(string? value) =>
            double.TryParse(value?.Replace("px", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? (int)Math.Round(n) : null;
        var width = Number(root.Attribute("width")?.Value);
        var height = Number(root.Attribute("height")?.Value);
        if ((width is null || height is null) && root.Attribute("viewBox")?.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries) is { Length: 4 } box)
            (width, height) = (Number(box[2]), Number(box[3]));
        return (width, height);
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    public static string Extension(string contentType) => contentType == Svg ? "svg" : "png";
}
