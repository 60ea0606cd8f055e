using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Publishing.Admin;

/// <summary>
/// Gives a channel its secret: one created by a recipe (which never carries secrets) or one the network asked to
/// reconnect. The form starts from what the channel keeps (instance, handle, address); the network checks it all
/// through <see cref="ChannelService.ReconnectAsync"/>, and the channel sends again.
/// </summary>
[Route("admin/{workspace}/channels/{id:guid}/reconnect")]
[RequirePermission("Publishing.ManageChannels")]
internal sealed class ChannelReconnectController(ChannelService channels, WorkspaceContext workspace, IStringLocalizer<ChannelReconnectController> T) : Controller
{
    /// <summary>The fields each kind asks for: what it keeps (filled in from the channel) and its secret (always typed again).</summary>
    public static readonly IReadOnlyDictionary<string, (string[] Kept, string Secret)> Fields = new Dictionary<string, (string[], string)>
    {
        ["mastodon"] = (["instanceUrl"], "accessToken"),
        ["bluesky"] = (["handle", "pdsUrl"], "appPassword"),
        ["webhook"] = (["url"], "secret"),
    };

    private string Base => $"/admin/{workspace.Required.Key}/channels";

    [HttpGet("")]
    public async Task<IActionResult> Index(Guid id, CancellationToken ct)
    {
        var channel = await channels.FindAsync(id, ct);
        if (channel is null) return NotFound();
        if (!Fields.ContainsKey(channel.Kind)) return NotFound(); // the blog and manual channels have no secret to enter
        return View(new ChannelReconnectForm(channel, ChannelService.SettingsOf(channel).ToDictionary()));
    }

    [HttpPost("")]
    public async Task<IActionResult> Index(Guid id, int version, CancellationToken ct)
    {
        var channel = await channels.FindAsync(id, ct);
        if (channel is null) return NotFound();
        if (!Fields.TryGetValue(channel.Kind, out var fields)) return NotFound();
        var typed = fields.Kept.Append(fields.Secret).ToDictionary(f => f, f => Request.Form[f].ToString().Trim());
        var outcome = await channels.ReconnectAsync(id, version, typed, ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Succeeded)
        {
            // A webhook secret left empty was made by the network: shown this once, as at connect.
            var made = channel.Kind == "webhook" && typed["secret"].Length == 0 ? channels.SecretOf(outcome.Channel!) : null;
            TempData["Message"] = made is not null
                ? T["Channel “{0}” connected. Its secret, shown only this once: {1}", outcome.Channel!.Name, made].Value
                : T["Channel “{0}” connected.", outcome.Channel!.Name].Value;
            return Redirect(Base);
        }
        // Errors beside their field; what was typed stays, except the secret.
        foreach (var problem in outcome.Problems)
            ModelState.AddModelError(problem.Field is { } f && typed.ContainsKey(f) ? f : "", T.Problem(problem).Value);
        typed.Remove(fields.Secret);
        var current = outcome.IsConflict ? await channels.FindAsync(id, ct) ?? channel : channel;
        return View(new ChannelReconnectForm(current, typed));
    }
}

/// <summary>The reconnect form: the channel and the values its non-secret fields show.</summary>
internal sealed record ChannelReconnectForm(Channel Channel, IReadOnlyDictionary<string, string> Values)
{
    public string Value(string field) => Values.GetValueOrDefault(field) ?? "";
}
