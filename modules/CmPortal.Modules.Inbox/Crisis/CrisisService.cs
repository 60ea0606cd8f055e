using CmPortal.Core.Events;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Crisis;

/// <summary>Who acts on the crisis, as the record shows them.</summary>
internal sealed record CrisisActor(Guid UserId, string Name);

internal sealed record CrisisOutcome(IReadOnlyList<Problem> Problems, bool IsConflict = false, bool IsNotFound = false)
{
    public static readonly CrisisOutcome NotFound = new([], IsNotFound: true);
    public bool Succeeded => Problems.Count == 0 && !IsConflict && !IsNotFound;
    public static readonly CrisisOutcome Saved = new([]);
    public static readonly CrisisOutcome Conflict = new([new Problem(null, "Someone changed this meanwhile: reload the page and try again.")], IsConflict: true);
    public static CrisisOutcome Refused(string? field, string template, params object?[] values) => new([new Problem(field, template, values)]);
}

/// <summary>
/// Declares and lifts a workspace's crisis, and keeps its procedure. Declaring raises <see cref="CrisisDeclared"/>
/// in the same transaction (publishing then holds promotional posts); lifting raises <see cref="CrisisLifted"/>.
/// </summary>
internal sealed class CrisisService(InboxDbContext db, IModuleEvents events, TimeProvider clock)
{
    public const int MaxReason = 500;
    public const int MaxProcedure = 10000;

    public static class Fields
    {
        public const string Reason = "reason";
        public const string Procedure = "procedure";
    }

    /// <summary>The crisis in progress, or null.</summary>
    public Task<WorkspaceCrisis?> OpenAsync(CancellationToken ct = default) =>
        db.Crises.AsNoTracking().Where(c => c.LiftedUtc == null).OrderByDescending(c => c.DeclaredUtc).FirstOrDefaultAsync(ct);

    /// <summary>The workspace's crises, latest first.</summary>
    public async Task<IReadOnlyList<WorkspaceCrisis>> HistoryAsync(int take, CancellationToken ct = default) =>
        await db.Crises.AsNoTracking().OrderByDescending(c => c.DeclaredUtc).Take(take).ToListAsync(ct);

    public Task<CrisisProcedure?> ProcedureAsync(CancellationToken ct = default) => db.CrisisProcedures.AsNoTracking().FirstOrDefaultAsync(ct);

    public async Task<CrisisOutcome> DeclareAsync(string? reason, CrisisActor actor, CancellationToken ct = default)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0)
            return CrisisOutcome.Refused(Fields.Reason, "Say in a sentence what is happening: the whole team reads it in the banner.");
        if (reason.Length > MaxReason)
            return CrisisOutcome.Refused(Fields.Reason, "The reason is {0} characters long; keep it under {1}.", reason.Length, MaxReason);
        if (await OpenAsync(ct) is not null)
            return CrisisOutcome.Refused(null, "A crisis is already declared: lift it before declaring another.");
        var crisis = new WorkspaceCrisis
        {
            Id = Guid.NewGuid(), DeclaredUtc = clock.GetUtcNow().UtcDateTime, DeclaredById = actor.UserId, DeclaredByName = actor.Name, Reason = reason,
        };
        db.Crises.Add(crisis);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await events.RaiseAsync(new CrisisDeclared(crisis.Id, crisis.DeclaredUtc, crisis.Reason), ct);
        await transaction.CommitAsync(ct);
        return CrisisOutcome.Saved;
    }

    public async Task<CrisisOutcome> LiftAsync(Guid crisisId, int version, CrisisActor actor, CancellationToken ct = default)
    {
        var crisis = await db.Crises.FirstOrDefaultAsync(c => c.Id == crisisId, ct);
        if (crisis is null) return CrisisOutcome.NotFound; // another workspace's crisis, or none
        if (crisis.LiftedUtc is not null) return CrisisOutcome.Refused(null, "This crisis is no longer in progress.");
        if (crisis.Version != version) return CrisisOutcome.Conflict;
        crisis.LiftedUtc = clock.GetUtcNow().UtcDateTime;
        crisis.LiftedById = actor.UserId;
        crisis.LiftedByName = actor.Name;
        crisis.Version++;
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await events.RaiseAsync(new CrisisLifted(crisis.Id, crisis.LiftedUtc.Value), ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException) { db.ChangeTracker.Clear(); return CrisisOutcome.Conflict; }
        return CrisisOutcome.Saved;
    }

    /// <summary>Saves the procedure; <paramref name="version"/> is the one the editor read (0 when there was none).</summary>
    public async Task<CrisisOutcome> SaveProcedureAsync(string? text, int version, CrisisActor actor, CancellationToken ct = default)
    {
        text = (text ?? "").Replace("\r\n", "\n").Trim();
        if (text.Length > MaxProcedure)
            return CrisisOutcome.Refused(Fields.Procedure, "The procedure is {0} characters long; keep it under {1}.", text.Length, MaxProcedure);
        var procedure = await db.CrisisProcedures.FirstOrDefaultAsync(ct);
        if ((procedure?.Version ?? 0) != version) return CrisisOutcome.Conflict;
        if (procedure is null) db.CrisisProcedures.Add(procedure = new CrisisProcedure());
        procedure.Text = text;
        procedure.UpdatedUtc = clock.GetUtcNow().UtcDateTime;
        procedure.UpdatedByName = actor.Name;
        procedure.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (Exception e) when (e is DbUpdateConcurrencyException or DbUpdateException) { db.ChangeTracker.Clear(); return CrisisOutcome.Conflict; }
        return CrisisOutcome.Saved;
    }
}
