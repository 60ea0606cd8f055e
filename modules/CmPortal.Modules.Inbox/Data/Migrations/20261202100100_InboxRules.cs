using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>Automation rules: conditions on new mentions and the actions of the first rule that matches.</summary>
[DbContext(typeof(InboxDbContext))]
[Migration("20261202100100_InboxRules")]
internal sealed class InboxRules : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Inbox_Rules",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 80, nullable: false),
                Position = table.Column<int>(nullable: false),
                Enabled = table.Column<bool>(nullable: false),
                Words = table.Column<string>(maxLength: 500, nullable: true),
                QueryId = table.Column<long>(nullable: true),
                Sentiment = table.Column<string>(maxLength: 10, nullable: true),
                SourceKind = table.Column<string>(maxLength: 20, nullable: true),
                Author = table.Column<string>(maxLength: 200, nullable: true),
                Language = table.Column<string>(maxLength: 10, nullable: true),
                AddLabels = table.Column<string>(maxLength: 500, nullable: true),
                AssignTo = table.Column<Guid>(nullable: true),
                SetStatus = table.Column<int>(nullable: true),
                FlagCharterRuleId = table.Column<string>(maxLength: 100, nullable: true),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                CreatedById = table.Column<Guid>(nullable: true),
                UpdatedUtc = table.Column<DateTime>(nullable: false),
                UpdatedById = table.Column<Guid>(nullable: true),
                UpdatedByName = table.Column<string>(maxLength: 200, nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_Rules", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_Inbox_Rules_WorkspaceId_Position", table: "Inbox_Rules", columns: ["WorkspaceId", "Position"]);
        migrationBuilder.CreateIndex(name: "IX_Inbox_Rules_WorkspaceId_Name", table: "Inbox_Rules", columns: ["WorkspaceId", "Name"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Inbox_Rules");
}
