using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.BrandIdentity.Data;

namespace CmPortal.Modules.BrandIdentity.Documents;

/// <summary>The editorial line seen as a plan by other modules.</summary>
internal sealed class EditorialPlanReader(BrandIdentityStore store) : IEditorialPlan
{
    public async Task<EditorialPlan> CurrentAsync(CancellationToken ct = default)
    {
        var line = await store.CurrentEditorialLineAsync(ct);
        return new EditorialPlan(
            line.ValueShare,
            line.Pillars.Select(p => new PlanPillar(p.Name, p.Share, p.Kind == PillarKind.Promotion)).ToList(),
            line.Personas.Select(p => new PlanPersona(p.Name, p.Networks.ToList())).ToList(),
            line.Networks.Select(n => new PlanNetwork(n.Network, n.PostsPerWeek, n.MaxLength)).ToList());
    }
}
