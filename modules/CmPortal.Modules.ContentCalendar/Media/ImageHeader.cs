using System.Buffers.Binary;
using System.Text;

namespace CmPortal.Modules.ContentCalendar.Media;

/// <summary>What the first bytes of a file say it is.</summary>
internal enum ImageKind { NotAnImage, Svg, Jpeg, Png, Gif, WebP }

/// <summary>An image recognised by its bytes: its type and its size in pixels.</summary>
internal sealed record ImageProbe(ImageKind Kind, int Width, int Height)
{
    public string ContentType => Kind switch
    {
        ImageKind.Jpeg => "image/jpeg",
        ImageKind.Png => "image/png",
        ImageKind.Gif => "image/gif",
        ImageKind.WebP => "image/webp",
        ImageKind.Svg => "image/svg+xml",
        _ => "application/octet-stream",
    };
}

/// <summary>
/// Reads an image's type and pixel size from its header bytes — PNG IHDR, JPEG SOF, GIF logical screen, WebP
/// VP8/VP8L/VP8X — never from its name. No image library ships with the portal, and decoding a whole image to learn
/// its size would be a needless risk on untrusted uploads: only the header is read, bounds-checked.
/// </summary>
internal static class ImageHeader
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The image <paramref name="bytes"/> hold; <see cref="ImageKind.NotAnImage"/> (size 0) when the header is not one we read, or is cut short.</summary>
    public static ImageProbe Read(ReadOnlySpan<byte> bytes)
    {
        var probe = bytes.StartsWith(PngSignature) ? Png(bytes)
            : bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF ? Jpeg(bytes)
            : bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8) ? Gif(bytes)
            : bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? WebP(bytes)
            : LooksLikeSvg(bytes) ? new ImageProbe(ImageKind.Svg, 0, 0)
            : null;
        return probe is { Kind: ImageKind.Svg } or { Width: > 0, Height: > 0 } ? probe : new ImageProbe(ImageKind.NotAnImage, 0, 0);
    }

    private static ImageProbe? Png(ReadOnlySpan<byte> b)
    {
        // Signature, then the IHDR chunk first: length (4), "IHDR", width and height (big-endian).
        if (b.Length < 24 || !b[12..16].SequenceEqual("IHDR"u8)) return null;
        var width = BinaryPrimitives.ReadUInt32BigEndian(b[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(b[20..]);
        return width is 0 or > int.MaxValue || height is 0 or > int.MaxValue ? null : new ImageProbe(ImageKind.Png, (int)width, (int)height);
    }

    private static ImageProbe? Gif(ReadOnlySpan<byte> b) =>
        b.Length < 10 ? null : new ImageProbe(ImageKind.Gif, BinaryPrimitives.ReadUInt16LittleEndian(b[6..]), BinaryPrimitives.ReadUInt16LittleEndian(b[8..]));

    private static ImageProbe? Jpeg(ReadOnlySpan<byte> b)
    {
        // Walk the segments after SOI until a start-of-frame, which holds height then width (big-endian).
        var i = 2;
        while (i + 4 <= b.Length)
        {
            if (b[i] != 0xFF) return null;
            var marker = b[i + 1];
            if (marker == 0xFF) { i++; continue; } // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; } // no length
            if (marker is 0xD9 or 0xDA) return null; // end of image or scan data before any frame header
            var length = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
            if (length < 2) return null;
            var isFrame = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isFrame)
            {
                if (i + 9 > b.Length || length < 7) return null;
                var height = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 7)..]);
                return new ImageProbe(ImageKind.Jpeg, width, height);
            }
            i += 2 + length;
        }
        return null;
    }

    private static ImageProbe? WebP(ReadOnlySpan<byte> b)
    {
        if (b.Length < 30) return null;
        var chunk = b[12..16];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height (little-endian).
            if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A) return null;
            return new ImageProbe(ImageKind.WebP, BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
        }
        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Lossless: signature 0x2F, then 14 bits of width − 1 and 14 bits of height − 1.
            if (b[20] != 0x2F) return null;
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return new ImageProbe(ImageKind.WebP, (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Extended: flags and reserved (4 bytes), then 24-bit canvas width − 1 and height − 1.
            return new ImageProbe(ImageKind.WebP, Read24(b[24..]) + 1, Read24(b[27..]) + 1);
        }
        return null;
    }

    private static int Read24(ReadOnlySpan<byte> b) => b[0] | b[1] << 8 | b[2] << 16;

    /// <summary>An SVG drawing: XML text whose first element is &lt;svg&gt; (after a BOM, a declaration, comments or a doctype).</summary>
    private static bool LooksLikeSvg(ReadOnlySpan<byte> b)
    {
        var head = Encoding.UTF8.GetString(b[..Math.Min(b.Length, 4096)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (!head.StartsWith('<')) return false;
        return head.Contains("<svg", StringComparison.OrdinalIgnoreCase);
    }
}
