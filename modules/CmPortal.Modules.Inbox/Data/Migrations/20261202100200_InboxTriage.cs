using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>
/// Triage on the list: the members' saved searches (personal or shared with the workspace), and the secret the spike
/// alert webhook is signed with (kept encrypted with Data Protection).
/// </summary>
[DbContext(typeof(InboxDbContext))]
[Migration("20261202100200_InboxTriage")]
internal sealed class InboxTriage : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Inbox_SavedSearches",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                WorkspaceId = table.Column<Guid>(nullable: false),
                OwnerId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 80, nullable: false),
                Query = table.Column<string>(maxLength: 1000, nullable: false),
                Shared = table.Column<bool>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_SavedSearches", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_Inbox_SavedSearches_WorkspaceId_OwnerId", table: "Inbox_SavedSearches", columns: ["WorkspaceId", "OwnerId"]);

        migrationBuilder.AddColumn<string>(name: "ProtectedWebhookSecret", table: "Inbox_ListeningSettings", maxLength: 1000, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "ProtectedWebhookSecret", table: "Inbox_ListeningSettings");
        migrationBuilder.DropTable(name: "Inbox_SavedSearches");
    }
}
