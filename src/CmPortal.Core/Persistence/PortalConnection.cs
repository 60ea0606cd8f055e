using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CmPortal.Core.Persistence;

/// <summary>
/// The one database connection of a scope, shared by every module's DbContext, so
/// that work spanning modules (a recipe) commits or rolls back as one transaction.
/// </summary>
public sealed class PortalConnection(DatabaseOptions options) : IAsyncDisposable
{
    private DbConnection? _connection;
    private readonly List<DbContext> _contexts = [];

    public DbConnection Connection => _connection ??= options.CreateConnection();

    public DbTransaction? Transaction { get; private set; }

    /// <summary>
    /// The transaction open on the connection: the scope's own, or one a DbContext of the scope began itself
    /// (<c>db.Database.BeginTransactionAsync()</c>); null when none is. Module events join it.
    /// </summary>
    internal DbTransaction? CurrentTransaction =>
        Transaction ?? _contexts.Select(c => c.Database.CurrentTransaction?.GetDbTransaction()).FirstOrDefault(t => t is not null);

    internal void Enlist(DbContext context)
    {
        _contexts.Add(context);
        if (Transaction is not null) context.Database.UseTransaction(Transaction);
    }

    /// <summary>Starts the scope's transaction; every DbContext of the scope, present or future, joins it.</summary>
    public async Task BeginTransactionAsync(CancellationToken ct)
    {
        if (Transaction is not null) throw new InvalidOperationException("A transaction is already open in this scope.");
        if (Connection.State != System.Data.ConnectionState.Open) await Connection.OpenAsync(ct);
        Transaction = await Connection.BeginTransactionAsync(ct);
        foreach (var context in _contexts) context.Database.UseTransaction(Transaction);
    }

    public Task CommitAsync(CancellationToken ct) => EndAsync(tx => tx.CommitAsync(ct));

    public Task RollbackAsync() => EndAsync(tx => tx.RollbackAsync());

    private async Task EndAsync(Func<DbTransaction, Task> end)
    {
        var transaction = Transaction ?? throw new InvalidOperationException("No transaction is open in this scope.");
        try { await end(transaction); }
        finally
        {
            Transaction = null;
            foreach (var context in _contexts)
            {
                context.Database.UseTransaction(null);
                context.ChangeTracker.Clear();
            }
            await transaction.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Transaction is not null) await Transaction.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
