using CmPortal.Modules.KeyDates.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.KeyDates.Data;

internal sealed class KeyDateCalendar(KeyDatesDbContext db) : IKeyDateCalendar
{
    public async Task<IReadOnlyList<KeyDateOccurrence>> BetweenAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var dates = await db.KeyDates.AsNoTracking().Where(k => k.RecursYearly || (k.Start <= to && k.End >= from)).ToListAsync(ct);
        return Occurrences(dates, from, to).Select(o => Occurrence(o.Date, o.Start, o.End)).ToList();
    }

    public async Task<IReadOnlyList<KeyDateOccurrence>> ListAsync(CancellationToken ct = default) =>
        (await db.KeyDates.AsNoTracking().OrderBy(k => k.Start).ThenBy(k => k.Title).ToListAsync(ct))
        .Select(k => Occurrence(k, k.Start, k.End)).ToList();

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
    /// <summary>The same day in another year; 29 February becomes 28 February in common years.</summary>
    public static DateOnly InYear(DateOnly date, int year) =>
        new(year, date.Month, Math.Min(date.Day, DateTime.DaysInMonth(year, date.Month)));
}
