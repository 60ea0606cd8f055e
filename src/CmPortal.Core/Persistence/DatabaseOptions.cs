using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CmPortal.Core.Persistence;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>
/// Where the portal keeps its data. SQLite in the data folder by default;
/// PostgreSQL when <c>Database:Provider</c> is <c>Postgres</c>.
/// </summary>
public sealed class DatabaseOptions
{
    public required DatabaseProvider Provider { get; init; }
    public required string ConnectionString { get; init; }
    public required string DataDirectory { get; init; }

    public static DatabaseOptions FromConfiguration(IConfiguration configuration)
    {
        var dataDirectory = Path.GetFullPath(configuration["DataDir"] is { Length: > 0 } dir ? dir : "data");
        var providerName = configuration["Database:Provider"] ?? nameof(DatabaseProvider.Sqlite);
        if (!Enum.TryParse<DatabaseProvider>(providerName, ignoreCase: true, out var provider))
            throw new InvalidOperationException(
                $"Database:Provider is \"{providerName}\". Use \"Sqlite\" (the default) or \"Postgres\".");
        var connectionString = configuration["Database:ConnectionString"];
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "Database:Provider is Postgres but Database:ConnectionString is empty. Set it, e.g. Database__ConnectionString=\"Host=localhost;Database=cmportal;Username=cmportal;Password=...\".");
        if (provider == DatabaseProvider.Sqlite)
        {
            connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(dataDirectory, "cmportal.db"),
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
        }
        return new DatabaseOptions { Provider = provider, ConnectionString = connectionString!, DataDirectory = dataDirectory };
    }

    public DbConnection CreateConnection() => Provider switch
    {
        DatabaseProvider.Sqlite => SqliteWaitingForWriters(new SqliteConnection(ConnectionString)),
        _ => new NpgsqlConnection(ConnectionString),
    };

    /// <summary>
    /// A writer that finds the file locked by another writer waits inside SQLite (which retries within a
    /// millisecond or a few) rather than in Microsoft.Data.Sqlite's own retry loop, which sleeps 150 ms a time:
    /// with many concurrent writers (the outbox sends in parallel) those sleeps were most of a delivery's time.
    /// <c>synchronous = NORMAL</c>: in write-ahead logging a commit no longer waits for the disk to flush the log
    /// (it is flushed at checkpoints); a crash of the portal loses nothing, a power cut may lose the last commits
    /// but never corrupts the file (sqlite.org/pragma.html#pragma_synchronous) — an ingest batch's commit was
    /// otherwise one fsync.
    /// </summary>
    private static SqliteConnection SqliteWaitingForWriters(SqliteConnection connection)
    {
        connection.StateChange += (_, change) =>
        {
            if (change.CurrentState != System.Data.ConnectionState.Open) return;
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
            command.ExecuteNonQuery();
        };
        return connection;
    }

    internal void Configure(DbContextOptionsBuilder builder, DbConnection connection, string migrationsAssembly, string historyTable)
    {
        if (Provider == DatabaseProvider.Sqlite)
            builder.UseSqlite(connection, o => o.MigrationsAssembly(migrationsAssembly).MigrationsHistoryTable(historyTable));
        else
            builder.UseNpgsql(connection, o => o.MigrationsAssembly(migrationsAssembly).MigrationsHistoryTable(historyTable));
    }

    /// <summary>Creates the data folder and, for SQLite, switches the file to write-ahead logging.</summary>
    public void Prepare()
    {
        Directory.CreateDirectory(DataDirectory);
        if (Provider != DatabaseProvider.Sqlite) return;
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
