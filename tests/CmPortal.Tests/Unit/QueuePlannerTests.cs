using CmPortal.Modules.ContentCalendar.Queue;
using NodaTime;

namespace CmPortal.Tests.Unit;

/// <summary>"Add to queue" and "plan my week": slots, each network's target frequency, and the 80/20 balance.</summary>
public sealed class QueuePlannerTests
{
    private static readonly LocalDate Monday = new(2027, 3, 1);
    private static readonly LocalDateTime LastWeek = new(2027, 2, 22, 9, 0);
    private static readonly IReadOnlySet<(string, LocalDateTime)> Nothing = new HashSet<(string, LocalDateTime)>();

    private static SlotTime Slot(string network, IsoDayOfWeek day, int hour) => new(network, day, new LocalTime(hour, 0));

    private static PlanCandidate Post(PostKind kind, params string[] networks) => new(Guid.NewGuid(), networks, kind, kind.ToString());

    private static WeekSituation Week(LocalDateTime? now = null, HashSet<(string, LocalDateTime)>? taken = null, Dictionary<string, int>? planned = null, int value = 0, int promotion = 0) =>
        new(Monday, now ?? LastWeek, taken ?? [], planned ?? [], value, promotion);

    [Fact]
    public void Add_to_queue_takes_the_next_slot_to_come_where_none_of_the_posts_networks_has_a_post_yet()
    {
        SlotTime[] slots = [Slot("instagram", IsoDayOfWeek.Tuesday, 18), Slot("instagram", IsoDayOfWeek.Thursday, 18), Slot("facebook", IsoDayOfWeek.Wednesday, 12)];
        var wednesdayMorning = new LocalDateTime(2027, 3, 3, 9, 0);

        // Tuesday is past; Wednesday's slot is Facebook's, not Instagram's: Thursday.
        Assert.Equal(new LocalDateTime(2027, 3, 4, 18, 0), QueuePlanner.NextFree(slots, ["instagram"], wednesdayMorning, Nothing));
        // Thursday taken on Instagram: the Tuesday after.
        var taken = new HashSet<(string, LocalDateTime)> { ("instagram", new LocalDateTime(2027, 3, 4, 18, 0)) };
        Assert.Equal(new LocalDateTime(2027, 3, 9, 18, 0), QueuePlanner.NextFree(slots, ["instagram"], wednesdayMorning, taken));
        // A post for Instagram and Facebook: Facebook's slot at noon comes first.
        Assert.Equal(new LocalDateTime(2027, 3, 3, 12, 0), QueuePlanner.NextFree(slots, ["instagram", "facebook"], wednesdayMorning, taken));
        // ... unless Facebook already has a post then; and Thursday's Instagram slot is no use when Facebook posts at that hour.
        taken.Add(("facebook", new LocalDateTime(2027, 3, 3, 12, 0)));
        taken.Add(("facebook", new LocalDateTime(2027, 3, 9, 18, 0)));
        Assert.Equal(new LocalDateTime(2027, 3, 10, 12, 0), QueuePlanner.NextFree(slots, ["instagram", "facebook"], wednesdayMorning, taken));
        // No slot for the network: none.
        Assert.Null(QueuePlanner.NextFree(slots, ["linkedin"], wednesdayMorning, Nothing));
    }

    [Fact]
    public void A_week_is_planned_at_the_free_slots_to_come_only_with_posts_of_the_slots_network()
    {
        SlotTime[] slots = [Slot("instagram", IsoDayOfWeek.Monday, 9), Slot("instagram", IsoDayOfWeek.Wednesday, 9), Slot("instagram", IsoDayOfWeek.Friday, 9)];
        var linkedin = Post(PostKind.Value, "linkedin");
        var first = Post(PostKind.Value, "instagram");
        var second = Post(PostKind.Value, "instagram", "facebook");
        var third = Post(PostKind.Value, "instagram");
        // Monday's slot is past (it is Tuesday), Wednesday's is taken.
        var proposals = QueuePlanner.ProposeWeek(slots,
            Week(now: new LocalDateTime(2027, 3, 2, 8, 0), taken: [("instagram", new LocalDateTime(2027, 3, 3, 9, 0))]),
            [linkedin, first, second, third], new Dictionary<string, decimal?>(), 80);

        var only = Assert.Single(proposals);
        Assert.Equal((first.PostId, new LocalDateTime(2027, 3, 5, 9, 0), "instagram"), (only.PostId, only.At, only.SlotNetwork));
    }

    [Fact]
    public void Each_network_gets_no_more_posts_than_its_weekly_target_counting_those_already_planned()
    {
        var slots = Enumerable.Range(1, 7).SelectMany(d => new[] { Slot("instagram", (IsoDayOfWeek)d, 9), Slot("facebook", (IsoDayOfWeek)d, 12) }).ToList();
        var candidates = Enumerable.Range(0, 10).Select(_ => Post(PostKind.Value, "instagram")).Concat(Enumerable.Range(0, 10).Select(_ => Post(PostKind.Value, "facebook"))).ToList();
        var targets = new Dictionary<string, decimal?> { ["instagram"] = 4, ["facebook"] = 2 };

        var proposals = QueuePlanner.ProposeWeek(slots, Week(planned: new() { ["instagram"] = 1 }), candidates, targets, 100);
        Assert.Equal(3, proposals.Count(p => p.SlotNetwork == "instagram"));
        Assert.Equal(2, proposals.Count(p => p.SlotNetwork == "facebook"));

        // A post for both networks is not placed once one of them has reached its target.
        var both = Post(PostKind.Value, "instagram", "facebook");
        Assert.Empty(QueuePlanner.ProposeWeek(slots, Week(planned: new() { ["facebook"] = 2 }), [both], targets, 100));
    }

    [Fact]
    public void A_fractional_target_is_spread_over_the_weeks()
    {
        var weeks = Enumerable.Range(0, 8).Select(w => Monday.PlusWeeks(w)).ToList();
        Assert.Equal(4, weeks.Sum(w => QueuePlanner.WeekTarget(0.5m, w)));
        Assert.All(weeks, w => Assert.InRange(QueuePlanner.WeekTarget(0.5m, w), 0, 1));
        Assert.Equal(20, weeks.Sum(w => QueuePlanner.WeekTarget(2.5m, w)));
        Assert.All(weeks, w => Assert.InRange(QueuePlanner.WeekTarget(2.5m, w), 2, 3));
        Assert.Equal(3, QueuePlanner.WeekTarget(3, Monday));
        Assert.Equal(int.MaxValue, QueuePlanner.WeekTarget(null, Monday));
    }

    [Fact]
    public void The_week_keeps_eighty_percent_value_and_twenty_percent_promotion()
    {
        var slots = Enumerable.Range(1, 5).Select(d => Slot("instagram", (IsoDayOfWeek)d, 9)).ToList();
        // The backlog offers promotions first: the planner still places four value posts and one promotion.
        var candidates = Enumerable.Range(0, 5).Select(_ => Post(PostKind.Promotion, "instagram"))
            .Concat(Enumerable.Range(0, 5).Select(_ => Post(PostKind.Value, "instagram"))).ToList();

        var proposals = QueuePlanner.ProposeWeek(slots, Week(), candidates, new Dictionary<string, decimal?>(), 80);
        Assert.Equal(5, proposals.Count);
        Assert.Equal(4, proposals.Count(p => p.Kind == PostKind.Value));
        Assert.Equal(1, proposals.Count(p => p.Kind == PostKind.Promotion));
        Assert.Equal((4, 1), (proposals[^1].ValueAfter, proposals[^1].PromotionAfter));

        // With the week already holding a promotion, no other one is proposed; slots without a value post stay empty.
        var onlyPromotions = Enumerable.Range(0, 5).Select(_ => Post(PostKind.Promotion, "instagram")).ToList();
        Assert.Empty(QueuePlanner.ProposeWeek(slots, Week(value: 0, promotion: 1), onlyPromotions, new Dictionary<string, decimal?>(), 80));

        // Posts without a pillar fill the slots when no value post is left; they do not move the balance.
        var mixed = new List<PlanCandidate> { Post(PostKind.Unclassified, "instagram"), Post(PostKind.Value, "instagram") };
        var filled = QueuePlanner.ProposeWeek(slots, Week(), mixed, new Dictionary<string, decimal?>(), 80);
        Assert.Equal([PostKind.Value, PostKind.Unclassified], filled.Select(p => p.Kind));
    }
}
