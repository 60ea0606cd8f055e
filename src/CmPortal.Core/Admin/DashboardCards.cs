using System.Security.Claims;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Themes;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Admin;

/// <summary>A line of a dashboard card: an English template declared in code and the values it shows.</summary>
public sealed record DashboardLine(string Template, params object?[] Values);

/// <summary>
/// What a module shows on a workspace's dashboard: what needs attention, with a link to where it is done.
/// <see cref="Title"/> and <see cref="LinkText"/> are English texts declared in code (translated by the page);
/// <see cref="LinkPath"/> is relative to <c>/admin/{workspace}/</c> and shown only to those holding <see cref="LinkPermission"/>.
/// </summary>
public sealed record DashboardCard(string Title, string Icon, IReadOnlyList<DashboardLine> Lines, bool NeedsAttention = false,
    string? LinkPath = null, string? LinkText = null, string? LinkPermission = null, int Order = 100);

/// <summary>Implemented by a module that contributes a dashboard card; registered with <see cref="Modules.ModuleServices.AddDashboardCard{T}"/>.</summary>
public interface IDashboardCardSource
{
    /// <summary>The card for the workspace (the current one), or null when there is nothing to show.</summary>
    Task<DashboardCard?> CardAsync(Workspace workspace, CancellationToken ct);
}

/// <summary>The cards of a workspace's dashboard: the engine's own and those of the modules that are on there.</summary>
public sealed class DashboardCards(IEnumerable<SiteContribution> contributions, WorkspaceContext context, IServiceProvider services,
    CoreDbContext db, PermissionService permissions, TimeProvider time)
{
    public async Task<IReadOnlyList<DashboardCard>> ForAsync(ClaimsPrincipal user, Workspace workspace, CancellationToken ct = default)
    {
        var enabled = context.EnabledModules ?? new HashSet<string>();
        var cards = new List<DashboardCard>();
        if (await InvitationsCardAsync(user, workspace, ct) is { } invitations) cards.Add(invitations);
        foreach (var contribution in contributions.Where(c => typeof(IDashboardCardSource).IsAssignableFrom(c.Implementation) && enabled.Contains(c.ModuleId)))
            if (await ((IDashboardCardSource)services.GetRequiredService(contribution.Implementation)).CardAsync(workspace, ct) is { } card)
                cards.Add(card);
        var shown = new List<DashboardCard>();
        foreach (var card in cards)
            shown.Add(card.LinkPermission is { } permission && !await permissions.HasAsync(user, workspace, permission, ct)
                ? card with { LinkPath = null, LinkText = null }
                : card);
        return shown.OrderByDescending(c => c.NeedsAttention).ThenBy(c => c.Order).ToList();
    }

    /// <summary>People invited who have not answered yet: a card for those who manage members.</summary>
    private async Task<DashboardCard?> InvitationsCardAsync(ClaimsPrincipal user, Workspace workspace, CancellationToken ct)
    {
        if (!await permissions.HasAsync(user, workspace, CorePermissions.ManageMembers.Name, ct)) return null;
        var now = time.GetUtcNow().UtcDateTime;
        var waiting = await db.Invitations.AsNoTracking().Where(i => i.WorkspaceId == workspace.Id && i.AcceptedUtc == null && i.ExpiresUtc > now)
            .OrderBy(i => i.Email).Select(i => i.Email).ToListAsync(ct);
        if (waiting.Count == 0) return null;
        return new DashboardCard("Members", "people", [new DashboardLine("{0} {0|invitation|invitations} waiting for an answer: {1}.", waiting.Count, string.Join(", ", waiting))],
            NeedsAttention: true, LinkPath: "members", LinkText: "See the members", LinkPermission: CorePermissions.ManageMembers.Name, Order: 900);
    }
}
