using System.Data.Common;
using System.Globalization;
using System.Text;
using CmPortal.Core.Persistence;
using CmPortal.Modules.Inbox.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Mentions;

/// <summary>
/// The INSERTs of an ingest batch, without EF's change tracker (docs/inbox.md, "Figures": tracking a thousand entities
/// cost more than everything else of an ingest), inside the caller's transaction. PostgreSQL: multi-row statements of
/// <see cref="RowsPerStatement"/> mentions, each returning the new ids (one round trip per hundred rows). SQLite: one
/// single-row statement prepared once and run per row — there is no round trip to save in-process, and SQLite finds a
/// named parameter by a linear search of the statement's names, so binding a 2,400-parameter statement cost more than
/// the INSERT itself (220 µs a mention with its full-text index, 2,400² name comparisons a statement). The values are the ones
/// EF would write — Guids as SQLite stores them (upper-case text), dates as DateTime — so EF reads the rows back the same,
/// and the full-text triggers (SQLite) or the generated column (PostgreSQL) index them as with EF.
/// </summary>
internal static class MentionInserts
{
    /// <summary>24 columns × 100 rows = 2,400 parameters a statement: under SQLite's 32,766 and PostgreSQL's 65,535.</summary>
    private const int RowsPerStatement = 100;

    private static readonly string[] Columns =
    [
        "WorkspaceId", "SourceKind", "SourceName", "ExternalId", "Url", "CanonicalUrl", "Title", "Text", "Author", "AuthorHandle",
        "AuthorFollowers", "PublishedUtc", "ReceivedUtc", "Language", "Sentiment", "SentimentScore", "SentimentCorrectedBy", "TextHash",
        "RepeatOf", "Status", "AssigneeId", "AssigneeNote", "Labels", "Version",
    ];

    private static object?[] Values(Mention m, bool postgres) =>
    [
        postgres ? m.WorkspaceId : SqliteGuid(m.WorkspaceId), m.SourceKind, m.SourceName, m.ExternalId, m.Url, m.CanonicalUrl, m.Title, m.Text,
        m.Author, m.AuthorHandle, m.AuthorFollowers, m.PublishedUtc, m.ReceivedUtc, m.Language, m.Sentiment, m.SentimentScore,
        m.SentimentCorrectedBy is { } by ? (postgres ? by : SqliteGuid(by)) : null, m.TextHash, m.RepeatOf, (int)m.Status,
        m.AssigneeId is { } who ? (postgres ? who : SqliteGuid(who)) : null, m.AssigneeNote, m.Labels, m.Version,
    ];

    /// <summary>EF Core's SQLite provider stores a Guid as its upper-case text.</summary>
    private static string SqliteGuid(Guid id) => id.ToString().ToUpperInvariant();

    /// <summary>Inserts the mentions in their order and sets each one's <see cref="Mention.Id"/>.</summary>
    public static async Task InsertAsync(InboxDbContext db, IReadOnlyList<Mention> mentions, CancellationToken ct)
    {
        if (mentions.Count == 0) return;
        var postgres = db.IsPostgres;
        if (!postgres)
        {
            // Microsoft.Data.Sqlite runs its async methods synchronously: the plain calls skip a Task per row.
            using var command = db.RawCommand(InsertSql(1));
            var parameters = new DbParameter[Columns.Length];
            for (var column = 0; column < Columns.Length; column++)
                parameters[column] = command.Bind("@p" + column.ToString(CultureInfo.InvariantCulture), null);
            command.Prepare();
            foreach (var mention in mentions)
            {
                ct.ThrowIfCancellationRequested();
                var values = Values(mention, postgres: false);
                for (var column = 0; column < values.Length; column++) parameters[column].Value = values[column] ?? DBNull.Value;
                using var reader = command.ExecuteReader();
                reader.Read();
                mention.Id = reader.GetInt64(0);
            }
            return;
        }
        for (var start = 0; start < mentions.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, mentions.Count - start);
            await using var command = db.RawCommand(InsertSql(count));
            for (var row = 0; row < count; row++)
            {
                var values = Values(mentions[start + row], postgres);
                for (var column = 0; column < values.Length; column++)
                    command.Bind("@p" + (row * Columns.Length + column).ToString(CultureInfo.InvariantCulture), values[column]);
            }
            // RETURNING gives no order to rely on: the external id (unique in a batch of one source kind) says whose id it is.
            var byExternalId = new Dictionary<string, Mention>(count, StringComparer.Ordinal);
            for (var row = 0; row < count; row++) byExternalId[mentions[start + row].ExternalId] = mentions[start + row];
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) byExternalId[reader.GetString(1)].Id = reader.GetInt64(0);
        }
    }

    /// <summary>Points repeats at their originals once those have ids: one UPDATE (RepeatOf only: the search triggers do not fire).</summary>
    public static async Task SetRepeatOfAsync(InboxDbContext db, IReadOnlyList<Mention> repeats, CancellationToken ct)
    {
        for (var start = 0; start < repeats.Count; start += 500)
        {
            var chunk = repeats.Skip(start).Take(500).ToList();
            var sql = new StringBuilder("UPDATE \"Inbox_Mentions\" SET \"RepeatOf\" = CASE \"Id\"");
            foreach (var repeat in chunk)
                sql.Append(CultureInfo.InvariantCulture, $" WHEN {repeat.Id} THEN {repeat.RepeatOf}");
            sql.Append(" END WHERE \"Id\" IN (").AppendJoin(", ", chunk.Select(r => r.Id.ToString(CultureInfo.InvariantCulture))).Append(')');
            // Our own integers, never user data: written into the statement.
            await using var command = db.RawCommand(sql.ToString());
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// The listening tags of new mentions (<see cref="Listening.ListeningTagger.SaveNewAsync"/>), as EF would write them:
    /// SQLite one prepared row at a time, PostgreSQL in statements of a thousand rows (3 parameters each).
    /// </summary>
    public static async Task InsertTagsAsync(InboxDbContext db, IReadOnlyList<Listening.MentionQueryTag> tags, CancellationToken ct)
    {
        const string head = "INSERT INTO \"Inbox_MentionQueries\" (\"QueryId\", \"MentionId\", \"PublishedUtc\") VALUES ";
        if (!db.IsPostgres)
        {
            using var command = db.RawCommand(head + "(@q, @m, @p)");
            DbParameter query = command.Bind("@q", null), mention = command.Bind("@m", null), published = command.Bind("@p", null);
            command.Prepare();
            foreach (var tag in tags)
            {
                ct.ThrowIfCancellationRequested();
                (query.Value, mention.Value, published.Value) = (tag.QueryId, tag.MentionId, tag.PublishedUtc);
                command.ExecuteNonQuery();
            }
            return;
        }
        for (var start = 0; start < tags.Count; start += 1000)
        {
            var count = Math.Min(1000, tags.Count - start);
            var sql = new StringBuilder(head);
            await using var command = db.RawCommand("");
            for (var row = 0; row < count; row++)
            {
                var tag = tags[start + row];
                var n = (row * 3).ToString(CultureInfo.InvariantCulture);
                sql.Append(row > 0 ? ", " : "").Append(CultureInfo.InvariantCulture, $"(@q{n}, @m{n}, @p{n})");
                command.Bind("@q" + n, tag.QueryId);
                command.Bind("@m" + n, tag.MentionId);
                command.Bind("@p" + n, tag.PublishedUtc);
            }
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static readonly Dictionary<int, string> InsertTexts = [];

    private static string InsertSql(int rows)
    {
        lock (InsertTexts)
        {
            if (InsertTexts.TryGetValue(rows, out var cached)) return cached;
            var sql = new StringBuilder("INSERT INTO \"Inbox_Mentions\" (")
                .AppendJoin(", ", Columns.Select(c => $"\"{c}\"")).Append(") VALUES ");
            for (var row = 0; row < rows; row++)
            {
                if (row > 0) sql.Append(", ");
                sql.Append('(').AppendJoin(", ", Columns.Select((_, c) => "@p" + (row * Columns.Length + c).ToString(CultureInfo.InvariantCulture))).Append(')');
            }
            sql.Append(" RETURNING \"Id\", \"ExternalId\"");
            return InsertTexts[rows] = sql.ToString();
        }
    }
}
