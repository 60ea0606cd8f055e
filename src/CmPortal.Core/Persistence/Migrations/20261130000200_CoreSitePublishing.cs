using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Core.Persistence.Migrations;

/// <summary>
/// A workspace's public site is published or offline, and carries its legal notice. Workspaces that exist when this
/// runs keep their site online (nothing goes dark on upgrade); workspaces created afterwards start offline.
/// </summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261130000200_CoreSitePublishing")]
public sealed class CoreSitePublishing : Migration
{
    private static readonly (string Name, int Length)[] Texts =
    [
        ("PublisherName", 150), ("PublisherAddress", 300), ("PublisherRegistration", 150), ("PublicationDirector", 100),
        ("HostingName", 150), ("HostingAddress", 300), ("HostingPhone", 40), ("ContactEmail", 254),
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>(name: "SitePublished", table: "Core_Workspaces", nullable: false, defaultValue: false);
        // Both SQLite (3.23+) and PostgreSQL read TRUE.
        migrationBuilder.Sql("UPDATE \"Core_Workspaces\" SET \"SitePublished\" = TRUE");
        foreach (var (name, length) in Texts)
            migrationBuilder.AddColumn<string>(name: name, table: "Core_Workspaces", maxLength: length, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var (name, _) in Texts) migrationBuilder.DropColumn(name: name, table: "Core_Workspaces");
        migrationBuilder.DropColumn(name: "SitePublished", table: "Core_Workspaces");
    }
}
