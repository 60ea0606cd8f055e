using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.KeyDates.Data.Migrations;

[DbContext(typeof(KeyDatesDbContext))]
[Migration("20261121000100_KeyDatesInitial")]
internal sealed class KeyDatesInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "KeyDates_KeyDates",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Slug = table.Column<string>(maxLength: 80, nullable: false),
                Title = table.Column<string>(maxLength: 150, nullable: false),
                Description = table.Column<string>(maxLength: 2000, nullable: true),
                Start = table.Column<DateOnly>(nullable: false),
                End = table.Column<DateOnly>(nullable: false),
                Category = table.Column<string>(maxLength: 20, nullable: false),
                RecursYearly = table.Column<bool>(nullable: false),
                IsPublic = table.Column<bool>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_KeyDates_KeyDates", x => x.Id));
        migrationBuilder.CreateIndex("IX_KeyDates_KeyDates_WorkspaceId_Slug", "KeyDates_KeyDates", ["WorkspaceId", "Slug"], unique: true);
        migrationBuilder.CreateIndex("IX_KeyDates_KeyDates_WorkspaceId_Start", "KeyDates_KeyDates", ["WorkspaceId", "Start"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("KeyDates_KeyDates");
}
