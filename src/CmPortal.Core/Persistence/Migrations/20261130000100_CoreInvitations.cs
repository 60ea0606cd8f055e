using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Core.Persistence.Migrations;

/// <summary>Invitation links to join a workspace; users whose password an administrator chose must change it.</summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261130000100_CoreInvitations")]
public sealed class CoreInvitations : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>(name: "MustChangePassword", table: "Core_Users", nullable: false, defaultValue: false);
        migrationBuilder.CreateTable(
            name: "Core_Invitations",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Email = table.Column<string>(maxLength: 256, nullable: false),
                DisplayName = table.Column<string>(maxLength: 100, nullable: true),
                RoleId = table.Column<Guid>(nullable: false),
                TokenHash = table.Column<string>(maxLength: 64, nullable: false),
                InvitedBy = table.Column<Guid>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                ExpiresUtc = table.Column<DateTime>(nullable: false),
                AcceptedUtc = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_Invitations", x => x.Id);
                table.ForeignKey("FK_Core_Invitations_Core_Workspaces_WorkspaceId", x => x.WorkspaceId, "Core_Workspaces", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_Core_Invitations_Core_Roles_RoleId", x => x.RoleId, "Core_Roles", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_Core_Invitations_RoleId", table: "Core_Invitations", column: "RoleId");
        migrationBuilder.CreateIndex(name: "IX_Core_Invitations_TokenHash", table: "Core_Invitations", column: "TokenHash", unique: true);
        migrationBuilder.CreateIndex(name: "IX_Core_Invitations_WorkspaceId", table: "Core_Invitations", column: "WorkspaceId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Core_Invitations");
        migrationBuilder.DropColumn(name: "MustChangePassword", table: "Core_Users");
    }
}
