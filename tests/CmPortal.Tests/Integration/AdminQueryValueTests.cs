using System.Net;
using CmPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>Every admin page answers a page for missing or nonsense query values: never a 5xx.</summary>
public sealed class AdminQueryValueTests
{
    /// <summary>What a mistyped or tampered address carries: empty, huge, negative, not UTF-8, markup, a path, a far date.</summary>
    private static readonly string[] Garbage = ["", "x", "-1", "99999999999999999999", "%FF%FE", "%3Cscript%3E", "..%2F..%2Fetc%2Fpasswd", "9999-99-99", "%00"];

    [Fact]
    public async Task Every_admin_get_route_answers_without_a_server_error_for_missing_and_garbage_query_values()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var source = await RouteValueSource.ForWorkspaceAsync(host, "maison-lumen");

        // The query names each admin action reads (the MVC parameters that are not route values), by route.
        var queryNames = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ControllerActionDescriptor>() is not null)
            .GroupBy(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Metadata.GetMetadata<ControllerActionDescriptor>()!.Parameters
                    .Where(p => p.BindingInfo?.BindingSource != BindingSource.Path && p.BindingInfo?.BindingSource != BindingSource.Services &&
                                !e.RoutePattern.Parameters.Any(r => r.Name == p.Name) && p.ParameterType != typeof(CancellationToken)))
                .Select(p => p.BindingInfo?.BinderModelName ?? p.Name).Distinct().ToList());

        var routes = PortalRoutes.All(host).Where(r => r.Method == "GET" && r.IsAdmin && !r.AnyMethod).ToList();
        Assert.True(routes.Count >= 20, $"Only {routes.Count} admin GET routes found.");
        var failures = new List<string>();
        var requested = 0;
        foreach (var route in routes)
        foreach (var filled in source.Fill(route).Take(2))
        {
            var names = queryNames.GetValueOrDefault(route.Template) ?? [];
            var queries = new List<string> { "" };
            queries.AddRange(Garbage.Select(value => "?" + string.Join("&", names.Append("q").Select(n => $"{Uri.EscapeDataString(n)}={value}"))));
            foreach (var query in queries)
            {
                var response = await admin.GetAsync(filled.Path + query);
                requested++;
                if ((int)response.StatusCode >= 500) failures.Add($"GET {filled.Path}{query} answered {(int)response.StatusCode}");
            }
        }
        Assert.True(requested > 100, $"Only {requested} requests were made.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
