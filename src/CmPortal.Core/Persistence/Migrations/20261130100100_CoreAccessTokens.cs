using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Core.Persistence.Migrations;

/// <summary>Personal access tokens for the API: only the SHA-256 of each secret, and its first characters for display.</summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261130100100_CoreAccessTokens")]
public sealed class CoreAccessTokens : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Core_AccessTokens",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Name = table.Column<string>(maxLength: 100, nullable: false),
                SecretHash = table.Column<string>(maxLength: 64, nullable: false),
                Prefix = table.Column<string>(maxLength: 8, nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                LastUsedUtc = table.Column<DateTime>(nullable: true),
                ExpiresUtc = table.Column<DateTime>(nullable: true),
                RevokedUtc = table.Column<DateTime>(nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_AccessTokens", x => x.Id);
                table.ForeignKey("FK_Core_AccessTokens_Core_Users_UserId", x => x.UserId, "Core_Users", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_Core_AccessTokens_Core_Workspaces_WorkspaceId", x => x.WorkspaceId, "Core_Workspaces", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_Core_AccessTokens_SecretHash", table: "Core_AccessTokens", column: "SecretHash", unique: true);
        migrationBuilder.CreateIndex(name: "IX_Core_AccessTokens_UserId", table: "Core_AccessTokens", column: "UserId");
        migrationBuilder.CreateIndex(name: "IX_Core_AccessTokens_WorkspaceId", table: "Core_AccessTokens", column: "WorkspaceId");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Core_AccessTokens");
}
