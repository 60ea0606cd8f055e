using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Modules.KeyDates.Jobs;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CmPortal.Tests.Integration;

public sealed class KeyDatesJobTests
{
    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }

    private static Task<Dictionary<string, (DateOnly Start, DateOnly End)>> RunAtAsync(PortalHost host, Instant now) => host.InScopeAsync(async services =>
    {
        var workspace = await services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Key == "maison-lumen");
        services.GetRequiredService<WorkspaceContext>().Set(workspace);
        var db = services.GetRequiredService<KeyDatesDbContext>();
        await new RollOverYearlyKeyDatesJob(db, services.GetRequiredService<CmPortal.Core.Caching.IPublicPageCache>(), new FixedClock(now), NullLogger<RollOverYearlyKeyDatesJob>.Instance).RunAsync(workspace, default);
        return await db.KeyDates.AsNoTracking().ToDictionaryAsync(k => k.Slug, k => (k.Start, k.End));
    });

    [Fact]
    public async Task Yearly_key_dates_roll_to_their_next_year_once_over_in_the_workspace_time_zone()
    {
        await using var host = await PortalHost.StartSetUpAsync();

        // 25 December 2027, 23:30 UTC: still Christmas in UTC, already the 26th in Paris.
        var dates = await RunAtAsync(host, Instant.FromUtc(2027, 12, 25, 23, 30));
        Assert.Equal(new DateOnly(2028, 12, 25), dates["noel"].Start);
        Assert.Equal(new DateOnly(2028, 2, 14), dates["saint-valentin"].Start);
        // One-off dates stay where they were, even when past.
        Assert.Equal(new DateOnly(2027, 5, 30), dates["fete-des-meres"].Start);

        // Two years later, a date that was missed twice lands on its next occurrence, not the year after the last.
        dates = await RunAtAsync(host, Instant.FromUtc(2030, 3, 1, 12, 0));
        Assert.Equal(new DateOnly(2031, 2, 14), dates["saint-valentin"].Start);
        Assert.Equal(new DateOnly(2030, 5, 20), dates["journee-mondiale-abeilles"].Start);
    }
}
