using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CmPortal.Modules.ContentCalendar.Data.Migrations;

/// <summary>The model as the migrations leave it (hand-written; see docs/architecture.md, "Migrations").</summary>
[DbContext(typeof(CalendarDbContext))]
internal sealed class CalendarDbContextModelSnapshot : ModelSnapshot
{
    private const string Ns = "CmPortal.Modules.ContentCalendar.Data";

    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity($"{Ns}.Post", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Slug").HasMaxLength(80);
            b.Property<string>("Text").IsRequired().HasMaxLength(20000);
            b.Property<string>("State").IsRequired().HasMaxLength(20);
            b.Property<string>("StartsLocal").HasMaxLength(16);
            b.Property<DateTime?>("StartsUtc");
            b.Property<DateTime?>("EndsUtc");
            b.Property<string>("Recurrence").HasMaxLength(300);
            b.Property<string>("SkippedDates").HasMaxLength(4000);
            b.Property<Guid?>("SeriesId");
            b.Property<string>("OccurrenceDate").HasMaxLength(10);
            b.Property<string>("Pillar").HasMaxLength(100);
            b.Property<string>("Networks").HasMaxLength(400);
            b.Property<Guid?>("CampaignId");
            b.Property<string>("KeyDate").HasMaxLength(80);
            b.Property<string>("Persona").HasMaxLength(100);
            b.Property<Guid?>("AuthorId");
            b.Property<Guid?>("AssigneeId");
            b.Property<string>("Labels").HasMaxLength(500);
            b.Property<string>("Notes").HasMaxLength(4000);
            b.Property<bool>("Evergreen");
            b.Property<string>("Media").HasMaxLength(2000);
            b.Property<string>("Channels").HasMaxLength(2000); // 20261130110200_ContentCalendarPostChannels
            b.Property<int>("Approvals");
            b.Property<int>("Version").IsConcurrencyToken();
            b.Property<DateTime>("CreatedUtc");
            b.Property<DateTime>("UpdatedUtc");
            b.HasKey("Id");
            b.HasIndex("SeriesId");
            b.HasIndex("WorkspaceId", "Slug").IsUnique();
            b.HasIndex("WorkspaceId", "StartsUtc");
            b.HasIndex("WorkspaceId", "State");
            // 20261130110100_ContentCalendarWindowIndexes
            b.HasIndex(["WorkspaceId", "StartsUtc"], CalendarDbContext.OneOffStartsIndex).HasFilter(CalendarDbContext.OneOffFilter);
            b.HasIndex(["WorkspaceId", "StartsUtc", "EndsUtc"], CalendarDbContext.SeriesStartsIndex).HasFilter(CalendarDbContext.SeriesFilter);
            b.ToTable("ContentCalendar_Posts");
        });
        modelBuilder.Entity($"{Ns}.PostVariant", b =>
        {
            b.Property<Guid>("Id");
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("PostId");
            b.Property<string>("Network").IsRequired().HasMaxLength(30);
            b.Property<string>("Text").HasMaxLength(20000);
            b.Property<string>("Link").HasMaxLength(2000);
            b.Property<string>("Media").HasMaxLength(2000);
            b.Property<string>("AcknowledgedWarnings").HasMaxLength(4000);
            b.Property<int>("Position");
            b.Property<string>("Thread");
            b.HasKey("Id");
            b.HasIndex("PostId", "Network").IsUnique();
            b.HasIndex(["PostId", "WorkspaceId", "Position", "Network"], CalendarDbContext.VariantNetworksIndex);
            b.ToTable("ContentCalendar_Variants");
            b.HasOne($"{Ns}.Post", null).WithMany("Variants").HasForeignKey("PostId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        modelBuilder.Entity($"{Ns}.PostRevision", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("PostId");
            b.Property<int>("Version");
            b.Property<DateTime>("CreatedUtc");
            b.Property<Guid?>("AuthorId");
            b.Property<string>("Author").IsRequired().HasMaxLength(256);
            b.Property<string>("Changes").IsRequired();
            b.HasKey("Id");
            b.HasIndex("PostId", "Version");
            b.ToTable("ContentCalendar_Revisions");
        });
        modelBuilder.Entity($"{Ns}.PostComment", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("PostId");
            b.Property<Guid?>("AuthorId");
            b.Property<string>("Author").IsRequired().HasMaxLength(256);
            b.Property<string>("Kind").IsRequired().HasMaxLength(20);
            b.Property<string>("Text").IsRequired().HasMaxLength(4000);
            b.Property<DateTime>("CreatedUtc");
            b.HasKey("Id");
            b.HasIndex("PostId", "CreatedUtc");
            b.ToTable("ContentCalendar_Comments");
        });
        modelBuilder.Entity($"{Ns}.MediaItem", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("FileName").IsRequired().HasMaxLength(255);
            b.Property<string>("ContentType").IsRequired().HasMaxLength(50);
            b.Property<long>("Size");
            b.Property<int>("Width");
            b.Property<int>("Height");
            b.Property<string>("Sha256").IsRequired().HasMaxLength(64);
            b.Property<string>("AltText").HasMaxLength(1500);
            b.Property<Guid?>("UploadedBy");
            b.Property<DateTime>("CreatedUtc");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "CreatedUtc");
            b.ToTable("ContentCalendar_Media");
        });
        modelBuilder.Entity($"{Ns}.MediaFile", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<byte[]>("Content").IsRequired();
            b.HasKey("Id");
            b.ToTable("ContentCalendar_MediaFiles");
        });
        modelBuilder.Entity($"{Ns}.Campaign", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Slug").IsRequired().HasMaxLength(80);
            b.Property<string>("Name").IsRequired().HasMaxLength(150);
            b.Property<string>("Objective").HasMaxLength(2000);
            b.Property<string>("Persona").HasMaxLength(100);
            b.Property<string>("Kind").IsRequired().HasMaxLength(20);
            b.Property<DateOnly>("Start");
            b.Property<DateOnly>("End");
            b.Property<string>("Colour").IsRequired().HasMaxLength(7);
            b.Property<string>("KpiTargets").HasMaxLength(4000);
            b.Property<string>("Notes").HasMaxLength(4000);
            b.Property<int>("Version").IsConcurrencyToken();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Slug").IsUnique();
            b.ToTable("ContentCalendar_Campaigns");
        });
        modelBuilder.Entity($"{Ns}.QueueSlot", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Network").IsRequired().HasMaxLength(30);
            b.Property<int>("Weekday");
            b.Property<string>("Time").IsRequired().HasMaxLength(5);
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Network", "Weekday", "Time").IsUnique();
            b.ToTable("ContentCalendar_QueueSlots");
        });
        modelBuilder.Entity($"{Ns}.CalendarSettings", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Approval").IsRequired().HasMaxLength(20);
            b.Property<bool>("ExternalApproval");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId").IsUnique();
            b.ToTable("ContentCalendar_Settings");
        });
        modelBuilder.Entity($"{Ns}.FeedToken", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("UserId");
            b.Property<string>("Sha256").IsRequired().HasMaxLength(64);
            b.Property<DateTime>("CreatedUtc");
            b.Property<DateTime?>("RevokedUtc");
            b.HasKey("Id");
            b.HasIndex("Sha256").IsUnique();
            b.HasIndex("WorkspaceId", "UserId");
            b.ToTable("ContentCalendar_FeedTokens");
        });
        modelBuilder.Entity($"{Ns}.PreviewLink", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Sha256").IsRequired().HasMaxLength(64);
            b.Property<Guid?>("PostId");
            b.Property<string>("WeekOf").HasMaxLength(10);
            b.Property<Guid>("CreatedBy");
            b.Property<DateTime>("CreatedUtc");
            b.Property<DateTime>("ExpiresUtc");
            b.Property<DateTime?>("RevokedUtc");
            b.HasKey("Id");
            b.HasIndex("Sha256").IsUnique();
            b.ToTable("ContentCalendar_PreviewLinks");
        });
    }
}
