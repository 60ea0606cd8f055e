using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Data;

/// <summary>
/// The inbox's tables. Besides what EF maps, the migration creates a full-text index EF does not know about
/// (SQLite: the FTS5 table <c>Inbox_MentionsSearch</c> and its triggers; PostgreSQL: the generated column
/// <c>SearchVector</c> and its GIN index), used by <see cref="Search.MentionSearch"/> through SQL.
/// </summary>
internal sealed class InboxDbContext(DbContextOptions<InboxDbContext> options, PortalDbContextDependencies dependencies)
    : ModuleDbContext(options, dependencies)
{
    public DbSet<Mention> Mentions => Set<Mention>();
    // Listening queries and their tags (inbox-listening, docs/inbox-listening.md).
    public DbSet<Listening.ListeningQuery> ListeningQueries => Set<Listening.ListeningQuery>();
    public DbSet<Listening.MentionQueryTag> MentionQueryTags => Set<Listening.MentionQueryTag>();
    public DbSet<Listening.ListeningSettings> ListeningSettings => Set<Listening.ListeningSettings>();

    public bool IsPostgres => Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Mention>(b =>
        {
            b.ToTable("Inbox_Mentions");
            b.Property(m => m.Id).ValueGeneratedOnAdd();
            b.Property(m => m.SourceKind).HasMaxLength(20);
            b.Property(m => m.SourceName).HasMaxLength(100);
            b.Property(m => m.ExternalId).HasMaxLength(300);
            b.Property(m => m.Url).HasMaxLength(2000);
            b.Property(m => m.CanonicalUrl).HasMaxLength(2000);
            b.Property(m => m.Title).HasMaxLength(500);
            b.Property(m => m.Text).HasMaxLength(10000);
            b.Property(m => m.Author).HasMaxLength(200);
            b.Property(m => m.AuthorHandle).HasMaxLength(200);
            b.Property(m => m.Language).HasMaxLength(10);
            b.Property(m => m.Sentiment).HasMaxLength(10);
            b.Property(m => m.AssigneeNote).HasMaxLength(1000);
            b.Property(m => m.Labels).HasMaxLength(500);
            b.Property(m => m.Version).IsConcurrencyToken();
            b.HasIndex(m => new { m.WorkspaceId, m.SourceKind, m.ExternalId }).IsUnique();
            b.HasIndex(m => new { m.WorkspaceId, m.CanonicalUrl });
            b.HasIndex(m => new { m.WorkspaceId, m.PublishedUtc, m.Id });
            b.HasIndex(m => new { m.WorkspaceId, m.TextHash });
            b.HasIndex(m => new { m.WorkspaceId, m.Status });
        });
        modelBuilder.ApplyConfiguration(new Listening.ListeningQueryConfiguration()).ApplyConfiguration(new Listening.MentionQueryTagConfiguration()).ApplyConfiguration(new Listening.ListeningSettingsConfiguration());
        base.OnModelCreating(modelBuilder);
    }
}
