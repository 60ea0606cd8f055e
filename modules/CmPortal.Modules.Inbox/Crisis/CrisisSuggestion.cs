using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Listening;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Crisis;

/// <summary>A negative spike in progress that may be a crisis: the query, since when, and its figures now.</summary>
internal sealed record SuggestedCrisis(string QueryName, DateTime SinceUtc, SpikeFigures Figures);

/// <summary>
/// Crisis mode "suggested by an alert" (docs/inbox.md, "Crisis mode"): while a listening query's negative spike holds
/// (the spike job keeps since when) and no crisis is declared, the crisis page suggests declaring one with a reason
/// naming the query and its figures. Declaring stays a person's act (Inbox.Crisis).
/// </summary>
internal sealed class CrisisSuggestion(InboxDbContext db, TimeProvider clock)
{
    /// <summary>The negative spikes in progress, the most recent first; empty when a crisis is already declared.</summary>
    public async Task<IReadOnlyList<SuggestedCrisis>> CurrentAsync(CancellationToken ct = default)
    {
        if (await db.Crises.AnyAsync(c => c.LiftedUtc == null, ct)) return [];
        var now = clock.GetUtcNow().UtcDateTime;
        var spikes = await db.ListeningQueries.AsNoTracking().Where(q => q.NegativeAlertSinceUtc != null)
            .OrderByDescending(q => q.NegativeAlertSinceUtc).Take(3).Select(q => new { q.Id, q.Name, Since = q.NegativeAlertSinceUtc!.Value }).ToListAsync(ct);
        var found = new List<SuggestedCrisis>(spikes.Count);
        foreach (var spike in spikes)
            found.Add(new SuggestedCrisis(spike.Name, spike.Since, await ListeningSpikeJob.FiguresAsync(db, spike.Id, now, ct)));
        return found;
    }
}
