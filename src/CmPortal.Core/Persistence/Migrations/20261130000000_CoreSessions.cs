using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Core.Persistence.Migrations;

/// <summary>Sign-in sessions kept on the server, so that ending one makes its cookie useless.</summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261130000000_CoreSessions")]
public sealed class CoreSessions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Core_Sessions",
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 64, nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                Ticket = table.Column<byte[]>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                ExpiresUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Core_Sessions", x => x.Id);
                table.ForeignKey("FK_Core_Sessions_Core_Users_UserId", x => x.UserId, "Core_Users", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_Core_Sessions_UserId", table: "Core_Sessions", column: "UserId");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Core_Sessions");
}
