using System.Security.Claims;
using System.Text.Encodings.Web;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CmPortal.Core.Api;

/// <summary>Claims a token's principal carries on top of the user's own (those the sign-in cookie would give).</summary>
public static class AccessTokenClaims
{
    /// <summary>The one workspace the token may act in; <see cref="PermissionService"/> grants nothing elsewhere.</summary>
    public const string Workspace = "cmportal:token-workspace";
    public const string TokenId = "cmportal:token-id";

    public static Guid? WorkspaceId(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Workspace), out var id) ? id : null;
}

/// <summary>
/// <c>Authorization: Bearer cmp_…</c> on <c>/api</c>: the principal of the token's user, restricted to its workspace.
/// The portal's default scheme forwards <c>/api</c> here and everything else to the sign-in cookie, so a cookie never
/// authenticates an API call (a page of another site cannot use the API through a visitor's browser).
/// </summary>
internal sealed class AccessTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, AccessTokenService tokens, IUserClaimsPrincipalFactory<PortalUser> claims)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string Prefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0) return AuthenticateResult.NoResult();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("The Authorization header is not a bearer token.");
        var found = await tokens.AuthenticateAsync(header[Prefix.Length..].Trim(), Context.RequestAborted);
        if (found is null) return AuthenticateResult.Fail("Unknown, revoked or expired token.");

        var user = await claims.CreateAsync(found.User);
        var identity = new ClaimsIdentity(user.Claims, SchemeName);
        identity.AddClaim(new Claim(AccessTokenClaims.Workspace, found.WorkspaceId.ToString()));
        identity.AddClaim(new Claim(AccessTokenClaims.TokenId, found.TokenId.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>401 as RFC 6750 says (<c>error="invalid_token"</c> when one was sent), with a problem document.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers[HeaderNames.WWWAuthenticate] = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await ApiProblems.WriteStatusAsync(Context, StatusCodes.Status401Unauthorized);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteStatusAsync(Context, StatusCodes.Status403Forbidden);
}

/// <summary>Every API endpoint: a bearer token of this workspace, whose user is still a member of it.</summary>
public sealed class ApiAccessRequirement : IAuthorizationRequirement
{
    public const string Policy = "Api";
}

internal sealed class ApiAccessHandler(PermissionService permissions, WorkspaceContext workspace) : AuthorizationHandler<ApiAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiAccessRequirement requirement)
    {
        if (workspace.Current is { } current && AccessTokenClaims.WorkspaceId(context.User) == current.Id &&
            await permissions.IsMemberAsync(context.User, current))
            context.Succeed(requirement);
    }
}
