using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>Binding a host name hands an address to a brand: only host administrators do it, and never the portal's own addresses.</summary>
public sealed class HostBindingTests
{
    private static Dictionary<string, string> Settings(string hosts) => new()
    {
        ["Name"] = "Maison Lumen", ["Culture"] = "fr-FR", ["TimeZone"] = "Europe/Paris", ["SiteTheme"] = "Brand", ["Hosts"] = hosts,
    };

    private static Task<List<string>> BoundHostsAsync(PortalHost host) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().WorkspaceHosts.Select(h => h.HostName).OrderBy(h => h).ToListAsync());

    [Fact]
    public async Task A_brand_manager_with_manage_settings_cannot_bind_a_host_name()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("claire@maison-lumen.test", "maison-lumen", DefaultRoles.BrandManager);
        using var manager = await host.SignInAsync("claire@maison-lumen.test", MemberHostExtensions.MemberPassword);

        var page = await manager.GetStringAsync("/admin/maison-lumen/settings");
        Assert.Matches("<textarea[^>]*readonly", page);
        Assert.Contains("Seul un administrateur de la plateforme associe des noms d’hôte", page);

        var response = await manager.PostFormAsync("/admin/maison-lumen/settings", Settings("www.portail-capture.test"), "/admin/maison-lumen/settings");
        Assert.Equal("/admin/maison-lumen/settings", response.Headers.Location?.OriginalString); // the other settings are saved
        Assert.Empty(await BoundHostsAsync(host));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("cm.maison-lumen.test")]   // Portal:PublicBaseUrl
    [InlineData("admin.maison-lumen.test")] // Portal:AdminHosts
    public async Task Nobody_binds_an_address_of_the_portal_itself(string reserved)
    {
        await using var host = await PortalHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Portal:PublicBaseUrl"] = "https://cm.maison-lumen.test", ["Portal:AdminHosts"] = "admin.maison-lumen.test;intranet.test",
        });
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();

        var response = await admin.PostFormAsync("/admin/maison-lumen/settings", Settings(reserved), "/admin/maison-lumen/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"«&#xA0;{reserved}&#xA0;» est une adresse du portail lui-même", await response.Content.ReadAsStringAsync()); // the encoder writes no-break spaces as &#xA0;
        Assert.Empty(await BoundHostsAsync(host));

        var brand = await admin.PostFormAsync("/admin/maison-lumen/settings", Settings("communaute.maison-lumen.test"), "/admin/maison-lumen/settings");
        Assert.Equal("/admin/maison-lumen/settings", brand.Headers.Location?.OriginalString);
        Assert.Equal(["communaute.maison-lumen.test"], await BoundHostsAsync(host));
    }

    [Fact]
    public async Task A_row_that_binds_the_portal_address_does_not_capture_its_home_page()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.InScopeAsync(async s =>
        {
            // As if bound before the portal refused it: the portal's own address stays the portal's.
            var db = s.GetRequiredService<CoreDbContext>();
            var workspace = await db.Workspaces.SingleAsync(w => w.Key == "maison-lumen");
            db.WorkspaceHosts.Add(new WorkspaceHost { WorkspaceId = workspace.Id, HostName = host.BaseAddress.Host });
            await db.SaveChangesAsync();
        });
        host.Services.GetRequiredService<WorkspaceHostMap>().Invalidate();

        var home = await host.CreateClient().GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/admin", home.Headers.Location?.OriginalString);
    }
}
