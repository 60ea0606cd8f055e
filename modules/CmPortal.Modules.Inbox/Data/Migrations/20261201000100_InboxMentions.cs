using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace CmPortal.Modules.Inbox.Data.Migrations;

/// <summary>
/// The mentions and their full-text index. The table is provider-neutral; the index is not, so the migration asks
/// <see cref="MigrationBuilder.ActiveProvider"/> and writes each engine's DDL (docs/architecture.md, "Provider-specific DDL").
/// </summary>
[DbContext(typeof(InboxDbContext))]
[Migration("20261201000100_InboxMentions")]
internal sealed class InboxMentions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Inbox_Mentions",
            columns: table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                WorkspaceId = table.Column<Guid>(nullable: false),
                SourceKind = table.Column<string>(maxLength: 20, nullable: false),
                SourceName = table.Column<string>(maxLength: 100, nullable: true),
                ExternalId = table.Column<string>(maxLength: 300, nullable: false),
                Url = table.Column<string>(maxLength: 2000, nullable: true),
                CanonicalUrl = table.Column<string>(maxLength: 2000, nullable: true),
                Title = table.Column<string>(maxLength: 500, nullable: true),
                Text = table.Column<string>(maxLength: 10000, nullable: false),
                Author = table.Column<string>(maxLength: 200, nullable: true),
                AuthorHandle = table.Column<string>(maxLength: 200, nullable: true),
                AuthorFollowers = table.Column<int>(nullable: true),
                PublishedUtc = table.Column<DateTime>(nullable: false),
                ReceivedUtc = table.Column<DateTime>(nullable: false),
                Language = table.Column<string>(maxLength: 10, nullable: true),
                Sentiment = table.Column<string>(maxLength: 10, nullable: true),
                SentimentScore = table.Column<double>(nullable: true),
                SentimentCorrectedBy = table.Column<Guid>(nullable: true),
                TextHash = table.Column<long>(nullable: false),
                RepeatOf = table.Column<long>(nullable: true),
                Status = table.Column<int>(nullable: false),
                AssigneeId = table.Column<Guid>(nullable: true),
                AssigneeNote = table.Column<string>(maxLength: 1000, nullable: true),
                Labels = table.Column<string>(maxLength: 500, nullable: true),
                Version = table.Column<int>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Inbox_Mentions", x => x.Id));
        migrationBuilder.CreateIndex("IX_Inbox_Mentions_WorkspaceId_SourceKind_ExternalId", "Inbox_Mentions", ["WorkspaceId", "SourceKind", "ExternalId"], unique: true);
        migrationBuilder.CreateIndex("IX_Inbox_Mentions_WorkspaceId_CanonicalUrl", "Inbox_Mentions", ["WorkspaceId", "CanonicalUrl"]);
        migrationBuilder.CreateIndex("IX_Inbox_Mentions_WorkspaceId_PublishedUtc_Id", "Inbox_Mentions", ["WorkspaceId", "PublishedUtc", "Id"]);
        migrationBuilder.CreateIndex("IX_Inbox_Mentions_WorkspaceId_TextHash", "Inbox_Mentions", ["WorkspaceId", "TextHash"]);
        migrationBuilder.CreateIndex("IX_Inbox_Mentions_WorkspaceId_Status", "Inbox_Mentions", ["WorkspaceId", "Status"]);

        if (migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
            foreach (var sql in PostgresSearchDdl) migrationBuilder.Sql(sql);
        else
            foreach (var sql in SqliteSearchDdl) migrationBuilder.Sql(sql);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            migrationBuilder.DropTable("Inbox_Mentions");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS inbox_fold(text);");
            migrationBuilder.Sql("DROP TEXT SEARCH CONFIGURATION IF EXISTS inbox_search;");
        }
        else
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS Inbox_MentionsSearch;");
            migrationBuilder.DropTable("Inbox_Mentions");
        }
    }

    /// <summary>
    /// SQLite: an FTS5 table with EXTERNAL content (the mentions table, by its integer key): it stores only the index,
    /// not a second copy of the text (a contentless table would be as small but cannot give snippet()). Triggers keep
    /// it in step; triage updates do not touch Title/Text, so they do not fire the update trigger.
    /// </summary>
    private static readonly string[] SqliteSearchDdl =
    [
        """
        CREATE VIRTUAL TABLE Inbox_MentionsSearch USING fts5(
            Title, Text, content='Inbox_Mentions', content_rowid='Id', tokenize='unicode61 remove_diacritics 2');
        """,
        """
        CREATE TRIGGER Inbox_Mentions_SearchInsert AFTER INSERT ON Inbox_Mentions BEGIN
            INSERT INTO Inbox_MentionsSearch(rowid, Title, Text) VALUES (new.Id, new.Title, new.Text);
        END;
        """,
        """
        CREATE TRIGGER Inbox_Mentions_SearchDelete AFTER DELETE ON Inbox_Mentions BEGIN
            INSERT INTO Inbox_MentionsSearch(Inbox_MentionsSearch, rowid, Title, Text) VALUES ('delete', old.Id, old.Title, old.Text);
        END;
        """,
        """
        CREATE TRIGGER Inbox_Mentions_SearchUpdate AFTER UPDATE OF Title, Text ON Inbox_Mentions BEGIN
            INSERT INTO Inbox_MentionsSearch(Inbox_MentionsSearch, rowid, Title, Text) VALUES ('delete', old.Id, old.Title, old.Text);
            INSERT INTO Inbox_MentionsSearch(rowid, Title, Text) VALUES (new.Id, new.Title, new.Text);
        END;
        """,
    ];

    /// <summary>
    /// PostgreSQL: a text search configuration <c>inbox_search</c> (a copy of <c>simple</c>: no stemming, the same
    /// words as FTS5), with the <c>unaccent</c> dictionary in front when the server has the extension (it is trusted,
    /// so the database owner may create it). Without it, <c>inbox_fold</c> (lower + translate) strips accents from the
    /// indexed text instead, and the portal folds query words the same way before sending them. The tsvector is a
    /// STORED generated column (always in step, nothing to forget) with a GIN index.
    /// </summary>
    private static readonly string[] PostgresSearchDdl =
    [
        """
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
                BEGIN CREATE EXTENSION IF NOT EXISTS unaccent; EXCEPTION WHEN OTHERS THEN NULL; END;
            END IF;
        END $$;
        """,
        """
        CREATE FUNCTION inbox_fold(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT lower(translate(value,
                'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ',
                'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy'));
        $$;
        """,
        """
        DO $$ BEGIN
            CREATE TEXT SEARCH CONFIGURATION inbox_search (COPY = simple);
            IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
                ALTER TEXT SEARCH CONFIGURATION inbox_search ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
                EXECUTE 'ALTER TABLE "Inbox_Mentions" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS '
                    || '(to_tsvector(''inbox_search''::regconfig, coalesce("Title", '''') || '' '' || "Text")) STORED';
            ELSE
                EXECUTE 'ALTER TABLE "Inbox_Mentions" ADD COLUMN "SearchVector" tsvector GENERATED ALWAYS AS '
                    || '(to_tsvector(''inbox_search''::regconfig, inbox_fold(coalesce("Title", '''') || '' '' || "Text"))) STORED';
            END IF;
        END $$;
        """,
        """CREATE INDEX "IX_Inbox_Mentions_SearchVector" ON "Inbox_Mentions" USING GIN ("SearchVector");""",
    ];
}
