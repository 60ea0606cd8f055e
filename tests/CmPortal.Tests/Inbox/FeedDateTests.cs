using CmPortal.Modules.Inbox.Sources.Feeds;

namespace CmPortal.Tests.Inbox;

/// <summary>Dates as feeds really write them (RFC 822 in its many spellings, ISO 8601 with or without offset).</summary>
public sealed class FeedDateTests
{
    [Theory]
    [InlineData("Mon, 30 Nov 2026 08:14:03 GMT", "2026-11-30T08:14:03+00:00")]
    [InlineData("30 Nov 2026 08:14:03 GMT", "2026-11-30T08:14:03+00:00")] // No day name.
    [InlineData("Mon, 30 Nov 2026 08:14 +0100", "2026-11-30T08:14:00+01:00")] // No seconds.
    [InlineData("Mon, 30 Nov 2026 03:14:03 EST", "2026-11-30T03:14:03-05:00")]
    [InlineData("Tue, 1 Sep 2026 10:00:00 CEST", "2026-09-01T10:00:00+02:00")]
    [InlineData("Tue, 01 Sep 2026 10:00:00 PDT", "2026-09-01T10:00:00-07:00")]
    [InlineData("Mon, 30 Nov 2026 08:14:03 Z", "2026-11-30T08:14:03+00:00")] // Military letters.
    [InlineData("Mon, 30 Nov 2026 08:14:03 A", "2026-11-30T08:14:03+01:00")]
    [InlineData("Mon, 30 Nov 2026 08:14:03 N", "2026-11-30T08:14:03-01:00")]
    [InlineData("Mon, 30 Nov 26 08:14:03 GMT", "2026-11-30T08:14:03+00:00")] // Two-digit years.
    [InlineData("Fri, 31 Dec 99 23:59:59 +0000", "1999-12-31T23:59:59+00:00")]
    [InlineData("Monday, 30-Nov-26 08:14:03 UT", "2026-11-30T08:14:03+00:00")] // RFC 850 style.
    [InlineData("Mon, 30 November 2026 08:14:03 +05:30", "2026-11-30T08:14:03+05:30")]
    [InlineData("2026-11-30T08:14:03Z", "2026-11-30T08:14:03+00:00")]
    [InlineData("2026-11-30T08:14:03.123+01:00", "2026-11-30T08:14:03.123+01:00")]
    [InlineData("2026-11-30T08:14:03", "2026-11-30T08:14:03+00:00")] // No offset: UTC.
    [InlineData("2026-11-30", "2026-11-30T00:00:00+00:00")]
    public void Feed_dates_are_read_with_their_offset(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FeedDates.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Mon, 31 Feb 2026 08:00:00 GMT")]
    [InlineData("Mon, 30 Nov 2026 08:14:03 XYZT")]
    public void Text_that_is_no_date_gives_null_so_the_fetch_time_is_used(string text) =>
        Assert.Null(FeedDates.Parse(text));
}
