using System.Data.Common;
using System.Globalization;
using System.Text;
using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

/// <summary>
/// "Nothing was stored" made checkable: the content of every table of every portal DbContext
/// (<see cref="ContentAsync"/>, compared row by row), or just their row counts (<see cref="CountsAsync"/>).
/// </summary>
public static class DatabaseSnapshot
{
    public static async Task<SortedDictionary<string, long>> CountsAsync(PortalHost host) =>
        await InEachTableAsync(host, new SortedDictionary<string, long>(StringComparer.Ordinal), async (connection, table, counts) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync());
        });

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

    /// <summary>
    /// Every row of every table of every portal DbContext, as text: "nothing was stored" and "nothing changed"
    /// made checkable by content, so an edited or replaced row shows, not only an added or removed one.
    /// </summary>
    public static async Task<DatabaseContent> ContentAsync(PortalHost host) =>
        new(await InEachTableAsync(host, new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal), async (connection, table, tables) =>
        {
            // The public-page cache's version counter moves whenever pages may have changed (a recipe applied again,
            // even to the same content): bookkeeping of a cache, not data a user stored.
            if (table == "Core_PublicPageVersions") return;
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            // Columns in name order, so that both providers write a row the same way.
            var columns = Enumerable.Range(0, reader.FieldCount).OrderBy(reader.GetName, StringComparer.Ordinal).ToList();
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add(string.Join(" | ", columns.Select(i => $"{reader.GetName(i)}={DatabaseContent.Text(reader.IsDBNull(i) ? null : reader.GetValue(i))}")));
            rows.Sort(StringComparer.Ordinal);
            tables[table] = rows;
        }));

    /// <summary>Fails with the rows that appeared, disappeared or changed since <paramref name="before"/>, table by table.</summary>
    public static async Task AssertUnchangedAsync(PortalHost host, DatabaseContent before)
    {
        var differences = before.DifferencesFrom(await ContentAsync(host));
        if (differences.Length > 0) throw new Xunit.Sdk.XunitException("The database changed:" + Environment.NewLine + differences);
    }
}

/// <summary>The rows of each table as text, sorted; see <see cref="DatabaseSnapshot.ContentAsync"/>.</summary>
public sealed class DatabaseContent(SortedDictionary<string, IReadOnlyList<string>> tables)
{
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tables => tables;

    /// <summary>"" when <paramref name="after"/> holds the same rows; else, per table, the rows only before (-) and only after (+).</summary>
    public string DifferencesFrom(DatabaseContent after)
    {
        var report = new System.Text.StringBuilder();
        foreach (var table in tables.Keys.Union(after.Tables.Keys).Order(StringComparer.Ordinal))
        {
            var old = tables.GetValueOrDefault(table) ?? [];
            var now = after.Tables.GetValueOrDefault(table) ?? [];
            var gone = Without(old, now);
            var added = Without(now, old);
            if (gone.Count == 0 && added.Count == 0) continue;
            report.AppendLine($"{table}:");
            foreach (var row in gone) report.AppendLine("  - " + Shorten(row));
            foreach (var row in added) report.AppendLine("  + " + Shorten(row));
        }
        return report.ToString();
    }

    internal static string Text(object? value) => value switch
    {
        null => "NULL",
        byte[] bytes => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)),
        DateTime time => time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The rows of <paramref name="rows"/> not matched one for one in <paramref name="other"/>.</summary>
    private static List<string> Without(IReadOnlyList<string> rows, IReadOnlyList<string> other)
    {
        var left = other.GroupBy(r => r, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var row in rows)
            if (left.TryGetValue(row, out var count) && count > 0) left[row] = count - 1;
            else result.Add(row);
        return result;
    }

    private static string Shorten(string row) => row.Length <= 400 ? row : row[..400] + "…";
}
