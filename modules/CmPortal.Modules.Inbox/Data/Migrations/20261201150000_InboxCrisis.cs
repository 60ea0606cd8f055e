using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>Crisis mode: the crises declared in each workspace, and each workspace's crisis procedure.</summary>
[DbContext(typeof(InboxDbContext))]
[Migration("20261201150000_InboxCrisis")]
internal sealed class InboxCrisis : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Inbox_Crises",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                DeclaredUtc = table.Column<DateTime>(nullable: false),
                DeclaredById = table.Column<Guid>(nullable: false),
                DeclaredByName = table.Column<string>(maxLength: 200, nullable: false),
                Reason = table.Column<string>(maxLength: 500, nullable: false),
                LiftedUtc = table.Column<DateTime>(nullable: true),
                LiftedById = table.Column<Guid>(nullable: true),
                LiftedByName = table.Column<string>(maxLength: 200, nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_Crises", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_Inbox_Crises_WorkspaceId_DeclaredUtc", table: "Inbox_Crises", columns: ["WorkspaceId", "DeclaredUtc"]);

        migrationBuilder.CreateTable(
            name: "Inbox_CrisisProcedures",
            columns: table => new
            {
                WorkspaceId = table.Column<Guid>(nullable: false),
                Text = table.Column<string>(maxLength: 10000, nullable: false),
                UpdatedUtc = table.Column<DateTime>(nullable: false),
                UpdatedByName = table.Column<string>(maxLength: 200, nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_CrisisProcedures", x => x.WorkspaceId));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Inbox_CrisisProcedures");
        migrationBuilder.DropTable(name: "Inbox_Crises");
    }
}
