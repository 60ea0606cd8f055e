using CmPortal.Core.Admin;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.CommunityCharter.Data;

namespace CmPortal.Modules.CommunityCharter.Dashboard;

/// <summary>Whether the community has a published charter, and whether the draft waits to be published.</summary>
internal sealed class CharterStateCard(CharterStore store) : IDashboardCardSource
{
    public async Task<DashboardCard?> CardAsync(Workspace workspace, CancellationToken ct)
    {
        var current = await store.CurrentVersionAsync(ct);
        var draft = await store.FindDraftAsync(ct);
        var unpublished = draft is not null && (current is null ||
            !CharterDocument.FromJson(current.Document).SameContentAs(CharterDocument.FromJson(draft.Document).Normalized()));
        var lines = new List<DashboardLine>();
        if (current is null) lines.Add(new DashboardLine("The community charter is not published yet: the community has no rules to read."));
        else lines.Add(new DashboardLine("Version {0} is public since {1}.", current.Number, DateOnly.FromDateTime(workspace.LocalTime(current.PublishedUtc))));
        if (unpublished) lines.Add(new DashboardLine("The draft has changes that are not published."));
        return new DashboardCard("Community charter", "card-checklist", lines, NeedsAttention: current is null || unpublished,
            LinkPath: "charter", LinkText: "Open the charter", LinkPermission: CharterPermissions.View.Name, Order: 300);
    }
}
