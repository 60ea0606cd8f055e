using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

public sealed class RolesTests
{
    [Fact]
    public async Task A_role_added_in_the_admin_grants_what_is_ticked_and_is_deleted_only_once_nobody_holds_it()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync("/admin/maison-lumen/roles/new", new() { ["name"] = "Freelance writer" }),
            "/admin/maison-lumen/roles", "Rôle «\u00a0Freelance writer\u00a0» ajouté. Cochez ce qu’il peut faire.");
        var roleId = await host.InScopeAsync(services => services.GetRequiredService<CoreDbContext>().Roles
            .Where(r => r.Name == "Freelance writer").Select(r => r.Id).SingleAsync());
        // The grid posts every ticked box of every role: keep the others as they are, tick two for the new role.
        var grants = await host.InScopeAsync(async services => await services.GetRequiredService<CoreDbContext>().RolePermissions
            .Where(p => p.RoleId != roleId).Select(p => p.RoleId + "|" + p.Permission).ToListAsync());
        var form = grants.Select(g => new KeyValuePair<string, string>("grants", g))
            .Append(new("grants", $"{roleId}|KeyDates.View")).Append(new("grants", $"{roleId}|Workspace.ViewAdmin")).ToList();
        var page = await (await admin.GetAsync("/admin/maison-lumen/roles")).Content.ReadAsStringAsync();
        var token = PortalHost.AntiforgeryField().Match(page).Groups[1].Value;
        form.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token)));
        await admin.AssertRedirectWithMessageAsync(await admin.Http.PostAsync("/admin/maison-lumen/roles", new FormUrlEncodedContent(form)),
            "/admin/maison-lumen/roles", "Rôles enregistrés.");

        var link = await admin.InviteAsync("maison-lumen", "plume@freelance.test", roleId, "Plume");
        using var writer = await host.AcceptAsync(link, "Plume", "plume-password-3");
        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync("/admin/maison-lumen/key-dates")).StatusCode);
        ResponseAssert.AssertRedirect(await writer.GetAsync("/admin/maison-lumen/key-dates/new"), "/account/denied?ReturnUrl=%2Fadmin%2Fmaison-lumen%2Fkey-dates%2Fnew");

        await admin.AssertRedirectWithErrorAsync(await admin.PostFormAsync($"/admin/maison-lumen/roles/{roleId}/delete", []),
            "/admin/maison-lumen/roles", "Des membres ont le rôle «\u00a0Freelance writer\u00a0». Donnez-leur d’abord un autre rôle.");
        var membership = await host.InScopeAsync(services => services.GetRequiredService<CoreDbContext>().Memberships
            .Where(m => m.RoleId == roleId).Select(m => m.Id).SingleAsync());
        await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync($"/admin/maison-lumen/members/{membership}/remove", []),
            "/admin/maison-lumen/members", "Membre retiré.");
        var roles = await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync($"/admin/maison-lumen/roles/{roleId}/delete", []),
            "/admin/maison-lumen/roles", "Rôle «\u00a0Freelance writer\u00a0» supprimé.");
        Assert.DoesNotContain("data-role=\"Freelance writer\"", roles);
        Assert.False(await host.InScopeAsync(services => services.GetRequiredService<CoreDbContext>().Roles.AnyAsync(r => r.Id == roleId)));
    }
}
