using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Core.Persistence.Migrations;

/// <summary>Data Protection's keys in the database, so every node reads the same ring (sign-in, channel secrets).</summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261130100200_CoreDataProtectionKeys")]
public sealed class CoreDataProtectionKeys : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "Core_DataProtectionKeys",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                FriendlyName = table.Column<string>(maxLength: 200, nullable: true),
                Xml = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Core_DataProtectionKeys", x => x.Id));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Core_DataProtectionKeys");
}
