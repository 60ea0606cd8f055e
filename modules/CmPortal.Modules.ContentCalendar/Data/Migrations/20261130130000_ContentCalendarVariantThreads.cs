using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.ContentCalendar.Data.Migrations;

/// <summary>
/// A variant may be a thread: the parts after its text (parts 2..n) as a JSON array of strings; null for a single
/// post, which every existing variant stays. Unbounded text on SQLite and PostgreSQL.
/// </summary>
[DbContext(typeof(CalendarDbContext))]
[Migration("20261130130000_ContentCalendarVariantThreads")]
internal sealed class ContentCalendarVariantThreads : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(name: "Thread", table: "ContentCalendar_Variants", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "Thread", table: "ContentCalendar_Variants");
}
