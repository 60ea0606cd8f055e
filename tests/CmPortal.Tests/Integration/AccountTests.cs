using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

public sealed class AccountTests
{
    private static async Task<HttpStatusCode> SignInStatusAsync(PortalHost host, string email, string password)
    {
        using var client = host.CreateClient();
        return (await client.PostFormAsync("/account/login", new() { ["Email"] = email, ["Password"] = password })).StatusCode;
    }

    [Fact]
    public async Task A_member_replaces_the_temporary_password_and_the_old_one_stops_working()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("cm@maison-lumen.test", "maison-lumen", DefaultRoles.CommunityManager);
        using var member = await host.SignInAsync("cm@maison-lumen.test", MemberHostExtensions.MemberPassword);

        var mismatch = await member.PostFormAsync("/account/password", new()
            { ["CurrentPassword"] = MemberHostExtensions.MemberPassword, ["NewPassword"] = "bougie-parfum-9", ["ConfirmPassword"] = "bougie-parfum-8" });
        Assert.Equal(HttpStatusCode.OK, mismatch.StatusCode);

        var changed = await member.PostFormAsync("/account/password", new()
            { ["CurrentPassword"] = MemberHostExtensions.MemberPassword, ["NewPassword"] = "bougie-parfum-9", ["ConfirmPassword"] = "bougie-parfum-9" });
        Assert.Equal("/admin", changed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/admin/maison-lumen")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(host, "cm@maison-lumen.test", MemberHostExtensions.MemberPassword));
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(host, "cm@maison-lumen.test", "bougie-parfum-9"));
    }

    [Fact]
    public async Task The_host_administrator_unlocks_a_locked_account_and_sets_a_temporary_password()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("cm@maison-lumen.test", "maison-lumen", DefaultRoles.CommunityManager);
        for (var i = 0; i < 5; i++) await SignInStatusAsync(host, "cm@maison-lumen.test", "wrong-password-0");
        // Locked: even the right password is refused.
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(host, "cm@maison-lumen.test", MemberHostExtensions.MemberPassword));

        using var admin = await host.SignInAsync();
        var id = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == "cm@maison-lumen.test").Select(u => u.Id).SingleAsync());
        Assert.Contains($"action=\"/admin/users/{id}/unlock\"", await admin.GetStringAsync("/admin/users"));
        await admin.PostFormAsync($"/admin/users/{id}/unlock", []);
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(host, "cm@maison-lumen.test", MemberHostExtensions.MemberPassword));

        await admin.PostFormAsync($"/admin/users/{id}/password", new() { ["password"] = "temporaire-2027" });
        Assert.Equal(HttpStatusCode.OK, await SignInStatusAsync(host, "cm@maison-lumen.test", MemberHostExtensions.MemberPassword));
        Assert.Equal(HttpStatusCode.Redirect, await SignInStatusAsync(host, "cm@maison-lumen.test", "temporaire-2027"));
    }
}
