using System.Security.Cryptography;
using System.Text.Json;
using CmPortal.Core.Validation;
using Microsoft.AspNetCore.DataProtection;

namespace CmPortal.Modules.Publishing.Networks.Mastodon;

/// <summary>
/// Connecting a Mastodon account without pasting a token: the authorization-code flow of the instance's OAuth server.
/// <list type="number">
/// <item>Register the portal as an application of the instance (<c>POST /api/v1/apps</c>, redirect URI = the
/// portal's <c>/admin/{ws}/channels/mastodon/callback</c>, scopes <see cref="Scopes"/>).</item>
/// <item>Send the member to <c>/oauth/authorize</c> with a <c>state</c> that carries the instance, the application's
/// client id and secret, the workspace and the member, encrypted and time-limited with Data Protection — so no table
/// is needed, and a state made for another workspace or member, altered or older than <see cref="StateLifetime"/> is refused.</item>
/// <item>On the callback, exchange the code for the access token (<c>POST /oauth/token</c>, authorization_code).</item>
/// </list>
/// </summary>
internal sealed class MastodonOAuth(MastodonClient client, IDataProtectionProvider protection)
{
    /// <summary>Reading the account and its statuses (reconciliation), writing statuses and media; nothing else.</summary>
    public const string Scopes = "read write:statuses write:media";

    public const string ClientName = "CmPortal";

    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(15);

    private ITimeLimitedDataProtector Protector =>
        protection.CreateProtector("CmPortal.Publishing.Mastodon.OAuthState").ToTimeLimitedDataProtector();

    public static string CallbackPath(string workspaceKey) => $"/admin/{workspaceKey}/channels/mastodon/callback";

    /// <summary>Registers the portal on the instance and gives the address of its authorization page.</summary>
    /// <param name="redirectUri">The absolute address of <see cref="CallbackPath"/> on this portal.</param>
    public async Task<(Uri? AuthorizeUrl, Problem? Problem)> StartAsync(
        string? typedInstance, string workspaceKey, Guid userId, string redirectUri, string? language, CancellationToken ct)
    {
        var (instance, problem) = MastodonNetwork.ParseInstanceUrl(typedInstance);
        if (problem is not null) return (null, problem);
        MastodonApplication app;
        try
        {
            app = await client.RegisterAppAsync(instance!, ClientName, redirectUri, Scopes, null, ct);
        }
        catch (MastodonException e)
        {
            return (null, e.Failure is MastodonFailure.Unavailable or MastodonFailure.Unknown or MastodonFailure.RateLimited
                ? new Problem(MastodonNetwork.Fields.InstanceUrl, "The instance {0} cannot be reached: check its address, or try again later.", instance!.Authority)
                : new Problem(MastodonNetwork.Fields.InstanceUrl, "The instance {0} refused to register the portal: {1}", instance!.Authority, e.Message));
        }
        var state = new OAuthState(instance!.ToString(), app.ClientId, app.ClientSecret, workspaceKey, userId, redirectUri,
            Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));
        var protectedState = Protector.Protect(JsonSerializer.Serialize(state), StateLifetime);
        return (MastodonClient.AuthorizeUrl(instance, app.ClientId, redirectUri, Scopes, protectedState, language), null);
    }

    /// <summary>The instance's answer on the callback: the instance and the access token, or why not.</summary>
    public async Task<(Uri? Instance, string? AccessToken, Problem? Problem)> CompleteAsync(
        string? code, string? state, string? error, string workspaceKey, Guid userId, CancellationToken ct)
    {
        var read = Read(state);
        if (read is null || read.Workspace != workspaceKey || read.User != userId)
            return (null, null, new Problem(null, "This authorization is not valid or has expired (15 minutes): start the connection again."));
        var instance = new Uri(read.Instance);
        if (!string.IsNullOrEmpty(error) || string.IsNullOrEmpty(code))
            return (instance, null, new Problem(null, "The instance {0} did not authorize the portal: the connection was cancelled.", instance.Authority));
        try
        {
            var token = await client.ExchangeCodeAsync(instance, read.ClientId, read.ClientSecret, read.RedirectUri, code, Scopes, ct);
            return (instance, token.AccessToken, null);
        }
        catch (MastodonException e)
        {
            return (instance, null, e.Failure is MastodonFailure.Unavailable or MastodonFailure.Unknown or MastodonFailure.RateLimited
                ? new Problem(MastodonNetwork.Fields.InstanceUrl, "The instance {0} cannot be reached: check its address, or try again later.", instance.Authority)
                : new Problem(null, "The instance {0} refused the authorization code: {1}", instance.Authority, e.Message));
        }
    }

    private OAuthState? Read(string? state)
    {
        if (string.IsNullOrEmpty(state)) return null;
        try
        {
            return JsonSerializer.Deserialize<OAuthState>(Protector.Unprotect(state, out _));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>What the callback needs, carried through the instance inside the protected <c>state</c>.</summary>
    private sealed record OAuthState(
        string Instance, string ClientId, string ClientSecret, string Workspace, Guid User, string RedirectUri, string Nonce);
}
