using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Preview;

internal enum PreviewLinkStatus { Unknown, Valid, Expired, Revoked }

/// <summary>What a preview token opens: the link and its workspace when it is still valid.</summary>
internal sealed record PreviewAccess(PreviewLinkStatus Status, PreviewLink? Link = null, WorkspaceEntry? Workspace = null);

/// <summary>
/// External preview links: a member who approves posts shares one post, or a week's plan, with a decision maker who
/// has no account. The link carries a random secret; only its SHA-256 is stored, so the database alone opens nothing.
/// </summary>
internal sealed class PreviewLinkService(CalendarDbContext db, IServiceProvider services, WorkspaceContext workspace, IClock clock)
{
    public const int DefaultDays = 7;
    public const int MaxDays = 30;

    public async Task<(PreviewLink? Link, string? Token, IReadOnlyList<Problem> Problems)> CreateAsync(Guid? postId, string? weekOf, int days, PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Approve.Name) || actor.UserId is not { } creator)
            return (null, null, [new Problem(null, "Only someone who approves posts may share a preview link.")]);
        if (days is < 1 or > MaxDays) return (null, null, [new Problem("days", "A link lasts from 1 to {0} days.", MaxDays)]);
        string? week = null;
        if (postId is null)
        {
            if (PostRules.ParseDay(weekOf) is not { } day) return (null, null, [new Problem("weekOf", "Choose the week to share.")]);
            week = PostRules.Format(day.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Monday)));
        }
        else if (!await db.Posts.AnyAsync(p => p.Id == postId, ct))
            return (null, null, [new Problem(null, "This post no longer exists.")]);

        var token = SecretTokens.New();
        var now = clock.GetCurrentInstant().ToDateTimeUtc();
        var link = new PreviewLink
        {
            Id = Guid.NewGuid(), Sha256 = SecretTokens.Sha256(token), PostId = postId, WeekOf = week, CreatedBy = creator, CreatedUtc = now, ExpiresUtc = now.AddDays(days),
        };
        db.PreviewLinks.Add(link);
        await db.SaveChangesAsync(ct);
        return (link, token, []);
    }

    /// <summary>The workspace's links, newest first (expired and revoked ones too, for the record).</summary>
    public async Task<IReadOnlyList<PreviewLink>> ListAsync(Guid? postId = null, CancellationToken ct = default) =>
        await db.PreviewLinks.AsNoTracking().Where(l => postId == null || l.PostId == postId).OrderByDescending(l => l.CreatedUtc).Take(100).ToListAsync(ct);

    public async Task<bool> RevokeAsync(Guid id, PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Approve.Name)) return false;
        var link = await db.PreviewLinks.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (link is null) return false;
        link.RevokedUtc ??= clock.GetCurrentInstant().ToDateTimeUtc();
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Finds the link a token opens, whatever the workspace (the address names none), and makes its workspace the
    /// current one when the link is valid and the calendar is on there.
    /// </summary>
    public async Task<PreviewAccess> OpenAsync(string token, CancellationToken ct = default)
    {
        if (!SecretTokens.HasPlausibleLength(token)) return new(PreviewLinkStatus.Unknown);
        var hash = SecretTokens.Sha256(token);
        // Across workspaces on purpose: the token is the only key, and it is checked against its hash.
        var link = await db.PreviewLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Sha256 == hash, ct);
        if (link is null) return new(PreviewLinkStatus.Unknown);
        if (link.RevokedUtc is not null) return new(PreviewLinkStatus.Revoked, link);
        if (link.ExpiresUtc <= clock.GetCurrentInstant().ToDateTimeUtc()) return new(PreviewLinkStatus.Expired, link);
        var key = await services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().Where(w => w.Id == link.WorkspaceId).Select(w => w.Key).FirstOrDefaultAsync(ct);
        var entry = key is null ? null : await services.GetRequiredService<WorkspaceDirectory>().FindAsync(key, services, ct);
        if (entry is null || !entry.EnabledModules.Contains("ContentCalendar")) return new(PreviewLinkStatus.Unknown);
        workspace.Set(entry.Workspace, entry.EnabledModules);
        return new(PreviewLinkStatus.Valid, link, entry);
    }

    /// <summary>The posts a valid link shows: its post, or the week's posts that are planned (not ideas, not archived), in order.</summary>
    public async Task<IReadOnlyList<Post>> PostsAsync(PreviewLink link, CancellationToken ct = default)
    {
        var query = db.Posts.AsNoTracking().Include(p => p.Variants);
        if (link.PostId is { } id) return await query.Where(p => p.Id == id).ToListAsync(ct);
        var monday = PostRules.ParseDay(link.WeekOf)!.Value;
        var (from, to) = (PostRules.Format(monday) + "T00:00", PostRules.Format(monday.PlusDays(7)) + "T00:00");
        // StartsLocal sorts as text; a series shows where it starts within the week.
        return await query.Where(p => p.StartsLocal != null && string.Compare(p.StartsLocal, from) >= 0 && string.Compare(p.StartsLocal, to) < 0
                && p.State != PostState.Idea && p.State != PostState.Archived)
            .OrderBy(p => p.StartsLocal).ToListAsync(ct);
    }

    /// <summary>Someone with the link acts as this actor: named as they typed it, holding only the approval (first step).</summary>
    public static PostActor ExternalActor(string name) =>
        new(null, $"« {name.Trim()} » (lien de prévisualisation)", new Core.Security.WorkspaceAccess(true, false, new HashSet<string> { CalendarPermissions.Approve.Name }));
}
