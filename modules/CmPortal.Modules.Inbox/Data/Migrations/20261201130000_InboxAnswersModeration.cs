using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>
/// Saved replies, the replies copied as notes of a mention, moderation decisions citing the charter, the hidden
/// mentions and the moderation settings (docs/inbox-answers.md). Plain tables, the same on SQLite and PostgreSQL:
/// reply suggestions rank the (small) library in memory, so there is no full-text DDL here.
/// </summary>
[DbContext(typeof(InboxDbContext))]
[Migration("20261201130000_InboxAnswersModeration")]
internal sealed class InboxAnswersModeration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Inbox_SavedReplies",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Title = table.Column<string>(maxLength: 200, nullable: false),
                Text = table.Column<string>(maxLength: 4000, nullable: false),
                Language = table.Column<string>(maxLength: 10, nullable: true),
                Tags = table.Column<string>(maxLength: 500, nullable: true),
                UpdatedUtc = table.Column<DateTime>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_SavedReplies", x => x.Id));
        migrationBuilder.CreateIndex("IX_Inbox_SavedReplies_WorkspaceId_Title", "Inbox_SavedReplies", ["WorkspaceId", "Title"], unique: true);

        migrationBuilder.CreateTable(
            name: "Inbox_ReplyNotes",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                MentionId = table.Column<long>(nullable: false),
                MemberId = table.Column<Guid>(nullable: false),
                MemberName = table.Column<string>(maxLength: 200, nullable: false),
                Text = table.Column<string>(maxLength: 4000, nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_ReplyNotes", x => x.Id));
        migrationBuilder.CreateIndex("IX_Inbox_ReplyNotes_WorkspaceId_MentionId_CreatedUtc", "Inbox_ReplyNotes", ["WorkspaceId", "MentionId", "CreatedUtc"]);

        migrationBuilder.CreateTable(
            name: "Inbox_ModerationDecisions",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                MentionId = table.Column<long>(nullable: false),
                Action = table.Column<int>(nullable: false),
                RuleId = table.Column<string>(maxLength: 100, nullable: true),
                CharterVersion = table.Column<int>(nullable: true),
                RuleNumber = table.Column<string>(maxLength: 20, nullable: true),
                MemberId = table.Column<Guid>(nullable: false),
                MemberName = table.Column<string>(maxLength: 200, nullable: false),
                AtUtc = table.Column<DateTime>(nullable: false),
                MentionText = table.Column<string>(maxLength: 10000, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_ModerationDecisions", x => x.Id));
        migrationBuilder.CreateIndex("IX_Inbox_ModerationDecisions_WorkspaceId_MentionId_AtUtc", "Inbox_ModerationDecisions", ["WorkspaceId", "MentionId", "AtUtc"]);
        migrationBuilder.CreateIndex("IX_Inbox_ModerationDecisions_WorkspaceId_AtUtc", "Inbox_ModerationDecisions", ["WorkspaceId", "AtUtc"]);

        migrationBuilder.CreateTable(
            name: "Inbox_HiddenMentions",
            columns: table => new
            {
                MentionId = table.Column<long>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                DecisionId = table.Column<Guid>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_HiddenMentions", x => x.MentionId));
        migrationBuilder.CreateIndex("IX_Inbox_HiddenMentions_WorkspaceId", "Inbox_HiddenMentions", ["WorkspaceId"]);

        migrationBuilder.CreateTable(
            name: "Inbox_ModerationSettings",
            columns: table => new
            {
                WorkspaceId = table.Column<Guid>(nullable: false),
                InsultRuleId = table.Column<string>(maxLength: 100, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_ModerationSettings", x => x.WorkspaceId));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("Inbox_ModerationSettings");
        migrationBuilder.DropTable("Inbox_HiddenMentions");
        migrationBuilder.DropTable("Inbox_ModerationDecisions");
        migrationBuilder.DropTable("Inbox_ReplyNotes");
        migrationBuilder.DropTable("Inbox_SavedReplies");
    }
}
