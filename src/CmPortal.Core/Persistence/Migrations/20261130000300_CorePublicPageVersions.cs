using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Core.Persistence.Migrations;

/// <summary>A counter per workspace that moves whenever its public pages change: every node's page cache follows it.</summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261130000300_CorePublicPageVersions")]
public sealed class CorePublicPageVersions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "Core_PublicPageVersions",
            columns: table => new
            {
                WorkspaceId = table.Column<Guid>(nullable: false),
                Version = table.Column<long>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_PublicPageVersions", x => x.WorkspaceId);
                table.ForeignKey("FK_Core_PublicPageVersions_Core_Workspaces_WorkspaceId", x => x.WorkspaceId, "Core_Workspaces", "Id", onDelete: ReferentialAction.Cascade);
            });

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Core_PublicPageVersions");
}
