using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.CommunityCharter.Contracts;
using CmPortal.Modules.Inbox.Moderation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Inbox.Admin;

/// <summary>The decision log: a page of decisions (one more than shown tells there is a next page), the rules, the insult rule setting.</summary>
internal sealed record ModerationLogView(IReadOnlyList<ModerationDecision> Decisions, bool HasMore, int Page, long? Mention, int? CharterVersion,
    IReadOnlyList<CharterRuleReference> Rules, CharterRuleReference? InsultRule, string? InsultRuleSetting, bool CanManage);

/// <summary>
/// Moderation by the community charter (docs/inbox-answers.md): flag, hide or restore a mention citing a rule of the
/// published charter (Inbox.Triage), the decision log (Inbox.View), the rule the insult suggestion cites (Inbox.Manage).
/// </summary>
[Route("admin/{workspace}/inbox")]
[RequirePermission("Inbox.View")]
internal sealed class ModerationAdminController(ModerationService moderation, WorkspaceContext workspace, PermissionService permissions,
    IStringLocalizer<ModerationAdminController> T) : Controller
{
    [HttpPost("{id:long}/moderate")]
    [RequirePermission("Inbox.Triage")]
    public async Task<IActionResult> Moderate(long id, string? decision, string? ruleId, string? back, CancellationToken ct)
    {
        // An unknown decision is the service's problem to name, after it has looked for the mention (another workspace's: 404).
        var chosen = Enum.TryParse<ModerationAction>(decision, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) ? parsed : (ModerationAction)(-1);
        var outcome = await moderation.DecideAsync(id, chosen, ruleId, PermissionService.UserId(User) ?? Guid.Empty, AnswersAdminController.MemberName(User), ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Problems.Count > 0) TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = chosen switch
        {
            ModerationAction.Hide => T["Mention hidden, citing rule {0} of version {1}.", outcome.Decision!.RuleNumber!, outcome.Decision.CharterVersion!].Value,
            ModerationAction.Flag => T["Mention flagged, citing rule {0} of version {1}.", outcome.Decision!.RuleNumber!, outcome.Decision.CharterVersion!].Value,
            _ => T["Mention restored."].Value,
        };
        return Redirect(AnswersAdminController.MentionAddress(workspace.Required.Key, id, back));
    }

    [HttpGet("moderation")]
    public async Task<IActionResult> Log(long? mention, int? page, CancellationToken ct)
    {
        var number = Math.Max(page ?? 1, 1);
        var decisions = await moderation.LogAsync(mention, number, ct);
        var version = await moderation.CharterVersionAsync(ct);
        return View(new ModerationLogView(decisions.Take(ModerationService.LogPageSize).ToList(), decisions.Count > ModerationService.LogPageSize, number, mention,
            version, version is null ? [] : await moderation.RulesAsync(ct), await moderation.InsultRuleAsync(ct), await moderation.InsultRuleSettingAsync(ct),
            await permissions.HasAsync(User, workspace.Required, InboxPermissions.Manage.Name, ct)));
    }

    [HttpPost("moderation/insult-rule")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> InsultRule(string? insultRule, CancellationToken ct)
    {
        var problems = await moderation.SetInsultRuleAsync(insultRule, ct);
        if (problems.Count > 0) TempData["Error"] = string.Join(" ", problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = T["Insult rule saved."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox/moderation");
    }
}
