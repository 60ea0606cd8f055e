using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Data;

internal sealed class PublishingDbContext(DbContextOptions<PublishingDbContext> options, PortalDbContextDependencies dependencies)
    : ModuleDbContext(options, dependencies)
{
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<DeliveryAttempt> Attempts => Set<DeliveryAttempt>();
    public DbSet<Crisis.PromotionHold> PromotionHolds => Set<Crisis.PromotionHold>();
    public DbSet<Reply> Replies => Set<Reply>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Channel>(b =>
        {
            b.ToTable("Publishing_Channels");
            b.Property(c => c.Kind).HasMaxLength(30);
            b.Property(c => c.Name).HasMaxLength(100);
            b.Property(c => c.AccountName).HasMaxLength(200);
            b.Property(c => c.AccountUrl).HasMaxLength(2000);
            b.Property(c => c.SettingsJson).HasMaxLength(8000);
            b.Property(c => c.ProtectedSecret).HasMaxLength(8000);
            b.Property(c => c.LimitsJson).HasMaxLength(4000);
            b.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
            b.Property(c => c.Version).IsConcurrencyToken();
            b.HasIndex(c => c.WorkspaceId);
        });
        modelBuilder.Entity<Delivery>(b =>
        {
            b.ToTable("Publishing_Deliveries");
            b.Property(d => d.Network).HasMaxLength(30);
            b.Property(d => d.State).HasConversion<string>().HasMaxLength(20);
            b.Property(d => d.DeliveryKey).HasMaxLength(100);
            b.Property(d => d.LeaseOwner).HasMaxLength(100);
            b.Property(d => d.SentPartsJson).HasMaxLength(8000);
            b.Property(d => d.RemoteId).HasMaxLength(500);
            b.Property(d => d.RemoteUrl).HasMaxLength(2000);
            b.Property(d => d.LastError).HasMaxLength(2000);
            b.Property(d => d.CanceledReason).HasMaxLength(500);
            b.Property(d => d.Version).IsConcurrencyToken();
            b.HasIndex(d => new { d.ChannelId, d.PostId, d.OccurrenceUtc }).IsUnique();
            b.HasIndex(d => new { d.State, d.DueUtc }); // the dispatcher's claim, across workspaces
            b.HasIndex(d => new { d.WorkspaceId, d.PostId, d.State, d.OccurrenceUtc }); // "is the occurrence done?" from the index
            b.HasIndex(d => d.ReplyId);
            b.HasOne<Channel>().WithMany().HasForeignKey(d => d.ChannelId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<Reply>(b =>
        {
            b.ToTable("Publishing_Replies");
            b.Property(r => r.Text).HasMaxLength(5000);
            b.Property(r => r.InReplyToId).HasMaxLength(500);
            b.Property(r => r.InReplyToUrl).HasMaxLength(2000);
            b.Property(r => r.ReadFromInstance).HasMaxLength(500);
            b.Property(r => r.RequestKey).HasMaxLength(100);
            b.HasIndex(r => new { r.WorkspaceId, r.RequestKey }).IsUnique();
        });
        modelBuilder.Entity<Crisis.PromotionHold>(b =>
        {
            b.ToTable("Publishing_PromotionHolds");
            b.HasKey(h => h.WorkspaceId);
            b.Property(h => h.WorkspaceId).ValueGeneratedNever(); // the workspace stamps it, EF must not make up a Guid
            b.Property(h => h.Reason).HasMaxLength(500);
        });
        modelBuilder.Entity<DeliveryAttempt>(b =>
        {
            b.ToTable("Publishing_DeliveryAttempts");
            b.Property(a => a.Outcome).HasMaxLength(30);
            b.Property(a => a.Message).HasMaxLength(2000);
            b.HasIndex(a => a.DeliveryId);
            b.HasOne<Delivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });
        base.OnModelCreating(modelBuilder);
    }
}
