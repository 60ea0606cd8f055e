using System.Globalization;
using System.Security.Claims;
using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Answers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Inbox.Admin;

/// <summary>The saved replies library as a page shows it.</summary>
internal sealed record SavedRepliesView(IReadOnlyList<SavedReply> Replies, bool CanManage);

/// <summary>A saved reply's form: the stored reply (null for a new one) and what was typed.</summary>
internal sealed record SavedReplyEditView(SavedReply? Stored, SavedReplyInput Input, int Version);

/// <summary>
/// Saved replies (docs/inbox-answers.md): the library at /admin/{ws}/inbox/replies (Inbox.View reads it,
/// Inbox.Manage edits it), and the reply a member copies from a mention's page, kept as its note (Inbox.Triage).
/// </summary>
[Route("admin/{workspace}/inbox")]
[RequirePermission("Inbox.View")]
internal sealed class AnswersAdminController(SavedReplyService replies, SentReplyService sentReplies, WorkspaceContext workspace, PermissionService permissions,
    IStringLocalizer<AnswersAdminController> T) : Controller
{
    [HttpGet("replies")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(new SavedRepliesView(await replies.ListAsync(ct), await permissions.HasAsync(User, workspace.Required, InboxPermissions.Manage.Name, ct)));

    [HttpGet("replies/new")]
    [RequirePermission("Inbox.Manage")]
    public IActionResult New() => View("Edit", new SavedReplyEditView(null, new SavedReplyInput("", ""), 0));

    [HttpPost("replies/new")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Create(string? title, string? text, string? language, string? tags, CancellationToken ct)
    {
        var input = new SavedReplyInput(title, text, language, tags);
        return Saved(await replies.CreateAsync(input, ct), new SavedReplyEditView(null, input, 0));
    }

    [HttpGet("replies/{id:guid}")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken ct)
    {
        if (await replies.FindAsync(id, ct) is not { } reply) return NotFound();
        return View("Edit", new SavedReplyEditView(reply, new SavedReplyInput(reply.Title, reply.Text, reply.Language,
            string.Join(", ", Mentions.MentionRules.SplitLabels(reply.Tags))), reply.Version));
    }

    [HttpPost("replies/{id:guid}")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Update(Guid id, int version, string? title, string? text, string? language, string? tags, CancellationToken ct)
    {
        var input = new SavedReplyInput(title, text, language, tags);
        var outcome = await replies.UpdateAsync(id, version, input, ct);
        if (outcome.IsNotFound) return NotFound();
        var stored = await replies.FindAsync(id, ct);
        // After a conflict the form shows the current text and version, as the message says.
        return Saved(outcome, outcome.IsConflict && stored is not null
            ? new SavedReplyEditView(stored, new SavedReplyInput(stored.Title, stored.Text, stored.Language, string.Join(", ", Mentions.MentionRules.SplitLabels(stored.Tags))), stored.Version)
            : new SavedReplyEditView(stored, input, version));
    }

    [HttpPost("replies/{id:guid}/delete")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Delete(Guid id, int version, CancellationToken ct)
    {
        var outcome = await replies.DeleteAsync(id, version, ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Problems.Count > 0) TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = T["Saved reply deleted."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox/replies");
    }

    /// <summary>A member copied a reply to answer the mention by hand: the inbox keeps it as the mention's note.</summary>
    [HttpPost("{id:long}/reply")]
    [RequirePermission("Inbox.Triage")]
    public async Task<IActionResult> Reply(long id, string? text, string? back, CancellationToken ct)
    {
        var (_, problems) = await replies.RecordCopiedAsync(id, text, PermissionService.UserId(User) ?? Guid.Empty, MemberName(User), ct);
        if (problems.Contains(SavedReplyService.MentionNotFound)) return NotFound();
        if (problems.Count > 0) TempData["Error"] = string.Join(" ", problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = T["Reply kept as a note of the mention."].Value;
        return Redirect(MentionAddress(workspace.Required.Key, id, back));
    }

    /// <summary>
    /// Sends the reply to a Mastodon or Bluesky mention through the chosen channel (the outbox sends it once, even
    /// after a double click or from two tabs) and marks the mention handled; the page then shows it under the mention.
    /// </summary>
    [HttpPost("{id:long}/send-reply")]
    [RequirePermission("Inbox.Triage")]
    public async Task<IActionResult> SendReply(long id, Guid channel, string? text, string? back, CancellationToken ct)
    {
        var (_, problems) = await sentReplies.SendAsync(id, channel, text, PermissionService.UserId(User) ?? Guid.Empty, MemberName(User), ct);
        if (problems.Contains(SavedReplyService.MentionNotFound)) return NotFound();
        if (problems.Count > 0) TempData["Error"] = string.Join(" ", problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = T["Reply sent to the outbox: it goes out now through the channel."].Value;
        return Redirect(MentionAddress(workspace.Required.Key, id, back) + "#sent-replies");
    }

    private IActionResult Saved(SavedReplyOutcome outcome, SavedReplyEditView view)
    {
        if (outcome.Succeeded)
        {
            TempData["Message"] = T["Saved reply saved."].Value;
            return Redirect($"/admin/{workspace.Required.Key}/inbox/replies");
        }
        foreach (var problem in outcome.Problems) ModelState.AddModelError(problem.Field ?? "", T.Problem(problem).Value);
        Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status422UnprocessableEntity;
        return View("Edit", view);
    }

    /// <summary>The member's name as notes and decisions sign it.</summary>
    internal static string MemberName(ClaimsPrincipal user) =>
        user.FindFirst(ClaimTypes.GivenName)?.Value is { Length: > 0 } name ? name : user.Identity?.Name ?? "?";

    /// <summary>The mention's page, with the list to go back to when it is this workspace's inbox (no open redirect).</summary>
    internal static string MentionAddress(string key, long id, string? back)
    {
        var address = $"/admin/{key}/inbox/{id.ToString(CultureInfo.InvariantCulture)}";
        var prefix = $"/admin/{key}/inbox";
        return back is { Length: < 2000 } && (back == prefix || back.StartsWith(prefix + "?", StringComparison.Ordinal))
            ? address + "?back=" + Uri.EscapeDataString(back) : address;
    }
}
