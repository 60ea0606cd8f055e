using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.ContentCalendar.Data;

internal sealed class CalendarDbContext(DbContextOptions<CalendarDbContext> options, PortalDbContextDependencies dependencies)
    : ModuleDbContext(options, dependencies)
{
    /// <summary>Names and filters of the calendar window's partial indexes (migration 20261130110100, and the snapshot).</summary>
    internal const string OneOffStartsIndex = "IX_ContentCalendar_Posts_OneOffStarts";
    internal const string OneOffFilter = "\"Recurrence\" IS NULL";
    internal const string SeriesStartsIndex = "IX_ContentCalendar_Posts_SeriesStarts";
    internal const string SeriesFilter = "\"Recurrence\" IS NOT NULL";
    internal const string VariantNetworksIndex = "IX_ContentCalendar_Variants_Networks";

    /// <summary>True on PostgreSQL (Npgsql); false on SQLite. The calendar window's plain SQL binds ids per provider.</summary>
    public bool IsPostgres => Database.IsPostgres();

    public DbSet<Post> Posts => Set<Post>();
    public DbSet<PostVariant> Variants => Set<PostVariant>();
    public DbSet<PostRevision> Revisions => Set<PostRevision>();
    public DbSet<PostComment> Comments => Set<PostComment>();
    public DbSet<MediaItem> Media => Set<MediaItem>();
    public DbSet<MediaFile> MediaFiles => Set<MediaFile>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<QueueSlot> QueueSlots => Set<QueueSlot>();
    public DbSet<CalendarSettings> Settings => Set<CalendarSettings>();
    public DbSet<FeedToken> FeedTokens => Set<FeedToken>();
    public DbSet<PreviewLink> PreviewLinks => Set<PreviewLink>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Post>(b =>
        {
            b.ToTable("ContentCalendar_Posts");
            b.Property(p => p.Slug).HasMaxLength(80);
            b.Property(p => p.Text).HasMaxLength(20000);
            b.Property(p => p.State).HasConversion<string>().HasMaxLength(20);
            b.Property(p => p.StartsLocal).HasMaxLength(16);
            b.Property(p => p.Recurrence).HasMaxLength(300);
            b.Property(p => p.SkippedDates).HasMaxLength(4000);
            b.Property(p => p.OccurrenceDate).HasMaxLength(10);
            b.Property(p => p.Pillar).HasMaxLength(100);
            b.Property(p => p.KeyDate).HasMaxLength(80);
            b.Property(p => p.Persona).HasMaxLength(100);
            b.Property(p => p.Labels).HasMaxLength(500);
            b.Property(p => p.Notes).HasMaxLength(4000);
            b.Property(p => p.Media).HasMaxLength(2000);
            b.Property(p => p.Channels).HasMaxLength(2000);
            b.Property(p => p.Networks).HasMaxLength(400);
            b.Property(p => p.Version).IsConcurrencyToken();
            b.HasMany(p => p.Variants).WithOne().HasForeignKey(v => v.PostId).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(p => new { p.WorkspaceId, p.Slug }).IsUnique();
            b.HasIndex(p => new { p.WorkspaceId, p.StartsUtc });
            b.HasIndex(p => new { p.WorkspaceId, p.State });
            b.HasIndex(p => p.SeriesId);
            // The calendar window reads one-off posts by a tight range of their start, and recurring series apart,
            // each through its own partial index (Calendar/CalendarWindow.cs); the quoted filter is valid on SQLite and PostgreSQL.
            b.HasIndex(p => new { p.WorkspaceId, p.StartsUtc }, OneOffStartsIndex).HasFilter(OneOffFilter);
            b.HasIndex(p => new { p.WorkspaceId, p.StartsUtc, p.EndsUtc }, SeriesStartsIndex).HasFilter(SeriesFilter);
        });
        modelBuilder.Entity<PostVariant>(b =>
        {
            b.ToTable("ContentCalendar_Variants");
            // The service gives a new variant its id: EF must track one found on an existing post as added, not as a row to update.
            b.Property(v => v.Id).ValueGeneratedNever();
            b.Property(v => v.Network).HasMaxLength(30);
            b.Property(v => v.Text).HasMaxLength(20000);
            b.Property(v => v.Link).HasMaxLength(2000);
            b.Property(v => v.Media).HasMaxLength(2000);
            b.Property(v => v.AcknowledgedWarnings).HasMaxLength(4000);
            b.Property(v => v.Thread); // unbounded text: up to PostThread.MaxParts parts of PostRules.MaxText each
            b.HasIndex(v => new { v.PostId, v.Network }).IsUnique();
            // Covers the calendar window's join: a post's networks in order are read from the index alone (migration 20261130130100).
            b.HasIndex(v => new { v.PostId, v.WorkspaceId, v.Position, v.Network }, VariantNetworksIndex);
        });
        modelBuilder.Entity<PostRevision>(b =>
        {
            b.ToTable("ContentCalendar_Revisions");
            b.Property(r => r.Author).HasMaxLength(256);
            b.HasIndex(r => new { r.PostId, r.Version });
        });
        modelBuilder.Entity<PostComment>(b =>
        {
            b.ToTable("ContentCalendar_Comments");
            b.Property(c => c.Author).HasMaxLength(256);
            b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
            b.Property(c => c.Text).HasMaxLength(4000);
            b.HasIndex(c => new { c.PostId, c.CreatedUtc });
        });
        modelBuilder.Entity<MediaItem>(b =>
        {
            b.ToTable("ContentCalendar_Media");
            b.Property(m => m.FileName).HasMaxLength(255);
            b.Property(m => m.ContentType).HasMaxLength(50);
            b.Property(m => m.Sha256).HasMaxLength(64);
            b.Property(m => m.AltText).HasMaxLength(1500);
            b.HasIndex(m => new { m.WorkspaceId, m.CreatedUtc });
        });
        modelBuilder.Entity<MediaFile>(b => b.ToTable("ContentCalendar_MediaFiles"));
        modelBuilder.Entity<Campaign>(b =>
        {
            b.ToTable("ContentCalendar_Campaigns");
            b.Property(c => c.Slug).HasMaxLength(80);
            b.Property(c => c.Name).HasMaxLength(150);
            b.Property(c => c.Objective).HasMaxLength(2000);
            b.Property(c => c.Persona).HasMaxLength(100);
            b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
            b.Property(c => c.Colour).HasMaxLength(7);
            b.Property(c => c.KpiTargets).HasMaxLength(4000);
            b.Property(c => c.Notes).HasMaxLength(4000);
            b.Property(c => c.Version).IsConcurrencyToken();
            b.HasIndex(c => new { c.WorkspaceId, c.Slug }).IsUnique();
        });
        modelBuilder.Entity<QueueSlot>(b =>
        {
            b.ToTable("ContentCalendar_QueueSlots");
            b.Property(s => s.Network).HasMaxLength(30);
            b.Property(s => s.Time).HasMaxLength(5);
            b.HasIndex(s => new { s.WorkspaceId, s.Network, s.Weekday, s.Time }).IsUnique();
        });
        modelBuilder.Entity<CalendarSettings>(b =>
        {
            b.ToTable("ContentCalendar_Settings");
            b.Property(s => s.Approval).HasConversion<string>().HasMaxLength(20);
            b.HasIndex(s => s.WorkspaceId).IsUnique();
        });
        modelBuilder.Entity<FeedToken>(b =>
        {
            b.ToTable("ContentCalendar_FeedTokens");
            b.Property(t => t.Sha256).HasMaxLength(64);
            b.HasIndex(t => t.Sha256).IsUnique();
            b.HasIndex(t => new { t.WorkspaceId, t.UserId });
        });
        modelBuilder.Entity<PreviewLink>(b =>
        {
            b.ToTable("ContentCalendar_PreviewLinks");
            b.Property(l => l.Sha256).HasMaxLength(64);
            b.Property(l => l.WeekOf).HasMaxLength(10);
            b.HasIndex(l => l.Sha256).IsUnique();
        });
        base.OnModelCreating(modelBuilder);
    }
}
