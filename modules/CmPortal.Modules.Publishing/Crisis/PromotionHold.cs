using CmPortal.Core.Events;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Crisis;

/// <summary>
/// A workspace's promotional posts are held while a crisis lasts (one row per workspace in crisis): a promotional
/// delivery that comes due meanwhile is not sent but set <see cref="DeliveryState.Held"/>, and waits for a person to
/// send or cancel it, even after the crisis is lifted (a promotion hours late may be the wrong message).
/// </summary>
internal sealed class PromotionHold : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid CrisisId { get; set; }
    public DateTime SinceUtc { get; set; }
    public string Reason { get; set; } = "";
}

/// <summary>Starts holding when a crisis is declared (at least once: a second delivery of the event changes nothing).</summary>
internal sealed class HoldPromotionsDuringCrisis(PublishingDbContext db) : IModuleEventHandler<CrisisDeclared>
{
    public async Task HandleAsync(CrisisDeclared crisis, CancellationToken ct)
    {
        var hold = await db.PromotionHolds.FirstOrDefaultAsync(ct);
        if (hold is null) db.PromotionHolds.Add(hold = new PromotionHold());
        hold.CrisisId = crisis.CrisisId;
        hold.SinceUtc = crisis.DeclaredUtc;
        hold.Reason = crisis.Reason.Length > 500 ? crisis.Reason[..500] : crisis.Reason;
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Stops holding when the crisis that started it is lifted (a later crisis's hold stays).</summary>
internal sealed class ReleaseHoldAfterCrisis(PublishingDbContext db) : IModuleEventHandler<CrisisLifted>
{
    public async Task HandleAsync(CrisisLifted crisis, CancellationToken ct) =>
        await db.PromotionHolds.Where(h => h.CrisisId == crisis.CrisisId).ExecuteDeleteAsync(ct);
}
