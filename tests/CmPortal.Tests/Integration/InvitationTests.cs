using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>Joining a workspace by a single-use, expiring invitation link; passwords an administrator chose are changed first.</summary>
public sealed class InvitationTests
{
    private const string Workspace = "maison-lumen";

    private static Task<Guid> RoleIdAsync(PortalHost host, string role) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Roles.Where(r => r.Name == role).Select(r => r.Id).FirstAsync());

    [Fact]
    public async Task An_invited_person_chooses_their_password_joins_with_the_role_and_the_link_works_only_once()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var link = await admin.InviteAsync(Workspace, "lea@maison-lumen.test", await RoleIdAsync(host, DefaultRoles.CommunityManager), "Léa");

        // The link is shown once; the page then lists the invitation as waiting, without the link.
        var members = await admin.GetStringAsync($"/admin/{Workspace}/members");
        Assert.DoesNotContain("invitation-url", members);
        Assert.Contains("data-email=\"lea@maison-lumen.test\"", members);
        Assert.Contains("Invitations en attente de réponse", members);
        // Only the token's hash is stored.
        var token = link.Split('/').Last();
        Assert.False(await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Invitations.AnyAsync(i => i.TokenHash == token)));

        using var visitor = host.CreateClient();
        var page = await visitor.GetStringAsync(link);
        Assert.Contains("Rejoindre Maison Lumen", page);
        Assert.Contains("value=\"Léa\"", page);
        using var lea = await host.AcceptAsync(link, "Léa Martin", "bougie-soleil-4");
        Assert.Equal(HttpStatusCode.OK, (await lea.GetAsync($"/admin/{Workspace}/key-dates")).StatusCode);
        Assert.Equal(DefaultRoles.CommunityManager, await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Memberships
            .Where(m => m.User!.Email == "lea@maison-lumen.test").Select(m => m.Role!.Name).SingleAsync()));
        using (var again = await host.SignInAsync("lea@maison-lumen.test", "bougie-soleil-4")) { }

        var reused = await visitor.GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, reused.StatusCode);
        Assert.Contains("Ce lien d’invitation ne fonctionne plus", await reused.Content.ReadAsStringAsync());
        var before = await DatabaseSnapshot.CountsAsync(host);
        var replay = await visitor.PostFormAsync(link, new() { ["DisplayName"] = "Intrus", ["Password"] = "intrus-password-1", ["ConfirmPassword"] = "intrus-password-1" }, "/account/login");
        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        Assert.Equal(before, await DatabaseSnapshot.CountsAsync(host));
    }

    [Fact]
    public async Task The_invitation_form_chooses_no_role_in_advance_and_an_invitation_without_one_is_refused_by_the_field()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var form = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await admin.GetStringAsync($"/admin/{Workspace}/members"));
        var selected = form.QuerySelectorAll("#RoleId option").Where(o => o.HasAttribute("selected")).ToList();
        Assert.Equal("Choisissez un rôle", Assert.Single(selected).TextContent);
        Assert.Equal("", selected[0].GetAttribute("value"));

        var before = await DatabaseSnapshot.CountsAsync(host);
        var refused = await admin.PostFormAsync($"/admin/{Workspace}/members", new() { ["Email"] = "zoe@maison-lumen.test", ["RoleId"] = "" }, $"/admin/{Workspace}/members");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Remplissez ce champ.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(before, await DatabaseSnapshot.CountsAsync(host));
    }

    [Fact]
    public async Task A_withdrawn_or_expired_link_no_longer_works()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var analyst = await RoleIdAsync(host, DefaultRoles.Analyst);
        using var visitor = host.CreateClient();

        var withdrawn = await admin.InviteAsync(Workspace, "paul@maison-lumen.test", analyst);
        var id = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Invitations.Where(i => i.Email == "paul@maison-lumen.test").Select(i => i.Id).SingleAsync());
        var revoke = await admin.PostFormAsync($"/admin/{Workspace}/members/invitations/{id}/revoke", [], $"/admin/{Workspace}/members");
        Assert.Equal($"/admin/{Workspace}/members", revoke.Headers.Location?.OriginalString);
        Assert.Contains("Invitation retirée", await admin.GetStringAsync($"/admin/{Workspace}/members"));
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(withdrawn)).StatusCode);

        var expired = await admin.InviteAsync(Workspace, "ines@maison-lumen.test", analyst);
        await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Invitations.Where(i => i.Email == "ines@maison-lumen.test")
            .ExecuteUpdateAsync(i => i.SetProperty(x => x.ExpiresUtc, DateTime.UtcNow.AddMinutes(-1))));
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(expired)).StatusCode);
        Assert.DoesNotContain("data-email=\"ines@maison-lumen.test\"", await admin.GetStringAsync($"/admin/{Workspace}/members"));
    }

    [Fact]
    public async Task A_user_whose_password_the_host_administrator_chose_must_change_it_before_using_the_admin()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var created = await admin.PostFormAsync("/admin/users/new", new()
            { ["Email"] = "marc@maison-lumen.test", ["DisplayName"] = "Marc", ["Password"] = "temporaire-2027" }, "/admin/users/new");
        Assert.Equal("/admin/users", created.Headers.Location?.OriginalString);

        using var marc = await host.SignInAsync("marc@maison-lumen.test", "temporaire-2027");
        var admin1 = await marc.GetAsync("/admin");
        Assert.Equal("/account/password", admin1.Headers.Location?.OriginalString);
        var changed = await marc.PostFormAsync("/account/password", new()
            { ["CurrentPassword"] = "temporaire-2027", ["NewPassword"] = "marc-choisit-5", ["ConfirmPassword"] = "marc-choisit-5" }, "/account/password");
        Assert.Equal("/admin", changed.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await marc.GetAsync("/admin")).StatusCode);

        // A temporary password set again by the host administrator is to be changed again.
        var id = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == "marc@maison-lumen.test").Select(u => u.Id).SingleAsync());
        await admin.PostFormAsync($"/admin/users/{id}/password", new() { ["password"] = "encore-temporaire-6" }, "/admin/users");
        using var again = await host.SignInAsync("marc@maison-lumen.test", "encore-temporaire-6");
        Assert.Equal("/account/password", (await again.GetAsync("/admin/users")).Headers.Location?.OriginalString);
    }
}
