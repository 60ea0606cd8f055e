namespace CmPortal.Modules.BrandIdentity.Contracts;

/// <summary>
/// What the editorial line says a plan of posts should look like, for the modules that plan posts (the content
/// calendar): the pillars and their target shares, whether each brings value or promotes, the personas, the
/// networks with their target frequency, and the value/promotion balance.
/// </summary>
public interface IEditorialPlan
{
    /// <summary>The current workspace's editorial line as it is saved now (empty lists when none was written).</summary>
    Task<EditorialPlan> CurrentAsync(CancellationToken ct = default);
}

/// <param name="ValueShare">Target share of value posts in percent (80 for the 80/20 balance); the rest promotes.</param>
/// <param name="Pillars">In the editorial line's order.</param>
/// <param name="Networks">The networks the editorial line has guidelines for, in its order.</param>
public sealed record EditorialPlan(
    int ValueShare, IReadOnlyList<PlanPillar> Pillars, IReadOnlyList<PlanPersona> Personas, IReadOnlyList<PlanNetwork> Networks)
{
    public PlanNetwork? Network(string id) => Networks.FirstOrDefault(n => n.Id == id);

    public PlanPillar? Pillar(string? name) =>
        name is null ? null : Pillars.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <param name="Share">Target share of posts in percent.</param>
/// <param name="IsPromotion">The pillar promotes (the "20" of 80/20); otherwise it brings value.</param>
public sealed record PlanPillar(string Name, int Share, bool IsPromotion);

public sealed record PlanPersona(string Name, IReadOnlyList<string> Networks);

/// <param name="Id">A network id of <c>CmPortal.Core.Networks.SocialNetworks</c>.</param>
/// <param name="PostsPerWeek">The target frequency, when the editorial line sets one.</param>
/// <param name="MaxLength">The brand's own limit when stricter than the network's (the draft checker applies it too).</param>
public sealed record PlanNetwork(string Id, decimal? PostsPerWeek, int? MaxLength);
