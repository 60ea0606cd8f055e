using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>The model as the migrations leave it (hand-written; see docs/architecture.md, "Migrations").</summary>
[DbContext(typeof(InboxDbContext))]
internal sealed class InboxDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity("CmPortal.Modules.Inbox.Data.Mention", b =>
        {
            b.Property<long>("Id").ValueGeneratedOnAdd()
                .HasAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("SourceKind").IsRequired().HasMaxLength(20);
            b.Property<string>("SourceName").HasMaxLength(100);
            b.Property<string>("ExternalId").IsRequired().HasMaxLength(300);
            b.Property<string>("Url").HasMaxLength(2000);
            b.Property<string>("CanonicalUrl").HasMaxLength(2000);
            b.Property<string>("Title").HasMaxLength(500);
            b.Property<string>("Text").IsRequired().HasMaxLength(10000);
            b.Property<string>("Author").HasMaxLength(200);
            b.Property<string>("AuthorHandle").HasMaxLength(200);
            b.Property<int?>("AuthorFollowers");
            b.Property<DateTime>("PublishedUtc");
            b.Property<DateTime>("ReceivedUtc");
            b.Property<string>("Language").HasMaxLength(10);
            b.Property<string>("Sentiment").HasMaxLength(10);
            b.Property<double?>("SentimentScore");
            b.Property<Guid?>("SentimentCorrectedBy");
            b.Property<long>("TextHash");
            b.Property<long?>("RepeatOf");
            b.Property<int>("Status");
            b.Property<Guid?>("AssigneeId");
            b.Property<string>("AssigneeNote").HasMaxLength(1000);
            b.Property<string>("Labels").HasMaxLength(500);
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "CanonicalUrl");
            b.HasIndex("WorkspaceId", "PublishedUtc", "Id");
            b.HasIndex("WorkspaceId", "Status");
            b.HasIndex("WorkspaceId", "TextHash");
            b.HasIndex("WorkspaceId", "SourceKind", "ExternalId").IsUnique();
            b.ToTable("Inbox_Mentions");
        });

        // Import: ingest hooks and the messages they accepted (inbox-import).
        modelBuilder.Entity("CmPortal.Modules.Inbox.Import.IngestHook", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Name").IsRequired().HasMaxLength(100);
            b.Property<string>("ProtectedSecret").IsRequired().HasMaxLength(1000);
            b.Property<DateTime>("CreatedUtc");
            b.Property<Guid?>("CreatedBy");
            b.Property<DateTime?>("LastUsedUtc");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "CreatedUtc");
            b.ToTable("Inbox_IngestHooks");
        });
        modelBuilder.Entity("CmPortal.Modules.Inbox.Import.IngestHookDelivery", b =>
        {
            b.Property<long>("Id").ValueGeneratedOnAdd()
                .HasAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("HookId");
            b.Property<string>("MessageId").IsRequired().HasMaxLength(200);
            b.Property<DateTime>("ReceivedUtc");
            b.Property<int>("Stored");
            b.Property<int>("Duplicates");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "ReceivedUtc");
            b.HasIndex("WorkspaceId", "HookId", "MessageId").IsUnique();
            b.ToTable("Inbox_IngestHookDeliveries");
        });
    }
}
