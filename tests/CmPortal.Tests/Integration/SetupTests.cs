using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

public sealed class SetupTests
{
    [Fact]
    public async Task A_fresh_portal_leads_every_page_to_setup_and_reports_healthy()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        var admin = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, admin.StatusCode);
        Assert.Equal("/setup", admin.Headers.Location!.OriginalString);

        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_setup_page_creates_the_administrator_and_provisions_the_chosen_recipe()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        var page = await client.GetStringAsync("/setup?recipe=demo.recipe.json");
        Assert.Contains("Maison Lumen", page);

        var response = await client.PostFormAsync("/setup", new()
        {
            ["AdminEmail"] = "cheffe@maison-lumen.test", ["AdminName"] = "Claire", ["AdminPassword"] = "lumen-admin-2026",
            ["Recipe"] = "demo.recipe.json",
        }, tokenPage: "/setup");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        // Signed in by the setup, the administrator sees the demo workspace.
        var dashboard = await client.GetStringAsync("/admin/maison-lumen");
        Assert.Contains("Maison Lumen", dashboard);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/setup")).StatusCode);
    }

    [Fact]
    public async Task Setup_with_a_weak_password_says_why_and_stores_nothing()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        var response = await client.PostFormAsync("/setup", new()
        {
            ["AdminEmail"] = "cheffe@maison-lumen.test", ["AdminPassword"] = "short", ["Recipe"] = "demo.recipe.json",
        }, tokenPage: "/setup");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The password is too weak", body);
        await host.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<CoreDbContext>();
            Assert.Equal(0, await db.Users.CountAsync());
            Assert.Equal(0, await db.Workspaces.CountAsync());
        });
    }
}
