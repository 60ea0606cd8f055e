using System.Globalization;
using CmPortal.Modules.Inbox.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Listening;

/// <summary>One query's figures over the period: mentions per bucket and per sentiment.</summary>
internal sealed record QuerySeries(ListeningQuery Query, IReadOnlyList<int> Counts, int Total, int Positive, int Neutral, int Negative)
{
    public int NegativeShare => Total == 0 ? 0 : (int)Math.Round(100.0 * Negative / Total);
}

/// <summary>An author over the period: mentions, and reach (the largest follower count a source gave for them).</summary>
internal sealed record TopAuthor(string Name, string Source, int Mentions, int? Followers);

/// <summary>
/// The listening page's figures: share of voice of each query per day or week, its sentiment, the workspace's sentiment
/// trend, and the top authors. <see cref="Share"/> is each query's part of all the queries' mentions (a mention
/// matching two queries counts for both).
/// </summary>
internal sealed record ListeningFigures(int Days, bool ByWeek, IReadOnlyList<DateOnly> Buckets, IReadOnlyList<QuerySeries> Series,
    IReadOnlyList<(DateOnly Bucket, int Positive, int Neutral, int Negative)> Trend, IReadOnlyList<TopAuthor> Authors)
{
    public int AllTotal => Series.Sum(s => s.Total);
    public int Share(QuerySeries series) => AllTotal == 0 ? 0 : (int)Math.Round(100.0 * series.Total / AllTotal);
}

/// <summary>Counts for the listening page, read from the tag table's (QueryId, PublishedUtc) index and the mentions by key.</summary>
internal sealed class ListeningReport(InboxDbContext db, TimeProvider clock)
{
    public static readonly int[] Periods = [30, 90];

    public async Task<ListeningFigures> ComputeAsync(IReadOnlyList<ListeningQuery> queries, int days, bool byWeek, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var firstDay = today.AddDays(1 - days);
        var since = firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var buckets = new List<DateOnly>();
        for (var day = byWeek ? WeekOf(firstDay) : firstDay; day <= today; day = day.AddDays(byWeek ? 7 : 1)) buckets.Add(day);
        DateOnly Bucket(DateTime utc) { var day = DateOnly.FromDateTime(utc); return byWeek ? WeekOf(day) : day; }

        var ids = queries.Select(q => q.Id).ToList();
        // One row per (query, day, sentiment): a few thousand at most for 90 days, whatever the number of mentions.
        var rows = await (from t in db.MentionQueryTags
                          join m in db.Mentions on t.MentionId equals m.Id
                          where ids.Contains(t.QueryId) && t.PublishedUtc >= since
                          group t by new { t.QueryId, t.PublishedUtc.Date, m.Sentiment } into g
                          select new { g.Key.QueryId, g.Key.Date, g.Key.Sentiment, Count = g.Count() }).ToListAsync(ct);
        var series = queries.Select(q =>
        {
            var mine = rows.Where(r => r.QueryId == q.Id).ToList();
            var counts = buckets.Select(b => mine.Where(r => Bucket(r.Date) == b).Sum(r => r.Count)).ToList();
            return new QuerySeries(q, counts, mine.Sum(r => r.Count), mine.Where(r => r.Sentiment == "positive").Sum(r => r.Count),
                mine.Where(r => r.Sentiment is null or "neutral").Sum(r => r.Count), mine.Where(r => r.Sentiment == "negative").Sum(r => r.Count));
        }).ToList();

        // The sentiment trend of every mention of the workspace (listened or not), by the (WorkspaceId, PublishedUtc) index.
        var trendRows = await db.Mentions.AsNoTracking().Where(m => m.PublishedUtc >= since)
            .GroupBy(m => new { m.PublishedUtc.Date, m.Sentiment }).Select(g => new { g.Key.Date, g.Key.Sentiment, Count = g.Count() }).ToListAsync(ct);
        var trend = buckets.Select(b =>
        {
            var inBucket = trendRows.Where(r => Bucket(r.Date) == b).ToList();
            return (b, inBucket.Where(r => r.Sentiment == "positive").Sum(r => r.Count), inBucket.Where(r => r.Sentiment is null or "neutral").Sum(r => r.Count),
                inBucket.Where(r => r.Sentiment == "negative").Sum(r => r.Count));
        }).ToList();

        var authors = await db.Mentions.AsNoTracking()
            .Where(m => m.PublishedUtc >= since && (m.AuthorHandle != null || m.Author != null))
            .GroupBy(m => new { Name = m.AuthorHandle ?? m.Author, m.SourceKind })
            .Select(g => new { g.Key.Name, g.Key.SourceKind, Count = g.Count(), Followers = g.Max(m => m.AuthorFollowers) })
            .OrderByDescending(a => a.Count).ThenByDescending(a => a.Followers).Take(10).ToListAsync(ct);
        return new ListeningFigures(days, byWeek, buckets, series, trend,
            authors.Select(a => new TopAuthor(a.Name!, a.SourceKind, a.Count, a.Followers)).ToList());
    }

    /// <summary>The Monday of the day's week (ISO weeks, as French calendars show them).</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
