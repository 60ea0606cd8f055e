using Npgsql;

namespace CmPortal.Tests.Infrastructure;

public enum Provider { Sqlite, Postgres }

/// <summary>
/// PostgreSQL for the tests: the server named by CMPORTAL_TEST_POSTGRES (test.sh starts a
/// throwaway one). Each test host gets a database of its own.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "CMPORTAL_TEST_POSTGRES";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. Run the tests with ./test.sh, which starts a throwaway PostgreSQL, " +
                $"or set {Variable}=\"Host=127.0.0.1;Port=5432;Username=postgres;Password=...\".");

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "cmportal_test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = true }.ToString();
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
