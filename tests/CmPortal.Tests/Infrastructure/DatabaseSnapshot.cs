using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

/// <summary>Row counts of every table of every portal DbContext: "nothing was stored" made checkable.</summary>
public static class DatabaseSnapshot
{
    public static async Task<SortedDictionary<string, long>> CountsAsync(PortalHost host) =>
        await host.InScopeAsync(async services =>
        {
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var registration in services.GetServices<PortalDbContextRegistration>())
            {
                var context = (DbContext)services.GetRequiredService(registration.ContextType);
                var connection = context.Database.GetDbConnection();
                if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
                foreach (var table in context.Model.GetEntityTypes().Select(e => e.GetTableName()!).Distinct())
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                    counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync());
                }
            }
            return counts;
        });
}
