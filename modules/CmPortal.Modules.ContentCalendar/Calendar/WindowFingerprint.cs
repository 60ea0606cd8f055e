using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CmPortal.Modules.ContentCalendar.Calendar;

/// <summary>
/// SHA-256 of a window's inputs, gathered into one pooled buffer and hashed once: a month is about 1,300 posts of a dozen
/// columns, and hashing each column apart cost more than the hash itself. Texts go in with their length first (-1: null)
/// and Guids with a presence byte, so that no two different lists of values give the same bytes.
/// </summary>
internal sealed class WindowFingerprint : IDisposable
{
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int length;

    public void Add(long value) => BinaryPrimitives.WriteInt64LittleEndian(Space(sizeof(long)), value);

    public void Add(Guid? value)
    {
        var span = Space(17);
        span[0] = value is null ? (byte)0 : (byte)1;
        (value ?? Guid.Empty).TryWriteBytes(span[1..]);
    }

    public void Add(string? text)
    {
        Add(text?.Length ?? -1);
        if (text is null) return;
        var bytes = MemoryMarshal.AsBytes(text.AsSpan());
        bytes.CopyTo(Space(bytes.Length));
    }

    /// <summary>The hash of everything added, in hexadecimal (64 characters).</summary>
    public string Finish() => Convert.ToHexString(SHA256.HashData(buffer.AsSpan(0, length)));

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private Span<byte> Space(int size)
    {
        if (length + size > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + size));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
        var span = buffer.AsSpan(length, size);
        length += size;
        return span;
    }
}
