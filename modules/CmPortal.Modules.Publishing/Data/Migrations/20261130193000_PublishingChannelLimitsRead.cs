using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Publishing.Data.Migrations;

/// <summary>When a channel's limits were last read from its network: they are read again once they are a day old.</summary>
[DbContext(typeof(PublishingDbContext))]
[Migration("20261130193000_PublishingChannelLimitsRead")]
internal sealed class PublishingChannelLimitsRead : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<DateTime>(name: "LimitsReadUtc", table: "Publishing_Channels", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropColumn(name: "LimitsReadUtc", table: "Publishing_Channels");
}
