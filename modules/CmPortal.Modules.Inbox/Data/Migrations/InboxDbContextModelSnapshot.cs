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

        modelBuilder.Entity("CmPortal.Modules.Inbox.Crisis.WorkspaceCrisis", b =>
        {
            b.Property<Guid>("Id");
            b.Property<Guid>("WorkspaceId");
            b.Property<DateTime>("DeclaredUtc");
            b.Property<Guid>("DeclaredById");
            b.Property<string>("DeclaredByName").IsRequired().HasMaxLength(200);
            b.Property<string>("Reason").IsRequired().HasMaxLength(500);
            b.Property<DateTime?>("LiftedUtc");
            b.Property<Guid?>("LiftedById");
            b.Property<string>("LiftedByName").HasMaxLength(200);
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "DeclaredUtc");
            b.ToTable("Inbox_Crises");
        });

        modelBuilder.Entity("CmPortal.Modules.Inbox.Crisis.CrisisProcedure", b =>
        {
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Text").IsRequired().HasMaxLength(10000);
            b.Property<DateTime>("UpdatedUtc");
            b.Property<string>("UpdatedByName").IsRequired().HasMaxLength(200);
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("WorkspaceId");
            b.ToTable("Inbox_CrisisProcedures");
        });

        // inbox-sources
        modelBuilder.Entity("CmPortal.Modules.Inbox.Sources.Stored.ListeningSource", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Kind").IsRequired().HasMaxLength(20);
            b.Property<string>("Name").IsRequired().HasMaxLength(100);
            b.Property<string>("Url").HasMaxLength(2000);
            b.Property<string>("Query").HasMaxLength(300);
            b.Property<string>("AnyTags").HasMaxLength(300);
            b.Property<string>("AllTags").HasMaxLength(300);
            b.Property<string>("NoneTags").HasMaxLength(300);
            b.Property<Guid?>("ChannelId");
            b.Property<int>("IntervalMinutes");
            b.Property<bool>("Paused");
            b.Property<DateTime>("CreatedUtc");
            b.Property<DateTime?>("LastFetchUtc");
            b.Property<int>("LastFoundCount");
            b.Property<int>("TotalFoundCount");
            b.Property<string>("LastError").HasMaxLength(2000);
            b.Property<DateTime?>("LastErrorUtc");
            b.Property<int>("ConsecutiveFailures");
            b.Property<DateTime>("NextTryUtc");
            b.Property<string>("ETag").HasMaxLength(300);
            b.Property<string>("LastModified").HasMaxLength(100);
            b.Property<string>("Cursor").HasMaxLength(500);
            b.Property<string>("LeaseOwner").HasMaxLength(100);
            b.Property<DateTime?>("LeaseUntilUtc");
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Name").IsUnique();
            b.HasIndex("WorkspaceId", "NextTryUtc");
            b.ToTable("Inbox_Sources");
        });

        // Saved replies and moderation by the charter (inbox-answers, 20261201130000_InboxAnswersModeration).
        modelBuilder.Entity("CmPortal.Modules.Inbox.Answers.SavedReply", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Title").IsRequired().HasMaxLength(200);
            b.Property<string>("Text").IsRequired().HasMaxLength(4000);
            b.Property<string>("Language").HasMaxLength(10);
            b.Property<string>("Tags").HasMaxLength(500);
            b.Property<DateTime>("UpdatedUtc");
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Title").IsUnique();
            b.ToTable("Inbox_SavedReplies");
        });
        modelBuilder.Entity("CmPortal.Modules.Inbox.Answers.ReplyNote", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<long>("MentionId");
            b.Property<Guid>("MemberId");
            b.Property<string>("MemberName").IsRequired().HasMaxLength(200);
            b.Property<string>("Text").IsRequired().HasMaxLength(4000);
            b.Property<DateTime>("CreatedUtc");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "MentionId", "CreatedUtc");
            b.ToTable("Inbox_ReplyNotes");
        });
        modelBuilder.Entity("CmPortal.Modules.Inbox.Moderation.ModerationDecision", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<long>("MentionId");
            b.Property<int>("Action");
            b.Property<string>("RuleId").HasMaxLength(100);
            b.Property<int?>("CharterVersion");
            b.Property<string>("RuleNumber").HasMaxLength(20);
            b.Property<Guid>("MemberId");
            b.Property<string>("MemberName").IsRequired().HasMaxLength(200);
            b.Property<DateTime>("AtUtc");
            b.Property<string>("MentionText").IsRequired().HasMaxLength(10000);
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "AtUtc");
            b.HasIndex("WorkspaceId", "MentionId", "AtUtc");
            b.ToTable("Inbox_ModerationDecisions");
        });
        modelBuilder.Entity("CmPortal.Modules.Inbox.Moderation.HiddenMention", b =>
        {
            b.Property<long>("MentionId").ValueGeneratedNever();
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("DecisionId");
            b.HasKey("MentionId");
            b.HasIndex("WorkspaceId");
            b.ToTable("Inbox_HiddenMentions");
        });
        modelBuilder.Entity("CmPortal.Modules.Inbox.Moderation.ModerationSettings", b =>
        {
            b.Property<Guid>("WorkspaceId").ValueGeneratedNever();
            b.Property<string>("InsultRuleId").HasMaxLength(100);
            b.HasKey("WorkspaceId");
            b.ToTable("Inbox_ModerationSettings");
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
            b.Property<string>("ProtectedWebhookSecret").HasMaxLength(1000); // inbox-triage
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("WorkspaceId");
            b.ToTable("Inbox_ListeningSettings");
        });
        // Replies sent through a channel (inbox-replies, 20261202100010_InboxSentReplies).
        modelBuilder.Entity("CmPortal.Modules.Inbox.Answers.SentReply", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<long>("MentionId");
            b.Property<Guid>("ReplyId");
            b.Property<Guid>("MemberId");
            b.Property<string>("MemberName").IsRequired().HasMaxLength(200);
            b.Property<DateTime>("SentUtc");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "ReplyId").IsUnique();
            b.HasIndex("WorkspaceId", "MentionId", "SentUtc");
            b.ToTable("Inbox_SentReplies");
        });
        // inbox-triage: saved searches.
        modelBuilder.Entity("CmPortal.Modules.Inbox.SavedSearches.SavedSearch", b =>
        {
            b.Property<long>("Id").ValueGeneratedOnAdd()
                .HasAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("OwnerId");
            b.Property<string>("Name").IsRequired().HasMaxLength(80);
            b.Property<string>("Query").IsRequired().HasMaxLength(1000);
            b.Property<bool>("Shared");
            b.Property<DateTime>("CreatedUtc");
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "OwnerId");
            b.ToTable("Inbox_SavedSearches");
        });
        // inbox-rules: automation rules
        modelBuilder.Entity("CmPortal.Modules.Inbox.Automation.AutomationRule", b =>
        {
            b.Property<Guid>("Id");
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Name").IsRequired().HasMaxLength(80);
            b.Property<int>("Position");
            b.Property<bool>("Enabled");
            b.Property<string>("Words").HasMaxLength(500);
            b.Property<long?>("QueryId");
            b.Property<string>("Sentiment").HasMaxLength(10);
            b.Property<string>("SourceKind").HasMaxLength(20);
            b.Property<string>("Author").HasMaxLength(200);
            b.Property<string>("Language").HasMaxLength(10);
            b.Property<string>("AddLabels").HasMaxLength(500);
            b.Property<Guid?>("AssignTo");
            b.Property<int?>("SetStatus");
            b.Property<string>("FlagCharterRuleId").HasMaxLength(100);
            b.Property<DateTime>("CreatedUtc");
            b.Property<Guid?>("CreatedById");
            b.Property<DateTime>("UpdatedUtc");
            b.Property<Guid?>("UpdatedById");
            b.Property<string>("UpdatedByName").HasMaxLength(200);
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Name").IsUnique();
            b.HasIndex("WorkspaceId", "Position");
            b.ToTable("Inbox_Rules");
        });
    }
}
