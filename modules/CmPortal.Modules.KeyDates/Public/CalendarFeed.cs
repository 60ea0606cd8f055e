using CmPortal.Core.Caching;
using CmPortal.Core.Calendars;
using CmPortal.Core.Localization;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Modules.KeyDates.KeyDates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using NodaTime;

namespace CmPortal.Modules.KeyDates.Public;

/// <summary>
/// <c>GET /{workspace}/key-dates.ics</c>: the public key dates as an iCalendar feed (RFC 5545)
/// that a team subscribes to from Outlook, Google or Apple calendars.
/// </summary>
internal static class CalendarFeed
{
    public static void Map(IEndpointRouteBuilder site) =>
        site.MapGet("/key-dates.ics", async (KeyDateService keyDates, WorkspaceContext workspace, IStringLocalizer<KeyDatesModule> T, CancellationToken ct) =>
        {
            var dates = await keyDates.ListPublicAsync(ct);
            // The pipeline has set the workspace's culture for public addresses: categories in the brand's language.
            return Results.Text(Write(workspace.Required, dates, c => T.Declared(c.ToString())), "text/calendar; charset=utf-8");
        }).WithName("KeyDates.Feed").CacheOutput(PublicPageCache.Policy);

    /// <summary>The feed of <paramref name="dates"/>: titles and public descriptions only, never the internal notes.</summary>
    public static string Write(Workspace workspace, IEnumerable<KeyDate> dates, Func<KeyDateCategory, string>? categoryName = null)
    {
        categoryName ??= c => c.ToString();
        var events = dates.Select(date => CalendarEvent.ForDays($"{date.Slug}@{workspace.Key}.cmportal", date.Title,
                LocalDate.FromDateOnly(date.Start), LocalDate.FromDateOnly(date.End)) with
            {
                Description = date.PublicDescription,
                RecurrenceRule = date.RecursYearly ? "FREQ=YEARLY" : null,
                Categories = [categoryName(date.Category)],
                Transparent = true,
            });
        return ICalendarWriter.Write(new CalendarHeader("-//CmPortal//Key dates//FR", workspace.Name, workspace.TimeZone),
            events, SystemClock.Instance.GetCurrentInstant());
    }
}
