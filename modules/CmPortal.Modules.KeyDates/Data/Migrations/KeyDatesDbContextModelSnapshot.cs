using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CmPortal.Modules.KeyDates.Data.Migrations;

/// <summary>The model as the migrations leave it (hand-written; see docs/architecture.md, "Migrations").</summary>
[DbContext(typeof(KeyDatesDbContext))]
internal sealed class KeyDatesDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity("CmPortal.Modules.KeyDates.Data.KeyDate", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Slug").IsRequired().HasMaxLength(80);
            b.Property<string>("Title").IsRequired().HasMaxLength(150);
            b.Property<string>("Notes").HasMaxLength(2000);
            b.Property<string>("PublicDescription").HasMaxLength(2000);
            b.Property<DateOnly>("Start");
            b.Property<DateOnly>("End");
            b.Property<string>("Category").IsRequired().HasMaxLength(20);
            b.Property<bool>("RecursYearly");
            b.Property<bool>("IsPublic");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Slug").IsUnique();
            b.HasIndex("WorkspaceId", "Start");
            b.ToTable("KeyDates_KeyDates");
        });
    }
}
