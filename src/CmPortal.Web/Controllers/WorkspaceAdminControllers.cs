using System.ComponentModel.DataAnnotations;
using System.Text;
using CmPortal.Core;
using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Core.Themes;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CmPortal.Web.Controllers;

[Route("admin/{workspace}")]
[RequirePermission("Workspace.ViewAdmin")]
internal sealed class WorkspaceDashboardController(WorkspaceContext workspace, ModuleFeatures features, ModuleCatalog catalog) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var enabled = await features.EnabledAsync(workspace.Required.Id);
        ViewData["Modules"] = catalog.Modules.Where(m => enabled.Contains(m.Id)).ToList();
        return View(workspace.Required);
    }
}

[Route("admin/{workspace}/settings")]
[RequirePermission("Workspace.ManageSettings")]
internal sealed class WorkspaceSettingsController(WorkspaceContext workspace, WorkspaceService workspaces, ThemeCatalog themes, IStringLocalizer<WorkspaceSettingsController> T) : Controller
{
    [HttpGet("")]
    public IActionResult Index()
    {
        var w = workspace.Required;
        ViewData["Themes"] = themes.SiteThemes.ToList();
        return View(new WorkspaceForm
        {
            Key = w.Key, Name = w.Name, Culture = w.Culture, TimeZone = w.TimeZone, SiteTheme = w.SiteTheme,
            Hosts = string.Join("\n", w.Hosts.Select(h => h.HostName)),
        });
    }

    [HttpPost("")]
    public async Task<IActionResult> Index(WorkspaceForm form, CancellationToken ct)
    {
        form.Key = workspace.Required.Key; // the key is the workspace's address: it does not change here
        var settings = form.ToSettings();
        ModelState.AddFieldErrors(await workspaces.CheckAsync(settings, workspace.Required.Id, ct));
        if (!ModelState.IsValid)
        {
            ViewData["Themes"] = themes.SiteThemes.ToList();
            return View(form);
        }
        await workspaces.SaveAsync(settings, ct);
        TempData["Message"] = T["Settings saved."].Value;
        return Redirect($"/admin/{settings.Key}/settings");
    }
}

[Route("admin/{workspace}/modules")]
[RequirePermission("Workspace.ManageModules")]
internal sealed class ModulesController(WorkspaceContext workspace, ModuleFeatures features, ModuleCatalog catalog, IStringLocalizer<ModulesController> T) : Controller
{
    public sealed record ModuleRow(PortalModule Module, bool Enabled, IReadOnlyList<string> EnabledDependents);

    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var enabled = await features.EnabledAsync(workspace.Required.Id);
        return View(catalog.Modules.OrderBy(m => m.Category).ThenBy(m => m.Name)
            .Select(m => new ModuleRow(m, enabled.Contains(m.Id), catalog.Dependents(m.Id, enabled))).ToList());
    }

    [HttpPost("{id}/enable")]
    public async Task<IActionResult> Enable(string id)
    {
        if (!catalog.Contains(id)) return NotFound();
        var added = await features.EnableAsync(workspace.Required.Id, id);
        TempData["Message"] = T["Enabled: {0}.", string.Join(", ", added.Select(a => T[catalog.Find(a)!.Name].Value))].Value;
        return Redirect($"/admin/{workspace.Required.Key}/modules");
    }

    [HttpPost("{id}/disable")]
    public async Task<IActionResult> Disable(string id)
    {
        if (!catalog.Contains(id)) return NotFound();
        try
        {
            await features.DisableAsync(workspace.Required.Id, id);
            TempData["Message"] = T["Disabled: {0}.", T[catalog.Find(id)!.Name].Value].Value;
        }
        catch (ModuleFeatureException e)
        {
            TempData["Error"] = e.Message;
        }
        return Redirect($"/admin/{workspace.Required.Key}/modules");
    }
}

[Route("admin/{workspace}/members")]
[RequirePermission("Workspace.ManageMembers")]
internal sealed class MembersController(WorkspaceContext workspace, CoreDbContext db, UserManager<PortalUser> users, IStringLocalizer<MembersController> T) : Controller
{
    public sealed class AddMemberForm
    {
        [Required, EmailAddress] public string? Email { get; set; }
        [Required] public Guid RoleId { get; set; }
        /// <summary>Needed only when the address has no account yet: creates it with this temporary password.</summary>
        public string? DisplayName { get; set; }
        public string? Password { get; set; }
    }

    public sealed record MembersPage(IReadOnlyList<Membership> Members, IReadOnlyList<WorkspaceRole> Roles, AddMemberForm Form);

    [HttpGet("")]
    public async Task<IActionResult> Index() => View(await PageAsync(new AddMemberForm()));

    [HttpPost("")]
    public async Task<IActionResult> Add(AddMemberForm form)
    {
        var workspaceId = workspace.Required.Id;
        if (!await db.Roles.AnyAsync(r => r.Id == form.RoleId && r.WorkspaceId == workspaceId))
            ModelState.AddModelError(nameof(AddMemberForm.RoleId), T["Choose a role of this workspace."]);
        if (!ModelState.IsValid) return View("Index", await PageAsync(form));
        var user = await users.FindByEmailAsync(form.Email!);
        if (user is null)
        {
            if (string.IsNullOrWhiteSpace(form.DisplayName) || string.IsNullOrEmpty(form.Password))
            {
                ModelState.AddModelError(nameof(AddMemberForm.Email), T["No account uses this address yet. Give a display name and a temporary password to create it."]);
                return View("Index", await PageAsync(form));
            }
            user = new PortalUser { Email = form.Email!.Trim(), NormalizedEmail = users.NormalizeEmail(form.Email.Trim()), DisplayName = form.DisplayName.Trim() };
            var created = await users.CreateAsync(user, form.Password);
            if (!created.Succeeded)
            {
                foreach (var error in created.Errors) ModelState.AddModelError(nameof(AddMemberForm.Password), error.Description);
                return View("Index", await PageAsync(form));
            }
        }
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == user.Id);
        if (membership is null) db.Memberships.Add(new Membership { WorkspaceId = workspaceId, UserId = user.Id, RoleId = form.RoleId });
        else membership.RoleId = form.RoleId;
        await db.SaveChangesAsync();
        TempData["Message"] = T["{0} is a member with the chosen role.", user.Email].Value;
        return Redirect($"/admin/{workspace.Required.Key}/members");
    }

    [HttpPost("{id:guid}/remove")]
    public async Task<IActionResult> Remove(Guid id)
    {
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.Id == id && m.WorkspaceId == workspace.Required.Id);
        if (membership is null) return NotFound();
        db.Memberships.Remove(membership);
        await db.SaveChangesAsync();
        TempData["Message"] = T["Member removed."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/members");
    }

    private async Task<MembersPage> PageAsync(AddMemberForm form)
    {
        var workspaceId = workspace.Required.Id;
        var members = await db.Memberships.AsNoTracking().Include(m => m.User).Include(m => m.Role)
            .Where(m => m.WorkspaceId == workspaceId).OrderBy(m => m.User!.DisplayName).ToListAsync();
        var roles = await db.Roles.AsNoTracking().Where(r => r.WorkspaceId == workspaceId).ToListAsync();
        return new MembersPage(members, DefaultRoles.InDisplayOrder(roles).ToList(), form);
    }
}

[Route("admin/{workspace}/roles")]
[RequirePermission("Workspace.ManageRoles")]
internal sealed class RolesController(WorkspaceContext workspace, CoreDbContext db, ModuleFeatures features, IStringLocalizer<RolesController> T) : Controller
{
    public sealed record RolesPage(IReadOnlyList<WorkspaceRole> Roles, IReadOnlyList<(string Group, Permission Permission)> Permissions);

    [HttpGet("")]
    public async Task<IActionResult> Index()
    {
        var workspaceId = workspace.Required.Id;
        var roles = await db.Roles.AsNoTracking().Include(r => r.Permissions).Where(r => r.WorkspaceId == workspaceId).ToListAsync();
        return View(new RolesPage(
            DefaultRoles.InDisplayOrder(roles).ToList(),
            await features.GrantableAsync(workspaceId)));
    }

    /// <summary>Saves the whole grid: <c>grants</c> holds "roleId|permission" for every ticked box.</summary>
    [HttpPost("")]
    public async Task<IActionResult> Save(List<string> grants)
    {
        var workspaceId = workspace.Required.Id;
        var grantable = (await features.GrantableAsync(workspaceId)).Select(g => g.Permission.Name).ToHashSet();
        var roles = await db.Roles.Include(r => r.Permissions).Where(r => r.WorkspaceId == workspaceId && r.Name != DefaultRoles.Administrator).ToListAsync();
        var wanted = grants.Select(g => g.Split('|', 2)).Where(p => p.Length == 2 && Guid.TryParse(p[0], out _))
            .Select(p => (Role: Guid.Parse(p[0]), Permission: p[1])).Where(p => grantable.Contains(p.Permission)).ToHashSet();
        foreach (var role in roles)
        {
            // Only grantable permissions are edited here; grants of modules turned off stay for when they return.
            role.Permissions.RemoveAll(p => grantable.Contains(p.Permission) && !wanted.Contains((role.Id, p.Permission)));
            foreach (var (_, permission) in wanted.Where(w => w.Role == role.Id && role.Permissions.All(p => p.Permission != w.Permission)))
                role.Permissions.Add(new RolePermission { Permission = permission });
        }
        await db.SaveChangesAsync();
        TempData["Message"] = T["Roles saved."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/roles");
    }

    /// <summary>A new role starts with no permission; tick them in the grid.</summary>
    [HttpPost("new")]
    public async Task<IActionResult> Create(string? name)
    {
        var workspaceId = workspace.Required.Id;
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 64)
            TempData["Error"] = T["A role name has 1 to 64 characters."].Value;
        else if (!TextRules.IsSafeSingleLine(name))
            TempData["Error"] = T["A role name is one line of visible text: remove line breaks, tabs, control characters and direction marks."].Value;
        else if (await db.Roles.AnyAsync(r => r.WorkspaceId == workspaceId && r.Name == name))
            TempData["Error"] = T["The role \"{0}\" already exists.", name].Value;
        else
        {
            db.Roles.Add(new WorkspaceRole { WorkspaceId = workspaceId, Name = name });
            await db.SaveChangesAsync();
            TempData["Message"] = T["Role \"{0}\" added. Tick what it may do.", name].Value;
        }
        return Redirect($"/admin/{workspace.Required.Key}/roles");
    }

    /// <summary>Only a role the workspace added, and that nobody holds, can be deleted.</summary>
    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id)
    {
        var role = await db.Roles.FirstOrDefaultAsync(r => r.Id == id && r.WorkspaceId == workspace.Required.Id);
        if (role is null) return NotFound();
        if (DefaultRoles.All.Contains(role.Name))
            TempData["Error"] = T["The default roles cannot be deleted."].Value;
        else if (await db.Memberships.AnyAsync(m => m.RoleId == id))
            TempData["Error"] = T["Members hold the role \"{0}\". Give them another role first.", role.Name].Value;
        else
        {
            db.Roles.Remove(role);
            await db.SaveChangesAsync();
            TempData["Message"] = T["Role \"{0}\" deleted.", role.Name].Value;
        }
        return Redirect($"/admin/{workspace.Required.Key}/roles");
    }
}

[Route("admin/{workspace}/export")]
[RequirePermission("Workspace.Export")]
internal sealed class ExportController(WorkspaceContext workspace, RecipeExporter exporter) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View(workspace.Required);

    [HttpGet("download")]
    public async Task<IActionResult> Download(CancellationToken ct)
    {
        var json = await exporter.ExportAsync(workspace.Required.Key, ct);
        return File(Encoding.UTF8.GetBytes(json), "application/json", $"{workspace.Required.Key}.recipe.json");
    }
}

/// <summary>The public home of a workspace: <c>/{key}/</c>.</summary>
[Route("{workspace}")]
internal sealed class SiteController(WorkspaceContext workspace) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View(workspace.Required);
}
