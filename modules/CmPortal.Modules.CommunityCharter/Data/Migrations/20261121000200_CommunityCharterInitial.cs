using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.CommunityCharter.Data.Migrations;

[DbContext(typeof(CommunityCharterDbContext))]
[Migration("20261121000200_CommunityCharterInitial")]
internal sealed class CommunityCharterInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "CommunityCharter_Drafts",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Document = table.Column<string>(nullable: false),
                UpdatedUtc = table.Column<DateTime>(nullable: false),
                UpdatedBy = table.Column<string>(maxLength: 200, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_CommunityCharter_Drafts", x => x.Id));
        migrationBuilder.CreateIndex("IX_CommunityCharter_Drafts_WorkspaceId", "CommunityCharter_Drafts", "WorkspaceId", unique: true);

        migrationBuilder.CreateTable(
            name: "CommunityCharter_Versions",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Number = table.Column<int>(nullable: false),
                PublishedUtc = table.Column<DateTime>(nullable: false),
                PublishedBy = table.Column<string>(maxLength: 200, nullable: true),
                ChangeNote = table.Column<string>(maxLength: 500, nullable: true),
                Document = table.Column<string>(nullable: false),
                Html = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CommunityCharter_Versions", x => x.Id));
        migrationBuilder.CreateIndex("IX_CommunityCharter_Versions_WorkspaceId_Number", "CommunityCharter_Versions", ["WorkspaceId", "Number"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("CommunityCharter_Versions");
        migrationBuilder.DropTable("CommunityCharter_Drafts");
    }
}
