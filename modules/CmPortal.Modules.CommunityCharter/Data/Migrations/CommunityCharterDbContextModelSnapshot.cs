using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CmPortal.Modules.CommunityCharter.Data.Migrations;

/// <summary>The model as the migrations leave it (hand-written; see docs/architecture.md, "Migrations").</summary>
[DbContext(typeof(CommunityCharterDbContext))]
internal sealed class CommunityCharterDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity("CmPortal.Modules.CommunityCharter.Data.CharterDraft", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Document").IsRequired();
            b.Property<DateTime>("UpdatedUtc");
            b.Property<string>("UpdatedBy").HasMaxLength(200);
            b.HasKey("Id");
            b.HasIndex("WorkspaceId").IsUnique();
            b.ToTable("CommunityCharter_Drafts");
        });

        modelBuilder.Entity("CmPortal.Modules.CommunityCharter.Data.CharterVersion", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<int>("Number");
            b.Property<DateTime>("PublishedUtc");
            b.Property<string>("PublishedBy").HasMaxLength(200);
            b.Property<string>("ChangeNote").HasMaxLength(500);
            b.Property<string>("Document").IsRequired();
            b.Property<string>("Html").IsRequired();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Number").IsUnique();
            b.ToTable("CommunityCharter_Versions");
        });
    }
}
