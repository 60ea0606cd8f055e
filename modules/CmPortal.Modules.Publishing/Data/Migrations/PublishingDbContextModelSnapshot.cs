using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CmPortal.Modules.Publishing.Data.Migrations;

/// <summary>The model as the migrations leave it (hand-written; see docs/architecture.md, "Migrations").</summary>
[DbContext(typeof(PublishingDbContext))]
internal sealed class PublishingDbContextModelSnapshot : ModelSnapshot
{
    private const string Ns = "CmPortal.Modules.Publishing.Data";

    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        // 20261130120000_PublishingInitial
        modelBuilder.Entity($"{Ns}.Channel", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Kind").IsRequired().HasMaxLength(30);
            b.Property<string>("Name").IsRequired().HasMaxLength(100);
            b.Property<string>("AccountName").HasMaxLength(200);
            b.Property<string>("AccountUrl").HasMaxLength(2000);
            b.Property<string>("SettingsJson").IsRequired().HasMaxLength(8000);
            b.Property<string>("ProtectedSecret").HasMaxLength(8000);
            b.Property<string>("LimitsJson").HasMaxLength(4000);
            b.Property<DateTime?>("LimitsReadUtc"); // 20261130193000_PublishingChannelLimitsRead
            b.Property<string>("State").IsRequired().HasMaxLength(20);
            b.Property<Guid?>("AssigneeUserId");
            b.Property<DateTime>("CreatedUtc");
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId");
            b.ToTable("Publishing_Channels");
        });
        modelBuilder.Entity($"{Ns}.Delivery", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("ChannelId");
            b.Property<Guid>("PostId");
            b.Property<DateTime>("OccurrenceUtc");
            b.Property<DateTime>("DueUtc");
            b.Property<string>("Network").IsRequired().HasMaxLength(30);
            b.Property<string>("State").IsRequired().HasMaxLength(20);
            b.Property<string>("DeliveryKey").IsRequired().HasMaxLength(100);
            b.Property<int>("Attempts");
            b.Property<DateTime?>("FirstAttemptUtc");
            b.Property<DateTime?>("NextAttemptUtc");
            b.Property<string>("LeaseOwner").HasMaxLength(100);
            b.Property<DateTime?>("LeaseUntilUtc");
            b.Property<string>("SentPartsJson").HasMaxLength(8000);
            b.Property<string>("RemoteId").HasMaxLength(500);
            b.Property<string>("RemoteUrl").HasMaxLength(2000);
            b.Property<string>("LastError").HasMaxLength(2000);
            b.Property<DateTime?>("PublishedUtc");
            b.Property<string>("CanceledReason").HasMaxLength(500);
            b.Property<bool>("HoldLifted"); // 20261201150100_PublishingPromotionHolds
            b.Property<Guid?>("ReplyId"); // 20261202100000_PublishingReplies
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("ChannelId", "PostId", "OccurrenceUtc").IsUnique();
            b.HasIndex("State", "DueUtc");
            b.HasIndex("WorkspaceId", "PostId", "State", "OccurrenceUtc");
            b.HasIndex("ReplyId");
            b.ToTable("Publishing_Deliveries");
            b.HasOne($"{Ns}.Channel", null).WithMany().HasForeignKey("ChannelId").OnDelete(DeleteBehavior.Restrict).IsRequired();
        });
        modelBuilder.Entity($"{Ns}.DeliveryAttempt", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("DeliveryId");
            b.Property<DateTime>("StartedUtc");
            b.Property<DateTime?>("FinishedUtc");
            b.Property<string>("Outcome").IsRequired().HasMaxLength(30);
            b.Property<int?>("HttpStatus");
            b.Property<string>("Message").HasMaxLength(2000);
            b.HasKey("Id");
            b.HasIndex("DeliveryId");
            b.ToTable("Publishing_DeliveryAttempts");
            b.HasOne($"{Ns}.Delivery", null).WithMany().HasForeignKey("DeliveryId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });

        // 20261201150100_PublishingPromotionHolds
        modelBuilder.Entity("CmPortal.Modules.Publishing.Crisis.PromotionHold", b =>
        {
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("CrisisId");
            b.Property<DateTime>("SinceUtc");
            b.Property<string>("Reason").IsRequired().HasMaxLength(500);
            b.HasKey("WorkspaceId");
            b.ToTable("Publishing_PromotionHolds");
        });

        // 20261202100000_PublishingReplies
        modelBuilder.Entity($"{Ns}.Reply", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("ChannelId");
            b.Property<string>("Text").IsRequired().HasMaxLength(5000);
            b.Property<string>("InReplyToId").IsRequired().HasMaxLength(500);
            b.Property<string>("InReplyToUrl").HasMaxLength(2000);
            b.Property<Guid?>("ReadThroughChannelId");
            b.Property<string>("ReadFromInstance").HasMaxLength(500);
            b.Property<Guid>("AuthorUserId");
            b.Property<string>("RequestKey").IsRequired().HasMaxLength(100);
            b.Property<DateTime>("CreatedUtc");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "RequestKey").IsUnique();
            b.ToTable("Publishing_Replies");
        });
    }
}
