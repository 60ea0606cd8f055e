using CmPortal.Modules.BrandIdentity.Contracts;

namespace CmPortal.Modules.ContentCalendar.Calendar;

/// <summary>One pillar's share of the posts of a period against the editorial line's target, in percent.</summary>
/// <param name="Index">The pillar's place in the editorial line (its colour on the calendar).</param>
internal sealed record PillarShare(string Name, int Index, bool IsPromotion, int Posts, int Share, int Target)
{
    public bool Drifts => Math.Abs(Share - Target) > MixGauge.Tolerance;
}

/// <summary>
/// The 80/20 gauge of a period: the share of value posts against the editorial line's value share, and each pillar's
/// share against its target. Shares count the occurrences that have a pillar of the editorial line; the others are
/// counted apart (<see cref="WithoutPillar"/>). A share more than <see cref="Tolerance"/> points off its target drifts.
/// </summary>
internal sealed record MixGauge(int Posts, int WithoutPillar, int ValuePosts, int PromotionPosts, int ValueShare, int ValueTarget, IReadOnlyList<PillarShare> Pillars)
{
    /// <summary>Points of difference a share may stray from its target before the gauge warns.</summary>
    public const int Tolerance = 10;

    /// <summary>Posts that have a pillar of the editorial line, the base of every share.</summary>
    public int Classified => ValuePosts + PromotionPosts;

    public bool ValueDrifts => Classified > 0 && Math.Abs(ValueShare - ValueTarget) > Tolerance;

    public bool Drifts => ValueDrifts || (Classified > 0 && Pillars.Any(p => p.Drifts));

    public static MixGauge Of(IEnumerable<CalendarOccurrence> occurrences, EditorialPlan plan)
    {
        var counts = new int[plan.Pillars.Count];
        int posts = 0, without = 0;
        foreach (var occurrence in occurrences)
        {
            posts++;
            var index = PillarIndex(plan, occurrence.Pillar);
            if (index < 0) without++;
            else counts[index]++;
        }
        var classified = counts.Sum();
        var value = plan.Pillars.Select((p, i) => p.IsPromotion ? 0 : counts[i]).Sum();
        var pillars = plan.Pillars.Select((p, i) => new PillarShare(p.Name, i, p.IsPromotion, counts[i], Percent(counts[i], classified), p.Share)).ToList();
        return new MixGauge(posts, without, value, classified - value, Percent(value, classified), plan.ValueShare, pillars);
    }

    /// <summary>The pillar's place in the editorial line, or -1 when the post has none (or one the line no longer has).</summary>
    public static int PillarIndex(EditorialPlan plan, string? pillar)
    {
        if (pillar is null) return -1;
        for (var i = 0; i < plan.Pillars.Count; i++)
            if (string.Equals(plan.Pillars[i].Name, pillar, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static int Percent(int part, int whole) => whole == 0 ? 0 : (int)Math.Round(100.0 * part / whole, MidpointRounding.AwayFromZero);
}

/// <summary>
/// The colours of pillars on the calendar, by their place in the editorial line: dark enough for white text (contrast
/// at least 4.5:1, WCAG AA) and told apart by hue. Red is kept for failed posts.
/// </summary>
internal static class PillarPalette
{
    public static readonly IReadOnlyList<string> Colours =
        ["#0b5cad", "#1b7a3d", "#8a4a00", "#7b2d8e", "#00707a", "#5c4bb5", "#6b5d00", "#a1346b"];

    /// <summary>Posts without a pillar.</summary>
    public const string None = "#4a5360";

    /// <summary>Failed posts, whatever their pillar.</summary>
    public const string Failed = "#b02a37";

    public static string Of(int index) => index < 0 ? None : Colours[index % Colours.Count];
}
