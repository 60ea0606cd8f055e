using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Nobody crosses from one workspace into another: every admin and public route that any module
/// registers is walked with the other workspace's key and this workspace's row ids.
/// </summary>
public sealed class WorkspaceIsolationTests
{
    private const string Secret = "alpha-secret-7f3";

    private static async Task<PortalHost> StartWithTwoWorkspacesAsync(Provider provider = Provider.Sqlite)
    {
        var host = await PortalHost.StartAsync(provider);
        await host.SetUpAsync("blank.recipe.json", new() { ["key"] = "alpha", ["name"] = "Alpha" });
        foreach (var key in new[] { "alpha", "beta" })
        {
            var marker = key == "alpha" ? Secret : "beta-visible";
            await host.ApplyRecipeAsync($$"""
                { "name": "two", "steps": [
                  { "step": "workspace", "key": "{{key}}", "name": "{{key}}", "site": { "published": true } },
                  { "step": "modules", "enable": ["KeyDates", "ProbeDependent"] },
                  { "step": "keyDates", "keyDates": [ { "id": "{{marker}}", "title": "{{marker}}", "start": "2027-05-01", "public": true } ] },
                  { "step": "probeNotes", "notes": ["{{marker}}"] } ] }
                """);
        }
        await host.AddMemberAsync("manager@alpha.test", "alpha", DefaultRoles.BrandManager);
        return host;
    }

    [Fact]
    public async Task Another_workspace_never_serves_this_workspace_rows_on_any_route() =>
        await WalkAsOwnerAsync(Provider.Sqlite);

    [Fact]
    public async Task Another_workspace_never_serves_this_workspace_rows_on_any_route_on_postgres() =>
        await WalkAsOwnerAsync(Provider.Postgres);

    private static async Task WalkAsOwnerAsync(Provider provider)
    {
        await using var host = await StartWithTwoWorkspacesAsync(provider);
        using var admin = await host.SignInAsync();
        var alphaIds = await OwnedIdsAsync(host, "alpha");
        Assert.True(alphaIds.Count >= 8, "alpha owns roles, a key date, a note, a membership");
        var routes = WorkspaceRoutes(host).ToList();
        Assert.Contains(routes, r => r.Pattern.StartsWith("/admin/{workspace}/key-dates"));
        Assert.Contains(routes, r => r.Pattern == "/{workspace}/probe/notes/{id:guid}");

        var before = await DatabaseSnapshot.CountsAsync(host);
        var checkedRequests = 0;
        // Routes without an id act on beta itself (a POST there is a legitimate change to beta): only read them.
        foreach (var route in routes.Where(r => r.Method == "GET" || r.Pattern.Contains("{id")))
        foreach (var path in Paths(route.Pattern, "beta", alphaIds))
        {
            var response = await Send(admin, route.Method, path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(Secret, body);
            // A route that addresses a row by id finds none of alpha's rows through beta.
            if (route.Pattern.Contains("{id"))
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route.Method} {path} answered {(int)response.StatusCode}, expected 404");
            checkedRequests++;
        }
        Assert.Equal(before, await DatabaseSnapshot.CountsAsync(host));
        Assert.True(checkedRequests > 20, $"only {checkedRequests} requests were made");
        // The same rows are there through alpha's own address.
        Assert.Contains(Secret, await admin.GetStringAsync("/admin/alpha/key-dates"));
        Assert.Contains(Secret, await admin.GetStringAsync("/alpha/key-dates.ics"));
    }

    [Fact]
    public async Task A_member_of_one_workspace_gets_404_on_every_admin_route_of_another()
    {
        await using var host = await StartWithTwoWorkspacesAsync();
        using var manager = await host.SignInAsync("manager@alpha.test", MemberHostExtensions.MemberPassword);
        var alphaIds = await OwnedIdsAsync(host, "alpha");
        var before = await DatabaseSnapshot.CountsAsync(host);
        foreach (var route in WorkspaceRoutes(host).Where(r => r.Pattern.StartsWith("/admin/")))
        foreach (var path in Paths(route.Pattern, "beta", alphaIds))
        {
            var response = await Send(manager, route.Method, path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{route.Method} {path} answered {(int)response.StatusCode}, expected 404");
        }
        Assert.Equal(before, await DatabaseSnapshot.CountsAsync(host));
        // Their own workspace opens.
        Assert.Contains(Secret, await manager.GetStringAsync("/admin/alpha/key-dates"));
        Assert.Equal(HttpStatusCode.Redirect, (await manager.GetAsync("/admin/workspaces")).StatusCode);
    }

    private sealed record WorkspaceRoute(string Method, string Pattern);

    /// <summary>Every route with a {workspace} segment, from the running host's endpoints.</summary>
    private static IEnumerable<WorkspaceRoute> WorkspaceRoutes(PortalHost host) =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => p.Name == "workspace"))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new WorkspaceRoute(m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct();

    /// <summary>The route filled with the workspace key; each guid parameter takes every one of the given ids.</summary>
    private static IEnumerable<string> Paths(string pattern, string workspace, IReadOnlyList<Guid> ids)
    {
        var parsed = RoutePatternFactory.Parse(pattern);
        var idParameters = parsed.Parameters.Where(p => p.Name != "workspace").ToList();
        var values = idParameters.Count == 0 ? [""] : ids.Select(i => i.ToString());
        foreach (var value in values)
        {
            var path = "/" + string.Join("/", parsed.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart { Name: "workspace" } => workspace,
                RoutePatternParameterPart => value,
                _ => "",
            }))));
            yield return path;
        }
    }

    private static Task<HttpResponseMessage> Send(PortalClient client, string method, string path) =>
        method == "GET" ? client.GetAsync(path) : client.PostFormAsync(path, new() { ["Title"] = "changed", ["Id"] = "changed" });

    /// <summary>The ids of every row that belongs to the workspace, in every portal table that has Id and WorkspaceId.</summary>
    private static Task<List<Guid>> OwnedIdsAsync(PortalHost host, string key) => host.InScopeAsync(async services =>
    {
        var core = services.GetRequiredService<CoreDbContext>();
        var workspaceId = await core.Workspaces.Where(w => w.Key == key).Select(w => w.Id).SingleAsync();
        var ids = new List<Guid>();
        foreach (var registration in services.GetServices<PortalDbContextRegistration>())
        {
            var context = (DbContext)services.GetRequiredService(registration.ContextType);
            foreach (var entity in context.Model.GetEntityTypes().Where(e => typeof(IWorkspaceOwned).IsAssignableFrom(e.ClrType) && e.FindProperty("Id") is not null))
            {
                var method = typeof(WorkspaceIsolationTests).GetMethod(nameof(IdsOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(entity.ClrType);
                ids.AddRange(await (Task<List<Guid>>)method.Invoke(null, [context, workspaceId])!);
            }
        }
        return ids;
    });

    private static Task<List<Guid>> IdsOf<T>(DbContext context, Guid workspaceId) where T : class, IWorkspaceOwned =>
        context.Set<T>().IgnoreQueryFilters().Where(e => e.WorkspaceId == workspaceId).Select(e => EF.Property<Guid>(e, "Id")).ToListAsync();
}
