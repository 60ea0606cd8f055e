using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.BrandIdentity.Data;

internal enum BrandDocument { EditorialLine, GraphicCharter }

/// <summary>
/// One saved state of the editorial line or the graphic charter. The latest is the current one;
/// restoring an earlier one adds a new revision with its content. Revisions are never changed.
/// </summary>
internal sealed class BrandRevision : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public BrandDocument Document { get; set; }
    public int Number { get; set; }
    public DateTime CreatedUtc { get; set; }

    /// <summary>What <see cref="Author"/> says for a revision a recipe saved.</summary>
    public const string RecipeAuthor = "Recipe";

    /// <summary>Who saved it: a user's e-mail, or <see cref="RecipeAuthor"/>.</summary>
    public string Author { get; set; } = "";

    /// <summary>The fields that changed, one path per line (e.g. "pillars[1].share").</summary>
    public string Changes { get; set; } = "";
    public int? RestoredFrom { get; set; }

    /// <summary>The whole document as JSON.</summary>
    public string Content { get; set; } = "";
}

/// <summary>
/// A logo file (PNG, SVG) or a font file of the brand's own (WOFF2), told apart by its content type; stored once per
/// workspace by its SHA-256 and never changed: revisions refer to it.
/// </summary>
internal sealed class BrandLogo : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public string Sha256 { get; set; } = "";
    public string ContentType { get; set; } = "";
    public byte[] Content { get; set; } = [];
    public DateTime CreatedUtc { get; set; }
}

internal sealed class BrandIdentityDbContext(DbContextOptions<BrandIdentityDbContext> options, PortalDbContextDependencies dependencies)
    : ModuleDbContext(options, dependencies)
{
    public DbSet<BrandRevision> Revisions => Set<BrandRevision>();
    public DbSet<BrandLogo> Logos => Set<BrandLogo>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BrandRevision>(b =>
        {
            b.ToTable("BrandIdentity_Revisions");
            b.Property(r => r.Document).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.Author).HasMaxLength(256);
            b.Property(r => r.Changes).HasMaxLength(8000);
            b.HasIndex(r => new { r.WorkspaceId, r.Document, r.Number }).IsUnique();
        });
        modelBuilder.Entity<BrandLogo>(b =>
        {
            b.ToTable("BrandIdentity_Logos");
            b.Property(l => l.Sha256).HasMaxLength(64);
            b.Property(l => l.ContentType).HasMaxLength(40);
            b.HasIndex(l => new { l.WorkspaceId, l.Sha256 }).IsUnique();
        });
        base.OnModelCreating(modelBuilder);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (ChangeTracker.Entries().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("Brand revisions and logos are never changed or deleted: save a new revision instead.");
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}
