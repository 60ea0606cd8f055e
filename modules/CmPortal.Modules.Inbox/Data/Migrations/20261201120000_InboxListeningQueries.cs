using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>
/// Listening queries, the narrow tag table (query, mention, date) that share of voice counts from, and the workspace's
/// listening settings (docs/inbox-listening.md). Provider-neutral: no DDL of its own.
/// </summary>
[DbContext(typeof(InboxDbContext))]
[Migration("20261201120000_InboxListeningQueries")]
internal sealed class InboxListeningQueries : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Inbox_ListeningQueries",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 80, nullable: false),
                Kind = table.Column<string>(maxLength: 20, nullable: false),
                Expression = table.Column<string>(maxLength: 500, nullable: false),
                Languages = table.Column<string>(maxLength: 20, nullable: true),
                Color = table.Column<string>(maxLength: 7, nullable: false),
                SpikeFactor = table.Column<double>(nullable: false),
                SpikeMinimum = table.Column<int>(nullable: false),
                NegativeRise = table.Column<int>(nullable: false),
                VolumeAlertSinceUtc = table.Column<DateTime>(nullable: true),
                NegativeAlertSinceUtc = table.Column<DateTime>(nullable: true),
                RetagPending = table.Column<bool>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_ListeningQueries", x => x.Id));
        migrationBuilder.CreateIndex("IX_Inbox_ListeningQueries_WorkspaceId_Name", "Inbox_ListeningQueries", ["WorkspaceId", "Name"], unique: true);

        migrationBuilder.CreateTable(
            name: "Inbox_MentionQueries",
            columns: table => new
            {
                QueryId = table.Column<long>(nullable: false),
                MentionId = table.Column<long>(nullable: false),
                PublishedUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_MentionQueries", x => new { x.QueryId, x.MentionId }));
        migrationBuilder.CreateIndex("IX_Inbox_MentionQueries_QueryId_PublishedUtc", "Inbox_MentionQueries", ["QueryId", "PublishedUtc"]);
        migrationBuilder.CreateIndex("IX_Inbox_MentionQueries_MentionId", "Inbox_MentionQueries", "MentionId");

        migrationBuilder.CreateTable(
            name: "Inbox_ListeningSettings",
            columns: table => new
            {
                WorkspaceId = table.Column<Guid>(nullable: false),
                AlertWebhookUrl = table.Column<string>(maxLength: 500, nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_ListeningSettings", x => x.WorkspaceId));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("Inbox_ListeningSettings");
        migrationBuilder.DropTable("Inbox_MentionQueries");
        migrationBuilder.DropTable("Inbox_ListeningQueries");
    }
}
