using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.KeyDates.Data;

internal sealed class KeyDatesDbContext(DbContextOptions<KeyDatesDbContext> options, PortalDbContextDependencies dependencies)
    : ModuleDbContext(options, dependencies)
{
    public DbSet<KeyDate> KeyDates => Set<KeyDate>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<KeyDate>(b =>
        {
            b.ToTable("KeyDates_KeyDates");
            b.Property(k => k.Slug).HasMaxLength(80);
            b.Property(k => k.Title).HasMaxLength(150);
            b.Property(k => k.PublicDescription).HasMaxLength(2000);
            b.Property(k => k.Notes).HasMaxLength(2000);
            b.Property(k => k.Category).HasConversion<string>().HasMaxLength(20);
            b.HasIndex(k => new { k.WorkspaceId, k.Slug }).IsUnique();
            b.HasIndex(k => new { k.WorkspaceId, k.Start });
        });
        base.OnModelCreating(modelBuilder);
    }
}
