using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Recurrence;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Calendar;

/// <summary>
/// One time a post goes out within a window: a one-off post, a detached occurrence (a post of its own), or one date of a
/// recurring post (<see cref="OccurrenceDate"/> then names that date, "yyyy-MM-dd").
/// </summary>
/// <param name="Start">The wall-clock start in the workspace's zone.</param>
/// <param name="StartUtc">The same start as an instant.</param>
/// <param name="Excerpt">The beginning of the main text (at most <see cref="CalendarWindow.ExcerptLength"/> characters).</param>
/// <param name="Version">The post's version, for a move based on what was read.</param>
internal sealed record CalendarOccurrence(
    Guid PostId, string? OccurrenceDate, LocalDateTime Start, Instant StartUtc, IReadOnlyList<string> Networks, PostState State,
    string? Pillar, Guid? CampaignId, string Excerpt, bool IsRecurring, Guid? AuthorId, int Version)
{
    /// <summary>The start with the zone's offset of that day ("2027-03-29T09:30:00+02:00").</summary>
    public string StartWithOffset(DateTimeZone zone)
    {
        var zoned = StartUtc.InZone(zone);
        return IsoTimes.WithOffset(zoned.LocalDateTime, zoned.Offset);
    }
}

/// <summary>What the calendar shows of the window; empty fields show everything.</summary>
internal sealed record CalendarFilter(string? Network = null, Guid? Campaign = null, string? Pillar = null, PostState? State = null, Guid? Author = null)
{
    public static readonly CalendarFilter All = new();
}

/// <summary>
/// The posts of the current workspace that go out in a window of time, recurring posts expanded into their
/// occurrences there. Two indexed queries (one-off posts starting in the window; series started before its end and
/// not over before its start), then the recurrences computed in memory: the calendar's pages, its JSON feed and the public API read it.
/// Ideas and archived posts are not on the calendar.
/// </summary>
internal sealed class CalendarWindow(CalendarDbContext db, WorkspaceContext workspace, SeriesExpansions expansions)
{
    public const int ExcerptLength = 140;

    public DateTimeZone Zone => WorkspaceTime.ZoneOf(workspace.Required.TimeZone);

    /// <summary>The occurrences from the start of <paramref name="from"/> to the start of <paramref name="to"/> (local days of the workspace), by start.</summary>
    public Task<IReadOnlyList<CalendarOccurrence>> BetweenAsync(LocalDate from, LocalDate to, CalendarFilter? filter = null, CancellationToken ct = default)
    {
        var zone = Zone;
        return BetweenAsync(zone.AtStartOfDay(from).ToInstant(), zone.AtStartOfDay(to).ToInstant(), filter, ct);
    }

    /// <summary>The occurrences starting in [<paramref name="from"/>, <paramref name="to"/>), by start.</summary>
    public async Task<IReadOnlyList<CalendarOccurrence>> BetweenAsync(Instant from, Instant to, CalendarFilter? filter = null, CancellationToken ct = default)
    {
        if (to <= from) return [];
        filter ??= CalendarFilter.All;
        var zone = Zone;
        var fromUtc = from.ToDateTimeUtc();
        var toUtc = to.ToDateTimeUtc();

        var query = db.Posts.AsNoTracking().Where(p => p.State != PostState.Archived && p.State != PostState.Idea);
        if (filter.Network is { Length: > 0 } network) query = query.Where(p => p.Variants.Any(v => v.Network == network));
        if (filter.Campaign is { } campaign) query = query.Where(p => p.CampaignId == campaign);
        if (filter.Pillar is { Length: > 0 } pillar) query = query.Where(p => p.Pillar == pillar);
        if (filter.State is { } state) query = query.Where(p => p.State == state);
        if (filter.Author is { } author) query = query.Where(p => p.AuthorId == author);

        // Two reads, each through its own partial index (CalendarDbContext): one-off posts (and detached occurrences)
        // that start in the window, then the recurring series that started before its end and are not over before
        // its start. A single "started before the end" condition would read the workspace's whole past.
        var flat = await Flat(query.Where(p => p.Recurrence == null && p.StartsUtc >= fromUtc && p.StartsUtc < toUtc)).ToListAsync(ct);
        flat.AddRange(await Flat(query.Where(p => p.Recurrence != null && p.StartsUtc < toUtc && (p.EndsUtc == null || p.EndsUtc >= fromUtc))).ToListAsync(ct));
        var rows = Rows(flat);

        var occurrences = new List<CalendarOccurrence>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Recurrence is not null && expansions.Between(row.Recurrence, row.StartsLocal, row.SkippedDates, zone, from, to) is { } series)
            {
                foreach (var occurrence in series) occurrences.Add(row.At(occurrence.Start, occurrence.StartUtc, occurrence.Date));
                continue;
            }
            var at = Instant.FromDateTimeUtc(DateTime.SpecifyKind(row.StartsUtc, DateTimeKind.Utc));
            // The local time from the instant: a time the clocks skipped (02:30 on the spring-forward night) shows as it happens, 03:30.
            if (at >= from && at < to) occurrences.Add(row.At(at.InZone(zone).LocalDateTime, at, null));
        }
        occurrences.Sort(static (a, b) => a.StartUtc != b.StartUtc ? a.StartUtc.CompareTo(b.StartUtc) : a.PostId.CompareTo(b.PostId));
        return occurrences;
    }

    /// <summary>
    /// Only what the calendar shows, one row per post and network (a long text is cut in the database): flat rows
    /// grouped here cost less than a projected collection, which makes the database sort and EF Core fix up.
    /// </summary>
    private IQueryable<FlatRow> Flat(IQueryable<Post> posts) =>
        from p in posts
        from v in db.Variants.Where(v => v.PostId == p.Id).DefaultIfEmpty()
        select new FlatRow(
            p.Id, p.StartsLocal!, p.StartsUtc!.Value, p.Recurrence, p.SkippedDates, p.State, p.Pillar, p.CampaignId,
            p.Text.Length > ExcerptLength ? p.Text.Substring(0, ExcerptLength) : p.Text, p.AuthorId, p.Version,
            v == null ? null : v.Network, v == null ? null : (int?)v.Position);

    /// <summary>The flat rows of each post together, its networks in their order.</summary>
    private static List<Row> Rows(List<FlatRow> flat)
    {
        var rows = new List<Row>();
        var byPost = new Dictionary<Guid, (Row Row, List<(int Position, string Network)> Networks)>();
        foreach (var f in flat)
        {
            if (!byPost.TryGetValue(f.Id, out var entry))
            {
                entry = (new Row(f.Id, f.StartsLocal, f.StartsUtc, f.Recurrence, f.SkippedDates, f.State, f.Pillar, f.CampaignId, f.Excerpt, f.AuthorId, f.Version, []), []);
                byPost[f.Id] = entry;
                rows.Add(entry.Row);
            }
            if (f.Network is not null) entry.Networks.Add((f.Position ?? 0, f.Network));
        }
        foreach (var (row, networks) in byPost.Values)
        {
            networks.Sort(static (a, b) => a.Position.CompareTo(b.Position));
            foreach (var (_, network) in networks) row.Networks.Add(network);
        }
        return rows;
    }

    private sealed record FlatRow(
        Guid Id, string StartsLocal, DateTime StartsUtc, string? Recurrence, string? SkippedDates, PostState State, string? Pillar,
        Guid? CampaignId, string Excerpt, Guid? AuthorId, int Version, string? Network, int? Position);

    private sealed record Row(
        Guid Id, string StartsLocal, DateTime StartsUtc, string? Recurrence, string? SkippedDates, PostState State, string? Pillar,
        Guid? CampaignId, string Excerpt, Guid? AuthorId, int Version, List<string> Networks)
    {
        public CalendarOccurrence At(LocalDateTime start, Instant instant, string? occurrenceDate) =>
            new(Id, occurrenceDate, start, instant, Networks, State, Pillar, CampaignId, Excerpt, Recurrence is not null, AuthorId, Version);
    }
}
