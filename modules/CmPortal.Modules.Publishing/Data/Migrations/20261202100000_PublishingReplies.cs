using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Publishing.Data.Migrations;

/// <summary>Replies from the inbox: the reply's text and what it answers (Publishing_Replies), and the delivery that sends it (ReplyId).</summary>
[DbContext(typeof(PublishingDbContext))]
[Migration("20261202100000_PublishingReplies")]
internal sealed class PublishingReplies : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<Guid>(name: "ReplyId", table: "Publishing_Deliveries", nullable: true);
        migrationBuilder.CreateIndex(name: "IX_Publishing_Deliveries_ReplyId", table: "Publishing_Deliveries", column: "ReplyId");
        migrationBuilder.CreateTable(
            name: "Publishing_Replies",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                ChannelId = table.Column<Guid>(nullable: false),
                Text = table.Column<string>(maxLength: 5000, nullable: false),
                InReplyToId = table.Column<string>(maxLength: 500, nullable: false),
                InReplyToUrl = table.Column<string>(maxLength: 2000, nullable: true),
                ReadThroughChannelId = table.Column<Guid>(nullable: true),
                ReadFromInstance = table.Column<string>(maxLength: 500, nullable: true),
                AuthorUserId = table.Column<Guid>(nullable: false),
                RequestKey = table.Column<string>(maxLength: 100, nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Publishing_Replies", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_Publishing_Replies_WorkspaceId_RequestKey", table: "Publishing_Replies",
            columns: ["WorkspaceId", "RequestKey"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Publishing_Replies");
        migrationBuilder.DropIndex(name: "IX_Publishing_Deliveries_ReplyId", table: "Publishing_Deliveries");
        migrationBuilder.DropColumn(name: "ReplyId", table: "Publishing_Deliveries");
    }
}
