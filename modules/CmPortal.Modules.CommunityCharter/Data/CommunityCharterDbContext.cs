using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.CommunityCharter.Data;

internal sealed class CommunityCharterDbContext(DbContextOptions<CommunityCharterDbContext> options, PortalDbContextDependencies dependencies)
    : ModuleDbContext(options, dependencies)
{
    public DbSet<CharterDraft> Drafts => Set<CharterDraft>();
    public DbSet<CharterVersion> Versions => Set<CharterVersion>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CharterDraft>(b =>
        {
            b.ToTable("CommunityCharter_Drafts");
            b.Property(d => d.UpdatedBy).HasMaxLength(200);
            b.HasIndex(d => d.WorkspaceId).IsUnique();
        });
        modelBuilder.Entity<CharterVersion>(b =>
        {
            b.ToTable("CommunityCharter_Versions");
            b.Property(v => v.PublishedBy).HasMaxLength(200);
            b.Property(v => v.ChangeNote).HasMaxLength(CharterRules.ChangeNoteMaxLength);
            b.HasIndex(v => new { v.WorkspaceId, v.Number }).IsUnique();
        });
        base.OnModelCreating(modelBuilder);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseChangesToPublishedVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseChangesToPublishedVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>A published version is a public record that moderation decisions point to: it is only ever added.</summary>
    private void RefuseChangesToPublishedVersions()
    {
        foreach (var entry in ChangeTracker.Entries<CharterVersion>())
            if (entry.State is EntityState.Modified or EntityState.Deleted)
                throw new InvalidOperationException(
                    $"Version {entry.Entity.Number} of the community charter is published and cannot be changed or deleted. Publish a new version instead.");
    }
}
