using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CmPortal.Modules.BrandIdentity.Data.Migrations;

/// <summary>The model as the migrations leave it (hand-written; see docs/architecture.md, "Migrations").</summary>
[DbContext(typeof(BrandIdentityDbContext))]
internal sealed class BrandIdentityDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity("CmPortal.Modules.BrandIdentity.Data.BrandRevision", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Document").IsRequired().HasMaxLength(20);
            b.Property<int>("Number");
            b.Property<DateTime>("CreatedUtc");
            b.Property<string>("Author").IsRequired().HasMaxLength(256);
            b.Property<string>("Changes").IsRequired().HasMaxLength(8000);
            b.Property<int?>("RestoredFrom");
            b.Property<string>("Content").IsRequired();
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Document", "Number").IsUnique();
            b.ToTable("BrandIdentity_Revisions");
        });
        modelBuilder.Entity("CmPortal.Modules.BrandIdentity.Data.BrandLogo", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Sha256").IsRequired().HasMaxLength(64);
            b.Property<string>("ContentType").IsRequired().HasMaxLength(40);
            b.Property<byte[]>("Content").IsRequired();
            b.Property<DateTime>("CreatedUtc");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Sha256").IsUnique();
            b.ToTable("BrandIdentity_Logos");
        });
    }
}
