using CmPortal.Core.Localization;
using CmPortal.Core.Mail;
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
internal sealed class WorkspaceDashboardController(WorkspaceContext workspace, ModuleFeatures features, ModuleCatalog catalog, Core.Admin.DashboardCards cards) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var enabled = await features.EnabledAsync(workspace.Required.Id, ct);
        ViewData["Modules"] = catalog.Modules.Where(m => enabled.Contains(m.Id)).ToList();
        ViewData["Cards"] = await cards.ForAsync(User, workspace.Required, ct);
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
        ViewData["MayBindHosts"] = PermissionService.IsHostAdmin(User);
        ViewData["Site"] = SiteForm.From(w.SiteInfo);
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
        // Binding a host name decides who answers on an address: a host administrator's decision, not a workspace's.
        if (!PermissionService.IsHostAdmin(User)) settings = settings with { Hosts = null };
        ModelState.AddProblems(await workspaces.ProblemsAsync(settings, workspace.Required.Id, ct), T);
        if (!ModelState.IsValid)
        {
            ViewData["Themes"] = themes.SiteThemes.ToList();
            ViewData["MayBindHosts"] = PermissionService.IsHostAdmin(User);
            ViewData["Site"] = SiteForm.From(workspace.Required.SiteInfo);
            return View(form);
        }
        await workspaces.SaveAsync(settings, ct);
        TempData["Message"] = T["Settings saved."].Value;
        return Redirect($"/admin/{settings.Key}/settings");
    }

    /// <summary>The public site's legal notice and contact.</summary>
    [HttpPost("site")]
    public async Task<IActionResult> Site(SiteForm site, CancellationToken ct)
    {
        var info = site.ToInfo().Normalized();
        ModelState.Clear();
        ModelState.AddProblems(info.Check(), T);
        if (!ModelState.IsValid)
        {
            var w = workspace.Required;
            ViewData["Themes"] = themes.SiteThemes.ToList();
            ViewData["MayBindHosts"] = PermissionService.IsHostAdmin(User);
            ViewData["Site"] = site;
            return View("Index", new WorkspaceForm
            {
                Key = w.Key, Name = w.Name, Culture = w.Culture, TimeZone = w.TimeZone, SiteTheme = w.SiteTheme,
                Hosts = string.Join("\n", w.Hosts.Select(h => h.HostName)),
            });
        }
        await workspaces.SetSiteInfoAsync(workspace.Required, info, ct);
        TempData["Message"] = T["Legal notice saved."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/settings#site");
    }

    /// <summary>Puts the public site online: its pages answer visitors.</summary>
    [HttpPost("publish")]
    public async Task<IActionResult> Publish(CancellationToken ct)
    {
        await workspaces.SetSitePublishedAsync(workspace.Required, true, ct);
        TempData["Message"] = T["The public site is online."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/settings#site");
    }

    /// <summary>Takes the public site offline: its pages answer 404 to visitors.</summary>
    [HttpPost("unpublish")]
    public async Task<IActionResult> Unpublish(CancellationToken ct)
    {
        await workspaces.SetSitePublishedAsync(workspace.Required, false, ct);
        TempData["Message"] = T["The public site is offline: visitors get “page not found”."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/settings#site");
    }
}

/// <summary>The legal notice fields of the settings page (names as in <see cref="SiteInfo.Fields"/>, capitalised).</summary>
public sealed class SiteForm
{
    public string? PublisherName { get; set; }
    public string? PublisherAddress { get; set; }
    public string? PublisherRegistration { get; set; }
    public string? PublicationDirector { get; set; }
    public string? HostingName { get; set; }
    public string? HostingAddress { get; set; }
    public string? HostingPhone { get; set; }
    public string? ContactEmail { get; set; }

    public SiteInfo ToInfo() => new(PublisherName, PublisherAddress, PublisherRegistration, PublicationDirector, HostingName, HostingAddress, HostingPhone, ContactEmail);

    public static SiteForm From(SiteInfo i) => new()
    {
        PublisherName = i.PublisherName, PublisherAddress = i.PublisherAddress, PublisherRegistration = i.PublisherRegistration,
        PublicationDirector = i.PublicationDirector, HostingName = i.HostingName, HostingAddress = i.HostingAddress,
        HostingPhone = i.HostingPhone, ContactEmail = i.ContactEmail,
    };
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
        TempData["Message"] = T["Enabled: {0}.", string.Join(", ", added.Select(a => T.Declared(catalog.Find(a)!.Name).Value))].Value;
        return Redirect($"/admin/{workspace.Required.Key}/modules");
    }

    [HttpPost("{id}/disable")]
    public async Task<IActionResult> Disable(string id)
    {
        if (!catalog.Contains(id)) return NotFound();
        try
        {
            await features.DisableAsync(workspace.Required.Id, id);
            TempData["Message"] = T["Disabled: {0}.", T.Declared(catalog.Find(id)!.Name).Value].Value;
        }
        catch (ModuleFeatureException e)
        {
            TempData["Error"] = T.Problem(e.Problem).Value;
        }
        return Redirect($"/admin/{workspace.Required.Key}/modules");
    }
}

[Route("admin/{workspace}/members")]
[RequirePermission("Workspace.ManageMembers")]
internal sealed class MembersController(WorkspaceContext workspace, MembershipService memberships, PermissionService permissions,
    InvitationMailer mailer, PublicUrls urls, IStringLocalizer<MembersController> T) : Controller
{
    public sealed class AddMemberForm
    {
        [Required, EmailAddress] public string? Email { get; set; }
        /// <summary>No role is chosen in advance: inviting someone as an administrator by leaving the first option is too easy.</summary>
        [Required] public Guid? RoleId { get; set; }
        /// <summary>For an invitation: the name the invited person will see pre-filled.</summary>
        public string? DisplayName { get; set; }
    }

    /// <summary>The members, pending invitations, host administrators, the roles this user may give, and which members they may change.</summary>
    public sealed record MembersPage(IReadOnlyList<Membership> Members, IReadOnlyList<Invitation> Invitations, IReadOnlyList<PortalUser> HostAdministrators,
        IReadOnlyList<WorkspaceRole> Roles, WorkspaceAccess Actor, AddMemberForm Form);

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await PageAsync(new AddMemberForm(), ct));

    [HttpPost("")]
    public async Task<IActionResult> Add(AddMemberForm form, CancellationToken ct)
    {
        if (!ModelState.IsValid) return View("Index", await PageAsync(form, ct));
        var actor = await permissions.AccessAsync(User, workspace.Required, ct);
        var outcome = await memberships.AssignAsync(actor, PermissionService.UserId(User)!.Value, workspace.Required.Id,
            new MemberRequest(form.Email!, form.RoleId!.Value, form.DisplayName), ct);
        if (outcome.Problems.Count > 0)
        {
            ModelState.AddProblems(outcome.Problems, T);
            return View("Index", await PageAsync(form, ct));
        }
        if (outcome.InvitationToken is { } token)
        {
            var link = $"/account/invitation/{token}";
            TempData["InvitationLink"] = link;
            var email = form.Email!.Trim();
            switch (await MailInvitationAsync(email, form, urls.Portal(link), outcome.InvitationExpiresUtc!.Value, ct))
            {
                case MailOutcome.Sent:
                    TempData["Message"] = T["{0} has no account yet: the invitation was e-mailed to them. The link below works too, once, for 7 days.", email].Value;
                    break;
                case MailOutcome.Failed:
                    TempData["Error"] = T["The invitation e-mail to {0} could not be sent: send them the link below yourself. It works once, for 7 days.", email].Value;
                    break;
                default:
                    TempData["Message"] = T["{0} has no account yet: send them the invitation link below. It works once, for 7 days.", email].Value;
                    break;
            }
        }
        else TempData["Message"] = T["{0} is a member with the chosen role.", form.Email!.Trim()].Value;
        return Redirect($"/admin/{workspace.Required.Key}/members");
    }

    private async Task<MailOutcome> MailInvitationAsync(string email, AddMemberForm form, string link, DateTime expiresUtc, CancellationToken ct)
    {
        if (!mailer.IsConfigured) return MailOutcome.NotConfigured;
        var inviterId = PermissionService.UserId(User)!.Value;
        var inviter = await memberships.DisplayNameAsync(inviterId, ct) ?? "";
        var role = await memberships.RoleNameAsync(workspace.Required.Id, form.RoleId!.Value, ct) ?? "";
        var displayName = string.IsNullOrWhiteSpace(form.DisplayName) ? null : form.DisplayName.Trim();
        return await mailer.SendAsync(new InvitationLetter(workspace.Required, email, displayName, role, inviter, link, expiresUtc), ct);
    }

    [HttpPost("{id:guid}/remove")]
    public async Task<IActionResult> Remove(Guid id, CancellationToken ct)
    {
        var actor = await permissions.AccessAsync(User, workspace.Required, ct);
        if (await memberships.RemoveAsync(actor, workspace.Required.Id, id, ct) is not { } problems) return NotFound();
        if (problems.Count > 0) TempData["Error"] = T.Problem(problems[0]).Value;
        else TempData["Message"] = T["Member removed."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/members");
    }

    [HttpPost("invitations/{id:guid}/revoke")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken ct)
    {
        if (!await memberships.RevokeInvitationAsync(workspace.Required.Id, id, ct)) return NotFound();
        TempData["Message"] = T["Invitation withdrawn: its link no longer works."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/members");
    }

    private async Task<MembersPage> PageAsync(AddMemberForm form, CancellationToken ct)
    {
        var workspaceId = workspace.Required.Id;
        var actor = await permissions.AccessAsync(User, workspace.Required, ct);
        var hostAdministrators = await memberships.HostAdministratorsAsync(ct);
        return new MembersPage(await memberships.ListAsync(workspaceId, ct), await memberships.PendingInvitationsAsync(workspaceId, ct), hostAdministrators,
            await memberships.GrantableRolesAsync(actor, workspaceId, ct), actor, form);
    }
}

[Route("admin/{workspace}/roles")]
[RequirePermission("Workspace.ManageRoles")]
internal sealed class RolesController(WorkspaceContext workspace, WorkspaceRoleService roles, ModuleFeatures features, PermissionService permissions,
    IStringLocalizer<RolesController> T) : Controller
{
    /// <summary>The grid; <c>Actor</c> says which permissions this user may tick or untick (those they hold).</summary>
    public sealed record RolesPage(IReadOnlyList<WorkspaceRole> Roles, IReadOnlyList<(string Group, Permission Permission)> Permissions, WorkspaceAccess Actor);

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var workspaceId = workspace.Required.Id;
        return View(new RolesPage(await roles.ListAsync(workspaceId, ct), await features.GrantableAsync(workspaceId, ct),
            await permissions.AccessAsync(User, workspace.Required, ct)));
    }

    /// <summary>Saves the whole grid: <c>grants</c> holds "roleId|permission" for every ticked box.</summary>
    [HttpPost("")]
    public async Task<IActionResult> Save(List<string> grants, CancellationToken ct)
    {
        // OfType: an empty value posts null.
        var wanted = grants.OfType<string>().Select(g => g.Split('|', 2)).Where(p => p.Length == 2 && Guid.TryParse(p[0], out _))
            .Select(p => (Role: Guid.Parse(p[0]), Permission: p[1])).ToHashSet();
        await roles.SaveGrantsAsync(await permissions.AccessAsync(User, workspace.Required, ct), workspace.Required.Id, wanted, ct);
        TempData["Message"] = T["Roles saved."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/roles");
    }

    /// <summary>A new role starts with no permission; tick them in the grid.</summary>
    [HttpPost("new")]
    public async Task<IActionResult> Create(string? name, CancellationToken ct)
    {
        var problems = await roles.CreateAsync(workspace.Required.Id, name, ct);
        if (problems.Count > 0) TempData["Error"] = T.Problem(problems[0]).Value;
        else TempData["Message"] = T["Role \"{0}\" added. Tick what it may do.", name!.Trim()].Value;
        return Redirect($"/admin/{workspace.Required.Key}/roles");
    }

    /// <summary>Only a role the workspace added, and that nobody holds, can be deleted.</summary>
    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken ct)
    {
        if (await roles.DeleteAsync(workspace.Required.Id, id, ct) is not var (role, problems)) return NotFound();
        if (problems.Count > 0) TempData["Error"] = T.Problem(problems[0]).Value;
        else TempData["Message"] = T["Role \"{0}\" deleted.", role.Name].Value;
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

/// <summary>
/// The public home of a workspace, <c>/{key}/</c>, and its legal notice, <c>/{key}/mentions-legales</c> (or <c>/legal</c>),
/// filled from the workspace's settings. While the site is not published, the pipeline answers 404 before these run.
/// </summary>
[Route("{workspace}")]
[Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = CmPortal.Core.Caching.PublicPageCache.Policy)]
internal sealed class SiteController(WorkspaceContext workspace, PublicUrls urls) : Controller
{
    private static readonly System.Xml.Linq.XNamespace SitemapNs = "http://www.sitemaps.org/schemas/sitemap/0.9";

    [HttpGet("")]
    public IActionResult Index() => View(workspace.Required);

    /// <summary>
    /// <c>/{key}/sitemap.xml</c>: the home page and the addresses the modules on in the workspace publish
    /// (<see cref="ISitemapSource"/>). Absolute addresses come from <see cref="PublicUrls"/> (the configured public
    /// address or the bound host), as og:url does, never from the request's Host header.
    /// </summary>
    [HttpGet("sitemap.xml")]
    public async Task<IActionResult> Sitemap([FromServices] BrandStyles site, CancellationToken ct)
    {
        var current = workspace.Required;
        var entries = new List<SitemapEntry> { new("/") };
        entries.AddRange(await site.SitemapAsync(current, ct));
        var urlset = new System.Xml.Linq.XElement(SitemapNs + "urlset", entries.DistinctBy(e => e.Path).Select(e => new System.Xml.Linq.XElement(SitemapNs + "url",
            new System.Xml.Linq.XElement(SitemapNs + "loc", urls.Site(current, e.Path)),
            e.LastModifiedUtc is { } modified
                ? new System.Xml.Linq.XElement(SitemapNs + "lastmod", DateTime.SpecifyKind(modified, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture))
                : null)));
        var xml = new System.Xml.Linq.XDocument(new System.Xml.Linq.XDeclaration("1.0", "utf-8", null), urlset);
        return Content(xml.Declaration + "\n" + xml.Root, "application/xml; charset=utf-8", Encoding.UTF8);
    }

    [HttpGet("mentions-legales")]
    [HttpGet("legal")]
    public IActionResult Legal()
    {
        var current = workspace.Required;
        ViewData["Canonical"] = urls.Site(current, "/" + SiteInfo.LegalNoticePath(current));
        return View(current);
    }
}
