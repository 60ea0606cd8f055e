using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Calendar;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Recurrence;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Publishing;

/// <summary>
/// The calendar's side of the hand-off (<see cref="IPublishingSchedule"/>): due occurrences come from the calendar's
/// own window, content is read at the last moment, outcomes go through <see cref="PostService"/>.
/// </summary>
internal sealed class PublishingSchedule(CalendarDbContext db, CalendarWindow window, PostService posts, PostLists lists, IEditorialPlan plans)
    : IPublishingSchedule
{
    public async Task<bool> IsPromotionAsync(Guid postId, CancellationToken ct = default)
    {
        var pillar = await db.Posts.AsNoTracking().Where(p => p.Id == postId).Select(p => p.Pillar).FirstOrDefaultAsync(ct);
        return pillar is not null && (await plans.CurrentAsync(ct)).Pillar(pillar) is { IsPromotion: true };
    }

    public Task<IReadOnlyDictionary<Guid, string>> ExcerptsAsync(IReadOnlyCollection<Guid> postIds, CancellationToken ct = default) =>
        lists.ExcerptsAsync(postIds, ct);

    public async Task<IReadOnlyList<ScheduledOccurrence>> DueBetweenAsync(DateTime fromUtc, DateTime toUtc, CancellationToken ct = default)
    {
        var occurrences = await window.BetweenAsync(Instant.FromDateTimeUtc(Utc(fromUtc)), Instant.FromDateTimeUtc(Utc(toUtc)),
            new CalendarFilter(State: PostState.Scheduled), ct);
        if (occurrences.Count == 0) return [];
        var ids = occurrences.Select(o => o.PostId).Distinct().ToList();
        var channels = await db.Posts.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Channels }).ToDictionaryAsync(p => p.Id, p => p.Channels, ct);
        return occurrences.Select(o => new ScheduledOccurrence(o.PostId, o.StartUtc.ToDateTimeUtc(), o.Networks,
            ChannelIdsOf(channels.GetValueOrDefault(o.PostId)))).ToList();
    }

    public async Task<DateTime?> NextOccurrenceAsync(Guid postId, DateTime fromUtc, CancellationToken ct = default)
    {
        if (!await db.Posts.AnyAsync(p => p.Id == postId && p.State == PostState.Scheduled, ct)) return null;
        // Windows that widen (a week, two months, a year and a bit): a post due soon costs a small expansion only.
        var from = Instant.FromDateTimeUtc(Utc(fromUtc));
        foreach (var days in (int[])[7, 62, 400])
        {
            var found = (await window.BetweenAsync(from, from.Plus(Duration.FromDays(days)), new CalendarFilter(State: PostState.Scheduled), ct))
                .Where(o => o.PostId == postId).Select(o => (Instant?)o.StartUtc).Min();
            if (found is { } start) return start.ToDateTimeUtc();
        }
        return null;
    }

    public async Task<ScheduledContent?> ContentAsync(Guid postId, DateTime occurrenceUtc, CancellationToken ct = default)
    {
        var post = await db.Posts.AsNoTracking().Include(p => p.Variants).FirstOrDefaultAsync(p => p.Id == postId, ct);
        // Published and Failed are publishing's own marks of a post that was scheduled: its other channels still go.
        if (post is null || post.State is not (PostState.Scheduled or PostState.Published or PostState.Failed)) return null;
        if (!GoesOutAt(post, Instant.FromDateTimeUtc(Utc(occurrenceUtc)), posts.Zone)) return null;

        var mediaIds = post.Variants.SelectMany(v => PostRules.SplitIds(v.Media ?? post.Media)).Distinct().ToList();
        // Most posts have no image: no query for them (the dispatcher reads every post it sends).
        var media = mediaIds.Count == 0 ? new Dictionary<Guid, MediaItem>()
            : await db.Media.AsNoTracking().Where(m => mediaIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var variants = post.Variants.OrderBy(v => v.Position).Select(v => VariantOf(v, post, media)).ToList();
        var approvers = await db.Comments.AsNoTracking().Where(c => c.PostId == postId && c.Kind == CommentKind.Approval && c.AuthorId != null)
            .Select(c => c.AuthorId!.Value).Distinct().ToListAsync(ct);
        return new ScheduledContent(post.Id, Utc(occurrenceUtc), PostEvents.Excerpt(post.Text), variants, ChannelIdsOf(post.Channels),
            post.AuthorId, approvers) { Version = post.Version };
    }

    public async Task<IReadOnlyDictionary<Guid, int>> VersionsAsync(IReadOnlyCollection<Guid> postIds, CancellationToken ct = default) =>
        await db.Posts.AsNoTracking().Where(p => postIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Version, ct);

    /// <summary>A variant as it goes out: its text with its link and images, then the parts of its thread (text alone).</summary>
    private ScheduledVariant VariantOf(PostVariant v, Post post, IReadOnlyDictionary<Guid, MediaItem> media)
    {
        var first = new ScheduledPart(v.Text ?? post.Text, string.IsNullOrWhiteSpace(v.Link) ? null : v.Link,
            PostRules.SplitIds(v.Media ?? post.Media).Select(id => media.GetValueOrDefault(id)).OfType<MediaItem>()
                .Select(m => new ScheduledMedia(m.Id, m.FileName, m.ContentType, m.Size, m.AltText ?? "", c => ReadAsync(m.Id, c))).ToList());
        return new ScheduledVariant(v.Network, first.Text, first.Link, first.Media)
        {
            Parts = [first, .. PostThread.Parse(v.Thread).Select(text => new ScheduledPart(text, null, []))],
        };
    }

    public async Task RecordOutcomeAsync(Guid postId, DateTime occurrenceUtc, bool published, string? message, CancellationToken ct = default) =>
        await posts.RecordPublishingAsync(postId, published, message, PostActor.System(PostActor.PublishingName), ct);

    /// <summary>Whether the post still goes out at <paramref name="at"/>: its one date, or a date of its series not skipped.</summary>
    internal static bool GoesOutAt(Post post, Instant at, DateTimeZone zone)
    {
        if (post.StartsUtc is null) return false;
        if (post.Recurrence is null || !RecurrenceRule.TryParse(post.Recurrence, out var rule, out _))
            return Instant.FromDateTimeUtc(Utc(post.StartsUtc.Value)) == at;
        if (PostRules.ParseStart(post.StartsLocal) is not { } local) return false;
        var skipped = PostRules.Split(post.SkippedDates).Select(PostRules.ParseDay).OfType<LocalDate>();
        return new Occurrences(rule, local, zone, skipped).Between(at, at + Duration.FromSeconds(1)).Any(o => o.ToInstant() == at);
    }

    private async Task<byte[]> ReadAsync(Guid mediaId, CancellationToken ct) =>
        await db.MediaFiles.AsNoTracking().Where(f => f.Id == mediaId).Select(f => f.Content).FirstOrDefaultAsync(ct) ?? [];

    private static IReadOnlyList<Guid> ChannelIdsOf(string? channels) => PostRules.SplitIds(channels);

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Utc ? t : DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc);
}
