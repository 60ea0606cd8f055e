using System.Data.Common;
using System.Globalization;
using System.Text;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Search;

/// <summary>What to search: the query as typed and the filters; paging by cursor (newest first) or by page (relevance).</summary>
internal sealed record MentionFilter
{
    public string? Q { get; init; }
    public string? Source { get; init; }
    public string? Sentiment { get; init; }
    public MentionStatus? Status { get; init; }
    public Guid? Assignee { get; init; }
    public string? Label { get; init; }
    public string? Language { get; init; }
    /// <summary>Only the mentions a listening query tagged (docs/inbox-listening.md).</summary>
    public long? QueryId { get; init; }
    public DateTime? FromUtc { get; init; }
    public DateTime? ToUtc { get; init; }
    public bool ByRelevance { get; init; }
    /// <summary>The cursor of the previous page's last mention (newest first): "{publishedTicks}-{id}".</summary>
    public string? After { get; init; }
    /// <summary>1-based, for relevance order only.</summary>
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
    /// <summary>Hidden mentions (moderation, docs/inbox-answers.md) are left out unless asked for.</summary>
    public HiddenMentions Hidden { get; init; } = HiddenMentions.Exclude;
    /// <summary>Only mentions stored after this one (ids increase as mentions come in): the list's "new mentions" notice (inbox-triage).</summary>
    public long? NewerThanId { get; init; }
}

/// <summary>Whether a search shows the mentions a moderator hid: not by default, with the others, or only them.</summary>
internal enum HiddenMentions { Exclude = 0, Include = 1, Only = 2 }

/// <summary>One result: the mention and its snippet as safe HTML (the text encoded; only the &lt;mark&gt; highlights are markup).</summary>
internal sealed record MentionHit(Mention Mention, string SnippetHtml);

/// <summary>A page of results. <see cref="Total"/> is exact up to <see cref="MentionSearch.CountCap"/>; beyond, <see cref="TotalIsAtLeast"/>.</summary>
internal sealed record MentionPage(IReadOnlyList<MentionHit> Items, int Total, bool TotalIsAtLeast, string? NextCursor, MentionQuery? Query);

/// <summary>
/// Searches a workspace's mentions with each engine's full-text index (docs/inbox.md, "How search runs").
/// Newest first must not rank or sort every match of a common term: the search counts matches up to
/// <see cref="CountCap"/> first; a search with fewer matches sorts them (cheap), one with more walks the mentions
/// newest first by the (WorkspaceId, PublishedUtc, Id) index and checks each in memory (<see cref="WalkAsync"/>),
/// stopping at the page's end; FTS5 gives the rest of a page whose matches are sparse. PostgreSQL walks the same index
/// checking each row's vector (<see cref="BoundedWalkAsync"/>), the GIN index giving a page whose matches are sparse.
/// </summary>
internal sealed class MentionSearch(InboxDbContext db, WorkspaceContext workspace)
{
    /// <summary>
    /// The count is exact up to here, "more than" beyond (<see cref="MentionPage.TotalIsAtLeast"/>). Counting reads the
    /// matches one by one with their rows (to apply the workspace and the filters): at 1M mentions, 10,000 cost 5 to
    /// 23 ms alone and 120 to 230 ms behind two filters that leave one match in 15 to 30; 1,000 cost a tenth of that.
    /// </summary>
    public const int CountCap = 1000;
    public const int MaxPageSize = 200;
    /// <summary>How many mentions the newest-first walk reads and checks (SQLite: in memory, <see cref="WalkAsync"/>; PostgreSQL: their vectors, <see cref="BoundedWalkAsync"/>) before the full-text index gives the rest.</summary>
    public const int WalkRows = 2000;
    /// <summary>When the walk's first <see cref="WalkRows"/> mentions did not fill the page: up to this many older matches are sorted, more are walked on (<see cref="WalkAsync"/>).</summary>
    public const int SortRows = 10000;
    /// <summary>PostgreSQL: how many mentions the count of a phrase reads as they come before it asks the GIN index (<see cref="CountMatchesAsync"/>).</summary>
    public const int ProbeRows = 20000;
    private const char MarkStart = '\u0002';
    private const char MarkEnd = '\u0003';

    public async Task<(MentionPage? Page, Problem? Problem)> SearchAsync(MentionFilter filter, CancellationToken ct = default)
    {
        var query = MentionQuery.Parse(filter.Q, out var problem);
        if (query is null) return (null, problem);
        if (filter.PageSize is < 1 or > MaxPageSize) return (null, new Problem("pageSize", "The page size is a number from 1 to {0}.", MaxPageSize));
        (DateTime Published, long Id)? after = null;
        if (filter.After is { Length: > 0 } cursor)
        {
            if (ParseCursor(cursor) is not { } parsed) return (null, new Problem("after", "This page address is not one the inbox gave. Start again from the first page."));
            after = parsed;
        }
        var hasText = query.Required.Count > 0;
        var postgres = db.IsPostgres;
        var sql = new SqlParts(postgres);
        var where = new StringBuilder("m.\"WorkspaceId\" = ").Append(sql.Add(postgres ? workspace.Required.Id : workspace.Required.Id.ToString().ToUpperInvariant()));
        AppendFilters(filter, sql, where);
        string? match = null;
        if (hasText) match = postgres ? TsQuery(query, sql) : sql.Add(query.ToFts5());

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // 1. How many (capped): the count that also tells a rare term from a common one.
            var total = await CountMatchesAsync(where.ToString(), match, query, filter, sql, ct);

            // 2. The page's ids, in order.
            var page = new StringBuilder(where.ToString());
            if (after is { } a && !filter.ByRelevance)
            {
                var p = sql.Add(a.Published);
                var i = sql.Add(a.Id);
                page.Append($" AND (m.\"PublishedUtc\" < {p} OR (m.\"PublishedUtc\" = {p} AND m.\"Id\" < {i}))");
            }
            var newest = "ORDER BY m.\"PublishedUtc\" DESC, m.\"Id\" DESC";
            var limit = $"LIMIT {filter.PageSize.ToString(CultureInfo.InvariantCulture)}";
            var offset = filter.ByRelevance ? $" OFFSET {((Math.Max(filter.Page, 1) - 1) * filter.PageSize).ToString(CultureInfo.InvariantCulture)}" : "";
            string idSql;
            if (!hasText) idSql = $"SELECT m.\"Id\" FROM \"Inbox_Mentions\" m WHERE {page} {newest} {limit}";
            else if (postgres)
            {
                if (!filter.ByRelevance && total > CountCap
                    && await BoundedWalkAsync(page.ToString(), match!, sql, filter.PageSize, ct) is { } walked)
                    return await PageAsync(walked, query, hasText, postgres, filter, total, ct);
                idSql = filter.ByRelevance
                    ? $"SELECT m.\"Id\" FROM \"Inbox_Mentions\" m WHERE {page} AND m.\"SearchVector\" @@ {match} ORDER BY ts_rank(m.\"SearchVector\", {match}) DESC, m.\"Id\" DESC {limit}{offset}"
                    : total <= CountCap || await FewerThanSortRowsAsync($"SELECT count(*) FROM (SELECT 1 FROM \"Inbox_Mentions\" m WHERE {page} AND m.\"SearchVector\" @@ {match} LIMIT {SortRows + 1}) c", sql, ct)
                        // Up to SortRows matches: all of them through the GIN index, then sorted. Left to itself, the
                        // planner walks the date index newest first and tests every row for a rare word (seconds at 1M
                        // mentions; a term in one mention in a thousand reads 50,000 rows for a page).
                        ? $"WITH hits AS MATERIALIZED (SELECT m.\"Id\", m.\"PublishedUtc\" FROM \"Inbox_Mentions\" m WHERE {page} AND m.\"SearchVector\" @@ {match}) " +
                          $"SELECT \"Id\" FROM hits ORDER BY \"PublishedUtc\" DESC, \"Id\" DESC {limit}"
                        : $"SELECT m.\"Id\" FROM \"Inbox_Mentions\" m WHERE {page} AND m.\"SearchVector\" @@ {match} {newest} {limit}";
            }
            else if (filter.ByRelevance)
                idSql = $"SELECT m.\"Id\" FROM Inbox_MentionsSearch s JOIN \"Inbox_Mentions\" m ON m.\"Id\" = s.rowid WHERE Inbox_MentionsSearch MATCH {match} AND {page} ORDER BY bm25(Inbox_MentionsSearch) {limit}{offset}";
            else if (total <= CountCap)
                // Few matches: take them all from the index and sort them.
                idSql = $"SELECT m.\"Id\" FROM Inbox_MentionsSearch s JOIN \"Inbox_Mentions\" m ON m.\"Id\" = s.rowid WHERE Inbox_MentionsSearch MATCH {match} AND {page} {newest} {limit}";
            else
                // Many matches: walk newest first, each mention checked in memory.
                return await PageAsync(await WalkAsync(page.ToString(), match!, sql, query, filter.PageSize, ct), query, hasText, postgres, filter, total, ct);
            var ids = new List<long>();
            await using (var reader = await ReaderAsync(idSql, sql, ct))
                while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
            return await PageAsync(ids, query, hasText, postgres, filter, total, ct);
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    /// <summary>
    /// How many mentions match (exact up to <see cref="CountCap"/>), with the same index the list's count uses; a search
    /// that does not parse counts 0. For the list's "new mentions" notice and the saved searches' counts (inbox-triage).
    /// </summary>
    public async Task<(int Count, bool IsAtLeast)> CountAsync(MentionFilter filter, CancellationToken ct = default)
    {
        var query = MentionQuery.Parse(filter.Q, out _);
        if (query is null) return (0, false);
        var postgres = db.IsPostgres;
        var sql = new SqlParts(postgres);
        var where = new StringBuilder("m.\"WorkspaceId\" = ").Append(sql.Add(postgres ? workspace.Required.Id : workspace.Required.Id.ToString().ToUpperInvariant()));
        AppendFilters(filter, sql, where);
        string? match = null;
        if (query.Required.Count > 0) match = postgres ? TsQuery(query, sql) : sql.Add(query.ToFts5());
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var total = await CountMatchesAsync(where.ToString(), match, query, filter, sql, ct);
            return (Math.Min(total, CountCap), total > CountCap);
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    /// <summary>
    /// The matches counted up to <see cref="CountCap"/> + 1 (<paramref name="match"/> null: every mention the filters keep).
    /// PostgreSQL and a phrase: the planner takes a phrase's words as independent and expects a few rows
    /// (<c>'lampe' &lt;-&gt; 'de' &lt;-&gt; 'chevet'</c>: 2,526 expected, 70,982 found at 1M mentions), so it builds the GIN
    /// bitmap of every mention holding the three words (<c>de</c> is in most French ones: 40–100 ms) before the count
    /// stops at 1,001. The count first reads up to <see cref="ProbeRows"/> mentions as they come (a sequential scan,
    /// each vector checked: 20 ms at 1M); when they hold more than the cap, that is the answer; otherwise the phrase is
    /// rare and the GIN index counts it. PostgreSQL and a date filter (and no phrase): the count walks the date index
    /// backwards within the dates (<c>ORDER BY "PublishedUtc" DESC, "Id" DESC LIMIT 1,001</c>). Left to itself the planner
    /// scans the table, expecting the dates spread evenly through it; in a table stored in date order (as an inbox is
    /// filled) that scan starts where the previous one stopped (<c>synchronize_seqscans</c>) and may read most of the
    /// table before it reaches the month asked: <c>lumen</c> + positive + June at 1M mentions, 2 ms most times and 282 ms
    /// one time in 15, against 2.1–2.6 ms by the date index.
    /// </summary>
    private async Task<int> CountMatchesAsync(string where, string? match, MentionQuery query, MentionFilter filter, SqlParts sql, CancellationToken ct)
    {
        var cap = (CountCap + 1).ToString(CultureInfo.InvariantCulture);
        if (match is null) return await IntAsync($"SELECT count(*) FROM (SELECT 1 FROM \"Inbox_Mentions\" m WHERE {where} LIMIT {cap}) c", sql, ct);
        if (!sql.Postgres)
            return await IntAsync($"SELECT count(*) FROM (SELECT 1 FROM Inbox_MentionsSearch s JOIN \"Inbox_Mentions\" m ON m.\"Id\" = s.rowid WHERE Inbox_MentionsSearch MATCH {match} AND {where} LIMIT {cap}) c", sql, ct);
        var phrase = query.Required.SelectMany(g => g).Any(t => t.Words.Count > 1);
        if (phrase)
        {
            var probed = await IntAsync($"SELECT count(*) FROM (SELECT 1 FROM (SELECT m.\"SearchVector\" FROM \"Inbox_Mentions\" m WHERE {where} " +
                $"LIMIT {ProbeRows.ToString(CultureInfo.InvariantCulture)}) s WHERE s.\"SearchVector\" @@ {match} LIMIT {cap}) c", sql, ct);
            if (probed > CountCap) return probed;
        }
        // Not for a phrase: expecting few matches, the planner would sort every candidate of its GIN bitmap by date.
        var byDate = !phrase && (filter.FromUtc is not null || filter.ToUtc is not null) ? "ORDER BY m.\"PublishedUtc\" DESC, m.\"Id\" DESC " : "";
        return await IntAsync($"SELECT count(*) FROM (SELECT 1 FROM \"Inbox_Mentions\" m WHERE {where} AND m.\"SearchVector\" @@ {match} {byDate}LIMIT {cap}) c", sql, ct);
    }

    /// <summary>
    /// PostgreSQL, newest first, more than <see cref="CountCap"/> matches: the page from the newest <see cref="WalkRows"/>
    /// mentions the filters keep, read backwards on the (WorkspaceId, PublishedUtc, Id) index, each vector checked, the
    /// walk stopping when the page is full (3–17 ms at 1M mentions for a word in 7 %, a phrase, a word behind two
    /// filters). Null when those mentions do not fill the page (sparse matches, or the end of the list): the caller
    /// sorts up to <see cref="SortRows"/> matches or lets the planner walk on. Before, a second count up to
    /// <see cref="SortRows"/> + 1 decided every such page: 100–260 ms at 1M (a GIN bitmap of 70,000 mentions, or a scan
    /// of the whole table behind the filters).
    /// </summary>
    private async Task<List<long>?> BoundedWalkAsync(string where, string match, SqlParts sql, int pageSize, CancellationToken ct)
    {
        var walk = $"SELECT w.\"Id\" FROM (SELECT m.\"Id\", m.\"PublishedUtc\", m.\"SearchVector\" FROM \"Inbox_Mentions\" m WHERE {where} " +
                   $"ORDER BY m.\"PublishedUtc\" DESC, m.\"Id\" DESC LIMIT {WalkRows.ToString(CultureInfo.InvariantCulture)}) w " +
                   $"WHERE w.\"SearchVector\" @@ {match} ORDER BY w.\"PublishedUtc\" DESC, w.\"Id\" DESC LIMIT {pageSize.ToString(CultureInfo.InvariantCulture)}";
        var ids = new List<long>(pageSize);
        await using (var reader = await ReaderAsync(walk, sql, ct))
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        return ids.Count == pageSize ? ids : null;
    }

    /// <summary>
    /// The page of a search with more than <see cref="CountCap"/> matches, newest first (SQLite): the mentions are read
    /// in date order by the (WorkspaceId, PublishedUtc, Id) index, title and text with them, and each is checked against
    /// the query in memory (<see cref="MentionText.Matcher"/>: FTS5's words and folding), until the page is full. A query
    /// to FTS5 by key per mention would cost 40 to 100 µs at a million mentions (a seek in each of the index's segments;
    /// a prefix merges all its words' lists each time); reading and checking a mention costs a few µs. When the matches
    /// are sparse (<see cref="WalkRows"/> mentions read and the page not full), the rest of the page comes from FTS5:
    /// the older matches, counted up to <see cref="SortRows"/>, are sorted when there are no more; otherwise
    /// <c>m.Id IN (SELECT rowid … MATCH …)</c> reads every match once into a temporary index, and the walk goes on from
    /// the last mention read.
    /// </summary>
    private async Task<List<long>> WalkAsync(string where, string match, SqlParts sql, MentionQuery query, int pageSize, CancellationToken ct)
    {
        const string ByDate = "INDEXED BY \"IX_Inbox_Mentions_WorkspaceId_PublishedUtc_Id\"";
        const string Newest = "ORDER BY m.\"PublishedUtc\" DESC, m.\"Id\" DESC";
        var ids = new List<long>(pageSize);
        var matcher = new MentionText.Matcher(query);
        var read = 0;
        object? lastPublished = null;
        long lastId = 0;
        var walk = $"SELECT m.\"Id\", m.\"PublishedUtc\", m.\"Title\", m.\"Text\" FROM \"Inbox_Mentions\" m {ByDate} WHERE {where} {Newest} LIMIT {WalkRows.ToString(CultureInfo.InvariantCulture)}";
        await using (var reader = await ReaderAsync(walk, sql, ct))
            while (ids.Count < pageSize && await reader.ReadAsync(ct))
            {
                read++;
                lastId = reader.GetInt64(0);
                lastPublished = reader.GetValue(1); // as stored: compared again below exactly
                if (matcher.Matches(reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3))) ids.Add(lastId);
            }
        if (ids.Count == pageSize || read < WalkRows) return ids;

        var p = sql.Add(lastPublished!);
        var i = sql.Add(lastId);
        var older = $"{where} AND (m.\"PublishedUtc\" < {p} OR (m.\"PublishedUtc\" = {p} AND m.\"Id\" < {i}))";
        var left = $"LIMIT {(pageSize - ids.Count).ToString(CultureInfo.InvariantCulture)}";
        // Up to SortRows older matches: sorted (a few ms). More: the walk goes on, each mention looked up in a temporary
        // index of every match — walking on for a term in one mention in a thousand (more than CountCap, fewer than
        // SortRows) would read 50,000 mentions of the date index, each with its filters.
        var matches = $"Inbox_MentionsSearch s JOIN \"Inbox_Mentions\" m ON m.\"Id\" = s.rowid WHERE Inbox_MentionsSearch MATCH {match} AND {older}";
        var olderMatches = Convert.ToInt32(await ScalarAsync($"SELECT count(*) FROM (SELECT 1 FROM {matches} LIMIT {SortRows + 1}) c", sql, ct), CultureInfo.InvariantCulture);
        var rest = olderMatches <= SortRows
            ? $"SELECT m.\"Id\" FROM {matches} {Newest} {left}"
            : $"SELECT m.\"Id\" FROM \"Inbox_Mentions\" m {ByDate} WHERE {older} "
              + $"AND m.\"Id\" IN (SELECT rowid FROM Inbox_MentionsSearch WHERE Inbox_MentionsSearch MATCH {match}) {Newest} {left}";
        await using (var reader = await ReaderAsync(rest, sql, ct))
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary>The page's mentions, in the order of <paramref name="ids"/>, with their snippets.</summary>
    private async Task<(MentionPage?, Problem?)> PageAsync(List<long> ids, MentionQuery query, bool hasText, bool postgres, MentionFilter filter, int total, CancellationToken ct)
    {
        // 3. The mentions and their snippets.
        var mentions = (await db.Mentions.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(ct)).ToDictionary(m => m.Id);
        // PostgreSQL marks the matches with ts_headline; for SQLite, the words are found again in the 50 texts already
        // read (MentionText), where FTS5's snippet() would query the index once per mention.
        var snippets = hasText && postgres ? await SnippetsAsync(ids, query, ct) : [];
        var items = ids.Where(mentions.ContainsKey).Select(id => new MentionHit(mentions[id],
            (snippets.TryGetValue(id, out var s) ? Html(s) : null)
            ?? (hasText && !postgres ? MentionText.SnippetHtml(query, mentions[id].Title, mentions[id].Text) : null)
            ?? Html(Excerpt(mentions[id].Text)))).ToList();
        var next = !filter.ByRelevance && items.Count == filter.PageSize
            ? Cursor(items[^1].Mention) : null;
        return (new MentionPage(items, Math.Min(total, CountCap), total > CountCap, next, query), null);
    }

    private static void AppendFilters(MentionFilter filter, SqlParts sql, StringBuilder where)
    {
        if (filter.Source is { Length: > 0 } source) where.Append(" AND m.\"SourceKind\" = ").Append(sql.Add(source));
        if (filter.Sentiment is { Length: > 0 } sentiment) where.Append(" AND m.\"Sentiment\" = ").Append(sql.Add(sentiment));
        if (filter.Status is { } status) where.Append(" AND m.\"Status\" = ").Append(sql.Add((int)status));
        if (filter.Assignee is { } assignee)
            where.Append(" AND m.\"AssigneeId\" = ").Append(sql.Add(sql.Postgres ? assignee : assignee.ToString().ToUpperInvariant()));
        if (filter.Label is { Length: > 0 } label)
        {
            var wrapped = sql.Add("|" + label.Trim().ToLowerInvariant() + "|");
            where.Append(sql.Postgres ? $" AND strpos(m.\"Labels\", {wrapped}) > 0" : $" AND instr(m.\"Labels\", {wrapped}) > 0");
        }
        if (filter.Language is { Length: > 0 } language) where.Append(" AND m.\"Language\" = ").Append(sql.Add(language.ToLowerInvariant()));
        if (filter.QueryId is { } queryId) // by the tag table's primary key (QueryId, MentionId): one seek per mention
            where.Append(" AND EXISTS (SELECT 1 FROM \"Inbox_MentionQueries\" t WHERE t.\"QueryId\" = ").Append(sql.Add(queryId)).Append(" AND t.\"MentionId\" = m.\"Id\")");
        if (filter.NewerThanId is { } newer) where.Append(" AND m.\"Id\" > ").Append(sql.Add(newer));
        if (filter.FromUtc is { } from) where.Append(" AND m.\"PublishedUtc\" >= ").Append(sql.Add(from));
        if (filter.ToUtc is { } to) where.Append(" AND m.\"PublishedUtc\" < ").Append(sql.Add(to));
        // Moderation (inbox-answers): one seek by key in the small hidden-mentions table per row.
        if (filter.Hidden != HiddenMentions.Include)
            where.Append(filter.Hidden == HiddenMentions.Only ? " AND EXISTS" : " AND NOT EXISTS")
                .Append(" (SELECT 1 FROM \"Inbox_HiddenMentions\" h WHERE h.\"MentionId\" = m.\"Id\")");
    }

    /// <summary>
    /// The PostgreSQL tsquery, built from the tree with every word a parameter: <c>phraseto_tsquery</c> for words and
    /// phrases, <c>to_tsquery</c> for prefixes from letters and digits only (so nothing in it is syntax but ours).
    /// </summary>
    private static string TsQuery(MentionQuery query, SqlParts sql)
    {
        string Term(QueryTerm term)
        {
            var words = term.Words;
            if (!term.IsPrefix) return $"phraseto_tsquery('inbox_search', {sql.Add(string.Join(' ', words))})";
            var text = string.Join(" <-> ", words.Select((w, i) => i == words.Count - 1 ? w + ":*" : w));
            return $"to_tsquery('inbox_search', {sql.Add(text)})";
        }
        var required = query.Required.Select(g => g.Count == 1 ? Term(g[0]) : "(" + string.Join(" || ", g.Select(Term)) + ")");
        var expression = string.Join(" && ", required);
        foreach (var excluded in query.Excluded) expression += $" && !!{Term(excluded)}";
        return "(" + expression + ")";
    }

    /// <summary>PostgreSQL's snippets: <c>ts_headline</c> of the page's mentions, matches between control characters.</summary>
    private async Task<Dictionary<long, string>> SnippetsAsync(List<long> ids, MentionQuery query, CancellationToken ct)
    {
        var snippets = new Dictionary<long, string>();
        if (ids.Count == 0) return snippets;
        var sql = new SqlParts(true);
        var match = TsQuery(query, sql);
        var options = sql.Add($"StartSel={MarkStart}, StopSel={MarkEnd}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \"");
        var text = $"SELECT m.\"Id\", ts_headline('inbox_search', m.\"Text\", {match}, {options}) FROM \"Inbox_Mentions\" m WHERE m.\"Id\" = ANY({sql.Add(ids.ToArray())})";
        await using var reader = await ReaderAsync(text, sql, ct);
        while (await reader.ReadAsync(ct)) if (!reader.IsDBNull(1)) snippets[reader.GetInt64(0)] = reader.GetString(1);
        return snippets;
    }

    /// <summary>HTML-encodes the text, then turns ts_headline's marks (control characters, removed from texts at ingest) into &lt;mark&gt;.</summary>
    public static string Html(string snippet) =>
        Encode(snippet).Replace(MarkStart.ToString(), "<mark>", StringComparison.Ordinal).Replace(MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);

    /// <summary>The five characters HTML gives meaning to; accents stay readable (WebUtility would write &amp;#233;).</summary>
    private static string Encode(string text) => Encode(text, new StringBuilder(text.Length + 16)).ToString();

    internal static StringBuilder Encode(ReadOnlySpan<char> text, StringBuilder builder)
    {
        foreach (var c in text)
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default: builder.Append(c); break;
            }
        return builder;
    }

    private static string Excerpt(string text) => text.Length <= 240 ? text : text[..240].TrimEnd() + "…";

    public static string Cursor(Mention mention) =>
        $"{mention.PublishedUtc.Ticks.ToString(CultureInfo.InvariantCulture)}-{mention.Id.ToString(CultureInfo.InvariantCulture)}";

    private static (DateTime, long)? ParseCursor(string cursor)
    {
        var parts = cursor.Split('-');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks is > 0 && ticks <= DateTime.MaxValue.Ticks && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? (new DateTime(ticks, DateTimeKind.Utc), id) : null;
    }

    private async Task<bool> FewerThanSortRowsAsync(string countSql, SqlParts sql, CancellationToken ct) =>
        await IntAsync(countSql, sql, ct) <= SortRows;

    private async Task<int> IntAsync(string text, SqlParts sql, CancellationToken ct) =>
        Convert.ToInt32(await ScalarAsync(text, sql, ct), CultureInfo.InvariantCulture);

    private async Task<object?> ScalarAsync(string text, SqlParts sql, CancellationToken ct)
    {
        await using var command = Command(text, sql);
        return await command.ExecuteScalarAsync(ct);
    }

    private async Task<DbDataReader> ReaderAsync(string text, SqlParts sql, CancellationToken ct) => await Command(text, sql).ExecuteReaderAsync(ct);

    private DbCommand Command(string text, SqlParts sql)
    {
        var command = db.RawCommand(text);
        foreach (var (name, value) in sql.Values) command.Bind(name, value);
        return command;
    }

    /// <summary>The parameters of one statement: every value from the user goes in one, never in the SQL text.</summary>
    private sealed class SqlParts(bool postgres)
    {
        public bool Postgres { get; } = postgres;
        public List<(string Name, object Value)> Values { get; } = [];

        public string Add(object value)
        {
            var name = "@p" + Values.Count.ToString(CultureInfo.InvariantCulture);
            Values.Add((name, value));
            return name;
        }
    }
}
