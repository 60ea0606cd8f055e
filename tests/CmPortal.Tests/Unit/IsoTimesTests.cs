using CmPortal.Modules.ContentCalendar.Calendar;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Tests.Unit;

/// <summary>
/// The calendar writes its starts without NodaTime's patterns (a month holds thousands); what a script reads must stay
/// exactly what the patterns write, in every zone a brand may work in, on both sides of each clock change.
/// </summary>
public sealed class IsoTimesTests
{
    private static readonly OffsetDateTimePattern WithOffset =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    [Theory]
    [InlineData("Europe/Paris")]
    [InlineData("America/New_York")]
    [InlineData("America/St_Johns")]     // −03:30 / −02:30
    [InlineData("Asia/Kolkata")]         // +05:30
    [InlineData("Asia/Kathmandu")]       // +05:45
    [InlineData("Pacific/Chatham")]      // +12:45 / +13:45
    [InlineData("Pacific/Kiritimati")]   // +14:00
    [InlineData("Etc/UTC")]
    public void Starts_and_instants_read_as_nodatimes_patterns_write_them_across_two_years_of_clock_changes(string zoneId)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        Span<char> buffer = stackalloc char[IsoTimes.WithOffsetLength];
        // Every 37 minutes and 13 seconds for two years: each hour and minute, on both sides of each change.
        for (var instant = Instant.FromUtc(2026, 1, 1, 0, 0); instant < Instant.FromUtc(2028, 1, 1, 0, 0); instant += Duration.FromSeconds(37 * 60 + 13))
        {
            var zoned = instant.InZone(zone);
            var expected = WithOffset.Format(zoned.ToOffsetDateTime());
            Assert.Equal(expected, IsoTimes.WithOffset(zoned.LocalDateTime, zoned.Offset));
            Assert.True(IsoTimes.TryWriteWithOffset(buffer, zoned.LocalDateTime, zoned.Offset));
            Assert.Equal(expected, buffer.ToString());
            Assert.True(IsoTimes.TryWriteUtc(buffer, instant));
            Assert.Equal(InstantPattern.General.Format(instant), buffer[..IsoTimes.UtcLength].ToString());
        }
    }

    [Fact]
    public void An_offset_with_seconds_and_the_first_and_last_years_are_written_as_nodatime_does()
    {
        // Paris kept its local mean time, +00:09:21, until 1891: the pattern drops the seconds, and so does the calendar.
        var paris = Instant.FromUtc(1890, 6, 1, 12, 0).InZone(DateTimeZoneProviders.Tzdb["Europe/Paris"]);
        Assert.NotEqual(0, paris.Offset.Seconds % 60);
        Assert.Equal(WithOffset.Format(paris.ToOffsetDateTime()), IsoTimes.WithOffset(paris.LocalDateTime, paris.Offset));
        Span<char> buffer = stackalloc char[IsoTimes.WithOffsetLength];
        Assert.False(IsoTimes.TryWriteWithOffset(buffer, paris.LocalDateTime, paris.Offset));

        foreach (var local in new[] { new LocalDateTime(1, 1, 1, 0, 0, 0), new LocalDateTime(9999, 12, 31, 23, 59, 59), new LocalDateTime(987, 6, 5, 4, 3, 2) })
            Assert.Equal(WithOffset.Format(new OffsetDateTime(local, Offset.FromHours(-11))), IsoTimes.WithOffset(local, Offset.FromHours(-11)));
    }
}
