using System.Globalization;
using System.Text;
using CmPortal.Core.Caching;
using CmPortal.Core.Localization;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.KeyDates.Public;

/// <summary>
/// <c>GET /{workspace}/key-dates.ics</c>: the public key dates as an iCalendar feed (RFC 5545)
/// that a team subscribes to from Outlook, Google or Apple calendars.
/// </summary>
internal static class CalendarFeed
{
    public static void Map(IEndpointRouteBuilder site) =>
        site.MapGet("/key-dates.ics", async (KeyDatesDbContext db, WorkspaceContext workspace, IStringLocalizer<KeyDatesModule> T, CancellationToken ct) =>
        {
            var dates = await db.KeyDates.AsNoTracking().Where(k => k.IsPublic).OrderBy(k => k.Start).ToListAsync(ct);
            // The pipeline has set the workspace's culture for public addresses: categories in the brand's language.
            return Results.Text(Write(workspace.Required, dates, c => T.Declared(c.ToString())), "text/calendar; charset=utf-8");
        }).WithName("KeyDates.Feed").CacheOutput(PublicPageCache.Policy);

    /// <summary>The feed of <paramref name="dates"/>: titles and public descriptions only, never the internal notes.</summary>
    public static string Write(Workspace workspace, IEnumerable<KeyDate> dates, Func<KeyDateCategory, string>? categoryName = null)
    {
        categoryName ??= c => c.ToString();
        var ics = new StringBuilder();
        void Line(string text) => ics.Append(Fold(text)).Append("\r\n");
        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//CmPortal//Key dates//FR");
        Line("CALSCALE:GREGORIAN");
        Line($"X-WR-CALNAME:{Escape(workspace.Name)}");
        Line($"X-WR-TIMEZONE:{workspace.TimeZone}");
        foreach (var date in dates)
        {
            Line("BEGIN:VEVENT");
            Line($"UID:{date.Slug}@{workspace.Key}.cmportal");
            Line($"DTSTAMP:{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}");
            Line($"DTSTART;VALUE=DATE:{date.Start.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");
            // DTEND of an all-day event is exclusive.
            Line($"DTEND;VALUE=DATE:{date.End.AddDays(1).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");
            if (date.RecursYearly) Line("RRULE:FREQ=YEARLY");
            Line($"SUMMARY:{Escape(date.Title)}");
            if (!string.IsNullOrWhiteSpace(date.PublicDescription)) Line($"DESCRIPTION:{Escape(date.PublicDescription)}");
            Line($"CATEGORIES:{Escape(categoryName(date.Category))}");
            Line("TRANSP:TRANSPARENT");
            Line("END:VEVENT");
        }
        Line("END:VCALENDAR");
        return ics.ToString();
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace(";", "\\;").Replace(",", "\\,").Replace("\r\n", "\\n").Replace("\n", "\\n").Replace("\r", "\\n");

    /// <summary>Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1), never inside a UTF-8 sequence.</summary>
    private static string Fold(string line)
    {
        if (Encoding.UTF8.GetByteCount(line) <= 75) return line;
        var folded = new StringBuilder();
        var octets = 0;
        var limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                folded.Append("\r\n ");
                octets = 0;
                limit = 74; // the leading space counts
            }
            folded.Append(rune.ToString());
            octets += size;
        }
        return folded.ToString();
    }
}
