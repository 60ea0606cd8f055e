using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Core.Persistence.Migrations;

/// <summary>Workspaces, their modules and host names, users, roles and memberships.</summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261121000000_CoreInitial")]
public sealed class CoreInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Core_Workspaces",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Key = table.Column<string>(maxLength: 40, nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                Culture = table.Column<string>(maxLength: 10, nullable: false),
                TimeZone = table.Column<string>(maxLength: 64, nullable: false),
                SiteTheme = table.Column<string>(maxLength: 64, nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Core_Workspaces", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Core_Users",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Email = table.Column<string>(maxLength: 256, nullable: false),
                NormalizedEmail = table.Column<string>(maxLength: 256, nullable: false),
                DisplayName = table.Column<string>(maxLength: 100, nullable: false),
                PasswordHash = table.Column<string>(nullable: true),
                SecurityStamp = table.Column<string>(maxLength: 64, nullable: false),
                IsHostAdmin = table.Column<bool>(nullable: false),
                PreferredCulture = table.Column<string>(maxLength: 10, nullable: true),
                AccessFailedCount = table.Column<int>(nullable: false),
                LockoutEndUtc = table.Column<DateTime>(nullable: true),
                CreatedUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Core_Users", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Core_WorkspaceHosts",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                HostName = table.Column<string>(maxLength: 253, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_WorkspaceHosts", x => x.Id);
                table.ForeignKey("FK_Core_WorkspaceHosts_Core_Workspaces_WorkspaceId", x => x.WorkspaceId, "Core_Workspaces", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Core_WorkspaceModules",
            columns: table => new
            {
                WorkspaceId = table.Column<Guid>(nullable: false),
                ModuleId = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_WorkspaceModules", x => new { x.WorkspaceId, x.ModuleId });
                table.ForeignKey("FK_Core_WorkspaceModules_Core_Workspaces_WorkspaceId", x => x.WorkspaceId, "Core_Workspaces", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Core_Roles",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 64, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_Roles", x => x.Id);
                table.ForeignKey("FK_Core_Roles_Core_Workspaces_WorkspaceId", x => x.WorkspaceId, "Core_Workspaces", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Core_RolePermissions",
            columns: table => new
            {
                RoleId = table.Column<Guid>(nullable: false),
                Permission = table.Column<string>(maxLength: 128, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_RolePermissions", x => new { x.RoleId, x.Permission });
                table.ForeignKey("FK_Core_RolePermissions_Core_Roles_RoleId", x => x.RoleId, "Core_Roles", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "Core_Memberships",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                RoleId = table.Column<Guid>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_Memberships", x => x.Id);
                table.ForeignKey("FK_Core_Memberships_Core_Workspaces_WorkspaceId", x => x.WorkspaceId, "Core_Workspaces", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_Core_Memberships_Core_Users_UserId", x => x.UserId, "Core_Users", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_Core_Memberships_Core_Roles_RoleId", x => x.RoleId, "Core_Roles", "Id", onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateIndex("IX_Core_Workspaces_Key", "Core_Workspaces", "Key", unique: true);
        migrationBuilder.CreateIndex("IX_Core_Users_NormalizedEmail", "Core_Users", "NormalizedEmail", unique: true);
        migrationBuilder.CreateIndex("IX_Core_WorkspaceHosts_HostName", "Core_WorkspaceHosts", "HostName", unique: true);
        migrationBuilder.CreateIndex("IX_Core_WorkspaceHosts_WorkspaceId", "Core_WorkspaceHosts", "WorkspaceId");
        migrationBuilder.CreateIndex("IX_Core_Roles_WorkspaceId_Name", "Core_Roles", ["WorkspaceId", "Name"], unique: true);
        migrationBuilder.CreateIndex("IX_Core_Memberships_WorkspaceId_UserId", "Core_Memberships", ["WorkspaceId", "UserId"], unique: true);
        migrationBuilder.CreateIndex("IX_Core_Memberships_UserId", "Core_Memberships", "UserId");
        migrationBuilder.CreateIndex("IX_Core_Memberships_RoleId", "Core_Memberships", "RoleId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("Core_Memberships");
        migrationBuilder.DropTable("Core_RolePermissions");
        migrationBuilder.DropTable("Core_Roles");
        migrationBuilder.DropTable("Core_WorkspaceModules");
        migrationBuilder.DropTable("Core_WorkspaceHosts");
        migrationBuilder.DropTable("Core_Users");
        migrationBuilder.DropTable("Core_Workspaces");
    }
}
