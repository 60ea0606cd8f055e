using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Core.Persistence.Migrations;

/// <summary>
/// Module events waiting for their handlers (and which handler is done with which event), and the in-portal
/// notifications of each user (the bell of the admin pages).
/// </summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261130100000_CoreEventsAndNotifications")]
public sealed class CoreEventsAndNotifications : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Core_ModuleEvents",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 128, nullable: false),
                Payload = table.Column<string>(nullable: false),
                RaisedUtc = table.Column<DateTime>(nullable: false),
                State = table.Column<int>(nullable: false),
                Attempts = table.Column<int>(nullable: false),
                NextAttemptUtc = table.Column<DateTime>(nullable: false),
                LastError = table.Column<string>(maxLength: 2000, nullable: true),
                HandledUtc = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_ModuleEvents", x => x.Id);
                table.ForeignKey("FK_Core_ModuleEvents_Core_Workspaces_WorkspaceId", x => x.WorkspaceId, "Core_Workspaces", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_Core_ModuleEvents_State_NextAttemptUtc", "Core_ModuleEvents", ["State", "NextAttemptUtc"]);
        migrationBuilder.CreateIndex("IX_Core_ModuleEvents_WorkspaceId", "Core_ModuleEvents", "WorkspaceId");

        migrationBuilder.CreateTable(
            name: "Core_ModuleEventDeliveries",
            columns: table => new
            {
                EventId = table.Column<Guid>(nullable: false),
                Handler = table.Column<string>(maxLength: 256, nullable: false),
                HandledUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_ModuleEventDeliveries", x => new { x.EventId, x.Handler });
                table.ForeignKey("FK_Core_ModuleEventDeliveries_Core_ModuleEvents_EventId", x => x.EventId, "Core_ModuleEvents", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Core_Notifications",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                ModuleId = table.Column<string>(maxLength: 64, nullable: false),
                Kind = table.Column<string>(maxLength: 64, nullable: false),
                Template = table.Column<string>(maxLength: 500, nullable: false),
                Values = table.Column<string>(nullable: false),
                Url = table.Column<string>(maxLength: 500, nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                ReadUtc = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_Notifications", x => x.Id);
                table.ForeignKey("FK_Core_Notifications_Core_Users_UserId", x => x.UserId, "Core_Users", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_Core_Notifications_Core_Workspaces_WorkspaceId", x => x.WorkspaceId, "Core_Workspaces", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex("IX_Core_Notifications_UserId_ReadUtc", "Core_Notifications", ["UserId", "ReadUtc"]);
        migrationBuilder.CreateIndex("IX_Core_Notifications_WorkspaceId", "Core_Notifications", "WorkspaceId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Core_Notifications");
        migrationBuilder.DropTable(name: "Core_ModuleEventDeliveries");
        migrationBuilder.DropTable(name: "Core_ModuleEvents");
    }
}
