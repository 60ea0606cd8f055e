using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.CommunityCharter.Contracts;
using CmPortal.Modules.Inbox.Automation;
using CmPortal.Modules.Inbox.Listening;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Inbox.Admin;

/// <summary>The rules in order, with the names the list shows for their query and assignee.</summary>
internal sealed record RulesView(IReadOnlyList<AutomationRule> Rules, IReadOnlyDictionary<long, string> Queries,
    IReadOnlyDictionary<Guid, string> Members, bool CanManage);

/// <summary>A rule's editor: the stored rule (null for a new one), what was typed, the lists to choose from, and a test's result.</summary>
internal sealed record RuleEditView(AutomationRule? Stored, RuleInput Input, int Version, IReadOnlyList<ListeningQuery> Queries,
    IReadOnlyList<(Guid Id, string Name)> Members, IReadOnlyList<CharterRuleReference> CharterRules, RuleTestResult? Test);

/// <summary>
/// Automation rules (docs/inbox-rules.md) at /admin/{ws}/inbox/rules: Inbox.View reads the list, Inbox.Manage edits,
/// orders, enables and tests them. "Test" and "Save" are two buttons of one form, so a rule is tried as typed.
/// </summary>
[Route("admin/{workspace}/inbox/rules")]
[RequirePermission("Inbox.View")]
internal sealed class RulesAdminController(RuleService rules, ListeningQueryService queries, ICommunityCharter charter, WorkspaceContext workspace,
    PermissionService permissions, IStringLocalizer<RulesAdminController> T) : Controller
{
    private string ListAddress => $"/admin/{workspace.Required.Key}/inbox/rules";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(new RulesView(await rules.ListAsync(ct), (await queries.ListAsync(ct)).ToDictionary(q => q.Id, q => q.Name),
            (await rules.MembersAsync(ct)).ToDictionary(m => m.Id, m => m.Name),
            await permissions.HasAsync(User, workspace.Required, InboxPermissions.Manage.Name, ct)));

    [HttpGet("new")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> New(CancellationToken ct) => View("Edit", await EditView(null, new RuleInput(""), 0, null, ct));

    [HttpPost("new")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Create(RuleForm form, string? intent, CancellationToken ct)
    {
        var input = form.Input;
        if (intent == "test") return await Tested(null, input, 0, null, ct);
        var outcome = await rules.CreateAsync(input, PermissionService.UserId(User), AnswersAdminController.MemberName(User), ct);
        return await Saved(outcome, null, input, 0, ct);
    }

    [HttpGet("{id:guid}")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken ct)
    {
        if (await rules.FindAsync(id, ct) is not { } rule) return NotFound();
        return View("Edit", await EditView(rule, InputOf(rule), rule.Version, null, ct));
    }

    [HttpPost("{id:guid}")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Update(Guid id, int version, RuleForm form, string? intent, CancellationToken ct)
    {
        if (await rules.FindAsync(id, ct) is not { } stored) return NotFound();
        var input = form.Input;
        if (intent == "test") return await Tested(stored, input, version, id, ct);
        var outcome = await rules.UpdateAsync(id, version, input, PermissionService.UserId(User), AnswersAdminController.MemberName(User), ct);
        if (outcome.IsNotFound) return NotFound();
        // After a conflict the form shows the rule as it is now, as the message says.
        var current = await rules.FindAsync(id, ct);
        return outcome.IsConflict && current is not null
            ? await Saved(outcome, current, InputOf(current), current.Version, ct)
            : await Saved(outcome, stored, input, version, ct);
    }

    [HttpPost("{id:guid}/move")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Move(Guid id, string? direction, CancellationToken ct)
    {
        var outcome = await rules.MoveAsync(id, direction != "down", ct);
        if (outcome.IsNotFound) return NotFound();
        TempData["Message"] = T["Rule “{0}” moved.", outcome.Rule!.Name].Value;
        return Redirect(ListAddress + "#rule-" + id);
    }

    [HttpPost("{id:guid}/enabled")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Enabled(Guid id, int version, bool enabled, CancellationToken ct)
    {
        var outcome = await rules.SetEnabledAsync(id, version, enabled, ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Problems.Count > 0) TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = (enabled ? T["Rule “{0}” enabled.", outcome.Rule!.Name] : T["Rule “{0}” disabled.", outcome.Rule!.Name]).Value;
        return Redirect(ListAddress + "#rule-" + id);
    }

    [HttpPost("{id:guid}/delete")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Delete(Guid id, int version, CancellationToken ct)
    {
        var outcome = await rules.DeleteAsync(id, version, ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Problems.Count > 0) TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = T["Rule deleted."].Value;
        return Redirect(ListAddress);
    }

    private async Task<IActionResult> Tested(AutomationRule? stored, RuleInput input, int version, Guid? id, CancellationToken ct)
    {
        var (result, problems) = await rules.TestAsync(input, id, ct);
        foreach (var problem in problems) ModelState.AddModelError(problem.Field ?? "", T.Problem(problem).Value);
        if (problems.Count > 0) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Edit", await EditView(stored, input, version, result, ct));
    }

    private async Task<IActionResult> Saved(RuleOutcome outcome, AutomationRule? stored, RuleInput input, int version, CancellationToken ct)
    {
        if (outcome.Rule is not null && outcome.Problems.Count == 0)
        {
            TempData["Message"] = T["Rule “{0}” saved.", outcome.Rule.Name].Value;
            return Redirect(ListAddress + "#rule-" + outcome.Rule.Id);
        }
        foreach (var problem in outcome.Problems) ModelState.AddModelError(problem.Field ?? "", T.Problem(problem).Value);
        Response.StatusCode = outcome.IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return View("Edit", await EditView(stored, input, version, null, ct));
    }

    private async Task<RuleEditView> EditView(AutomationRule? stored, RuleInput input, int version, RuleTestResult? test, CancellationToken ct) =>
        new(stored, input, version, await queries.ListAsync(ct), await rules.MembersAsync(ct), await charter.RulesAsync(null, ct), test);

    internal static RuleInput InputOf(AutomationRule rule) =>
        new(rule.Name, rule.Words, rule.QueryId, rule.Sentiment, rule.SourceKind, rule.Author, rule.Language,
            string.Join(", ", Mentions.MentionRules.SplitLabels(rule.AddLabels)), rule.AssignTo,
            rule.SetStatus is { } s ? Api.MentionsApi.StatusName(s) : null, rule.FlagCharterRuleId, rule.Enabled);
}

/// <summary>The editor's fields as posted (an unchecked "enabled" box posts nothing: false).</summary>
internal sealed class RuleForm
{
    public string? Name { get; set; }
    public string? Words { get; set; }
    public long? QueryId { get; set; }
    public string? Sentiment { get; set; }
    public string? SourceKind { get; set; }
    public string? Author { get; set; }
    public string? Language { get; set; }
    public string? Labels { get; set; }
    public Guid? AssignTo { get; set; }
    public string? Status { get; set; }
    public string? FlagRuleId { get; set; }
    public bool Enabled { get; set; }

    public RuleInput Input => new(Name, Words, QueryId, Sentiment, SourceKind, Author, Language, Labels, AssignTo, Status, FlagRuleId, Enabled);
}
