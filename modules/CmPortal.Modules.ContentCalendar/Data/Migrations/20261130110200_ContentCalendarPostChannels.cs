using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.ContentCalendar.Data.Migrations;

/// <summary>A post may name the publishing channels it goes to (empty: every active channel of its networks).</summary>
[DbContext(typeof(CalendarDbContext))]
[Migration("20261130110200_ContentCalendarPostChannels")]
internal sealed class ContentCalendarPostChannels : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "Channels", table: "ContentCalendar_Posts", maxLength: 2000, nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "Channels", table: "ContentCalendar_Posts");
}
