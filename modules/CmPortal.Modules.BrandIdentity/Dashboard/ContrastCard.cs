using CmPortal.Core.Admin;
using CmPortal.Core.Localization;
using Microsoft.Extensions.Localization;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using CmPortal.Modules.BrandIdentity.Style;

namespace CmPortal.Modules.BrandIdentity.Dashboard;

/// <summary>Text colour pairs of the graphic charter that fail WCAG AA: the site shows a replacement the brand did not choose.</summary>
internal sealed class ContrastCard(BrandIdentityStore store, IStringLocalizer<ContrastCard> T) : IDashboardCardSource
{
    public async Task<DashboardCard?> CardAsync(Workspace workspace, CancellationToken ct)
    {
        var charter = (await store.CurrentAsync<GraphicCharter>(BrandDocument.GraphicCharter, ct)).Document;
        var checks = CharterStyle.Contrasts(charter);
        var failing = checks?.Where(c => !c.Passes).ToList() ?? [];
        IReadOnlyList<DashboardLine> lines = checks is null
            ? [new DashboardLine("The graphic charter has no primary, background and text colours yet: the site uses neutral ones.")]
            : failing.Count == 0
                ? [new DashboardLine("Every text colour pair passes the WCAG AA contrast.")]
                : failing.Select(c => new DashboardLine("{0}: contrast {1:0.0}:1, below 4.5:1. The site shows {2} instead.", T.Declared(c.Use).Value, c.Ratio, c.ShownForeground)).ToList();
        return new DashboardCard("Graphic charter", "palette", lines, NeedsAttention: checks is null || failing.Count > 0,
            LinkPath: "brand/graphic-charter", LinkText: "Open the graphic charter", LinkPermission: BrandIdentityPermissions.Edit.Name, Order: 120);
    }
}
