using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>A member never grants more than they hold: every role that may manage members, against every role it might give.</summary>
public sealed class MemberGrantTests
{
    private const string Workspace = "maison-lumen";
    private const string Recruiter = "Recruiter"; // a role the workspace added: open the admin and manage members, nothing else

    private static readonly string[] Targets =
        [DefaultRoles.Administrator, DefaultRoles.BrandManager, DefaultRoles.CommunityManager, DefaultRoles.Contributor, DefaultRoles.Analyst, Recruiter];

    public static TheoryData<string, string[]> Grants => new()
    {
        // actor role, the roles it may give (the others are refused)
        { DefaultRoles.Administrator, Targets },
        { DefaultRoles.BrandManager, [DefaultRoles.BrandManager, DefaultRoles.CommunityManager, DefaultRoles.Contributor, DefaultRoles.Analyst, Recruiter] },
        { Recruiter, [Recruiter] },
    };

    [Theory]
    [MemberData(nameof(Grants))]
    public async Task A_member_gives_only_roles_whose_permissions_they_hold(string actorRole, string[] allowed)
    {
        await using var host = await StartWithRecruiterRoleAsync();
        var actor = $"actor-{actorRole.Replace(' ', '-').ToLowerInvariant()}@maison-lumen.test";
        await host.AddMemberAsync(actor, Workspace, actorRole);
        using var client = await host.SignInAsync(actor, MemberHostExtensions.MemberPassword);

        var page = await client.GetStringAsync($"/admin/{Workspace}/members");
        foreach (var target in Targets)
        {
            var roleId = await RoleIdAsync(host, target);
            var email = $"new-{target.Replace(' ', '-').ToLowerInvariant()}@maison-lumen.test";
            var response = await client.PostFormAsync($"/admin/{Workspace}/members", new()
            {
                ["Email"] = email, ["RoleId"] = roleId.ToString(), ["DisplayName"] = "Nouvelle recrue",
            }, $"/admin/{Workspace}/members");
            var stored = await InvitedRoleAsync(host, email);
            var offered = page.Contains($"value=\"{roleId}\"");
            if (allowed.Contains(target))
            {
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Equal($"/admin/{Workspace}/members", response.Headers.Location?.OriginalString);
                Assert.Equal(target, stored);
                Assert.True(offered, $"{actorRole} may give {target}: the role list should offer it.");
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, with the reason
                Assert.Contains("ne permet pas", await response.Content.ReadAsStringAsync());
                Assert.Null(stored);
                Assert.False(offered, $"{actorRole} may not give {target}: the role list should not offer it.");
            }
        }
    }

    [Fact]
    public async Task A_brand_manager_cannot_make_themselves_administrator_nor_demote_or_remove_an_administrator()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("claire@maison-lumen.test", Workspace, DefaultRoles.BrandManager);
        await host.AddMemberAsync("chef@maison-lumen.test", Workspace, DefaultRoles.Administrator);
        using var manager = await host.SignInAsync("claire@maison-lumen.test", MemberHostExtensions.MemberPassword);
        var administrator = (await RoleIdAsync(host, DefaultRoles.Administrator)).ToString();

        var self = await manager.PostFormAsync($"/admin/{Workspace}/members",
            new() { ["Email"] = "claire@maison-lumen.test", ["RoleId"] = administrator }, $"/admin/{Workspace}/members");
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        Assert.Equal(DefaultRoles.BrandManager, await RoleOfAsync(host, "claire@maison-lumen.test"));
        Assert.Equal(HttpStatusCode.Redirect, (await manager.GetAsync($"/admin/{Workspace}/roles")).StatusCode); // still no "manage roles"

        var demote = await manager.PostFormAsync($"/admin/{Workspace}/members",
            new() { ["Email"] = "chef@maison-lumen.test", ["RoleId"] = (await RoleIdAsync(host, DefaultRoles.Analyst)).ToString() }, $"/admin/{Workspace}/members");
        Assert.Contains("Seul quelqu’un qui a tous ces droits peut le changer", await demote.Content.ReadAsStringAsync());
        Assert.Equal(DefaultRoles.Administrator, await RoleOfAsync(host, "chef@maison-lumen.test"));

        var membership = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Memberships
            .Where(m => m.User!.Email == "chef@maison-lumen.test").Select(m => m.Id).SingleAsync());
        Assert.DoesNotContain($"/members/{membership}/remove", await manager.GetStringAsync($"/admin/{Workspace}/members"));
        var remove = await manager.PostFormAsync($"/admin/{Workspace}/members/{membership}/remove", [], $"/admin/{Workspace}/members");
        Assert.Equal($"/admin/{Workspace}/members", remove.Headers.Location?.OriginalString);
        Assert.Contains("peut retirer ce membre", await manager.GetStringAsync($"/admin/{Workspace}/members"));
        Assert.Equal(DefaultRoles.Administrator, await RoleOfAsync(host, "chef@maison-lumen.test"));
    }

    [Fact]
    public async Task A_role_editor_ticks_only_permissions_they_hold()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        await admin.PostFormAsync($"/admin/{Workspace}/roles/new", new() { ["name"] = "Role keeper" }, $"/admin/{Workspace}/roles");
        var keeper = await RoleIdAsync(host, "Role keeper");
        await SetPermissionsAsync(host, keeper, "Workspace.ViewAdmin", "Workspace.ManageRoles");
        await host.AddMemberAsync("gardien@maison-lumen.test", Workspace, "Role keeper");
        using var editor = await host.SignInAsync("gardien@maison-lumen.test", MemberHostExtensions.MemberPassword);

        var page = await editor.GetStringAsync($"/admin/{Workspace}/roles");
        Assert.Contains("Vous ne pouvez cocher ou décocher que ce que votre propre rôle permet", page);
        var analyst = await RoleIdAsync(host, DefaultRoles.Analyst);
        var analystBefore = await PermissionsOfAsync(host, analyst);
        // Tick only "manage members" (which they lack) for their own role: every other box of every role is unticked.
        var response = await editor.PostFormAsync($"/admin/{Workspace}/roles", new()
        {
            ["grants"] = $"{keeper}|Workspace.ManageMembers",
        }, $"/admin/{Workspace}/roles");
        Assert.Equal($"/admin/{Workspace}/roles", response.Headers.Location?.OriginalString);

        Assert.Empty(await PermissionsOfAsync(host, keeper)); // what they hold was unticked; "manage members", not held, was not added
        Assert.Equal(analystBefore.Where(p => p != "Workspace.ViewAdmin"), await PermissionsOfAsync(host, analyst)); // only what the editor holds was removed
    }

    private static async Task<PortalHost> StartWithRecruiterRoleAsync()
    {
        var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        await admin.PostFormAsync($"/admin/{Workspace}/roles/new", new() { ["name"] = Recruiter }, $"/admin/{Workspace}/roles");
        await SetPermissionsAsync(host, await RoleIdAsync(host, Recruiter), "Workspace.ViewAdmin", "Workspace.ManageMembers");
        return host;
    }

    private static Task SetPermissionsAsync(PortalHost host, Guid roleId, params string[] permissions) =>
        host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CoreDbContext>();
            var role = await db.Roles.Include(r => r.Permissions).SingleAsync(r => r.Id == roleId);
            role.Permissions = permissions.Select(p => new RolePermission { Permission = p }).ToList();
            await db.SaveChangesAsync();
        });

    private static Task<Guid> RoleIdAsync(PortalHost host, string role) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Roles
            .Where(r => r.Name == role && r.WorkspaceId == s.GetRequiredService<CoreDbContext>().Workspaces.Single(w => w.Key == Workspace).Id)
            .Select(r => r.Id).SingleAsync());

    private static Task<string?> RoleOfAsync(PortalHost host, string email) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Memberships
            .Where(m => m.User!.Email == email).Select(m => m.Role!.Name).SingleOrDefaultAsync());

    private static Task<string?> InvitedRoleAsync(PortalHost host, string email) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Invitations
            .Where(i => i.Email == email).Select(i => i.Role!.Name).SingleOrDefaultAsync());

    private static Task<List<string>> PermissionsOfAsync(PortalHost host, Guid roleId) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().RolePermissions
            .Where(p => p.RoleId == roleId).Select(p => p.Permission).OrderBy(p => p).ToListAsync());
}
