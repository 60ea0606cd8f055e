using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace CmPortal.Core.Persistence;

/// <summary>
/// Statements written by hand where EF's change tracker costs more than the write itself (hot paths measured in
/// <c>bench/</c>): a command on the context's connection, inside its current transaction, and parameters holding the
/// values EF would write. Never user data in the text: values go in parameters.
/// </summary>
public static class RawCommands
{
    public static bool IsPostgres(this DatabaseFacade database) => database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;

    /// <summary>A command on the context's open connection, enlisted in its current transaction.</summary>
    public static DbCommand RawCommand(this DbContext db, string text)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = text;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    public static DbParameter Bind(this DbCommand command, string name, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A Guid as the provider stores it: EF Core's SQLite provider writes its upper-case text.</summary>
    public static object GuidValue(this DatabaseFacade database, Guid id) => database.IsPostgres() ? id : id.ToString().ToUpperInvariant();
}
