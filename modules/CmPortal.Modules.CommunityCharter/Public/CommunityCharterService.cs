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
        var charter = await CharterAsync(version, ct);
        return charter?.Document.FindRule(ruleId) is { } found ? Reference(charter, found) : null;
    }

    public async Task<IReadOnlyList<CharterRuleReference>> RulesAsync(int? version = null, CancellationToken ct = default) =>
        await CharterAsync(version, ct) is { } charter ? charter.Document.NumberedRules().Select(rule => Reference(charter, rule)).ToList() : [];

    private async Task<PublishedCharter?> CharterAsync(int? version, CancellationToken ct) =>
        version is { } number ? await charters.VersionAsync(workspace.Required.Id, number, ct) : await charters.CurrentAsync(workspace.Required.Id, ct);

    private CharterRuleReference Reference(PublishedCharter charter, Data.NumberedRule found) =>
        new(charter.Number, found.Number, found.Rule.Id, found.Section.Id, found.Section.Title, found.Rule.Text,
            SafeMarkdown.ToHtml(found.Rule.Text), $"/{workspace.Required.Key}/charter/v/{charter.Number}#rule-{found.Rule.Id}");
}
