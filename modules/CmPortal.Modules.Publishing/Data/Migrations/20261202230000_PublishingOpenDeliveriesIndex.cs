using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Publishing.Data.Migrations;

/// <summary>
/// "Is the post's occurrence done?" after each publication reads its deliveries' states from the index: with only
/// (WorkspaceId, PostId) it fetched every one of a post's rows from the table (a post on 1,000 channels: 1,000 rows
/// after each batch of publications, docs/publishing.md, "Figures").
/// </summary>
[DbContext(typeof(PublishingDbContext))]
[Migration("20261202230000_PublishingOpenDeliveriesIndex")]
internal sealed class PublishingOpenDeliveriesIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_Publishing_Deliveries_WorkspaceId_PostId", table: "Publishing_Deliveries");
        migrationBuilder.CreateIndex(name: "IX_Publishing_Deliveries_WorkspaceId_PostId_State_OccurrenceUtc", table: "Publishing_Deliveries",
            columns: ["WorkspaceId", "PostId", "State", "OccurrenceUtc"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_Publishing_Deliveries_WorkspaceId_PostId_State_OccurrenceUtc", table: "Publishing_Deliveries");
        migrationBuilder.CreateIndex(name: "IX_Publishing_Deliveries_WorkspaceId_PostId", table: "Publishing_Deliveries", columns: ["WorkspaceId", "PostId"]);
    }
}
