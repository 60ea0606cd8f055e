using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Contracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Publishing.Networks.Mastodon;

/// <summary>
/// Connecting a Mastodon account through the instance's own authorization page: the member types the instance's
/// address, approves the portal there, and comes back to the callback, which checks the account.
/// </summary>
[Route("admin/{workspace}/channels/mastodon")]
[RequirePermission("Publishing.ManageChannels")]
internal sealed class MastodonConnectController(
    MastodonOAuth oauth, Channels.ChannelService channels, WorkspaceContext workspace,
    IStringLocalizer<MastodonConnectController> T) : Controller
{
    private string Key => workspace.Required.Key;

    [HttpGet("connect")]
    public IActionResult Connect() => View("Connect", new MastodonConnectForm());

    [HttpPost("connect")]
    public async Task<IActionResult> Connect(MastodonConnectForm form, CancellationToken ct)
    {
        if (PermissionService.UserId(User) is not { } user) return Forbid();
        var redirectUri = $"{Request.Scheme}://{Request.Host}{MastodonOAuth.CallbackPath(Key)}";
        var language = workspace.Required.Culture.Split('-')[0];
        var (authorize, problem) = await oauth.StartAsync(form.InstanceUrl, Key, user, redirectUri, language, ct);
        if (problem is not null) return Refused(form, [problem]);
        // A page with a link rather than a redirect: the portal's Content-Security-Policy (form-action 'self') stops
        // a browser from following a form's redirect to another site, and the member sees where they are sent.
        return View("Authorize", authorize!);
    }

    /// <summary>Where the instance sends the member back, with <c>code</c> and <c>state</c> (or <c>error</c>).</summary>
    [HttpGet("callback")]
    public async Task<IActionResult> Callback(string? code, string? state, string? error, CancellationToken ct)
    {
        if (PermissionService.UserId(User) is not { } user) return Forbid();
        var (instance, token, problem) = await oauth.CompleteAsync(code, state, error, Key, user, ct);
        var form = new MastodonConnectForm { InstanceUrl = instance?.ToString() };
        if (problem is not null) return Refused(form, [problem]);

        // The channel service checks the account with the instance and stores the channel, its token encrypted.
        var saved = await channels.ConnectAsync("mastodon", $"Mastodon {instance!.Host}", new Dictionary<string, string>
        {
            [MastodonNetwork.Fields.InstanceUrl] = instance.ToString(),
            [MastodonNetwork.Fields.AccessToken] = token!,
        }, null, ct);
        if (!saved.Succeeded) return Refused(form, saved.Problems);
        var channel = saved.Channel!;
        var limits = channel.LimitsJson is { } json ? System.Text.Json.JsonSerializer.Deserialize<NetworkLimits>(json) : null;
        var outcome = new ConnectOutcome([], channel.AccountName, channel.AccountUrl, Limits: limits);
        return View("Connected", outcome);
    }

    private ViewResult Refused(MastodonConnectForm form, IEnumerable<Problem> problems)
    {
        foreach (var p in problems)
            ModelState.AddModelError(p.Field == MastodonNetwork.Fields.InstanceUrl ? nameof(form.InstanceUrl) : "", T.Problem(p).Value);
        return View("Connect", form);
    }
}

internal sealed class MastodonConnectForm
{
    public string? InstanceUrl { get; set; }
}
