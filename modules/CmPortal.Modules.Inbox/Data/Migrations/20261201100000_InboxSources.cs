using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>The sources a workspace listens to, with their reading state and lease (docs/inbox-sources.md). Provider-neutral.</summary>
[DbContext(typeof(InboxDbContext))]
[Migration("20261201100000_InboxSources")]
internal sealed class InboxSources : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Inbox_Sources",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Kind = table.Column<string>(maxLength: 20, nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                Url = table.Column<string>(maxLength: 2000, nullable: true),
                Query = table.Column<string>(maxLength: 300, nullable: true),
                AnyTags = table.Column<string>(maxLength: 300, nullable: true),
                AllTags = table.Column<string>(maxLength: 300, nullable: true),
                NoneTags = table.Column<string>(maxLength: 300, nullable: true),
                ChannelId = table.Column<Guid>(nullable: true),
                IntervalMinutes = table.Column<int>(nullable: false),
                Paused = table.Column<bool>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                LastFetchUtc = table.Column<DateTime>(nullable: true),
                LastFoundCount = table.Column<int>(nullable: false),
                TotalFoundCount = table.Column<int>(nullable: false),
                LastError = table.Column<string>(maxLength: 2000, nullable: true),
                LastErrorUtc = table.Column<DateTime>(nullable: true),
                ConsecutiveFailures = table.Column<int>(nullable: false),
                NextTryUtc = table.Column<DateTime>(nullable: false),
                ETag = table.Column<string>(maxLength: 300, nullable: true),
                LastModified = table.Column<string>(maxLength: 100, nullable: true),
                Cursor = table.Column<string>(maxLength: 500, nullable: true),
                LeaseOwner = table.Column<string>(maxLength: 100, nullable: true),
                LeaseUntilUtc = table.Column<DateTime>(nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_Sources", x => x.Id));
        migrationBuilder.CreateIndex("IX_Inbox_Sources_WorkspaceId_Name", "Inbox_Sources", ["WorkspaceId", "Name"], unique: true);
        migrationBuilder.CreateIndex("IX_Inbox_Sources_WorkspaceId_NextTryUtc", "Inbox_Sources", ["WorkspaceId", "NextTryUtc"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("Inbox_Sources");
}
