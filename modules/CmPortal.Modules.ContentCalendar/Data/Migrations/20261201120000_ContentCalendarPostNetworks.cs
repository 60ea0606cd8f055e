using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.ContentCalendar.Data.Migrations;

/// <summary>
/// Each post keeps its networks in order on its own row (<see cref="Post.Networks"/>, comma-separated), so the calendar
/// window reads one table; existing posts get theirs from their variants, by position (each engine's ordered aggregate).
/// </summary>
[DbContext(typeof(CalendarDbContext))]
[Migration("20261201120000_ContentCalendarPostNetworks")]
internal sealed class ContentCalendarPostNetworks : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "Networks", table: "ContentCalendar_Posts", maxLength: 400, nullable: true);
        migrationBuilder.Sql(migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL"
            ? """
              UPDATE "ContentCalendar_Posts" AS p SET "Networks" = (
                  SELECT string_agg(v."Network", ',' ORDER BY v."Position") FROM "ContentCalendar_Variants" AS v WHERE v."PostId" = p."Id");
              """
            // SQLite before 3.44 has no ORDER BY in an aggregate; group_concat takes the rows in the order the subquery gives them.
            : """
              UPDATE "ContentCalendar_Posts" SET "Networks" = (
                  SELECT group_concat(o."Network", ',') FROM (
                      SELECT v."Network" FROM "ContentCalendar_Variants" AS v
                      WHERE v."PostId" = "ContentCalendar_Posts"."Id" ORDER BY v."Position") AS o);
              """);
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "Networks", table: "ContentCalendar_Posts");
}
