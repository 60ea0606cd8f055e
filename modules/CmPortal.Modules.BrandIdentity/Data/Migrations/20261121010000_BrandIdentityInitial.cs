using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.BrandIdentity.Data.Migrations;

[DbContext(typeof(BrandIdentityDbContext))]
[Migration("20261121010000_BrandIdentityInitial")]
internal sealed class BrandIdentityInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "BrandIdentity_Revisions",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Document = table.Column<string>(maxLength: 20, nullable: false),
                Number = table.Column<int>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
                Author = table.Column<string>(maxLength: 256, nullable: false),
                Changes = table.Column<string>(maxLength: 8000, nullable: false),
                RestoredFrom = table.Column<int>(nullable: true),
                Content = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_BrandIdentity_Revisions", x => x.Id));
        migrationBuilder.CreateIndex("IX_BrandIdentity_Revisions_WorkspaceId_Document_Number", "BrandIdentity_Revisions",
            ["WorkspaceId", "Document", "Number"], unique: true);

        migrationBuilder.CreateTable(
            name: "BrandIdentity_Logos",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Sha256 = table.Column<string>(maxLength: 64, nullable: false),
                ContentType = table.Column<string>(maxLength: 40, nullable: false),
                Content = table.Column<byte[]>(nullable: false),
                CreatedUtc = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_BrandIdentity_Logos", x => x.Id));
        migrationBuilder.CreateIndex("IX_BrandIdentity_Logos_WorkspaceId_Sha256", "BrandIdentity_Logos", ["WorkspaceId", "Sha256"], unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("BrandIdentity_Logos");
        migrationBuilder.DropTable("BrandIdentity_Revisions");
    }
}
