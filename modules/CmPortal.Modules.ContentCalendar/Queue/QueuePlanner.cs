using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Queue;

/// <summary>What a post does for the value/promotion balance (the 80/20 of the editorial line), from its pillar.</summary>
internal enum PostKind { Value, Promotion, Unclassified }

/// <summary>A queue slot as the planner reads it: a network, a day of the week and a wall-clock time of the workspace.</summary>
internal sealed record SlotTime(string Network, IsoDayOfWeek Day, LocalTime Time);

/// <summary>A post of the backlog the planner may place, in the order it should be preferred (oldest first).</summary>
internal sealed record PlanCandidate(Guid PostId, IReadOnlyList<string> Networks, PostKind Kind, string? Pillar = null);

/// <summary>
/// The week as it already stands: what is planned (network and local time, to know which slots are free), how many
/// posts each network has that week and how many value and promotion posts, and the present time (slots before it
/// are not proposed).
/// </summary>
internal sealed record WeekSituation(
    LocalDate Monday, LocalDateTime Now, IReadOnlySet<(string Network, LocalDateTime At)> Taken,
    IReadOnlyDictionary<string, int> PlannedPerNetwork, int PlannedValue, int PlannedPromotion);

/// <summary>One post proposed at one slot, with what it does to the week's balance (the "why" the page shows).</summary>
internal sealed record Proposal(Guid PostId, LocalDateTime At, string SlotNetwork, PostKind Kind, string? Pillar, int ValueAfter, int PromotionAfter);

/// <summary>
/// Places backlog posts on queue slots. Pure (no database, no clock): the queue service gives it the slots, the
/// week's situation and the candidates, and shows or applies what it returns.
/// </summary>
internal static class QueuePlanner
{
    /// <summary>How far "add to queue" looks for a free slot.</summary>
    public const int HorizonWeeks = 12;

    /// <summary>The occurrences of the slots in the week of <paramref name="monday"/>, in time order.</summary>
    public static IEnumerable<(SlotTime Slot, LocalDateTime At)> Week(IEnumerable<SlotTime> slots, LocalDate monday) =>
        slots.Select(s => (Slot: s, At: monday.PlusDays((int)s.Day - 1).At(s.Time)))
            .OrderBy(x => x.At).ThenBy(x => x.Slot.Network, StringComparer.Ordinal);

    /// <summary>
    /// The first slot after <paramref name="now"/> of one of <paramref name="networks"/> at which none of them has a
    /// post yet (a post going to Instagram and Facebook never lands on an hour Facebook already uses); null when none
    /// within <see cref="HorizonWeeks"/> weeks.
    /// </summary>
    public static LocalDateTime? NextFree(IEnumerable<SlotTime> slots, IReadOnlyCollection<string> networks, LocalDateTime now,
        IReadOnlySet<(string Network, LocalDateTime At)> taken)
    {
        var ours = slots.Where(s => networks.Contains(s.Network)).ToList();
        if (ours.Count == 0) return null;
        var monday = MondayOf(now.Date);
        for (var week = 0; week < HorizonWeeks; week++)
            foreach (var (_, at) in Week(ours, monday.PlusWeeks(week)))
                if (at > now && networks.All(n => !taken.Contains((n, at))))
                    return at;
        return null;
    }

    public static LocalDate MondayOf(LocalDate day) => day.PlusDays(1 - (int)day.DayOfWeek);

    /// <summary>
    /// How many posts a network should have in the week of <paramref name="monday"/> for a target of
    /// <paramref name="perWeek"/>: a whole target every week, a fractional one spread over the weeks (0.5: one post every
    /// other week, 2.5: 2 then 3). Null target: no limit but the slots.
    /// </summary>
    public static int WeekTarget(decimal? perWeek, LocalDate monday)
    {
        if (perWeek is not { } target) return int.MaxValue;
        // Weeks counted from Monday 5 January 1970: floor(target × (n + 1)) − floor(target × n) averages to the target exactly.
        var n = Period.Between(new LocalDate(1970, 1, 5), monday, PeriodUnits.Days).Days / 7;
        return (int)(Math.Floor(target * (n + 1)) - Math.Floor(target * n));
    }

    /// <summary>
    /// Proposes posts for the week: each free slot to come, in time order, gets the first candidate that goes to the
    /// slot's network, whose networks all still lack posts against their target for the week and are free at that time,
    /// and whose kind best keeps the value/promotion balance near <paramref name="valueShare"/> percent of value.
    /// A promotion is only placed when it brings the balance nearer the target; a value post may always fill a slot.
    /// </summary>
    public static IReadOnlyList<Proposal> ProposeWeek(IEnumerable<SlotTime> slots, WeekSituation week, IReadOnlyList<PlanCandidate> candidates,
        IReadOnlyDictionary<string, decimal?> perWeek, int valueShare)
    {
        var taken = new HashSet<(string, LocalDateTime)>(week.Taken);
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        int Remaining(string network)
        {
            if (!remaining.TryGetValue(network, out var left))
            {
                var target = WeekTarget(perWeek.GetValueOrDefault(network), week.Monday);
                left = target == int.MaxValue ? int.MaxValue : target - week.PlannedPerNetwork.GetValueOrDefault(network);
                remaining[network] = left;
            }
            return left;
        }
        var used = new HashSet<Guid>();
        var (value, promotion) = (week.PlannedValue, week.PlannedPromotion);
        var proposals = new List<Proposal>();
        foreach (var (slot, at) in Week(slots, week.Monday))
        {
            if (at <= week.Now || taken.Contains((slot.Network, at)) || Remaining(slot.Network) <= 0) continue;
            var eligible = candidates.Where(c => !used.Contains(c.PostId) && c.Networks.Contains(slot.Network, StringComparer.Ordinal)
                && c.Networks.All(n => Remaining(n) > 0 && !taken.Contains((n, at)))).ToList();
            var pick = Preferences(value, promotion, valueShare).Select(kind => eligible.FirstOrDefault(c => c.Kind == kind)).FirstOrDefault(c => c is not null);
            if (pick is null) continue;
            used.Add(pick.PostId);
            foreach (var network in pick.Networks)
            {
                taken.Add((network, at));
                if (remaining[network] != int.MaxValue) remaining[network]--;
            }
            if (pick.Kind == PostKind.Value) value++;
            else if (pick.Kind == PostKind.Promotion) promotion++;
            proposals.Add(new Proposal(pick.PostId, at, slot.Network, pick.Kind, pick.Pillar, value, promotion));
        }
        return proposals;
    }

    /// <summary>
    /// The kinds to try, best first: a promotion when one more brings the share of promotion nearer its target than one
    /// more value post would; otherwise value, then posts without a pillar (they leave the balance as it is).
    /// </summary>
    public static IEnumerable<PostKind> Preferences(int value, int promotion, int valueShare)
    {
        var target = (100 - valueShare) / 100m;
        var total = value + promotion + 1m;
        var withPromotion = Math.Abs((promotion + 1) / total - target);
        var withValue = Math.Abs(promotion / total - target);
        return withPromotion < withValue
            ? [PostKind.Promotion, PostKind.Value, PostKind.Unclassified]
            : [PostKind.Value, PostKind.Unclassified];
    }
}
