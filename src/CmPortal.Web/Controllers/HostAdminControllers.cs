using System.ComponentModel.DataAnnotations;
using CmPortal.Core.Localization;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Themes;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CmPortal.Web.Controllers;

/// <summary>The workspace chooser: the workspaces the signed-in user belongs to.</summary>
[Route("admin")]
[RequirePermission(CorePermissions.SignedIn)]
internal sealed class AdminHomeController(Core.Admin.AdminNavigation navigation) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var nav = await navigation.BuildAsync(HttpContext);
        return View(nav);
    }
}

public sealed class WorkspaceForm
{
    public string? Key { get; set; }
    public string? Name { get; set; }
    public string Culture { get; set; } = "fr-FR";
    public string TimeZone { get; set; } = "Europe/Paris";
    public string? SiteTheme { get; set; }
    /// <summary>One host name per line.</summary>
    public string? Hosts { get; set; }

    public WorkspaceSettings ToSettings() => new((Key ?? "").Trim(), (Name ?? "").Trim(), Culture, TimeZone, SiteTheme,
        (Hosts ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h => h.ToLowerInvariant()).ToList());
}

[Route("admin/workspaces")]
[RequirePermission(CorePermissions.HostAdmin)]
internal sealed class WorkspacesController(WorkspaceService workspaces, ThemeCatalog themes, IStringLocalizer<WorkspacesController> T) : Controller
{
    /// <summary>The form of "Duplicate this brand": the source, and the new key and name as typed, with their problems.</summary>
    public sealed record DuplicatePage(Workspace Source, string? Key, string? Name, IReadOnlyDictionary<string, string> Errors);

    [HttpGet("")]
    public async Task<IActionResult> Index() => View(await workspaces.ListAsync());

    [HttpGet("new")]
    public IActionResult Create()
    {
        ViewData["Themes"] = themes.SiteThemes.ToList();
        return View(new WorkspaceForm { SiteTheme = themes.DefaultSiteTheme });
    }

    [HttpPost("new")]
    public async Task<IActionResult> Create(WorkspaceForm form, CancellationToken ct)
    {
        var settings = form.ToSettings();
        ModelState.AddProblems(await workspaces.ProblemsAsync(settings, null, ct), T);
        if (!ModelState.IsValid)
        {
            ViewData["Themes"] = themes.SiteThemes.ToList();
            return View(form);
        }
        var workspace = await workspaces.SaveAsync(settings, ct);
        TempData["Message"] = T["Workspace \"{0}\" created.", workspace.Name].Value;
        return Redirect($"/admin/{workspace.Key}");
    }

    [HttpGet("{key}/duplicate")]
    public async Task<IActionResult> Duplicate(string key, CancellationToken ct) =>
        await workspaces.FindAsync(key, ct) is { } source ? View(new DuplicatePage(source, null, null, new Dictionary<string, string>())) : NotFound();

    /// <summary>Exports the workspace and applies the export under the new key and name: a new workspace, offline, without host names.</summary>
    [HttpPost("{key}/duplicate")]
    public async Task<IActionResult> Duplicate(string key, string? newKey, string? newName, [FromServices] Core.Recipes.WorkspaceDuplicator duplicator, CancellationToken ct)
    {
        if (await workspaces.FindAsync(key, ct) is not { } source) return NotFound();
        var problems = await duplicator.DuplicateAsync(source.Key, newKey, newName, ct);
        if (problems.Count > 0)
            return View(new DuplicatePage(source, newKey, newName,
                problems.GroupBy(p => p.Field ?? "").ToDictionary(g => g.Key, g => string.Join(Environment.NewLine, g.Select(p => T.Problem(p).Value)))));
        TempData["Message"] = T["Workspace «{0}» created as a copy of «{1}». Its public site is offline and it has no host names: check it, then publish it from its settings.", newName!.Trim(), source.Name].Value;
        return Redirect($"/admin/{newKey!.Trim()}");
    }
}

[Route("admin/users")]
[RequirePermission(CorePermissions.HostAdmin)]
internal sealed class UsersController(MembershipService memberships, UserManager<PortalUser> users, IStringLocalizer<UsersController> T) : Controller
{
    public sealed class UserForm
    {
        [Required, EmailAddress] public string? Email { get; set; }
        [Required, StringLength(100)] public string? DisplayName { get; set; }
        [Required] public string? Password { get; set; }
        public bool IsHostAdmin { get; set; }
    }

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await memberships.AllUsersAsync(ct));

    [HttpGet("new")]
    public IActionResult Create() => View(new UserForm());

    [HttpPost("new")]
    public async Task<IActionResult> Create(UserForm form)
    {
        if (!ModelState.IsValid) return View(form);
        var user = new PortalUser
        {
            Email = form.Email!.Trim(), NormalizedEmail = users.NormalizeEmail(form.Email.Trim()),
            DisplayName = form.DisplayName!.Trim(), IsHostAdmin = form.IsHostAdmin, MustChangePassword = true,
        };
        if (await users.FindByEmailAsync(user.Email) is not null)
        {
            ModelState.AddModelError(nameof(UserForm.Email), T["A user with this email already exists."]);
            return View(form);
        }
        var result = await users.CreateAsync(user, form.Password!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors) ModelState.AddModelError(nameof(UserForm.Password), error.Description);
            return View(form);
        }
        TempData["Message"] = T["User {0} created. Give them their temporary password; they join workspaces from each workspace's Members page.", user.Email].Value;
        return Redirect("/admin/users");
    }

    /// <summary>Ends a lockout before its 15 minutes are over.</summary>
    [HttpPost("{id:guid}/unlock")]
    public async Task<IActionResult> Unlock(Guid id)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } user) return NotFound();
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        TempData["Message"] = T["{0} can sign in again.", user.Email].Value;
        return Redirect("/admin/users");
    }

    /// <summary>Locks the account until a host administrator unlocks it; its sessions end at once (new security stamp).</summary>
    [HttpPost("{id:guid}/lock")]
    public async Task<IActionResult> Lock(Guid id)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } user) return NotFound();
        if (PermissionService.UserId(User) == user.Id)
        {
            TempData["Error"] = T["You cannot lock your own account."].Value;
            return Redirect("/admin/users");
        }
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(user);
        TempData["Message"] = T["{0} is locked and signed out everywhere.", user.Email].Value;
        return Redirect("/admin/users");
    }

    /// <summary>Sets a new temporary password (the user changes it at /account/password) and ends their other sessions.</summary>
    [HttpPost("{id:guid}/password")]
    public async Task<IActionResult> ResetPassword(Guid id, string? password)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } user) return NotFound();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        user.MustChangePassword = true; // a password someone else chose is changed at the next sign-in
        var result = await users.ResetPasswordAsync(user, token, password ?? "");
        TempData[result.Succeeded ? "Message" : "Error"] = result.Succeeded
            ? T["New temporary password set for {0}.", user.Email].Value
            : string.Join(" ", result.Errors.Select(e => e.Description));
        return Redirect("/admin/users");
    }
}

internal static class ModelStateExtensions
{
    /// <summary>
    /// Puts the engine's problems (fields in camelCase, as recipes name them) on the form's PascalCase inputs, in the
    /// reader's language with their values shown the reader's way; a problem without a field is an error of the whole form.
    /// </summary>
    public static void AddProblems(this Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState, IEnumerable<Core.Validation.Problem> problems, IStringLocalizer T)
    {
        foreach (var problem in problems)
            modelState.AddModelError(string.IsNullOrEmpty(problem.Field) ? "" : char.ToUpperInvariant(problem.Field[0]) + problem.Field[1..], T.Problem(problem).Value);
    }
}
