using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.ContentCalendar.Data.Migrations;

[DbContext(typeof(CalendarDbContext))]
[Migration("20261130100200_ContentCalendarInitial")]
internal sealed class ContentCalendarInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "ContentCalendar_Posts",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Slug = table.Column<string>(maxLength: 80, nullable: true),
                Text = table.Column<string>(maxLength: 20000, nullable: false),
                State = table.Column<string>(maxLength: 20, nullable: false),
                StartsLocal = table.Column<string>(maxLength: 16, nullable: true),
                StartsUtc = table.Column<DateTime>(nullable: true),
                EndsUtc = table.Column<DateTime>(nullable: true),
                Recurrence = table.Column<string>(maxLength: 300, nullable: true),
                SkippedDates = table.Column<string>(maxLength: 4000, nullable: true),
                SeriesId = table.Column<Guid>(nullable: true),
                OccurrenceDate = table.Column<string>(maxLength: 10, nullable: true),
                Pillar = table.Column<string>(maxLength: 100, nullable: true),
                CampaignId = table.Column<Guid>(nullable: true),
                KeyDate = table.Column<string>(maxLength: 80, nullable: true),
                Persona = table.Column<string>(maxLength: 100, nullable: true),
                AuthorId = table.Column<Guid>(nullable: true),
                AssigneeId = table.Column<Guid>(nullable: true),
                Labels = table.Column<string>(maxLength: 500, nullable: true),
                Notes = table.Column<string>(maxLength: 4000, nullable: true),
                Evergreen = table.Column<bool>(nullable: false),
                Media = table.Column<string>(maxLength: 2000, nullable: true),
                Approvals = table.Column<int>(nullable: false),
                Version = table.Column<int>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                UpdatedUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_Posts", x => x.Id));
        migrationBuilder.CreateIndex("IX_ContentCalendar_Posts_WorkspaceId_Slug", "ContentCalendar_Posts", ["WorkspaceId", "Slug"], unique: true);
        migrationBuilder.CreateIndex("IX_ContentCalendar_Posts_WorkspaceId_StartsUtc", "ContentCalendar_Posts", ["WorkspaceId", "StartsUtc"]);
        migrationBuilder.CreateIndex("IX_ContentCalendar_Posts_WorkspaceId_State", "ContentCalendar_Posts", ["WorkspaceId", "State"]);
        migrationBuilder.CreateIndex("IX_ContentCalendar_Posts_SeriesId", "ContentCalendar_Posts", "SeriesId");

        migrationBuilder.CreateTable(
            name: "ContentCalendar_Variants",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                PostId = table.Column<Guid>(nullable: false),
                Network = table.Column<string>(maxLength: 30, nullable: false),
                Text = table.Column<string>(maxLength: 20000, nullable: true),
                Link = table.Column<string>(maxLength: 2000, nullable: true),
                Media = table.Column<string>(maxLength: 2000, nullable: true),
                AcknowledgedWarnings = table.Column<string>(maxLength: 4000, nullable: true),
                Position = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_ContentCalendar_Variants", x => x.Id);
                table.ForeignKey("FK_ContentCalendar_Variants_ContentCalendar_Posts_PostId", x => x.PostId, "ContentCalendar_Posts", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_ContentCalendar_Variants_PostId_Network", "ContentCalendar_Variants", ["PostId", "Network"], unique: true);

        migrationBuilder.CreateTable(
            name: "ContentCalendar_Revisions",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                PostId = table.Column<Guid>(nullable: false),
                Version = table.Column<int>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                AuthorId = table.Column<Guid>(nullable: true),
                Author = table.Column<string>(maxLength: 256, nullable: false),
                Changes = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_Revisions", x => x.Id));
        migrationBuilder.CreateIndex("IX_ContentCalendar_Revisions_PostId_Version", "ContentCalendar_Revisions", ["PostId", "Version"]);

        migrationBuilder.CreateTable(
            name: "ContentCalendar_Comments",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                PostId = table.Column<Guid>(nullable: false),
                AuthorId = table.Column<Guid>(nullable: true),
                Author = table.Column<string>(maxLength: 256, nullable: false),
                Kind = table.Column<string>(maxLength: 20, nullable: false),
                Text = table.Column<string>(maxLength: 4000, nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_Comments", x => x.Id));
        migrationBuilder.CreateIndex("IX_ContentCalendar_Comments_PostId_CreatedUtc", "ContentCalendar_Comments", ["PostId", "CreatedUtc"]);

        migrationBuilder.CreateTable(
            name: "ContentCalendar_Media",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                FileName = table.Column<string>(maxLength: 255, nullable: false),
                ContentType = table.Column<string>(maxLength: 50, nullable: false),
                Size = table.Column<long>(nullable: false),
                Width = table.Column<int>(nullable: false),
                Height = table.Column<int>(nullable: false),
                Sha256 = table.Column<string>(maxLength: 64, nullable: false),
                AltText = table.Column<string>(maxLength: 1500, nullable: true),
                UploadedBy = table.Column<Guid>(nullable: true),
                CreatedUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_Media", x => x.Id));
        migrationBuilder.CreateIndex("IX_ContentCalendar_Media_WorkspaceId_CreatedUtc", "ContentCalendar_Media", ["WorkspaceId", "CreatedUtc"]);

        migrationBuilder.CreateTable(
            name: "ContentCalendar_MediaFiles",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Content = table.Column<byte[]>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_MediaFiles", x => x.Id));

        migrationBuilder.CreateTable(
            name: "ContentCalendar_Campaigns",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Slug = table.Column<string>(maxLength: 80, nullable: false),
                Name = table.Column<string>(maxLength: 150, nullable: false),
                Objective = table.Column<string>(maxLength: 2000, nullable: true),
                Persona = table.Column<string>(maxLength: 100, nullable: true),
                Kind = table.Column<string>(maxLength: 20, nullable: false),
                Start = table.Column<DateOnly>(nullable: false),
                End = table.Column<DateOnly>(nullable: false),
                Colour = table.Column<string>(maxLength: 7, nullable: false),
                KpiTargets = table.Column<string>(maxLength: 4000, nullable: true),
                Notes = table.Column<string>(maxLength: 4000, nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_Campaigns", x => x.Id));
        migrationBuilder.CreateIndex("IX_ContentCalendar_Campaigns_WorkspaceId_Slug", "ContentCalendar_Campaigns", ["WorkspaceId", "Slug"], unique: true);

        migrationBuilder.CreateTable(
            name: "ContentCalendar_QueueSlots",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Network = table.Column<string>(maxLength: 30, nullable: false),
                Weekday = table.Column<int>(nullable: false),
                Time = table.Column<string>(maxLength: 5, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_QueueSlots", x => x.Id));
        migrationBuilder.CreateIndex("IX_ContentCalendar_QueueSlots_WorkspaceId_Network_Weekday_Time", "ContentCalendar_QueueSlots",
            ["WorkspaceId", "Network", "Weekday", "Time"], unique: true);

        migrationBuilder.CreateTable(
            name: "ContentCalendar_Settings",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Approval = table.Column<string>(maxLength: 20, nullable: false),
                ExternalApproval = table.Column<bool>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_Settings", x => x.Id));
        migrationBuilder.CreateIndex("IX_ContentCalendar_Settings_WorkspaceId", "ContentCalendar_Settings", "WorkspaceId", unique: true);

        migrationBuilder.CreateTable(
            name: "ContentCalendar_FeedTokens",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                Sha256 = table.Column<string>(maxLength: 64, nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                RevokedUtc = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_FeedTokens", x => x.Id));
        migrationBuilder.CreateIndex("IX_ContentCalendar_FeedTokens_Sha256", "ContentCalendar_FeedTokens", "Sha256", unique: true);
        migrationBuilder.CreateIndex("IX_ContentCalendar_FeedTokens_WorkspaceId_UserId", "ContentCalendar_FeedTokens", ["WorkspaceId", "UserId"]);

        migrationBuilder.CreateTable(
            name: "ContentCalendar_PreviewLinks",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Sha256 = table.Column<string>(maxLength: 64, nullable: false),
                PostId = table.Column<Guid>(nullable: true),
                WeekOf = table.Column<string>(maxLength: 10, nullable: true),
                CreatedBy = table.Column<Guid>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                ExpiresUtc = table.Column<DateTime>(nullable: false),
                RevokedUtc = table.Column<DateTime>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_ContentCalendar_PreviewLinks", x => x.Id));
        migrationBuilder.CreateIndex("IX_ContentCalendar_PreviewLinks_Sha256", "ContentCalendar_PreviewLinks", "Sha256", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[]
                 {
                     "ContentCalendar_PreviewLinks", "ContentCalendar_FeedTokens", "ContentCalendar_Settings", "ContentCalendar_QueueSlots",
                     "ContentCalendar_Campaigns", "ContentCalendar_MediaFiles", "ContentCalendar_Media", "ContentCalendar_Comments",
                     "ContentCalendar_Revisions", "ContentCalendar_Variants", "ContentCalendar_Posts",
                 })
            migrationBuilder.DropTable(table);
    }
}
