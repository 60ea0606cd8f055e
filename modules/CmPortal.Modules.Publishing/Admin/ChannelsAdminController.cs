using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Publishing.Admin;

/// <summary>A member of the workspace, as the manual channels' "who posts by hand" lists them.</summary>
internal sealed record ChannelMember(Guid UserId, string Name);

/// <summary>
/// A connect form sent back refused: its kind, what was typed (secrets left out: they are typed again) and the
/// problems, to show beside their fields.
/// </summary>
internal sealed record RefusedConnect(string Kind, string Name, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<Problem> Problems)
{
    /// <summary>What the member typed in <paramref name="field"/> of the form of <paramref name="kind"/>, if it is the refused one.</summary>
    public string? Value(string kind, string field) => Kind == kind ? Fields.GetValueOrDefault(field) : null;

    public IEnumerable<Problem> On(string kind, string? field) => Kind == kind ? Problems.Where(p => p.Field == field) : [];
}

/// <summary>The channels page: the channels, the members who may post by hand, the kinds one can connect, a refused form.</summary>
internal sealed record ChannelsPage(
    IReadOnlyList<Channel> Channels, IReadOnlyList<ChannelMember> Members, IReadOnlyList<string> Kinds, bool BlogIsOn, Guid CurrentUser,
    RefusedConnect? Refused = null)
{
    public bool CanConnect(string kind) => Kinds.Contains(kind);

    /// <summary>The blog is one channel: offered while the blog module is on and no blog channel exists.</summary>
    public bool CanConnectBlog => BlogIsOn && CanConnect("blog") && !Channels.Any(c => c.Kind == "blog");

    public string? MemberName(Guid? userId) => Members.FirstOrDefault(m => m.UserId == userId)?.Name;
}

/// <summary>The workspace's channels: the list with their state, a connect form per kind, pause, resume, remove.</summary>
[Route("admin/{workspace}/channels")]
[RequirePermission("Publishing.View")]
internal sealed class ChannelsAdminController(ChannelService channels, MembershipService memberships, WorkspaceContext workspace,
    IStringLocalizer<ChannelsAdminController> T) : Controller
{
    /// <summary>Fields never sent back to the page: a refused form asks for them again.</summary>
    private static readonly string[] Secrets = ["secret", "appPassword", "accessToken", "password", "token"];

    private static readonly string[] NotNetworkFields = ["kind", "name", "assignee", "__RequestVerificationToken"];

    private string Base => $"/admin/{workspace.Required.Key}/channels";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await PageAsync(null, ct));

    /// <summary>
    /// Connects a channel of <paramref name="kind"/>; the form's other fields go to the network as they are. Refused,
    /// the page comes back with the problems beside their fields and what was typed, secrets excepted.
    /// </summary>
    [HttpPost("connect")]
    [RequirePermission("Publishing.ManageChannels")]
    public async Task<IActionResult> Connect(string kind, string? name, string? assignee, CancellationToken ct)
    {
        var fields = Request.Form.Where(f => !NotNetworkFields.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value.ToString());
        Guid? assigneeId = Guid.TryParse(assignee, out var a) ? a : null;
        var outcome = string.IsNullOrEmpty(assignee) || assigneeId is not null
            ? await channels.ConnectAsync(kind ?? "", name ?? "", fields, assigneeId, ct)
            : ChannelOutcome.Refused(new Problem("assignee", "The person who posts by hand must be a member of this workspace."));
        if (!outcome.Succeeded)
        {
            var kept = fields.Where(f => !Secrets.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value);
            if (assignee is not null) kept["assignee"] = assignee;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await PageAsync(new RefusedConnect(kind ?? "", name ?? "", kept, outcome.Problems), ct));
        }
        TempData["Message"] = outcome.GeneratedSecret is { } secret
            ? T["Channel “{0}” connected. Its secret, shown only this once: {1}", outcome.Channel!.Name, secret].Value
            : T["Channel “{0}” connected.", outcome.Channel!.Name].Value;
        return Redirect(Base);
    }

    [HttpPost("{id:guid}/pause")]
    [RequirePermission("Publishing.ManageChannels")]
    public async Task<IActionResult> Pause(Guid id, int version, CancellationToken ct) =>
        Done(await channels.PauseAsync(id, version, ct), c => T["Channel “{0}” paused: its posts wait.", c.Name]);

    [HttpPost("{id:guid}/resume")]
    [RequirePermission("Publishing.ManageChannels")]
    public async Task<IActionResult> Resume(Guid id, int version, CancellationToken ct) =>
        Done(await channels.ResumeAsync(id, version, ct), c => T["Channel “{0}” resumed.", c.Name]);

    /// <summary>Who posts a manual channel's posts by hand (told at the due time).</summary>
    [HttpPost("{id:guid}/assignee")]
    [RequirePermission("Publishing.ManageChannels")]
    public async Task<IActionResult> Assignee(Guid id, int version, Guid? assignee, CancellationToken ct) =>
        Done(await channels.SetAssigneeAsync(id, version, assignee, ct), c => c.AssigneeUserId is null
            ? T["Nobody posts the channel “{0}” by hand any more.", c.Name]
            : T["The channel “{0}” has a new person who posts by hand.", c.Name]);

    [HttpPost("{id:guid}/remove")]
    [RequirePermission("Publishing.ManageChannels")]
    public async Task<IActionResult> Remove(Guid id, int version, Guid? moveTo, CancellationToken ct) =>
        Done(await channels.RemoveAsync(id, version, moveTo, ct), c => T["Channel “{0}” removed.", c.Name]);

    private async Task<ChannelsPage> PageAsync(RefusedConnect? refused, CancellationToken ct)
    {
        var current = workspace.Required;
        var members = (await memberships.ListAsync(current.Id, ct))
            .Select(m => new ChannelMember(m.UserId, m.User?.DisplayName is { Length: > 0 } n ? n : m.User?.Email ?? "")).ToList();
        var me = PermissionService.UserId(User) ?? Guid.Empty;
        return new ChannelsPage(await channels.ListAsync(ct), members, channels.Kinds,
            workspace.EnabledModules?.Contains("Blog") == true, me, refused);
    }

    private IActionResult Done(ChannelOutcome outcome, Func<Channel, LocalizedString> message)
    {
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Succeeded) TempData["Message"] = message(outcome.Channel!).Value;
        else TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return Redirect(Base);
    }
}
