using System.Net;
using CmPortal.Core.Jobs;
using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Fixtures.ProbeBase;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace CmPortal.Tests.Integration;

public sealed class ModuleTests
{
    private static async Task<PortalHost> StartAsync()
    {
        var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Alpha" });
        await host.ApplyRecipeAsync("""{ "name": "b", "steps": [ { "step": "workspace", "key": "beta", "name": "Beta" } ] }""");
        return host;
    }

    [Fact]
    public async Task Enabling_a_module_enables_what_it_depends_on_and_the_dependency_cannot_be_disabled_under_it()
    {
        await using var host = await StartAsync();
        using var admin = await host.SignInAsync();

        var enable = await admin.PostFormAsync("/admin/alpha/modules/ProbeDependent/enable", []);
        var modules = await admin.AssertRedirectWithMessageAsync(enable, "/admin/alpha/modules", "Modules activés\u00a0: Probe base, Probe dependent.");
        Assert.Contains("data-module=\"ProbeBase\" data-enabled=\"true\"", modules);
        Assert.Contains("data-module=\"ProbeDependent\" data-enabled=\"true\"", modules);

        var refused = await admin.AssertRedirectWithErrorAsync(await admin.PostFormAsync("/admin/alpha/modules/ProbeBase/disable", []),
            "/admin/alpha/modules", "Le module «\u00a0Probe base\u00a0» ne peut pas être désactivé\u00a0: le module «\u00a0Probe dependent\u00a0» en dépend. Désactivez d’abord «\u00a0Probe dependent\u00a0».");
        Assert.Contains("data-module=\"ProbeBase\" data-enabled=\"true\"", refused);

        await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync("/admin/alpha/modules/ProbeDependent/disable", []),
            "/admin/alpha/modules", "Module désactivé\u00a0: Probe dependent.");
        var off = await admin.AssertRedirectWithMessageAsync(await admin.PostFormAsync("/admin/alpha/modules/ProbeBase/disable", []),
            "/admin/alpha/modules", "Module désactivé\u00a0: Probe base.");
        Assert.Contains("data-module=\"ProbeBase\" data-enabled=\"false\"", off);
    }

    [Fact]
    public async Task A_module_that_is_off_has_no_menu_entry_pages_or_endpoints_for_that_workspace()
    {
        await using var host = await StartAsync();
        using var admin = await host.SignInAsync();
        // KeyDates is on for alpha (blank recipe), off for beta.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/alpha/key-dates")).StatusCode);
        Assert.Contains("href=\"/admin/alpha/key-dates\"", await admin.GetStringAsync("/admin/alpha"));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/beta/key-dates")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/beta/key-dates/new")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/beta/key-dates.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/beta/probe/notes")).StatusCode);
        Assert.DoesNotContain("key-dates", await admin.GetStringAsync("/admin/beta"));
    }

    [Fact]
    public async Task A_workspace_job_runs_only_for_the_workspaces_where_its_module_is_on()
    {
        await using var host = await StartAsync();
        await host.InScopeAsync(async services =>
        {
            var features = services.GetRequiredService<ModuleFeatures>();
            var db = services.GetRequiredService<CoreDbContext>();
            await features.EnableAsync(await db.Workspaces.Where(w => w.Key == "beta").Select(w => w.Id).SingleAsync(), "ProbeBase");
        });
        var log = host.Services.GetRequiredService<ProbeJobLog>();
        var registration = host.Services.GetServices<WorkspaceJobRegistration>().Single(r => r.JobType == typeof(ProbeJob));

        // Fired through the real Quartz scheduler and its persistent store.
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(registration.Key);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (log.Runs.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(50);
        await Task.Delay(300);

        Assert.Equal(["beta"], log.Runs.ToArray());
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_scheduled_job_survives_a_restart_and_is_skipped_where_its_module_is_off(Provider provider)
    {
        var host = await PortalHost.StartAsync(provider);
        await using var first = host;
        await host.SetUpAsync("blank.recipe.json", new() { ["key"] = "alpha", ["name"] = "Alpha" });
        await host.ApplyRecipeAsync("""{ "name": "b", "steps": [ { "step": "workspace", "key": "beta", "name": "Beta" }, { "step": "modules", "enable": ["ProbeBase"] } ] }""");
        await host.ApplyRecipeAsync("""{ "name": "a", "steps": [ { "step": "workspace", "key": "alpha", "name": "Alpha" }, { "step": "modules", "enable": ["ProbeBase"] } ] }""");
        var at = DateTimeOffset.UtcNow.AddSeconds(4);
        await host.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<CoreDbContext>();
            var alpha = await db.Workspaces.SingleAsync(w => w.Key == "alpha");
            var beta = await db.Workspaces.SingleAsync(w => w.Key == "beta");
            var scheduler = services.GetRequiredService<WorkspaceJobScheduler>();
            await scheduler.ScheduleAsync<ProbeScheduledJob>(alpha, "post-1", at, "publish post 1");
            await scheduler.ScheduleAsync<ProbeScheduledJob>(alpha, "post-2", at, "publish post 2");
            await scheduler.ScheduleAsync<ProbeScheduledJob>(beta, "post-3", at, "publish post 3");
            Assert.True(await scheduler.CancelAsync<ProbeScheduledJob>(alpha, "post-2"));
            await services.GetRequiredService<ModuleFeatures>().DisableAsync(beta.Id, "ProbeBase");
        });

        // The process stops before the runs are due; the new one finds them in the database.
        await using var restarted = await host.RestartAsync();
        var log = restarted.Services.GetRequiredService<ProbeJobLog>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (log.ScheduledRuns.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(50);
        await Task.Delay(500);
        Assert.Equal(["alpha:publish post 1"], log.ScheduledRuns.ToArray());
        Assert.True(DateTimeOffset.UtcNow >= at);
    }

    [Fact]
    public async Task A_role_without_a_permission_gets_403_and_no_menu_entry_for_it()
    {
        await using var host = await StartAsync();
        await host.AddMemberAsync("contrib@alpha.test", "alpha", Core.Security.DefaultRoles.Contributor);
        await host.AddMemberAsync("analyst@alpha.test", "alpha", Core.Security.DefaultRoles.Analyst);
        using var contributor = await host.SignInAsync("contrib@alpha.test", MemberHostExtensions.MemberPassword);
        var before = await DatabaseSnapshot.ContentAsync(host);

        var dashboard = await contributor.GetStringAsync("/admin/alpha");
        Assert.Contains("href=\"/admin/alpha/key-dates\"", dashboard);
        Assert.DoesNotContain("href=\"/admin/alpha/modules\"", dashboard);
        Assert.DoesNotContain("href=\"/admin/alpha/roles\"", dashboard);
        Assert.DoesNotContain("href=\"/admin/workspaces\"", dashboard);

        Assert.Equal(HttpStatusCode.OK, (await contributor.GetAsync("/admin/alpha/key-dates")).StatusCode);
        foreach (var path in new[] { "/admin/alpha/modules", "/admin/alpha/roles", "/admin/alpha/settings", "/admin/alpha/key-dates/new" })
            ResponseAssert.AssertRedirect(await contributor.GetAsync(path), "/account/denied?ReturnUrl=" + Uri.EscapeDataString(path));
        var post = await contributor.PostFormAsync("/admin/alpha/key-dates/new", new() { ["Id"] = "x", ["Title"] = "X", ["Start"] = "2027-01-01", ["End"] = "2027-01-01" });
        ResponseAssert.AssertRedirect(post, "/account/denied?ReturnUrl=%2Fadmin%2Falpha%2Fkey-dates%2Fnew");
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        using var analyst = await host.SignInAsync("analyst@alpha.test", MemberHostExtensions.MemberPassword);
        ResponseAssert.AssertRedirect(await analyst.GetAsync("/admin/alpha/members"), "/account/denied?ReturnUrl=%2Fadmin%2Falpha%2Fmembers");
        ResponseAssert.AssertRedirect(await analyst.GetAsync("/admin/recipes"), "/account/denied?ReturnUrl=%2Fadmin%2Frecipes");
    }
}
