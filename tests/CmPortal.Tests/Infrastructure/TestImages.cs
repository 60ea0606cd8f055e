using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CmPortal.Tests.Infrastructure;

/// <summary>Small image files built byte by byte, as their formats define them (no image library in the tests either).</summary>
public static class TestImages
{
    /// <summary>A complete, valid PNG of one colour that browsers display.</summary>
    public static byte[] Png(int width, int height, byte red = 0xE0, byte green = 0x9F, byte blue = 0x3E)
    {
        using var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (var x = 0; x < width; x++) { raw.WriteByte(red); raw.WriteByte(green); raw.WriteByte(blue); }
        }
        return Png(width, height, raw);
    }

    /// <summary>A valid PNG of random pixels: it does not compress, so it weighs about width × height × 3 bytes, as a photo would.</summary>
    public static byte[] Photo(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        using var raw = new MemoryStream();
        var row = new byte[width * 3];
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            random.NextBytes(row);
            raw.Write(row);
        }
        return Png(width, height, raw);
    }

    private static byte[] Png(int width, int height, MemoryStream raw)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(z);

        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; ihdr[9] = 2; // 8 bits, truecolour
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A JPEG's start: SOI, an APP0 (JFIF) segment, then a baseline start-of-frame with the size.</summary>
    public static byte[] JpegHeader(int width, int height, byte frameMarker = 0xC0)
    {
        var app0 = new byte[] { 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 };
        var sof = new byte[] { 0xFF, frameMarker, 0x00, 0x11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1 };
        return [0xFF, 0xD8, .. app0, .. sof, 0xFF, 0xD9];
    }

    public static byte[] Gif(int width, int height) =>
        [.. "GIF89a"u8, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0, 0, 0, 0x3B];

    /// <summary>A lossy WebP's RIFF header and VP8 frame header.</summary>
    public static byte[] WebPLossy(int width, int height)
    {
        var b = WebPStart("VP8 ", 30);
        b[20] = 0x10; b[21] = 0x02; b[22] = 0x00; // frame tag (key frame)
        b[23] = 0x9D; b[24] = 0x01; b[25] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(26), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(28), (ushort)height);
        return b;
    }

    public static byte[] WebPLossless(int width, int height)
    {
        var b = WebPStart("VP8L", 30);
        b[20] = 0x2F;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(21), (uint)((width - 1) | (height - 1) << 14));
        return b;
    }

    public static byte[] WebPExtended(int width, int height)
    {
        var b = WebPStart("VP8X", 30);
        b[20] = 0x10; // alpha
        Write24(b, 24, width - 1);
        Write24(b, 27, height - 1);
        return b;
    }

    private static byte[] WebPStart(string chunk, int length)
    {
        var b = new byte[length];
        "RIFF"u8.CopyTo(b);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)(length - 8));
        "WEBP"u8.CopyTo(b.AsSpan(8));
        Encoding.ASCII.GetBytes(chunk).CopyTo(b, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), (uint)(length - 20));
        return b;
    }

    private static void Write24(byte[] b, int at, int value) { b[at] = (byte)value; b[at + 1] = (byte)(value >> 8); b[at + 2] = (byte)(value >> 16); }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        png.Write(length);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var d in data)
        {
            crc ^= d;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
