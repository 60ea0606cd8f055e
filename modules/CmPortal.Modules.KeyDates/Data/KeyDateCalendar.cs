using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Contracts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CmPortal.Modules.KeyDates.Data;

internal sealed class KeyDateCalendar(KeyDatesDbContext db, WorkspaceContext workspace, IClock clock) : IKeyDateCalendar
{
    public async Task<IReadOnlyList<KeyDateOccurrence>> BetweenAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var dates = await db.KeyDates.AsNoTracking().Where(k => k.RecursYearly || (k.Start <= to && k.End >= from)).ToListAsync(ct);
        return Occurrences(dates, from, to).Select(o => Occurrence(o.Date, o.Start, o.End)).ToList();
    }

    /// <summary>Every key date at its next occurrence (a yearly one on this year's days until they are over).</summary>
    public async Task<IReadOnlyList<KeyDateOccurrence>> ListAsync(CancellationToken ct = default)
    {
        var today = YearlyOccurrence.Today(workspace.Required, clock);
        return YearlyOccurrence.Upcoming(await db.KeyDates.AsNoTracking().ToListAsync(ct), today)
            .Select(o => Occurrence(o.Date, o.Start, o.End)).ToList();
    }

    /// <summary>The occurrences of <paramref name="dates"/> overlapping [from, to], yearly dates repeated, by start then title.</summary>
    public static List<(KeyDate Date, DateOnly Start, DateOnly End)> Occurrences(IEnumerable<KeyDate> dates, DateOnly from, DateOnly to)
    {
        var occurrences = new List<(KeyDate Date, DateOnly Start, DateOnly End)>();
        foreach (var date in dates)
        {
            if (!date.RecursYearly)
            {
                if (date.Start <= to && date.End >= from) occurrences.Add((date, date.Start, date.End));
                continue;
            }
            var length = date.End.DayNumber - date.Start.DayNumber;
            for (var year = from.Year - 1; year <= to.Year; year++)
            {
                var start = YearlyOccurrence.InYear(date.Start, year);
                var end = start.AddDays(length);
                if (start <= to && end >= from) occurrences.Add((date, start, end));
            }
        }
        return occurrences.OrderBy(o => o.Start).ThenBy(o => o.Date.Title, StringComparer.Ordinal).ToList();
    }

    private static KeyDateOccurrence Occurrence(KeyDate date, DateOnly start, DateOnly end) =>
        new(date.Slug, date.Title, start, end, date.Category.ToString());
}

internal static class YearlyOccurrence
{
    /// <summary>Today in the workspace's time zone.</summary>
    public static DateOnly Today(Workspace workspace, IClock clock) =>
        DateOnly.FromDateTime(workspace.LocalTime(clock.GetCurrentInstant().ToDateTimeUtc()));

    /// <summary>
    /// The days a key date comes next: a yearly one on the first of its years whose days are not over by
    /// <paramref name="today"/> (this year's Christmas, even when it is stored for next year), another on its own days.
    /// </summary>
    public static (DateOnly Start, DateOnly End) Next(KeyDate date, DateOnly today)
    {
        if (!date.RecursYearly) return (date.Start, date.End);
        var length = date.End.DayNumber - date.Start.DayNumber;
        for (var year = today.Year - 1; ; year++)
        {
            var start = InYear(date.Start, year);
            if (start.AddDays(length) >= today) return (start, start.AddDays(length));
        }
    }

    /// <summary>The key dates at their next occurrence, by its start then title.</summary>
    public static List<(KeyDate Date, DateOnly Start, DateOnly End)> Upcoming(IEnumerable<KeyDate> dates, DateOnly today) =>
        dates.Select(d => (Date: d, Next: Next(d, today)))
            .OrderBy(o => o.Next.Start).ThenBy(o => o.Date.Title, StringComparer.Ordinal)
            .Select(o => (o.Date, o.Next.Start, o.Next.End)).ToList();

    /// <summary>The same day in another year; 29 February becomes 28 February in common years.</summary>
    public static DateOnly InYear(DateOnly date, int year) =>
        new(year, date.Month, Math.Min(date.Day, DateTime.DaysInMonth(year, date.Month)));
}
