using CmPortal.Core.Modules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Persistence;

/// <summary>Applies every context's migrations at start: the engine's first, then modules' in dependency order.</summary>
public static class PortalMigrations
{
    public static IReadOnlyList<PortalDbContextRegistration> Ordered(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<ModuleCatalog>();
        var order = catalog.Modules.Select(m => m.Id).ToList();
        return services.GetServices<PortalDbContextRegistration>()
            .OrderBy(r => r.TablePrefix == CoreDbContext.Prefix ? -1 : order.IndexOf(r.TablePrefix))
            .ToList();
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        services.GetRequiredService<DatabaseOptions>().Prepare();
        foreach (var registration in Ordered(services))
        {
            await using var scope = services.CreateAsyncScope();
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(registration.ContextType);
            // On a fresh database EF first reads a history table that is not there and logs that as an
            // error (dotnet/efcore#37328); creating it first, with EF's own idempotent script, avoids the noise.
            await context.Database.ExecuteSqlRawAsync(context.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
            // EF logs each migration it applies (category Microsoft.EntityFrameworkCore.Migrations).
            await context.Database.MigrateAsync(ct);
        }
    }
}
