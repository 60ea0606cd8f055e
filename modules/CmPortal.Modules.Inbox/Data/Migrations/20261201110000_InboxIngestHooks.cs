using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>Ingest hooks (signed webhooks from Zapier or n8n bridges) and the message ids they accepted, for replays.</summary>
[DbContext(typeof(InboxDbContext))]
[Migration("20261201110000_InboxIngestHooks")]
internal sealed class InboxIngestHooks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Inbox_IngestHooks",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                ProtectedSecret = table.Column<string>(maxLength: 1000, nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                CreatedBy = table.Column<Guid>(nullable: true),
                LastUsedUtc = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_IngestHooks", x => x.Id));
        migrationBuilder.CreateIndex("IX_Inbox_IngestHooks_WorkspaceId_CreatedUtc", "Inbox_IngestHooks", ["WorkspaceId", "CreatedUtc"]);

        migrationBuilder.CreateTable(
            name: "Inbox_IngestHookDeliveries",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                WorkspaceId = table.Column<Guid>(nullable: false),
                HookId = table.Column<Guid>(nullable: false),
                MessageId = table.Column<string>(maxLength: 200, nullable: false),
                ReceivedUtc = table.Column<DateTime>(nullable: false),
                Stored = table.Column<int>(nullable: false),
                Duplicates = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_IngestHookDeliveries", x => x.Id));
        migrationBuilder.CreateIndex("IX_Inbox_IngestHookDeliveries_WorkspaceId_HookId_MessageId", "Inbox_IngestHookDeliveries",
            ["WorkspaceId", "HookId", "MessageId"], unique: true);
        migrationBuilder.CreateIndex("IX_Inbox_IngestHookDeliveries_WorkspaceId_ReceivedUtc", "Inbox_IngestHookDeliveries", ["WorkspaceId", "ReceivedUtc"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("Inbox_IngestHookDeliveries");
        migrationBuilder.DropTable("Inbox_IngestHooks");
    }
}
