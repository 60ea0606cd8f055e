using CmPortal.Modules.KeyDates.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.KeyDates.Data;

internal sealed class KeyDateCalendar(KeyDatesDbContext db) : IKeyDateCalendar
{
    public async Task<IReadOnlyList<KeyDateOccurrence>> BetweenAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var dates = await db.KeyDates.AsNoTracking().Where(k => k.RecursYearly || (k.Start <= to && k.End >= from)).ToListAsync(ct);
        var occurrences = new List<KeyDateOccurrence>();
        foreach (var date in dates)
        {
            if (!date.RecursYearly)
            {
                occurrences.Add(Occurrence(date, date.Start, date.End));
                continue;
            }
            var length = date.End.DayNumber - date.Start.DayNumber;
            for (var year = from.Year - 1; year <= to.Year; year++)
            {
                var start = YearlyOccurrence.InYear(date.Start, year);
                var end = start.AddDays(length);
                if (start <= to && end >= from) occurrences.Add(Occurrence(date, start, end));
            }
        }
        return occurrences.OrderBy(o => o.Start).ThenBy(o => o.Title).ToList();
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
