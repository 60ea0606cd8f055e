using System.ComponentModel.DataAnnotations;
using CmPortal.Core;
using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace CmPortal.Web.Controllers;

[Route("account")]
internal sealed class AccountController(SignInManager<PortalUser> signIn, UserManager<PortalUser> users, MembershipService memberships,
    AccessTokenService accessTokens, IStringLocalizer<AccountController> T) : Controller
{
    public sealed class TokenForm
    {
        public string? Name { get; set; }
        public string? Workspace { get; set; }
        public DateOnly? ExpiresOn { get; set; }
    }

    /// <summary>The account page: password, and the personal access tokens (with the secret of the one just made, shown once).</summary>
    public sealed record AccountPage(IReadOnlyList<AccessTokenView> Tokens, IReadOnlyList<Workspace> Workspaces, TokenForm Form, string? NewSecret = null);

    [HttpGet(""), Authorize]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await AccountPageAsync(new TokenForm(), null, ct));

    [HttpPost("tokens"), Authorize]
    public async Task<IActionResult> CreateToken(TokenForm form, CancellationToken ct)
    {
        if (PermissionService.UserId(User) is not { } userId) return Challenge();
        if (ModelState.IsValid)
        {
            var outcome = await accessTokens.CreateAsync(userId, new AccessTokenRequest(form.Name, form.Workspace, form.ExpiresOn), ct);
            // Shown in this answer only, never redirected through a cookie: the secret is not stored anywhere.
            if (outcome.Problems.Count == 0) return View("Index", await AccountPageAsync(new TokenForm(), outcome.Secret, ct));
            ModelState.AddProblems(outcome.Problems, T);
        }
        return View("Index", await AccountPageAsync(form, null, ct));
    }

    [HttpPost("tokens/{id:guid}/revoke"), Authorize]
    public async Task<IActionResult> RevokeToken(Guid id, CancellationToken ct)
    {
        if (PermissionService.UserId(User) is not { } userId) return Challenge();
        if (!await accessTokens.RevokeAsync(userId, id, ct)) return NotFound();
        TempData["Message"] = T["The token is revoked: it no longer opens anything."].Value;
        return Redirect("/account#tokens");
    }

    private async Task<AccountPage> AccountPageAsync(TokenForm form, string? secret, CancellationToken ct)
    {
        var userId = PermissionService.UserId(User)!.Value;
        return new AccountPage(await accessTokens.ListAsync(userId, ct), await accessTokens.WorkspacesOfAsync(userId, ct), form, secret);
    }

    public sealed class LoginForm
    {
        [Required, EmailAddress] public string? Email { get; set; }
        [Required] public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    [HttpGet("login"), AllowAnonymous]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = returnUrl });

    [HttpPost("login"), AllowAnonymous, EnableRateLimiting(SignInRateLimit.Policy)]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (!ModelState.IsValid) return View(form);
        var user = await users.FindByEmailAsync(form.Email!);
        if (user is not null && !await users.IsLockedOutAsync(user))
        {
            var result = await signIn.PasswordSignInAsync(user, form.Password!, isPersistent: false, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                if (user.PreferredCulture is { } culture) SetCultureCookie(culture);
                return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl! : "/admin");
            }
        }
        else
        {
            // Unknown or locked account: check the password against a stand-in all the same, so that the
            // answer takes as long as a wrong password's and the time tells nothing either.
            users.PasswordHasher.VerifyHashedPassword(StandIn.User, StandIn.Hash(users.PasswordHasher), form.Password!);
        }
        // One answer for an unknown address, a wrong password and a locked account: do not reveal which accounts exist.
        ModelState.AddModelError("", T["Wrong email or password, or the account is locked: after 5 failed attempts it stays locked for 15 minutes."]);
        return View(form);
    }

    /// <summary>The account whose hash unknown and locked sign-ins are checked against.</summary>
    private static class StandIn
    {
        public static readonly PortalUser User = new() { Email = "stand-in@invalid", NormalizedEmail = "STAND-IN@INVALID", DisplayName = "stand-in" };
        private static string? _hash;
        public static string Hash(IPasswordHasher<PortalUser> hasher) =>
            _hash ??= hasher.HashPassword(User, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
    }

    [HttpPost("logout"), Authorize]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return Redirect("/account/login");
    }

    /// <summary>The admin language; remembered on the user's profile and in a cookie.</summary>
    [HttpPost("language"), AllowAnonymous]
    public async Task<IActionResult> Language(string culture, string? returnUrl)
    {
        if (WorkspaceRules.CheckCulture(culture) is null)
        {
            SetCultureCookie(culture);
            if (User.Identity?.IsAuthenticated == true && await users.GetUserAsync(User) is { } user)
            {
                user.PreferredCulture = culture;
                await users.UpdateAsync(user);
            }
        }
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/admin");
    }

    public sealed class PasswordForm
    {
        [Required] public string? CurrentPassword { get; set; }
        [Required] public string? NewPassword { get; set; }
        [Required, Compare(nameof(NewPassword))] public string? ConfirmPassword { get; set; }
    }

    /// <summary>Every signed-in user changes their own password here (first of all the temporary one they were given).</summary>
    [HttpGet("password"), Authorize]
    public IActionResult Password() => View(new PasswordForm());

    [HttpPost("password"), Authorize]
    public async Task<IActionResult> Password(PasswordForm form)
    {
        if (!ModelState.IsValid) return View(form);
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        user.MustChangePassword = false; // stored only if the change succeeds
        var result = await users.ChangePasswordAsync(user, form.CurrentPassword!, form.NewPassword!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? nameof(PasswordForm.CurrentPassword) : nameof(PasswordForm.NewPassword), error.Description);
            return View(form);
        }
        // The new security stamp ended every session of this user; this browser gets a new one.
        await signIn.SignInAsync(user, isPersistent: false);
        TempData["Message"] = T["Your password is changed."].Value;
        return Redirect("/admin");
    }

    public sealed class InvitationForm
    {
        [Required, StringLength(100)] public string? DisplayName { get; set; }
        [Required] public string? Password { get; set; }
        [Required, Compare(nameof(Password))] public string? ConfirmPassword { get; set; }
    }

    public sealed record InvitationPage(InvitationView? Invitation, InvitationForm Form);

    /// <summary>The invited person chooses their name and password; the link works once.</summary>
    [HttpGet("invitation/{token}"), AllowAnonymous]
    public async Task<IActionResult> Invitation(string token, CancellationToken ct)
    {
        var invitation = await memberships.InvitationAsync(token, ct);
        if (invitation is null) Response.StatusCode = StatusCodes.Status404NotFound;
        return View(new InvitationPage(invitation, new InvitationForm { DisplayName = invitation?.DisplayName }));
    }

    [HttpPost("invitation/{token}"), AllowAnonymous, EnableRateLimiting(SignInRateLimit.Policy)]
    public async Task<IActionResult> Invitation(string token, InvitationForm form, CancellationToken ct)
    {
        var invitation = await memberships.InvitationAsync(token, ct);
        if (invitation is null || !ModelState.IsValid)
        {
            if (invitation is null) Response.StatusCode = StatusCodes.Status404NotFound;
            return View(new InvitationPage(invitation, form));
        }
        var (user, problems) = await memberships.AcceptAsync(token, form.DisplayName, form.Password!, ct);
        if (user is null)
        {
            ModelState.AddProblems(problems, T);
            return View(new InvitationPage(await memberships.InvitationAsync(token, ct), form));
        }
        await signIn.SignInAsync(user, isPersistent: false);
        TempData["Message"] = T["Welcome to {0}!", invitation.WorkspaceName].Value;
        return Redirect($"/admin/{invitation.WorkspaceKey}");
    }

    [HttpGet("denied"), AllowAnonymous]
    public IActionResult Denied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }

    private void SetCultureCookie(string culture) =>
        Response.Cookies.Append(PortalPipeline.CultureCookie, culture,
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
}

[Route("error")]
[AllowAnonymous]
internal sealed class ErrorController : Controller
{
    [Route("{code:int}")]
    public async Task<IActionResult> Show(int code)
    {
        // The API answers its errors as problem documents, never as an HTML page.
        if (CmPortal.Core.Api.ApiProblems.IsApiRequest(HttpContext))
        {
            await CmPortal.Core.Api.ApiProblems.WriteStatusAsync(HttpContext, code);
            return new EmptyResult();
        }
        Response.StatusCode = code;
        return View("Error", code);
    }
}
