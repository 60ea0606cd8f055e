namespace CmPortal.Modules.Publishing.Networks.Bluesky;

/// <summary>
/// AT Protocol timestamp identifiers (TIDs), the record keys of posts: 64 bits — a zero top bit, 53 bits of
/// microseconds since the Unix epoch and a 10-bit clock id — written as 13 characters of the sortable base32
/// alphabet <c>234567abcdefghijklmnopqrstuvwxyz</c> (atproto spec "Record Key Type: tid").
/// The portal chooses the TID of a delivery once; part <c>i</c> of a thread uses the TID <c>i</c> microseconds
/// later, so every attempt writes each part at the same key and a second write collides instead of duplicating.
/// </summary>
internal static class Tid
{
    public const int Length = 13;
    private const string Alphabet = "234567abcdefghijklmnopqrstuvwxyz";
    private const int ClockIdBits = 10;
    private const long MaxMicroseconds = (1L << 53) - 1;

    /// <summary>A TID for an instant, with a random clock id (so two portals choosing at the same microsecond differ).</summary>
    public static string New(DateTime utcNow) =>
        FromParts(MicrosecondsOf(utcNow), Random.Shared.Next(1 << ClockIdBits));

    public static string FromParts(long microseconds, int clockId)
    {
        if (microseconds < 0 || microseconds > MaxMicroseconds) throw new ArgumentOutOfRangeException(nameof(microseconds));
        if (clockId < 0 || clockId >= 1 << ClockIdBits) throw new ArgumentOutOfRangeException(nameof(clockId));
        return Encode((microseconds << ClockIdBits) | (uint)clockId);
    }

    /// <summary>The record key of part <paramref name="index"/> of a delivery: the delivery's TID moved on by that many microseconds.</summary>
    public static string ForPart(string deliveryKey, int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index));
        var value = Decode(deliveryKey);
        return FromParts((value >> ClockIdBits) + index, (int)(value & ((1 << ClockIdBits) - 1)));
    }

    public static bool IsValid(string? text)
    {
        if (text is null || text.Length != Length) return false;
        // The first character carries the top bit, which must be zero: only the first 16 letters of the alphabet.
        if (Alphabet.IndexOf(text[0], StringComparison.Ordinal) is < 0 or >= 16) return false;
        return text.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
    }

    public static long MicrosecondsOf(DateTime utc) =>
        (utc.ToUniversalTime() - DateTime.UnixEpoch).Ticks / (TimeSpan.TicksPerMillisecond / 1000);

    private static string Encode(long value)
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }

    private static long Decode(string tid)
    {
        if (!IsValid(tid)) throw new FormatException($"\"{tid}\" is not a TID.");
        long value = 0;
        foreach (var c in tid) value = (value << 5) | (long)Alphabet.IndexOf(c, StringComparison.Ordinal);
        return value;
    }
}
