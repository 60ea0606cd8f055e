using CmPortal.Core.Persistence;
using CmPortal.Modules.Blog.Articles;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Blog.Data;

internal sealed class BlogDbContext(DbContextOptions<BlogDbContext> options, PortalDbContextDependencies dependencies)
    : ModuleDbContext(options, dependencies)
{
    public DbSet<Article> Articles => Set<Article>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Article>(b =>
        {
            b.ToTable("Blog_Articles");
            b.Property(a => a.Slug).HasMaxLength(ArticleRules.MaxSlug);
            b.Property(a => a.Title).HasMaxLength(ArticleRules.MaxTitle);
            b.Property(a => a.Summary).HasMaxLength(ArticleRules.MaxSummary);
            b.Property(a => a.BodyMarkdown).HasMaxLength(ArticleRules.MaxBody);
            b.Property(a => a.CoverAlt).HasMaxLength(ArticleRules.MaxAlt);
            b.Property(a => a.AuthorName).HasMaxLength(ArticleRules.MaxAuthor);
            b.Property(a => a.Tags).HasMaxLength(ArticleRules.MaxTags);
            b.Property(a => a.State).HasConversion<string>().HasMaxLength(20);
            b.Property(a => a.Version).IsConcurrencyToken();
            b.Property(a => a.DeliveryKey).HasMaxLength(ArticleRules.MaxDeliveryKey);
            b.HasIndex(a => new { a.WorkspaceId, a.Slug }).IsUnique();
            b.HasIndex(a => new { a.WorkspaceId, a.DeliveryKey }).IsUnique();
            b.HasIndex(a => new { a.WorkspaceId, a.State, a.PublishedUtc });
        });
        base.OnModelCreating(modelBuilder);
    }
}
