using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CmPortal.Modules.Blog.Data.Migrations;

/// <summary>The model as the migrations leave it (hand-written; see docs/architecture.md, "Migrations").</summary>
[DbContext(typeof(BlogDbContext))]
internal sealed class BlogDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity("CmPortal.Modules.Blog.Data.Article", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Slug").IsRequired().HasMaxLength(80);
            b.Property<string>("Title").IsRequired().HasMaxLength(200);
            b.Property<string>("Summary").HasMaxLength(500);
            b.Property<string>("BodyMarkdown").IsRequired().HasMaxLength(100000);
            b.Property<Guid?>("CoverMediaId");
            b.Property<string>("CoverAlt").HasMaxLength(1500);
            b.Property<string>("AuthorName").HasMaxLength(100);
            b.Property<string>("Tags").HasMaxLength(500);
            b.Property<string>("State").IsRequired().HasMaxLength(20);
            b.Property<DateTime?>("PublishedUtc");
            b.Property<DateTime>("UpdatedUtc");
            b.Property<int>("Version").IsConcurrencyToken();
            b.Property<string>("DeliveryKey").HasMaxLength(200);
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "DeliveryKey").IsUnique();
            b.HasIndex("WorkspaceId", "Slug").IsUnique();
            b.HasIndex("WorkspaceId", "State", "PublishedUtc");
            b.ToTable("Blog_Articles");
        });
    }
}
