using CmPortal.Core.Text;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.CommunityCharter.Contracts;
using CmPortal.Modules.CommunityCharter.Rendering;

namespace CmPortal.Modules.CommunityCharter.Public;

/// <summary><see cref="ICommunityCharter"/> over the published versions of the current workspace.</summary>
internal sealed class CommunityCharterService(PublishedCharters charters, WorkspaceContext workspace) : ICommunityCharter
{
    public async Task<int?> CurrentVersionAsync(CancellationToken ct = default) =>
        (await charters.CurrentAsync(workspace.Required.Id, ct))?.Number;

    public async Task<CharterRuleReference?> FindRuleAsync(string ruleId, int? version = null, CancellationToken ct = default)
    {
        var current = workspace.Required;
        var charter = version is { } number ? await charters.VersionAsync(current.Id, number, ct) : await charters.CurrentAsync(current.Id, ct);
        if (charter?.Document.FindRule(ruleId) is not { } found) return null;
        return new CharterRuleReference(charter.Number, found.Number, found.Rule.Id, found.Section.Id, found.Section.Title,
            found.Rule.Text, SafeMarkdown.ToHtml(found.Rule.Text), $"/{current.Key}/charter/v/{charter.Number}#rule-{found.Rule.Id}");
    }
}
