using System.Linq.Expressions;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CmPortal.Core.Persistence;

/// <summary>What every portal DbContext receives: the shared connection and the current workspace.</summary>
public sealed class PortalDbContextDependencies(PortalConnection connection, WorkspaceContext workspace)
{
    public PortalConnection Connection { get; } = connection;
    public WorkspaceContext Workspace { get; } = workspace;
}

/// <summary>Base of every DbContext: joins the scope's connection and stores times as UTC.</summary>
public abstract class PortalDbContext : DbContext
{
    protected PortalDbContext(DbContextOptions options, PortalDbContextDependencies dependencies) : base(options)
    {
        Dependencies = dependencies;
        dependencies.Connection.Enlist(this);
    }

    protected PortalDbContextDependencies Dependencies { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        builder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        builder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime()) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

/// <summary>
/// Base of a module's DbContext. Every entity that is <see cref="IWorkspaceOwned"/> is
/// filtered to the current workspace on read and stamped with it on write; writing a
/// row of another workspace throws.
/// </summary>
public abstract class ModuleDbContext(DbContextOptions options, PortalDbContextDependencies dependencies)
    : PortalDbContext(options, dependencies)
{
    /// <summary>Read by the query filters at query time; <see cref="Guid.Empty"/> (no rows) outside a workspace.</summary>
    public Guid CurrentWorkspaceId => Dependencies.Workspace.Current?.Id ?? Guid.Empty;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => typeof(IWorkspaceOwned).IsAssignableFrom(e.ClrType)))
        {
            var row = Expression.Parameter(entity.ClrType, "row");
            var filter = Expression.Lambda(
                Expression.Equal(
                    Expression.Property(row, nameof(IWorkspaceOwned.WorkspaceId)),
                    Expression.Property(Expression.Constant(this), nameof(CurrentWorkspaceId))),
                row);
            modelBuilder.Entity(entity.ClrType).HasQueryFilter(filter);
        }
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampWorkspace();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampWorkspace();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void StampWorkspace()
    {
        foreach (var entry in ChangeTracker.Entries<IWorkspaceOwned>())
        {
            if (entry.State == EntityState.Unchanged || entry.State == EntityState.Detached) continue;
            var current = Dependencies.Workspace.Current?.Id
                ?? throw new InvalidOperationException($"{entry.Entity.GetType().Name} cannot be saved outside a workspace.");
            if (entry.State == EntityState.Added && entry.Entity.WorkspaceId == Guid.Empty)
                entry.Entity.WorkspaceId = current;
            else if (entry.Entity.WorkspaceId != current)
                throw new InvalidOperationException(
                    $"{entry.Entity.GetType().Name} belongs to another workspace and cannot be written from this one.");
        }
    }
}
