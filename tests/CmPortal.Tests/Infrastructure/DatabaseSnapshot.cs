using System.Data.Common;
using System.Globalization;
using System.Text;
using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

/// <summary>
/// "Nothing was stored" made checkable: the content of every table of every portal DbContext
/// (<see cref="TakeAsync"/>, compared row by row), or just their row counts (<see cref="CountsAsync"/>).
/// </summary>
public sealed class DatabaseSnapshot
{
    private DatabaseSnapshot(SortedDictionary<string, List<string>> tables) => Tables = tables;

    /// <summary>Table → its rows, each written as <c>column=value|…</c> (columns in name order), rows sorted.</summary>
    public SortedDictionary<string, List<string>> Tables { get; }

    public static async Task<SortedDictionary<string, long>> CountsAsync(PortalHost host) =>
        await InEachTableAsync(host, new SortedDictionary<string, long>(StringComparer.Ordinal), async (connection, table, counts) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync());
        });

    /// <summary>Every row of every table of the portal's contexts, as it is now.</summary>
    public static async Task<DatabaseSnapshot> TakeAsync(PortalHost host) =>
        new(await InEachTableAsync(host, new SortedDictionary<string, List<string>>(StringComparer.Ordinal), async (connection, table, tables) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            var columns = Enumerable.Range(0, reader.FieldCount).OrderBy(reader.GetName, StringComparer.Ordinal).ToList();
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add(string.Join("|", columns.Select(i => $"{reader.GetName(i)}={Text(reader.GetValue(i))}")));
            rows.Sort(StringComparer.Ordinal);
            tables[table] = rows;
        }));

    /// <summary>Null when both snapshots hold the same rows; otherwise which rows of which tables differ.</summary>
    public string? DifferenceFrom(DatabaseSnapshot before)
    {
        var report = new StringBuilder();
        foreach (var table in before.Tables.Keys.Union(Tables.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.Tables.GetValueOrDefault(table) ?? [];
            var now = Tables.GetValueOrDefault(table) ?? [];
            var removed = Minus(old, now);
            var added = Minus(now, old);
            if (removed.Count == 0 && added.Count == 0) continue;
            report.AppendLine($"{table}:");
            foreach (var row in removed.Take(5)) report.AppendLine($"  - {row}");
            foreach (var row in added.Take(5)) report.AppendLine($"  + {row}");
        }
        return report.Length == 0 ? null : report.ToString();
    }

    /// <summary>Rows of <paramref name="a"/> not matched by a row of <paramref name="b"/> (counting duplicates).</summary>
    private static List<string> Minus(List<string> a, List<string> b)
    {
        var left = b.GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var row in a)
        {
            if (left.TryGetValue(row, out var n) && n > 0) left[row] = n - 1;
            else result.Add(row);
        }
        return result;
    }

    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static Task<T> InEachTableAsync<T>(PortalHost host, T result, Func<DbConnection, string, T, Task> read) =>
        host.InScopeAsync(async services =>
        {
            foreach (var registration in services.GetServices<PortalDbContextRegistration>())
            {
                var context = (DbContext)services.GetRequiredService(registration.ContextType);
                var connection = context.Database.GetDbConnection();
                if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
                foreach (var table in context.Model.GetEntityTypes().Select(e => e.GetTableName()!).Distinct())
                    await read(connection, table, result);
            }
            return result;
        });
}
