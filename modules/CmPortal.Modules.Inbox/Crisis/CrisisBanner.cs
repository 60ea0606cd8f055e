using CmPortal.Core.Admin;
using CmPortal.Core.Localization;
using CmPortal.Core.Workspaces;

namespace CmPortal.Modules.Inbox.Crisis;

/// <summary>While a crisis is declared, every admin page of the workspace says so at the top, with the way to the procedure.</summary>
internal sealed class CrisisBanner(CrisisService crises) : IAdminPanelSource
{
    public string Place => AdminPanels.WorkspaceBanner;

    public async Task<DashboardCard?> PanelAsync(Workspace workspace, Guid subjectId, CancellationToken ct)
    {
        if (await crises.OpenAsync(ct) is not { } crisis) return null;
        return new DashboardCard("Crisis mode", "exclamation-octagon",
            [
                new DashboardLine("Declared on {0} by {1}: {2}", PortalValues.DateTime(workspace.LocalTime(crisis.DeclaredUtc)), crisis.DeclaredByName, crisis.Reason),
                new DashboardLine("Promotional posts are held until the crisis is lifted."),
            ],
            NeedsAttention: true, LinkPath: "inbox/crisis", LinkText: "See the crisis procedure", LinkPermission: InboxPermissions.View.Name);
    }
}
