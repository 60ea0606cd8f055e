using System.Buffers.Binary;
using CmPortal.Core.Validation;
using CmPortal.Modules.BrandIdentity.Documents;

namespace CmPortal.Modules.BrandIdentity.Fonts;

/// <summary>
/// Checks the brand's own font files: WOFF2 only (the one format every current browser reads, and compressed),
/// 1 MB at most. A file is recognised by its header, never by its name or the type the browser sent.
/// </summary>
internal static class FontFiles
{
    public const int MaxBytes = 1024 * 1024;
    public const string Woff2 = "font/woff2";
    public static readonly int[] Weights = [400, 700];

    /// <summary>Null when the file is a WOFF2 font within the limit, else what is wrong.</summary>
    public static Problem? Check(string field, byte[] content)
    {
        if (content.Length == 0) return new Problem(field, "The file is empty.");
        if (content.Length > MaxBytes)
            return new Problem(field, "The font file weighs {0} KB; a font may weigh {1} KB at most. Keep only the characters you need (a latin subset) and export it again.",
                content.Length / 1024, MaxBytes / 1024);
        // WOFF2 header: signature "wOF2", flavour (4 bytes), then the file's total length (big-endian).
        if (content.Length < 48 || !content.AsSpan(0, 4).SequenceEqual("wOF2"u8))
            return new Problem(field, "The file is not a WOFF2 font. Convert the font to WOFF2 (e.g. with woff2_compress) and give that file.");
        if (BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(8, 4)) != content.Length)
            return new Problem(field, "The WOFF2 file is damaged (its length does not match its header). Export it again.");
        return null;
    }
}
