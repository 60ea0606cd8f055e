using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.KeyDates.Data.Migrations;

/// <summary>
/// A key date's one description becomes its internal notes (the safe side: what was written for the team stays
/// with the team), and a separate public description is what the feed and the site show.
/// </summary>
[DbContext(typeof(KeyDatesDbContext))]
[Migration("20261130000200_KeyDatesPublicDescription")]
internal sealed class KeyDatesPublicDescription : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.RenameColumn(name: "Description", table: "KeyDates_KeyDates", newName: "Notes");
        migrationBuilder.AddColumn<string>(name: "PublicDescription", table: "KeyDates_KeyDates", maxLength: 2000, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "PublicDescription", table: "KeyDates_KeyDates");
        migrationBuilder.RenameColumn(name: "Notes", table: "KeyDates_KeyDates", newName: "Description");
    }
}
