using CmPortal.Core.Caching;
using CmPortal.Core.Jobs;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CmPortal.Modules.KeyDates.Jobs;

/// <summary>
/// Once a yearly key date is over (in the workspace's time zone), moves it to its next year,
/// so that lists sorted by date and the calendar feed show what comes next.
/// </summary>
internal sealed class RollOverYearlyKeyDatesJob(KeyDatesDbContext db, IPublicPageCache pages, IClock clock, ILogger<RollOverYearlyKeyDatesJob> logger) : IWorkspaceJob
{
    public async Task RunAsync(Workspace workspace, CancellationToken ct)
    {
        var zone = WorkspaceTime.ZoneOf(workspace.TimeZone);
        var today = clock.GetCurrentInstant().InZone(zone).Date.ToDateOnly();
        var past = await db.KeyDates.Where(k => k.RecursYearly && k.End < today).ToListAsync(ct);
        foreach (var date in past) (date.Start, date.End) = YearlyOccurrence.Next(date, today);
        await db.SaveChangesAsync(ct);
        if (past.Count > 0) await pages.EvictAsync(workspace.Id, ct);
        if (past.Count > 0) logger.LogInformation("Rolled {Count} yearly key date(s) of {Workspace} forward", past.Count, workspace.Key);
    }
}
