using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Publishing.Data.Migrations;

/// <summary>Channels, the outbox of deliveries (one per channel, post and occurrence) and each delivery's attempts.</summary>
[DbContext(typeof(PublishingDbContext))]
[Migration("20261130120000_PublishingInitial")]
internal sealed class PublishingInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Publishing_Channels",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Kind = table.Column<string>(maxLength: 30, nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                AccountName = table.Column<string>(maxLength: 200, nullable: true),
                AccountUrl = table.Column<string>(maxLength: 2000, nullable: true),
                SettingsJson = table.Column<string>(maxLength: 8000, nullable: false),
                ProtectedSecret = table.Column<string>(maxLength: 8000, nullable: true),
                LimitsJson = table.Column<string>(maxLength: 4000, nullable: true),
                State = table.Column<string>(maxLength: 20, nullable: false),
                AssigneeUserId = table.Column<Guid>(nullable: true),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Publishing_Channels", x => x.Id));
        migrationBuilder.CreateIndex("IX_Publishing_Channels_WorkspaceId", "Publishing_Channels", "WorkspaceId");

        migrationBuilder.CreateTable(
            name: "Publishing_Deliveries",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                ChannelId = table.Column<Guid>(nullable: false),
                PostId = table.Column<Guid>(nullable: false),
                OccurrenceUtc = table.Column<DateTime>(nullable: false),
                DueUtc = table.Column<DateTime>(nullable: false),
                Network = table.Column<string>(maxLength: 30, nullable: false),
                State = table.Column<string>(maxLength: 20, nullable: false),
                DeliveryKey = table.Column<string>(maxLength: 100, nullable: false),
                Attempts = table.Column<int>(nullable: false),
                FirstAttemptUtc = table.Column<DateTime>(nullable: true),
                NextAttemptUtc = table.Column<DateTime>(nullable: true),
                LeaseOwner = table.Column<string>(maxLength: 100, nullable: true),
                LeaseUntilUtc = table.Column<DateTime>(nullable: true),
                SentPartsJson = table.Column<string>(maxLength: 8000, nullable: true),
                RemoteId = table.Column<string>(maxLength: 500, nullable: true),
                RemoteUrl = table.Column<string>(maxLength: 2000, nullable: true),
                LastError = table.Column<string>(maxLength: 2000, nullable: true),
                PublishedUtc = table.Column<DateTime>(nullable: true),
                CanceledReason = table.Column<string>(maxLength: 500, nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Publishing_Deliveries", x => x.Id);
                table.ForeignKey("FK_Publishing_Deliveries_Publishing_Channels_ChannelId", x => x.ChannelId, "Publishing_Channels", "Id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex("IX_Publishing_Deliveries_ChannelId_PostId_OccurrenceUtc", "Publishing_Deliveries", ["ChannelId", "PostId", "OccurrenceUtc"], unique: true);
        migrationBuilder.CreateIndex("IX_Publishing_Deliveries_State_DueUtc", "Publishing_Deliveries", ["State", "DueUtc"]);
        migrationBuilder.CreateIndex("IX_Publishing_Deliveries_WorkspaceId_PostId", "Publishing_Deliveries", ["WorkspaceId", "PostId"]);

        migrationBuilder.CreateTable(
            name: "Publishing_DeliveryAttempts",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                DeliveryId = table.Column<Guid>(nullable: false),
                StartedUtc = table.Column<DateTime>(nullable: false),
                FinishedUtc = table.Column<DateTime>(nullable: true),
                Outcome = table.Column<string>(maxLength: 30, nullable: false),
                HttpStatus = table.Column<int>(nullable: true),
                Message = table.Column<string>(maxLength: 2000, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Publishing_DeliveryAttempts", x => x.Id);
                table.ForeignKey("FK_Publishing_DeliveryAttempts_Publishing_Deliveries_DeliveryId", x => x.DeliveryId, "Publishing_Deliveries", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_Publishing_DeliveryAttempts_DeliveryId", "Publishing_DeliveryAttempts", "DeliveryId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Publishing_DeliveryAttempts");
        migrationBuilder.DropTable(name: "Publishing_Deliveries");
        migrationBuilder.DropTable(name: "Publishing_Channels");
    }
}
