using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Persistence;

/// <summary>A DbContext of the portal, with the prefix its tables and migrations history carry.</summary>
public sealed record PortalDbContextRegistration(Type ContextType, string TablePrefix)
{
    public string HistoryTable => $"{TablePrefix}_Migrations";
}

public static class PersistenceRegistration
{
    public static IServiceCollection AddPortalDbContext<TContext>(this IServiceCollection services, string tablePrefix)
        where TContext : PortalDbContext
    {
        var registration = new PortalDbContextRegistration(typeof(TContext), tablePrefix);
        services.AddSingleton(registration);
        services.AddDbContext<TContext>((provider, options) =>
        {
            var database = provider.GetRequiredService<DatabaseOptions>();
            var connection = provider.GetRequiredService<PortalConnection>();
            database.Configure(options, connection.Connection, typeof(TContext).Assembly.GetName().Name!, registration.HistoryTable);
        });
        return services;
    }
}
