using NodaTime;
using NodaTime.Text;

namespace CmPortal.Modules.ContentCalendar.Calendar;

/// <summary>
/// The calendar's two ISO 8601 forms, written into a buffer: a month holds thousands of occurrences and NodaTime's
/// patterns allocate for each. The text is exactly the patterns' (tested against them): a local start with its
/// offset, "2027-03-29T09:30:00+02:00", and an instant in UTC, "2027-03-29T07:30:00Z".
/// </summary>
internal static class IsoTimes
{
    /// <summary>Characters of "uuuu-MM-ddTHH:mm:ss+HH:mm".</summary>
    public const int WithOffsetLength = 25;

    /// <summary>Characters of "uuuu-MM-ddTHH:mm:ssZ".</summary>
    public const int UtcLength = 20;

    private static readonly OffsetDateTimePattern WithOffsetPattern =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    /// <summary>The local start with its offset; an offset with seconds (local mean times of the 19th century) goes through NodaTime.</summary>
    public static string WithOffset(LocalDateTime local, Offset offset)
    {
        if (!Fits(local, offset)) return WithOffsetPattern.Format(new OffsetDateTime(local, offset));
        return string.Create(WithOffsetLength, (local, offset), static (span, state) => WriteWithOffset(span, state.local, state.offset));
    }

    /// <summary>Writes <see cref="WithOffset"/> into <paramref name="span"/> (at least 25 characters); false when it needs NodaTime's pattern.</summary>
    public static bool TryWriteWithOffset(Span<char> span, LocalDateTime local, Offset offset)
    {
        if (!Fits(local, offset)) return false;
        WriteWithOffset(span, local, offset);
        return true;
    }

    /// <summary>Writes the instant as "uuuu-MM-ddTHH:mm:ssZ" (InstantPattern.General) into <paramref name="span"/> (20 characters).</summary>
    public static bool TryWriteUtc(Span<char> span, Instant instant)
    {
        var utc = instant.InUtc().LocalDateTime;
        if (utc.Year is < 1 or > 9999) return false;
        WriteLocal(span, utc);
        span[19] = 'Z';
        return true;
    }

    private static bool Fits(LocalDateTime local, Offset offset) =>
        local.Year is >= 1 and <= 9999 && offset.Seconds % 60 == 0;

    private static void WriteWithOffset(Span<char> span, LocalDateTime local, Offset offset)
    {
        WriteLocal(span, local);
        var minutes = offset.Seconds / 60;
        span[19] = minutes < 0 ? '-' : '+';
        minutes = Math.Abs(minutes);
        Two(span[20..], minutes / 60);
        span[22] = ':';
        Two(span[23..], minutes % 60);
    }

    private static void WriteLocal(Span<char> span, LocalDateTime local)
    {
        var year = local.Year;
        span[0] = (char)('0' + year / 1000);
        span[1] = (char)('0' + year / 100 % 10);
        span[2] = (char)('0' + year / 10 % 10);
        span[3] = (char)('0' + year % 10);
        span[4] = '-';
        Two(span[5..], local.Month);
        span[7] = '-';
        Two(span[8..], local.Day);
        span[10] = 'T';
        Two(span[11..], local.Hour);
        span[13] = ':';
        Two(span[14..], local.Minute);
        span[16] = ':';
        Two(span[17..], local.Second);
    }

    private static void Two(Span<char> span, int value)
    {
        span[0] = (char)('0' + value / 10);
        span[1] = (char)('0' + value % 10);
    }
}
