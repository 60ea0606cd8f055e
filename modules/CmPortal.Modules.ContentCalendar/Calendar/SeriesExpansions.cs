using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Recurrence;
using Microsoft.Extensions.Caching.Memory;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Calendar;

/// <summary>One date of a recurring post in a window: its wall-clock start, its instant, and the date ("yyyy-MM-dd").</summary>
internal sealed record SeriesOccurrence(LocalDateTime Start, Instant StartUtc, string Date);

/// <summary>
/// The occurrences of recurring posts in a window, kept in memory for a while: the calendar asks for the same month
/// again and again (each page view, each drag, the feed, the API) and a workspace's weekly series do not change between
/// two looks. The key is everything the dates follow from (the rule's text, the start, the skipped dates, the zone and
/// the window), not a version number, so an edit by any path (a form, the API, a recipe, an import, a time zone
/// change) is a new key and never reads stale dates.
/// </summary>
internal sealed class SeriesExpansions : IDisposable
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(10);

    /// <summary>Dates kept per node at most (about 100 bytes each); the least used windows go first.</summary>
    private const long MaxDatesKept = 200_000;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxDatesKept });

    public void Dispose() => cache.Dispose();

    /// <summary>The dates in [<paramref name="from"/>, <paramref name="to"/>); null when the rule does not read (the post is then a one-off).</summary>
    public IReadOnlyList<SeriesOccurrence>? Between(
        string recurrence, string startsLocal, string? skippedDates, DateTimeZone zone, Instant from, Instant to)
    {
        var key = new Key(recurrence, startsLocal, skippedDates, zone.Id, from, to);
        if (cache.TryGetValue(key, out IReadOnlyList<SeriesOccurrence>? found)) return found;
        var computed = Expand(recurrence, startsLocal, skippedDates, zone, from, to);
        cache.Set(key, computed, new MemoryCacheEntryOptions { SlidingExpiration = KeptFor, Size = 1 + (computed?.Count ?? 0) });
        return computed;
    }

    private static List<SeriesOccurrence>? Expand(string recurrence, string startsLocal, string? skippedDates, DateTimeZone zone, Instant from, Instant to)
    {
        if (!RecurrenceRule.TryParse(recurrence, out var rule, out _)) return null;
        if (PostRules.ParseStart(startsLocal) is not { } local) return [];
        var skipped = PostRules.Split(skippedDates).Select(PostRules.ParseDay).OfType<LocalDate>();
        return new Occurrences(rule, local, zone, skipped).Between(from, to)
            .Select(o => new SeriesOccurrence(o.LocalDateTime, o.ToInstant(), PostRules.Format(o.Date)))
            .ToList();
    }

    private sealed record Key(string Recurrence, string StartsLocal, string? SkippedDates, string ZoneId, Instant From, Instant To);
}
