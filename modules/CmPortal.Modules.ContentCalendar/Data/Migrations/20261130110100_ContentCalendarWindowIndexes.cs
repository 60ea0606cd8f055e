using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.ContentCalendar.Data.Migrations;

/// <summary>
/// The calendar window's two partial indexes: one-off posts by their start (read by the tight range [from, to)), and
/// recurring series by start and end (few rows, read apart), so that a month costs the posts of that month and the
/// series, not every post that ever started before it.
/// </summary>
[DbContext(typeof(CalendarDbContext))]
[Migration("20261130110100_ContentCalendarWindowIndexes")]
internal sealed class ContentCalendarWindowIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex(
            name: CalendarDbContext.OneOffStartsIndex, table: "ContentCalendar_Posts",
            columns: ["WorkspaceId", "StartsUtc"], filter: CalendarDbContext.OneOffFilter);
        migrationBuilder.CreateIndex(
            name: CalendarDbContext.SeriesStartsIndex, table: "ContentCalendar_Posts",
            columns: ["WorkspaceId", "StartsUtc", "EndsUtc"], filter: CalendarDbContext.SeriesFilter);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: CalendarDbContext.SeriesStartsIndex, table: "ContentCalendar_Posts");
        migrationBuilder.DropIndex(name: CalendarDbContext.OneOffStartsIndex, table: "ContentCalendar_Posts");
    }
}
