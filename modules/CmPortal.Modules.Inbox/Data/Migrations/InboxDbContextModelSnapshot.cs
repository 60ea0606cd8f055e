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

        // Listening (inbox-listening).
        modelBuilder.Entity("CmPortal.Modules.Inbox.Listening.ListeningQuery", b =>
        {
            b.Property<long>("Id").ValueGeneratedOnAdd()
                .HasAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Name").IsRequired().HasMaxLength(80);
            b.Property<string>("Kind").IsRequired().HasMaxLength(20);
            b.Property<string>("Expression").IsRequired().HasMaxLength(500);
            b.Property<string>("Languages").HasMaxLength(20);
            b.Property<string>("Color").IsRequired().HasMaxLength(7);
            b.Property<double>("SpikeFactor");
            b.Property<int>("SpikeMinimum");
            b.Property<int>("NegativeRise");
            b.Property<DateTime?>("VolumeAlertSinceUtc");
            b.Property<DateTime?>("NegativeAlertSinceUtc");
            b.Property<bool>("RetagPending");
            b.Property<DateTime>("CreatedUtc");
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Name").IsUnique();
            b.ToTable("Inbox_ListeningQueries");
        });
        modelBuilder.Entity("CmPortal.Modules.Inbox.Listening.MentionQueryTag", b =>
        {
            b.Property<long>("QueryId");
            b.Property<long>("MentionId");
            b.Property<DateTime>("PublishedUtc");
            b.HasKey("QueryId", "MentionId");
            b.HasIndex("MentionId");
            b.HasIndex("QueryId", "PublishedUtc");
            b.ToTable("Inbox_MentionQueries");
        });
        modelBuilder.Entity("CmPortal.Modules.Inbox.Listening.ListeningSettings", b =>
        {
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("AlertWebhookUrl").HasMaxLength(500);
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("WorkspaceId");
            b.ToTable("Inbox_ListeningSettings");
        });
    }
}
