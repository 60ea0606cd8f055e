using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>Replies sent through a channel: which mention, the publishing reply's id, who sent it and when.</summary>
[DbContext(typeof(InboxDbContext))]
[Migration("20261202100010_InboxSentReplies")]
internal sealed class InboxSentReplies : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Inbox_SentReplies",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                MentionId = table.Column<long>(nullable: false),
                ReplyId = table.Column<Guid>(nullable: false),
                MemberId = table.Column<Guid>(nullable: false),
                MemberName = table.Column<string>(maxLength: 200, nullable: false),
                SentUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_SentReplies", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_Inbox_SentReplies_WorkspaceId_ReplyId", table: "Inbox_SentReplies",
            columns: ["WorkspaceId", "ReplyId"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_Inbox_SentReplies_WorkspaceId_MentionId_SentUtc", table: "Inbox_SentReplies",
            columns: ["WorkspaceId", "MentionId", "SentUtc"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Inbox_SentReplies");
}
