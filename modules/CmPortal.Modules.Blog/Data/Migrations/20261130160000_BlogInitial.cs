using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CmPortal.Modules.Blog.Data.Migrations;

[DbContext(typeof(BlogDbContext))]
[Migration("20261130160000_BlogInitial")]
internal sealed class BlogInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Blog_Articles",
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                WorkspaceId = table.Column<Guid>(nullable: false),
                Slug = table.Column<string>(maxLength: 80, nullable: false),
                Title = table.Column<string>(maxLength: 200, nullable: false),
                Summary = table.Column<string>(maxLength: 500, nullable: true),
                BodyMarkdown = table.Column<string>(maxLength: 100000, nullable: false),
                CoverMediaId = table.Column<Guid>(nullable: true),
                CoverAlt = table.Column<string>(maxLength: 1500, nullable: true),
                AuthorName = table.Column<string>(maxLength: 100, nullable: true),
                Tags = table.Column<string>(maxLength: 500, nullable: true),
                State = table.Column<string>(maxLength: 20, nullable: false),
                PublishedUtc = table.Column<DateTime>(nullable: true),
                UpdatedUtc = table.Column<DateTime>(nullable: false),
                Version = table.Column<int>(nullable: false),
                DeliveryKey = table.Column<string>(maxLength: 200, nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_Blog_Articles", x => x.Id));
        migrationBuilder.CreateIndex("IX_Blog_Articles_WorkspaceId_Slug", "Blog_Articles", ["WorkspaceId", "Slug"], unique: true);
        migrationBuilder.CreateIndex("IX_Blog_Articles_WorkspaceId_DeliveryKey", "Blog_Articles", ["WorkspaceId", "DeliveryKey"], unique: true);
        migrationBuilder.CreateIndex("IX_Blog_Articles_WorkspaceId_State_PublishedUtc", "Blog_Articles", ["WorkspaceId", "State", "PublishedUtc"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("Blog_Articles");
}
