using System.Security.Claims;
using CmPortal.Core.Security;
using CmPortal.Core.Themes;
using CmPortal.Core.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Admin;

/// <summary>
/// Implemented by a module that shows a panel on another module's page about one thing — the publishing module's
/// "Publishing" panel in the calendar's post editor — without the page's module knowing it: the page names its
/// <see cref="Place"/> (a constant of its module's contracts) and shows whatever panels come, as dashboard cards are
/// shown. Registered with <see cref="Modules.ModuleServices.AddAdminPanel{T}"/>; asked only where the module is on.
/// </summary>
public interface IAdminPanelSource
{
    /// <summary>The page and thing this panel is for, e.g. <c>"ContentCalendar.Post"</c>.</summary>
    string Place { get; }

    /// <summary>
    /// The panel about <paramref name="subjectId"/> in the current workspace, or null to show nothing. It has the shape
    /// of a dashboard card: an English title, lines (templates and values), a link relative to <c>/admin/{workspace}/</c>.
    /// </summary>
    Task<DashboardCard?> PanelAsync(Workspace workspace, Guid subjectId, CancellationToken ct);
}

/// <summary>The panels other modules add to a page about one thing (see <see cref="IAdminPanelSource"/>).</summary>
public sealed class AdminPanels(IEnumerable<SiteContribution> contributions, WorkspaceContext context, IServiceProvider services, PermissionService permissions)
{
    /// <summary>
    /// The place of the banners shown at the top of every admin page of a workspace (the subject is the workspace):
    /// what everyone working there must see at once, such as a crisis in progress.
    /// </summary>
    public const string WorkspaceBanner = "Admin.WorkspaceBanner";

    public async Task<IReadOnlyList<DashboardCard>> ForAsync(ClaimsPrincipal user, Workspace workspace, string place, Guid subjectId, CancellationToken ct = default)
    {
        var enabled = context.EnabledModules ?? new HashSet<string>();
        var panels = new List<DashboardCard>();
        foreach (var contribution in contributions.Where(c => typeof(IAdminPanelSource).IsAssignableFrom(c.Implementation) && enabled.Contains(c.ModuleId)))
        {
            var source = (IAdminPanelSource)services.GetRequiredService(contribution.Implementation);
            if (source.Place != place || await source.PanelAsync(workspace, subjectId, ct) is not { } panel) continue;
            // The link only for those who may open it, as on the dashboard.
            panels.Add(panel.LinkPermission is { } permission && !await permissions.HasAsync(user, workspace, permission, ct)
                ? panel with { LinkPath = null, LinkText = null }
                : panel);
        }
        return panels.OrderBy(p => p.Order).ToList();
    }
}
