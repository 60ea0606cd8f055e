using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Calendar;
using CmPortal.Modules.ContentCalendar.Data;
using NodaTime;

namespace CmPortal.Tests.Unit;

/// <summary>The 80/20 gauge: value against promotion and each pillar against its target, warning beyond 10 points.</summary>
public sealed class MixGaugeTests
{
    private static readonly EditorialPlan Plan = new(80,
        [new PlanPillar("Savoir-faire", 50, false), new PlanPillar("Art de vivre", 30, false), new PlanPillar("Offres", 20, true)], [], []);

    private static CalendarOccurrence Of(string? pillar) =>
        new(Guid.NewGuid(), null, new LocalDateTime(2027, 3, 1, 9, 30), Instant.FromUtc(2027, 3, 1, 8, 30), ["instagram"], PostState.Draft, pillar, null, "", false, null, 1);

    [Fact]
    public void A_plan_on_target_does_not_warn_and_posts_without_pillar_are_counted_apart()
    {
        var posts = Enumerable.Repeat("Savoir-faire", 5).Concat(Enumerable.Repeat("art de vivre", 3)).Concat(["Offres", "Offres", null, "Ancien pilier"]);
        var gauge = MixGauge.Of(posts.Select(Of), Plan);
        Assert.Equal((12, 2, 8, 2, 80, 80, false), (gauge.Posts, gauge.WithoutPillar, gauge.ValuePosts, gauge.PromotionPosts, gauge.ValueShare, gauge.ValueTarget, gauge.Drifts));
        Assert.Equal([("Savoir-faire", 50, 50), ("Art de vivre", 30, 30), ("Offres", 20, 20)], gauge.Pillars.Select(p => (p.Name, p.Share, p.Target)).ToList());
    }

    [Fact]
    public void Too_much_promotion_drifts_by_more_than_ten_points_and_names_the_pillars_off_target()
    {
        // 6 value posts out of 10: 60 % against 80 %, 20 points off; "Offres" at 40 % against 20 %.
        var posts = Enumerable.Repeat("Savoir-faire", 4).Concat(Enumerable.Repeat("Art de vivre", 2)).Concat(Enumerable.Repeat("Offres", 4));
        var gauge = MixGauge.Of(posts.Select(Of), Plan);
        Assert.Equal((60, true), (gauge.ValueShare, gauge.ValueDrifts));
        Assert.Equal(["Offres"], gauge.Pillars.Where(p => p.Drifts).Select(p => p.Name).ToArray());

        // Exactly ten points off is still within the plan.
        var edge = MixGauge.Of(Enumerable.Repeat("Savoir-faire", 6).Concat(Enumerable.Repeat("Art de vivre", 3)).Concat(["Offres"]).Select(Of), Plan);
        Assert.False(edge.ValueDrifts); // 90 % against 80 %
    }

    [Fact]
    public void The_pillar_palette_keeps_white_text_readable()
    {
        static double Luminance(string hex)
        {
            double Channel(int i)
            {
                var c = Convert.ToInt32(hex.Substring(1 + 2 * i, 2), 16) / 255.0;
                return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
            }
            return 0.2126 * Channel(0) + 0.7152 * Channel(1) + 0.0722 * Channel(2);
        }
        foreach (var colour in PillarPalette.Colours.Append(PillarPalette.None).Append(PillarPalette.Failed))
            Assert.True(1.05 / (Luminance(colour) + 0.05) >= 4.5, $"{colour} is too light for white text.");
    }
}
