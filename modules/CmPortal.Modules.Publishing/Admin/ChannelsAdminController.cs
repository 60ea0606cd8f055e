using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Channels;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Publishing.Admin;

/// <summary>The workspace's channels: the list with their state, a connect form per kind, pause, resume, remove.</summary>
[Route("admin/{workspace}/channels")]
[RequirePermission("Publishing.View")]
internal sealed class ChannelsAdminController(ChannelService channels, WorkspaceContext workspace, IStringLocalizer<ChannelsAdminController> T) : Controller
{
    private string Base => $"/admin/{workspace.Required.Key}/channels";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await channels.ListAsync(ct));

    /// <summary>Connects a channel of <paramref name="kind"/>; the form's fields go to the network as they are.</summary>
    [HttpPost("connect")]
    [RequirePermission("Publishing.ManageChannels")]
    public async Task<IActionResult> Connect(string kind, string? name, CancellationToken ct)
    {
        var fields = Request.Form.Where(f => f.Key is not ("kind" or "name" or "__RequestVerificationToken"))
            .ToDictionary(f => f.Key, f => f.Value.ToString());
        var outcome = await channels.ConnectAsync(kind ?? "", name ?? "", fields, null, ct);
        if (!outcome.Succeeded)
        {
            TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
            return Redirect(Base);
        }
        TempData["Message"] = outcome.GeneratedSecret is { } secret
            ? T["Channel “{0}” connected. Its secret, shown only this once: {1}", outcome.Channel!.Name, secret].Value
            : T["Channel “{0}” connected.", outcome.Channel!.Name].Value;
        return Redirect(Base);
    }

    [HttpPost("{id:guid}/pause")]
    [RequirePermission("Publishing.ManageChannels")]
    public async Task<IActionResult> Pause(Guid id, int version, CancellationToken ct) =>
        Done(await channels.PauseAsync(id, version, ct), "Channel “{0}” paused: its posts wait.");

    [HttpPost("{id:guid}/resume")]
    [RequirePermission("Publishing.ManageChannels")]
    public async Task<IActionResult> Resume(Guid id, int version, CancellationToken ct) =>
        Done(await channels.ResumeAsync(id, version, ct), "Channel “{0}” resumed.");

    [HttpPost("{id:guid}/remove")]
    [RequirePermission("Publishing.ManageChannels")]
    public async Task<IActionResult> Remove(Guid id, int version, Guid? moveTo, CancellationToken ct) =>
        Done(await channels.RemoveAsync(id, version, moveTo, ct), "Channel “{0}” removed.");

    private IActionResult Done(ChannelOutcome outcome, string message)
    {
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Succeeded) TempData["Message"] = message switch
        {
            "Channel “{0}” paused: its posts wait." => T["Channel “{0}” paused: its posts wait.", outcome.Channel!.Name].Value,
            "Channel “{0}” resumed." => T["Channel “{0}” resumed.", outcome.Channel!.Name].Value,
            _ => T["Channel “{0}” removed.", outcome.Channel!.Name].Value,
        };
        else TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return Redirect(Base);
    }
}
