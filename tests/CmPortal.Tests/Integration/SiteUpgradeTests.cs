using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>Upgrading a portal: nothing goes dark, nothing written for the team becomes public.</summary>
public sealed class SiteUpgradeTests
{
    /// <summary>
    /// On PostgreSQL only: going back to the previous release's schema needs the migrations' Down, and EF's SQLite
    /// provider cannot drop a column from a hand-written migration (it rebuilds tables from a target model these
    /// migrations do not carry). The upgrade's SQL is the same on both; every fresh SQLite database runs it too.
    /// </summary>
    [Fact]
    public async Task After_the_upgrade_existing_sites_stay_online_and_old_descriptions_are_internal_notes()
    {
        await using var host = await PortalHost.StartAsync(Provider.Postgres);
        await host.SetUpAsync("blank.recipe.json", new() { ["key"] = "alpha", ["name"] = "Alpha" });
        // The database as the previous release left it: one description per key date, no publishing flag. The jobs
        // (the module events' drain among them) stop first, once those running are done: they would read tables the
        // rollback takes away.
        await host.InScopeAsync(async services =>
        {
            var scheduler = await services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
            await scheduler.Shutdown(waitForJobsToComplete: true);
            var keyDates = services.GetRequiredService<KeyDatesDbContext>();
            await keyDates.GetService<IMigrator>().MigrateAsync("20261121000100_KeyDatesInitial");
            await services.GetRequiredService<CoreDbContext>().GetService<IMigrator>().MigrateAsync("20261130000100_CoreInvitations");
            var workspaceId = await services.GetRequiredService<CoreDbContext>().Database
                .SqlQueryRaw<Guid>("SELECT \"Id\" AS \"Value\" FROM \"Core_Workspaces\" WHERE \"Key\" = 'alpha'").SingleAsync();
            await keyDates.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"KeyDates_KeyDates\" (\"Id\", \"WorkspaceId\", \"Slug\", \"Title\", \"Description\", \"Start\", \"End\", \"Category\", \"RecursYearly\", \"IsPublic\") " +
                "VALUES ({0}, {1}, 'fete-des-meres', 'Fête des mères', 'Jeu-concours Instagram, newsletter dédiée', {2}, {2}, 'Seasonal', TRUE, TRUE)",
                Guid.NewGuid(), workspaceId, new DateOnly(2027, 5, 30));
        });

        // The next start applies the migrations.
        await using var upgraded = await host.RestartAsync();
        using var visitor = upgraded.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/alpha/")).StatusCode);
        var feed = await visitor.GetStringAsync("/alpha/key-dates.ics");
        Assert.Contains("SUMMARY:Fête des mères", feed);
        Assert.DoesNotContain("Jeu-concours", feed);
        Assert.Contains("\"notes\": \"Jeu-concours Instagram, newsletter dédiée\"", await upgraded.ExportAsync("alpha"));
    }
}
