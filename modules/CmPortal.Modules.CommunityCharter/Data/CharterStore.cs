using CmPortal.Core.Validation;
using System.Security.Cryptography;
using System.Text;
using CmPortal.Modules.CommunityCharter.Rendering;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.CommunityCharter.Data;

/// <summary>A published version as the admin lists it (without its document and HTML).</summary>
internal sealed record CharterVersionSummary(int Number, DateTime PublishedUtc, string? PublishedBy, string? ChangeNote);

/// <summary>The result of publishing: the new version, or what prevented it.</summary>
internal sealed record PublishOutcome(CharterVersion? Version, IReadOnlyList<Problem> Problems)
{
    public bool Published => Version is not null;
}

/// <summary>
/// The draft and the versions of the current workspace's charter: saving the draft and publishing it.
/// Callers invalidate <see cref="Public.CharterCache"/> once a publication is committed.
/// </summary>
internal sealed class CharterStore(CommunityCharterDbContext db)
{
    public Task<CharterDraft?> FindDraftAsync(CancellationToken ct) => db.Drafts.AsNoTracking().FirstOrDefaultAsync(ct);

    public Task<CharterVersion?> CurrentVersionAsync(CancellationToken ct) =>
        db.Versions.AsNoTracking().OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);

    public Task<List<CharterVersionSummary>> VersionsAsync(CancellationToken ct) =>
        db.Versions.AsNoTracking().OrderByDescending(v => v.Number)
            .Select(v => new CharterVersionSummary(v.Number, v.PublishedUtc, v.PublishedBy, v.ChangeNote)).ToListAsync(ct);

    /// <summary>Replaces the draft; returns false (and writes nothing) when it already has this content.</summary>
    public async Task<bool> SaveDraftAsync(CharterDocument document, string? by, CancellationToken ct)
    {
        var json = document.Normalized().ToJson();
        var draft = await db.Drafts.FirstOrDefaultAsync(ct);
        if (draft is null) db.Drafts.Add(new CharterDraft { Document = json, UpdatedUtc = DateTime.UtcNow, UpdatedBy = by });
        else if (draft.Document == json) return false;
        else
        {
            draft.Document = json;
            draft.UpdatedUtc = DateTime.UtcNow;
            draft.UpdatedBy = by;
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// What a person reviewed before publishing: the draft's content and the version it was compared with.
    /// Publishing with it refuses when either changed meanwhile, so what goes public is what was read.
    /// </summary>
    public static string ReviewKey(CharterDraft draft, CharterVersion? current) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{current?.Number ?? 0}\n{draft.Document}")))[..32];

    /// <summary>
    /// Publishes the saved draft as the next numbered version, unless it is invalid or unchanged. With
    /// <paramref name="reviewed"/> (a <see cref="ReviewKey"/>), also unless the draft or the current version changed since.
    /// </summary>
    public async Task<PublishOutcome> PublishAsync(string? changeNote, string? by, CancellationToken ct, string? reviewed = null)
    {
        var draft = await FindDraftAsync(ct);
        if (draft is null) return new(null, [new Problem("publish", "There is no draft to publish yet. Write the charter first.")]);
        var document = CharterDocument.FromJson(draft.Document).Normalized();
        var problems = CharterRules.Check(document).ToList();
        var current = await CurrentVersionAsync(ct);
        if (reviewed is not null && reviewed != ReviewKey(draft, current))
            return new(null, [new Problem("publish", "The draft or the published charter changed since you reviewed the differences. Check them again below, then confirm.")]);
        if (current is not null && CharterDocument.FromJson(current.Document).SameContentAs(document))
            problems.Add(new Problem("publish", "The draft is the same as version {0}: there is nothing new to publish. Edit the draft first.", current.Number));
        var number = (current?.Number ?? 0) + 1;
        problems.AddRange(CharterRules.CheckChangeNote(changeNote, number));
        if (problems.Count > 0) return new(null, problems);

        var version = new CharterVersion
        {
            Number = number,
            PublishedUtc = DateTime.UtcNow,
            PublishedBy = by,
            ChangeNote = CharterDocument.Clean(changeNote) is { Length: > 0 } note ? note : null,
            Document = document.ToJson(),
            Html = CharterRenderer.Render(document),
        };
        db.Versions.Add(version);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Someone published the same number a moment earlier (unique index on workspace and number)?
            db.Entry(version).State = EntityState.Detached;
            if (!await db.Versions.AsNoTracking().AnyAsync(v => v.Number == number, ct)) throw;
            return new(null, [new Problem("publish", "Version {0} was published by someone else a moment ago. Reload the page to see it, then publish again if needed.", number)]);
        }
        return new(version, []);
    }
}
