using System.Globalization;
using CmPortal.Core.Networks;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Recurrence;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Modules.ContentCalendar.Queue;

/// <summary>A post proposed for the week, with the post itself for the page.</summary>
internal sealed record WeekProposal(Proposal Proposal, Post Post);

/// <summary>The "plan my week" proposal: the week, its posts proposed at slots, and how far each network is from its target.</summary>
internal sealed record WeekPlan(LocalDate Monday, IReadOnlyList<WeekProposal> Proposals, IReadOnlyDictionary<string, int> Planned,
    IReadOnlyDictionary<string, int> Targets, int ValueShare, int PlannedValue, int PlannedPromotion, bool HasSlots, int Backlog);

/// <summary>One accepted line of a week's plan: the post, the version the proposal was made on, and its slot.</summary>
internal sealed record PlacedPost(Guid PostId, int Version, string StartsAt);

/// <summary>
/// The publishing queue: slots per network and weekday, "add to queue" (the next free slot) and "plan my week". Every
/// date it gives a post goes through <see cref="PostService.MoveAsync"/>, so the post rules and permissions hold.
/// </summary>
internal sealed class QueueService(CalendarDbContext db, PostService posts, IEditorialPlan plans, IClock clock, PortalConnection connection)
{
    private static readonly LocalTimePattern Hours = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public Task<List<QueueSlot>> SlotsAsync(CancellationToken ct = default) =>
        db.QueueSlots.AsNoTracking().OrderBy(s => s.Network).ThenBy(s => s.Weekday).ThenBy(s => s.Time).ToListAsync(ct);

    public async Task<IReadOnlyList<SlotTime>> SlotTimesAsync(CancellationToken ct = default) =>
        (await SlotsAsync(ct)).Select(s => new SlotTime(s.Network, (IsoDayOfWeek)s.Weekday, Hours.Parse(s.Time).Value)).ToList();

    public LocalDateTime Now => clock.GetCurrentInstant().InZone(posts.Zone).LocalDateTime;

    public async Task<IReadOnlyList<Problem>> AddSlotAsync(string? network, int weekday, string? time, PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Manage.Name)) return [new Problem(null, "You may not change the queue slots.")];
        var problems = new List<Problem>();
        if (SocialNetworks.Find(network ?? "") is null)
            problems.Add(new Problem("network", "“{0}” is not a network the portal knows. Use one of: {1}.", network ?? "", SocialNetworks.Ids));
        if (weekday is < 1 or > 7) problems.Add(new Problem("weekday", "Choose a day of the week."));
        var parsed = Hours.Parse(time?.Trim() ?? "");
        if (!parsed.Success) problems.Add(new Problem("time", "“{0}” is not a time. Write it as 18:00.", time ?? ""));
        if (problems.Count > 0) return problems;
        var text = Hours.Format(parsed.Value);
        if (await db.QueueSlots.AnyAsync(s => s.Network == network && s.Weekday == weekday && s.Time == text, ct))
            return [new Problem("time", "This slot is already in the queue.")];
        db.QueueSlots.Add(new QueueSlot { Id = Guid.NewGuid(), Network = network!, Weekday = weekday, Time = text });
        await db.SaveChangesAsync(ct);
        return [];
    }

    public async Task<bool> DeleteSlotAsync(Guid id, PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Manage.Name)) return false;
        return await db.QueueSlots.Where(s => s.Id == id).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>Which network has a post at which local time between two local times (recurring posts expanded).</summary>
    public async Task<HashSet<(string Network, LocalDateTime At)>> TakenAsync(LocalDateTime from, LocalDateTime to, CancellationToken ct = default)
    {
        var zone = posts.Zone;
        var (fromUtc, toUtc) = (zone.AtLeniently(from).ToInstant(), zone.AtLeniently(to).ToInstant());
        var (fromDate, toDate) = (fromUtc.ToDateTimeUtc(), toUtc.ToDateTimeUtc());
        var planned = await db.Posts.AsNoTracking().Include(p => p.Variants)
            .Where(p => p.StartsUtc != null && p.State != PostState.Archived && p.StartsUtc < toDate && (p.EndsUtc == null || p.EndsUtc >= fromDate))
            .ToListAsync(ct);
        var taken = new HashSet<(string, LocalDateTime)>();
        foreach (var post in planned)
            foreach (var at in LocalTimes(post, zone, fromUtc, toUtc))
                foreach (var variant in post.Variants)
                    taken.Add((variant.Network, at));
        return taken;
    }

    private static IEnumerable<LocalDateTime> LocalTimes(Post post, DateTimeZone zone, Instant from, Instant to)
    {
        if (PostRules.ParseStart(post.StartsLocal) is not { } start) return [];
        if (post.Recurrence is null || !RecurrenceRule.TryParse(post.Recurrence, out var rule, out _)) return [start];
        var skipped = PostRules.Split(post.SkippedDates).Select(PostRules.ParseDay).OfType<LocalDate>();
        return new Occurrences(rule, start, zone, skipped).Between(from, to).Select(z => z.LocalDateTime);
    }

    /// <summary>The next free slot for posts going to <paramref name="networks"/>.</summary>
    public async Task<LocalDateTime?> NextFreeAsync(IReadOnlyCollection<string> networks, CancellationToken ct = default)
    {
        var now = Now;
        var taken = await TakenAsync(now, now.PlusWeeks(QueuePlanner.HorizonWeeks + 1), ct);
        return QueuePlanner.NextFree(await SlotTimesAsync(ct), networks, now, taken);
    }

    /// <summary>The next <paramref name="count"/> free slots of each network that has slots, for the queue page.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<LocalDateTime>>> UpcomingFreeAsync(int count, CancellationToken ct = default)
    {
        var now = Now;
        var slots = await SlotTimesAsync(ct);
        var taken = await TakenAsync(now, now.PlusWeeks(QueuePlanner.HorizonWeeks + 1), ct);
        var monday = QueuePlanner.MondayOf(now.Date);
        var result = new Dictionary<string, IReadOnlyList<LocalDateTime>>();
        foreach (var network in slots.Select(s => s.Network).Distinct())
        {
            result[network] = Enumerable.Range(0, QueuePlanner.HorizonWeeks)
                .SelectMany(w => QueuePlanner.Week(slots.Where(s => s.Network == network), monday.PlusWeeks(w)))
                .Select(x => x.At).Where(at => at > now && !taken.Contains((network, at))).Take(count).ToList();
        }
        return result;
    }

    /// <summary>Gives a backlog post the next free slot of its networks.</summary>
    /// <returns>The moved post, or the problems (nothing saved).</returns>
    public async Task<PostOutcome> AddToQueueAsync(Guid postId, int version, PostActor actor, CancellationToken ct = default)
    {
        var post = await posts.FindAsync(postId, ct);
        if (post is null) return PostOutcome.NotFound;
        if (post.StartsLocal is not null) return PostOutcome.Refused(new Problem("startsAt", "This post already has a date: only a post of the backlog goes to the queue."));
        if (post.State is not (PostState.Draft or PostState.InReview or PostState.Approved))
            return PostOutcome.Refused(new Problem("state", "Only a draft, a post in review or an approved post goes to the queue; make this one a draft first."));
        var networks = post.Variants.Select(v => v.Network).ToList();
        if (networks.Count == 0) return PostOutcome.Refused(new Problem("networks", "Choose the post's networks first: the queue places a post on its networks' slots."));
        if (await NextFreeAsync(networks, ct) is not { } at)
            return PostOutcome.Refused(new Problem("startsAt", "No free queue slot for {0} in the next {1} weeks: add slots on the queue page.",
                ProblemValue.List(networks.Select(n => SocialNetworks.Find(n)?.Name ?? n)), QueuePlanner.HorizonWeeks));
        return await posts.MoveAsync(postId, version, PostRules.Format(at), actor, ct);
    }

    /// <summary>The value or promotion kind of a pillar of the editorial line.</summary>
    public static PostKind KindOf(EditorialPlan plan, string? pillar) =>
        plan.Pillar(pillar) is { } p ? (p.IsPromotion ? PostKind.Promotion : PostKind.Value) : PostKind.Unclassified;

    /// <summary>"Plan my week": proposes backlog posts for the week of <paramref name="monday"/>, nothing saved.</summary>
    public async Task<WeekPlan> ProposeWeekAsync(LocalDate monday, CancellationToken ct = default)
    {
        monday = QueuePlanner.MondayOf(monday);
        var plan = await plans.CurrentAsync(ct);
        var slots = await SlotTimesAsync(ct);
        var start = monday.AtMidnight();
        var taken = await TakenAsync(start, start.PlusWeeks(1), ct);
        var planned = taken.GroupBy(t => t.Network).ToDictionary(g => g.Key, g => g.Count());
        var (value, promotion) = await BalanceAsync(plan, start, start.PlusWeeks(1), ct);
        var backlog = await db.Posts.AsNoTracking().Include(p => p.Variants)
            .Where(p => p.StartsLocal == null && (p.State == PostState.Draft || p.State == PostState.InReview || p.State == PostState.Approved))
            .OrderBy(p => p.CreatedUtc).ToListAsync(ct);
        var candidates = backlog.Where(p => p.Variants.Count > 0)
            .Select(p => new PlanCandidate(p.Id, p.Variants.OrderBy(v => v.Position).Select(v => v.Network).ToList(), KindOf(plan, p.Pillar), p.Pillar)).ToList();
        var perWeek = plan.Networks.ToDictionary(n => n.Id, n => n.PostsPerWeek);
        var week = new WeekSituation(monday, Now, taken, planned, value, promotion);
        var proposals = QueuePlanner.ProposeWeek(slots, week, candidates, perWeek, plan.ValueShare);
        var byId = backlog.ToDictionary(p => p.Id);
        var targets = plan.Networks.Where(n => n.PostsPerWeek is not null).ToDictionary(n => n.Id, n => QueuePlanner.WeekTarget(n.PostsPerWeek, monday));
        return new WeekPlan(monday, proposals.Select(p => new WeekProposal(p, byId[p.PostId])).ToList(), planned, targets,
            plan.ValueShare, value, promotion, slots.Count > 0, backlog.Count);
    }

    /// <summary>Value and promotion posts already planned between two local times (by their pillar; one per occurrence).</summary>
    private async Task<(int Value, int Promotion)> BalanceAsync(EditorialPlan plan, LocalDateTime from, LocalDateTime to, CancellationToken ct)
    {
        var zone = posts.Zone;
        var (fromUtc, toUtc) = (zone.AtLeniently(from).ToInstant(), zone.AtLeniently(to).ToInstant());
        var (fromDate, toDate) = (fromUtc.ToDateTimeUtc(), toUtc.ToDateTimeUtc());
        var planned = await db.Posts.AsNoTracking()
            .Where(p => p.StartsUtc != null && p.Pillar != null && p.State != PostState.Archived && p.StartsUtc < toDate && (p.EndsUtc == null || p.EndsUtc >= fromDate))
            .ToListAsync(ct);
        int value = 0, promotion = 0;
        foreach (var post in planned)
        {
            var times = LocalTimes(post, zone, fromUtc, toUtc).Count(at => at >= from && at < to);
            switch (KindOf(plan, post.Pillar))
            {
                case PostKind.Value: value += times; break;
                case PostKind.Promotion: promotion += times; break;
            }
        }
        return (value, promotion);
    }

    /// <summary>
    /// Gives every accepted post its slot, in one transaction: if one cannot be placed (edited meanwhile, the slot taken
    /// since, a permission), none is, and the problems say which.
    /// </summary>
    public async Task<IReadOnlyList<(Guid PostId, Problem Problem)>> AcceptAsync(IReadOnlyList<PlacedPost> accepted, PostActor actor, CancellationToken ct = default)
    {
        var refused = new List<(Guid, Problem)>();
        if (accepted.Count == 0) return refused;
        var starts = accepted.Select(a => PostRules.ParseStart(a.StartsAt)).OfType<LocalDateTime>().ToList();
        if (starts.Count != accepted.Count) return [(Guid.Empty, new Problem(null, "The proposal is no longer valid: plan the week again."))];
        var taken = await TakenAsync(starts.Min(), starts.Max().PlusMinutes(1), ct);
        await connection.BeginTransactionAsync(ct);
        try
        {
            foreach (var placed in accepted)
            {
                var at = PostRules.ParseStart(placed.StartsAt)!.Value;
                var post = await posts.FindAsync(placed.PostId, ct);
                if (post is not null && post.Variants.Any(v => taken.Contains((v.Network, at))))
                {
                    refused.Add((placed.PostId, new Problem("startsAt", "The slot of {0} is no longer free.", at.ToDateTimeUnspecified())));
                    continue;
                }
                var outcome = await posts.MoveAsync(placed.PostId, placed.Version, placed.StartsAt, actor, ct);
                if (!outcome.Succeeded) refused.AddRange(outcome.Problems.Select(p => (placed.PostId, p)));
                else foreach (var v in post!.Variants) taken.Add((v.Network, at));
            }
            if (refused.Count > 0) await connection.RollbackAsync();
            else await connection.CommitAsync(ct);
        }
        catch
        {
            if (connection.Transaction is not null) await connection.RollbackAsync();
            throw;
        }
        return refused;
    }

    public static string FormatDay(LocalDate day) => LocalDatePattern.Iso.Format(day);

    public static LocalDate? ParseDay(string? text) =>
        LocalDatePattern.Iso.Parse(text?.Trim() ?? "") is { Success: true } r ? r.Value : null;

    internal static string Hour(LocalTime time) => time.ToString("HH':'mm", CultureInfo.InvariantCulture);
}
