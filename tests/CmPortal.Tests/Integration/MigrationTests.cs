using CmPortal.Core.Persistence;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Migrations are written by hand (the EF design-time package does not restore here), so these
/// tests are what keeps them honest: per context and per provider, the model must have no change
/// that no migration covers, and every table must carry its module's prefix.
/// </summary>
public sealed class MigrationTests
{
    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Every_context_model_is_covered_by_its_migrations_and_they_are_applied(Provider provider)
    {
        await using var host = await PortalHost.StartAsync(provider);
        var registrations = host.Services.GetServices<PortalDbContextRegistration>().ToList();
        Assert.Contains(registrations, r => r.TablePrefix == "Core");
        Assert.Contains(registrations, r => r.TablePrefix == "KeyDates");

        await host.InScopeAsync(async services =>
        {
            foreach (var registration in registrations)
            {
                var context = (DbContext)services.GetRequiredService(registration.ContextType);
                Assert.True(!context.Database.HasPendingModelChanges(),
                    $"{registration.ContextType.Name} on {provider} has model changes no migration covers. The next migration must contain:{Environment.NewLine}{Differences(context)}");
                Assert.Empty(await context.Database.GetPendingMigrationsAsync());
                Assert.NotEmpty(await context.Database.GetAppliedMigrationsAsync());
                foreach (var table in context.Model.GetEntityTypes().Select(e => e.GetTableName()!))
                    Assert.StartsWith(registration.TablePrefix + "_", table);
            }
        });
    }

    /// <summary>What the next migration must contain, as the SQL EF would generate for it.</summary>
    private static string Differences(DbContext context)
    {
        var snapshot = context.GetService<IMigrationsAssembly>().ModelSnapshot?.Model;
        if (snapshot is null) return "(no model snapshot)";
        var initialized = context.GetService<IModelRuntimeInitializer>().Initialize((IModel)snapshot);
        var operations = context.GetService<IMigrationsModelDiffer>()
            .GetDifferences(initialized.GetRelationalModel(), context.GetService<IDesignTimeModel>().Model.GetRelationalModel());
        return string.Join(Environment.NewLine, context.GetService<IMigrationsSqlGenerator>().Generate(operations, context.Model).Select(c => c.CommandText));
    }
}
