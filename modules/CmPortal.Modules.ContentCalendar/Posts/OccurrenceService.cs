using System.Globalization;
using CmPortal.Core.Validation;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Recurrence;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>What an edit of one date of a recurring post applies to.</summary>
internal enum OccurrenceScope
{
    /// <summary>Only that date: skipped, or detached into a post of its own (moved, or with its own text).</summary>
    This,

    /// <summary>That date and the later ones: the series ends before it and a new series starts on it with the edits.</summary>
    ThisAndFollowing,

    /// <summary>The whole series.</summary>
    All,
}

/// <summary>
/// Editing one date of a recurring post: skip it, detach it (a post with <see cref="Post.SeriesId"/> and
/// <see cref="Post.OccurrenceDate"/>, the date added to the series' skipped dates), split the series there, or edit it
/// all. Every change goes through <see cref="PostService"/> (permissions, validation, stale edits, history), both
/// halves in one transaction.
/// </summary>
internal sealed class OccurrenceService(CalendarDbContext db, PostService posts)
{
    /// <summary>Whether <paramref name="date"/> is a date the series goes out on (not skipped).</summary>
    public bool IsOccurrence(Post series, LocalDate date)
    {
        if (Occurrences(series) is not { } occurrences) return false;
        var zone = posts.Zone;
        return occurrences.Between(zone.AtStartOfDay(date).ToInstant(), zone.AtStartOfDay(date.PlusDays(1)).ToInstant()).Any(o => o.Date == date);
    }

    /// <summary>The date and time that occurrence goes out at, "yyyy-MM-ddTHH:mm" (the series' wall-clock time on that day).</summary>
    public static string StartOf(Post series, LocalDate date) => PostRules.Format(date + PostRules.ParseStart(series.StartsLocal)!.Value.TimeOfDay);

    /// <summary>Takes the date out of the series: it will not go out that day.</summary>
    public async Task<PostOutcome> SkipAsync(Guid seriesId, int basedOn, LocalDate date, PostActor actor, CancellationToken ct = default)
    {
        var (series, refused) = await SeriesAsync(seriesId, basedOn, date, ct);
        if (series is null) return refused!;
        var input = posts.InputOf(series);
        return await posts.UpdateAsync(seriesId, basedOn, input with { SkippedDates = [.. input.SkippedDates, PostRules.Format(date)] }, actor, ct);
    }

    /// <summary>
    /// Gives the date a post of its own, from <paramref name="edits"/> (its text, networks, time or another day): the
    /// new post names the series and the date it replaces, and the series skips that date.
    /// </summary>
    public async Task<PostOutcome> DetachAsync(Guid seriesId, int basedOn, LocalDate date, PostInput edits, PostActor actor, CancellationToken ct = default)
    {
        var (series, refused) = await SeriesAsync(seriesId, basedOn, date, ct);
        if (series is null) return refused!;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await posts.CreateAsync(edits with { Recurrence = null, SkippedDates = [] }, NewState(series.State), actor, ct);
        if (!created.Succeeded) return created;
        created.Post!.SeriesId = seriesId;
        created.Post.OccurrenceDate = PostRules.Format(date);
        await db.SaveChangesAsync(ct);

        var input = posts.InputOf(series);
        var skipped = await posts.UpdateAsync(seriesId, basedOn, input with { SkippedDates = [.. input.SkippedDates, PostRules.Format(date)] }, actor, ct);
        if (!skipped.Succeeded) return skipped;
        await transaction.CommitAsync(ct);
        return created;
    }

    /// <summary>
    /// Ends the series the day before <paramref name="date"/> (UNTIL) and starts a new series on it with
    /// <paramref name="edits"/>; a COUNT is shared out so that the two together go out as often as the one did.
    /// On the series' first date, this is editing it all.
    /// </summary>
    public async Task<PostOutcome> SplitAsync(Guid seriesId, int basedOn, LocalDate date, PostInput edits, PostActor actor, CancellationToken ct = default)
    {
        var (series, refused) = await SeriesAsync(seriesId, basedOn, date, ct);
        if (series is null) return refused!;
        var start = PostRules.ParseStart(series.StartsLocal)!.Value;
        RecurrenceRule.TryParse(series.Recurrence, out var rule, out _);
        var before = new Occurrences(rule, start, posts.Zone).Between(posts.Zone.AtLeniently(start).ToInstant(), posts.Zone.AtStartOfDay(date).ToInstant()).Count();
        if (before == 0) return await posts.UpdateAsync(seriesId, basedOn, edits, actor, ct);

        var skipped = PostRules.Split(series.SkippedDates).Select(PostRules.ParseDay).OfType<LocalDate>().ToList();
        var editedRule = RecurrenceRule.TryParse(edits.Recurrence, out var given, out _) ? given : rule;
        var newRule = rule.Count is { } count && editedRule.Count == count ? With(editedRule.ToString(), "COUNT", (count - before).ToString(CultureInfo.InvariantCulture)) : editedRule.ToString();
        var oldRule = With(With(rule.ToString(), "COUNT", null), "UNTIL", date.PlusDays(-1).ToString("yyyyMMdd", CultureInfo.InvariantCulture));

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var input = posts.InputOf(series);
        var ended = await posts.UpdateAsync(seriesId, basedOn, input with
        {
            Recurrence = oldRule,
            SkippedDates = skipped.Where(d => d < date).Select(PostRules.Format).ToList(),
        }, actor, ct);
        if (!ended.Succeeded) return ended;

        var time = PostRules.ParseStart(edits.StartsAt)?.TimeOfDay ?? start.TimeOfDay;
        var created = await posts.CreateAsync(edits with
        {
            StartsAt = PostRules.Format(date + time),
            Recurrence = newRule,
            SkippedDates = skipped.Where(d => d >= date).Select(PostRules.Format).ToList(),
        }, NewState(series.State), actor, ct);
        if (!created.Succeeded) return created;
        // Occurrences already detached from the later dates now belong to the new series.
        foreach (var detached in await db.Posts.Where(p => p.SeriesId == seriesId).ToListAsync(ct))
            if (PostRules.ParseDay(detached.OccurrenceDate) is { } day && day >= date) detached.SeriesId = created.Post!.Id;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return created;
    }

    private async Task<(Post? Series, PostOutcome? Refused)> SeriesAsync(Guid seriesId, int basedOn, LocalDate date, CancellationToken ct)
    {
        var series = await posts.FindAsync(seriesId, ct);
        if (series is null) return (null, PostOutcome.NotFound);
        if (series.Version != basedOn) return (null, PostOutcome.Conflict(series));
        if (series.Recurrence is null) return (null, PostOutcome.Refused(new Problem("occurrence", "This post does not recur: edit it as a whole.")));
        if (!IsOccurrence(series, date))
            return (null, PostOutcome.Refused(new Problem("occurrence", "The post does not go out on {0}: choose one of its dates.", date.ToDateOnly())));
        return (series, null);
    }

    private Occurrences? Occurrences(Post series) =>
        PostRules.ParseStart(series.StartsLocal) is { } start && RecurrenceRule.TryParse(series.Recurrence, out var rule, out _)
            ? new Occurrences(rule, start, posts.Zone, PostRules.Split(series.SkippedDates).Select(PostRules.ParseDay).OfType<LocalDate>())
            : null;

    /// <summary>A detached or split-off part starts as a draft (or an idea): it is new content, approved on its own.</summary>
    private static PostState NewState(PostState seriesState) => seriesState == PostState.Idea ? PostState.Idea : PostState.Draft;

    /// <summary>The rule with one part set (or removed, with null).</summary>
    private static string With(string rule, string name, string? value)
    {
        var parts = rule.Split(';', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase)).ToList();
        if (value is not null) parts.Add($"{name}={value}");
        return string.Join(';', parts);
    }
}
