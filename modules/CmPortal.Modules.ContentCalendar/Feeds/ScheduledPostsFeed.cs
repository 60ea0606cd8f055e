using CmPortal.Core.Calendars;
using CmPortal.Core.Localization;
using CmPortal.Core.Networks;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Recurrence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Feeds;

/// <summary>
/// The iCalendar text of a member's private feed: the current workspace's scheduled posts (and those published or
/// failed) from <see cref="DaysBack"/> days ago to a year ahead. One VEVENT per one-off post; one per recurring post,
/// with its RRULE and its skipped dates as EXDATE; an occurrence detached into a post of its own is an override of the
/// series (same UID, RECURRENCE-ID), so that calendar apps show it instead of the series' date.
/// </summary>
internal sealed class ScheduledPostsFeed(CalendarDbContext db, WorkspaceContext workspace, IClock clock, IStringLocalizer<ScheduledPostsFeed> T)
{
    public const int DaysBack = 60;

    /// <summary>Each post goes out at an instant; calendar apps show it as a short event at that time.</summary>
    public static readonly Duration Length = Duration.FromMinutes(15);

    /// <summary>The UID of a post's event: stable across refreshes and addresses (a bound host, a new port), unique per post.</summary>
    public static string Uid(Guid postId) => $"{postId}@cmportal";

    /// <param name="site">The address the feed was asked on: the events' links to the post editor start with it.</param>
    public async Task<string> WriteAsync(Uri site, CancellationToken ct = default)
    {
        var ws = workspace.Required;
        var zone = WorkspaceTime.ZoneOf(ws.TimeZone);
        var now = clock.GetCurrentInstant();
        var from = now - Duration.FromDays(DaysBack);
        var to = zone.AtStartOfDay(now.InZone(zone).Date.PlusYears(1)).ToInstant();
        var posts = await PostsAsync(from, to, ct);
        var campaigns = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);

        var series = new Dictionary<Guid, (Post Post, RecurrenceRule Rule)>();
        var single = new List<Post>();
        foreach (var post in posts)
        {
            if (post.Recurrence is not null && RecurrenceRule.TryParse(post.Recurrence, out var rule, out _)) series[post.Id] = (post, rule);
            // One-off posts (and detached occurrences) outside the window are left out; a series is kept whole.
            else if (Instant.FromDateTimeUtc(Utc(post.StartsUtc!.Value)) >= from) single.Add(post);
        }

        // A detached occurrence overrides its series' date when both are in the feed; otherwise it stands alone.
        var overrides = single.Where(p => p.SeriesId is { } id && series.ContainsKey(id) && PostRules.ParseDay(p.OccurrenceDate) is not null)
            .ToLookup(p => p.SeriesId!.Value);
        var events = new List<CalendarEvent>();
        foreach (var (post, rule) in series.Values)
        {
            if (PostRules.ParseStart(post.StartsLocal) is not { } start) continue;
            var overridden = overrides[post.Id].Select(p => PostRules.ParseDay(p.OccurrenceDate)!.Value).ToHashSet();
            // EXDATE: the dates that do not happen. A date given to an override is not one of them (RFC 5545: the
            // override replaces the occurrence; an EXDATE would take it out altogether in some apps).
            var skipped = PostRules.Split(post.SkippedDates).Select(PostRules.ParseDay).OfType<LocalDate>()
                .Where(d => !overridden.Contains(d)).Distinct().Order().Select(d => d + start.TimeOfDay).ToList();
            events.Add(Event(post, start, site, campaigns) with { RecurrenceRule = rule.ToICalendar(zone), ExceptionDates = skipped });
            foreach (var detached in overrides[post.Id])
                events.Add(Event(detached, LocalStart(detached, zone), site, campaigns) with
                {
                    Uid = Uid(post.Id), RecurrenceId = PostRules.ParseDay(detached.OccurrenceDate)!.Value + start.TimeOfDay,
                });
        }
        foreach (var post in single.Where(p => !(p.SeriesId is { } id && overrides.Contains(id) && overrides[id].Contains(p))))
            events.Add(Event(post, LocalStart(post, zone), site, campaigns));

        var header = new CalendarHeader("-//CmPortal//Content calendar//FR", T["{0} — posts", ws.Name].Value, ws.TimeZone);
        return ICalendarWriter.Write(header, events, now);
    }

    /// <summary>Scheduled, published and failed posts whose first occurrence is before the window's end and last one not before its start.</summary>
    private async Task<List<Post>> PostsAsync(Instant from, Instant to, CancellationToken ct)
    {
        var (fromUtc, toUtc) = (from.ToDateTimeUtc(), to.ToDateTimeUtc());
        return await db.Posts.AsNoTracking().Include(p => p.Variants)
            .Where(p => p.StartsUtc != null && p.StartsUtc < toUtc && (p.EndsUtc == null || p.EndsUtc >= fromUtc)
                        && (p.State == PostState.Scheduled || p.State == PostState.Published || p.State == PostState.Failed))
            .OrderBy(p => p.StartsUtc).ThenBy(p => p.Id)
            .ToListAsync(ct);
    }

    /// <summary>
    /// SUMMARY: the networks, then the start of the text; DESCRIPTION: the main text, pillar, campaign and state (in the
    /// workspace's language); URL: the post's editor.
    /// </summary>
    private CalendarEvent Event(Post post, LocalDateTime start, Uri site, IReadOnlyDictionary<Guid, string> campaigns)
    {
        var networks = post.Variants.OrderBy(v => v.Position).Select(v => SocialNetworks.Find(v.Network)?.Name ?? v.Network).ToList();
        var excerpt = PostEvents.Excerpt(post.Text);
        var details = new List<string> { post.Text.Trim(), "" };
        if (!string.IsNullOrWhiteSpace(post.Pillar)) details.Add(T["Pillar: {0}", post.Pillar].Value);
        if (post.CampaignId is { } campaign && campaigns.TryGetValue(campaign, out var name)) details.Add(T["Campaign: {0}", name].Value);
        details.Add(T["State: {0}", T.Declared(StateNames.Of(post.State)).Value].Value);
        return new CalendarEvent
        {
            Uid = Uid(post.Id),
            Summary = networks.Count == 0 ? excerpt : $"[{string.Join(", ", networks)}] {excerpt}",
            Description = string.Join("\n", details),
            Url = new Uri(site, $"/admin/{workspace.Required.Key}/posts/{post.Id}"),
            Start = start,
            Duration = Length,
            Transparent = true,
        };
    }

    /// <summary>The local start from the instant: a time the clocks skipped shows as it happens (02:30 → 03:30), as on the calendar.</summary>
    private static LocalDateTime LocalStart(Post post, DateTimeZone zone) => Instant.FromDateTimeUtc(Utc(post.StartsUtc!.Value)).InZone(zone).LocalDateTime;

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
