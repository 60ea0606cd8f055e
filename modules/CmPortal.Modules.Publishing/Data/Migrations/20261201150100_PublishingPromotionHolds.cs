using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Publishing.Data.Migrations;

/// <summary>Crisis mode: the workspaces whose promotional posts are held ; a delivery a person sent on after its hold (HoldLifted). The new state Held is stored as text: no change there.</summary>
[DbContext(typeof(PublishingDbContext))]
[Migration("20261201150100_PublishingPromotionHolds")]
internal sealed class PublishingPromotionHolds : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>(name: "HoldLifted", table: "Publishing_Deliveries", nullable: false, defaultValue: false);
        migrationBuilder.CreateTable(
            name: "Publishing_PromotionHolds",
            columns: table => new
            {
                WorkspaceId = table.Column<Guid>(nullable: false),
                CrisisId = table.Column<Guid>(nullable: false),
                SinceUtc = table.Column<DateTime>(nullable: false),
                Reason = table.Column<string>(maxLength: 500, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Publishing_PromotionHolds", x => x.WorkspaceId));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "Publishing_PromotionHolds");
        migrationBuilder.DropColumn(name: "HoldLifted", table: "Publishing_Deliveries");
    }
}
