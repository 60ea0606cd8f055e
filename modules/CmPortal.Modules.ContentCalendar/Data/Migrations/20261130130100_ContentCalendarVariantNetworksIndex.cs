using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.ContentCalendar.Data.Migrations;

/// <summary>
/// An index that covers the calendar window's join of posts to their networks (post, workspace, position, network),
/// so a month's thousands of posts read their networks without a lookup in the variants table for each.
/// </summary>
[DbContext(typeof(CalendarDbContext))]
[Migration("20261130130100_ContentCalendarVariantNetworksIndex")]
internal sealed class ContentCalendarVariantNetworksIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex(
            name: CalendarDbContext.VariantNetworksIndex, table: "ContentCalendar_Variants",
            columns: ["PostId", "WorkspaceId", "Position", "Network"]);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropIndex(name: CalendarDbContext.VariantNetworksIndex, table: "ContentCalendar_Variants");
}
