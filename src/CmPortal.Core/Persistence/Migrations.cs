using CmPortal.Core.Modules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var database = services.GetRequiredService<DatabaseOptions>();
        database.Prepare();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PortalMigrations));
        foreach (var registration in Ordered(services))
        {
            await using var scope = services.CreateAsyncScope();
            var context = (DbContext)scope.ServiceProvider.GetRequiredService(registration.ContextType);
            var pending = (await context.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count == 0) continue;
            logger.LogInformation("Applying {Count} migration(s) of {Context}: {Migrations}", pending.Count, registration.ContextType.Name, pending);
            await context.Database.MigrateAsync(ct);
        }
    }
}
