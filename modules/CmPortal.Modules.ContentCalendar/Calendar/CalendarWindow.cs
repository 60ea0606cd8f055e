using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Recurrence;
using System.Data.Common;
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
/// occurrences there. One plain SQL command (<see cref="WindowSql"/>) reads two indexed sets of one table (one-off posts
/// starting in the window; series started before its end and not over before its start), then the
/// recurrences are computed in memory: the calendar's pages, its JSON feed and the public API read it.
/// Ideas and archived posts are not on the calendar.
/// </summary>
internal sealed class CalendarWindow(CalendarDbContext db, WorkspaceContext workspace, SeriesExpansions expansions)
{
    public const int ExcerptLength = WindowSql.ExcerptLength;

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
        return (await ReadAsync(from, to, filter, fingerprinted: false, ct)).Occurrences();
    }

    /// <summary>
    /// The window's posts as read, with a fingerprint of everything its occurrences follow from (the zone, the window and
    /// every column of every post read): same fingerprint, same occurrences, whichever path changed a post and on whichever node.
    /// </summary>
    public async Task<WindowRead> ReadAsync(LocalDate from, LocalDate to, CalendarFilter? filter = null, CancellationToken ct = default)
    {
        var zone = Zone;
        return await ReadAsync(zone.AtStartOfDay(from).ToInstant(), zone.AtStartOfDay(to).ToInstant(), filter, fingerprinted: true, ct);
    }

    private async Task<WindowRead> ReadAsync(Instant from, Instant to, CalendarFilter? filter, bool fingerprinted, CancellationToken ct)
    {
        var zone = Zone;
        using var fingerprint = fingerprinted ? new WindowFingerprint() : null;
        fingerprint?.Add(db.CurrentWorkspaceId);
        fingerprint?.Add(zone.Id);
        fingerprint?.Add(from.ToUnixTimeTicks());
        fingerprint?.Add(to.ToUnixTimeTicks());
        var rows = await RowsAsync(from.ToDateTimeUtc(), to.ToDateTimeUtc(), filter ?? CalendarFilter.All, fingerprint, ct);
        return new WindowRead(rows, zone, from, to, expansions, fingerprint?.Finish() ?? "");
    }

    /// <summary>The command the window sends for [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), on the context's connection and transaction.</summary>
    internal DbCommand Command(DateTime fromUtc, DateTime toUtc, CalendarFilter filter) =>
        WindowSql.Command(db, db.CurrentWorkspaceId, fromUtc, toUtc, filter);

    /// <summary>The window's posts, read with a plain data reader: no entity, no change tracker; each row added to <paramref name="fingerprint"/> when given.</summary>
    private async Task<List<Row>> RowsAsync(DateTime fromUtc, DateTime toUtc, CalendarFilter filter, WindowFingerprint? fingerprint, CancellationToken ct)
    {
        var rows = new List<Row>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = Command(fromUtc, toUtc, filter);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = WindowSql.Post(reader);
                if (fingerprint is not null) row.AddTo(fingerprint);
                rows.Add(row);
            }
        }
        finally { await db.Database.CloseConnectionAsync(); }
        return rows;
    }

    /// <summary>The posts of one window as read, expanded into their occurrences on demand.</summary>
    internal sealed class WindowRead(List<Row> rows, DateTimeZone zone, Instant from, Instant to, SeriesExpansions expansions, string fingerprint)
    {
        /// <summary>SHA-256 (hex) of the workspace, the zone, the window and every column of every post read, in the order read (empty when not asked for).</summary>
        public string Fingerprint => fingerprint;

        public DateTimeZone Zone => zone;

        /// <summary>The occurrences, by start.</summary>
        public List<CalendarOccurrence> Occurrences()
        {
            var occurrences = new List<CalendarOccurrence>(rows.Count + rows.Count / 2);
            foreach (var row in rows)
            {
                if (row.Recurrence is not null && expansions.Between(row.Recurrence, row.StartsLocal, row.SkippedDates, zone, from, to) is { } series)
                {
                    foreach (var occurrence in series) occurrences.Add(row.At(occurrence.Start, occurrence.StartUtc, occurrence.Date));
                    continue;
                }
                var at = Instant.FromDateTimeUtc(row.StartsUtc);
                // The local time from the instant: a time the clocks skipped (02:30 on the spring-forward night) shows as it happens, 03:30.
                if (at >= from && at < to) occurrences.Add(row.At(at.InZone(zone).LocalDateTime, at, null));
            }
            occurrences.Sort(static (a, b) => a.StartUtc != b.StartUtc ? a.StartUtc.CompareTo(b.StartUtc) : a.PostId.CompareTo(b.PostId));
            return occurrences;
        }
    }

    /// <summary>A post of the window.</summary>
    internal sealed class Row(
        Guid id, string startsLocal, DateTime startsUtc, string? recurrence, string? skippedDates, PostState state, string? pillar,
        Guid? campaignId, string excerpt, Guid? authorId, int version, IReadOnlyList<string> networks)
    {
        public string StartsLocal => startsLocal;
        public DateTime StartsUtc => startsUtc;
        public string? Recurrence => recurrence;
        public string? SkippedDates => skippedDates;

        public CalendarOccurrence At(LocalDateTime start, Instant instant, string? occurrenceDate) =>
            new(id, occurrenceDate, start, instant, networks, state, pillar, campaignId, excerpt, recurrence is not null, authorId, version);

        /// <summary>Adds every column to the window's fingerprint.</summary>
        public void AddTo(WindowFingerprint fingerprint)
        {
            fingerprint.Add(id);
            fingerprint.Add(startsLocal);
            fingerprint.Add(startsUtc.Ticks);
            fingerprint.Add(recurrence);
            fingerprint.Add(skippedDates);
            fingerprint.Add((long)state);
            fingerprint.Add(pillar);
            fingerprint.Add(campaignId);
            fingerprint.Add(excerpt);
            fingerprint.Add(authorId);
            fingerprint.Add(version);
            fingerprint.Add(networks.Count);
            foreach (var network in networks) fingerprint.Add(network);
        }
    }
}
