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
    public DbSet<Crisis.WorkspaceCrisis> Crises => Set<Crisis.WorkspaceCrisis>();
    public DbSet<Crisis.CrisisProcedure> CrisisProcedures => Set<Crisis.CrisisProcedure>();
    public DbSet<Sources.Stored.ListeningSource> Sources => Set<Sources.Stored.ListeningSource>(); // inbox-sources
    // Saved replies and moderation by the charter (inbox-answers, docs/inbox-answers.md).
    public DbSet<Answers.SavedReply> SavedReplies => Set<Answers.SavedReply>();
    public DbSet<Answers.ReplyNote> ReplyNotes => Set<Answers.ReplyNote>();
    public DbSet<Answers.SentReply> SentReplies => Set<Answers.SentReply>(); // inbox-replies (docs/inbox-answers.md)
    public DbSet<Moderation.ModerationDecision> ModerationDecisions => Set<Moderation.ModerationDecision>();
    public DbSet<Moderation.HiddenMention> HiddenMentions => Set<Moderation.HiddenMention>();
    public DbSet<Moderation.ModerationSettings> ModerationSettings => Set<Moderation.ModerationSettings>();
    public DbSet<Import.IngestHook> IngestHooks => Set<Import.IngestHook>();
    public DbSet<Import.IngestHookDelivery> IngestHookDeliveries => Set<Import.IngestHookDelivery>();
    // Listening queries and their tags (inbox-listening, docs/inbox-listening.md).
    public DbSet<Listening.ListeningQuery> ListeningQueries => Set<Listening.ListeningQuery>();
    public DbSet<Listening.MentionQueryTag> MentionQueryTags => Set<Listening.MentionQueryTag>();
    public DbSet<Listening.ListeningSettings> ListeningSettings => Set<Listening.ListeningSettings>();
    public DbSet<SavedSearches.SavedSearch> SavedSearches => Set<SavedSearches.SavedSearch>(); // inbox-triage
    public DbSet<Automation.AutomationRule> Rules => Set<Automation.AutomationRule>(); // inbox-rules, docs/inbox-rules.md

    public bool IsPostgres => Database.IsPostgres();

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
        modelBuilder.ApplyConfiguration<Crisis.WorkspaceCrisis>(new Crisis.CrisisConfiguration());
        modelBuilder.ApplyConfiguration<Crisis.CrisisProcedure>(new Crisis.CrisisConfiguration());
        modelBuilder.ApplyConfiguration(new Sources.Stored.ListeningSourceConfiguration()); // inbox-sources
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(InboxDbContext).Assembly, t => t.Namespace is "CmPortal.Modules.Inbox.Answers" or "CmPortal.Modules.Inbox.Moderation"); // inbox-answers
        modelBuilder.ApplyConfiguration(new Import.IngestHookConfiguration()).ApplyConfiguration(new Import.IngestHookDeliveryConfiguration());
        modelBuilder.ApplyConfiguration(new Listening.ListeningQueryConfiguration()).ApplyConfiguration(new Listening.MentionQueryTagConfiguration()).ApplyConfiguration(new Listening.ListeningSettingsConfiguration());
        modelBuilder.ApplyConfiguration(new SavedSearches.SavedSearchConfiguration()); // inbox-triage
        modelBuilder.ApplyConfiguration(new Automation.AutomationRuleConfiguration()); // inbox-rules
        base.OnModelCreating(modelBuilder);
    }
}
