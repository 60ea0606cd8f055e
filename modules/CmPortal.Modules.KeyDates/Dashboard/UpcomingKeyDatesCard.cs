using CmPortal.Core.Admin;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Contracts;

namespace CmPortal.Modules.KeyDates.Dashboard;

/// <summary>The next key dates, so that content is planned around them in time.</summary>
internal sealed class UpcomingKeyDatesCard(IKeyDateCalendar calendar, NodaTime.IClock clock) : IDashboardCardSource
{
    public const int DaysAhead = 45;

    public async Task<DashboardCard?> CardAsync(Workspace workspace, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(workspace.LocalTime(clock.GetCurrentInstant().ToDateTimeUtc()));
        var upcoming = (await calendar.BetweenAsync(today, today.AddDays(DaysAhead), ct)).OrderBy(o => o.Start).Take(4).ToList();
        IReadOnlyList<DashboardLine> lines = upcoming.Count == 0
            ? [new DashboardLine("No key date in the next {0} days.", DaysAhead)]
            : upcoming.Select(o => new DashboardLine("{0}: {1}", o.Start, o.Title)).ToList();
        return new DashboardCard("Upcoming key dates", "calendar-event", lines,
            LinkPath: "key-dates", LinkText: "See the key dates", LinkPermission: KeyDatesPermissions.View.Name, Order: 200);
    }
}
