using System.Reflection;
using CmPortal.ArchitectureTests.Infrastructure;
using CmPortal.ArchitectureTests.Rules;
using CmPortal.Core.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CmPortal.ArchitectureTests;

public sealed class AdminEndpointRuleTests
{
    private const string Rule = "every admin endpoint requires a permission";

    /// <summary>The host's own admin pages plus KeyDates': fewer means the endpoints were not all read.</summary>
    private const int MinimumRealAdminEndpoints = 15;

    [Fact]
    public async Task Every_admin_endpoint_of_the_real_portal_requires_a_permission()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cmportal-archtest-").FullName;
        try
        {
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                builder.UseEnvironment("Production");
                builder.UseSetting("DataDir", dataDirectory);
            });
            using var client = factory.CreateClient(); // starts the portal, so its endpoints exist

            var moduleIds = factory.Services.GetRequiredService<ModuleCatalog>().Modules.Select(m => m.Id).ToList();
            Assert.Contains("KeyDates", moduleIds);
            Assert.DoesNotContain(BadFixture.Module.Id, moduleIds); // the bad module must never run in a real portal

            var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
            var adminEndpoints = AdminEndpointRule.AdminEndpoints(endpoints);
            Assert.True(adminEndpoints.Count >= MinimumRealAdminEndpoints,
                $"Expected at least {MinimumRealAdminEndpoints} admin endpoints, found {adminEndpoints.Count}.");
            RuleAssert.NoViolations(Rule, AdminEndpointRule.Check(endpoints));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task The_bad_module_is_caught_with_an_unprotected_endpoint_and_action()
    {
        var endpoints = await BadModuleEndpointsAsync();
        RuleAssert.ExactlyViolations(Rule, AdminEndpointRule.Check(endpoints),
            "[BadModule] GET /admin/{workspace}/leaky-calendar", // minimal API from MapAdminEndpoints
            "GET /admin/{workspace}/bad");                       // MVC action
    }

    /// <summary>
    /// A bare host carrying only the bad module, its admin endpoints mapped as PortalPipeline maps a module's.
    /// Endpoints are built from the data sources without starting the host: no port, no database.
    /// </summary>
    private static async Task<IReadOnlyList<Endpoint>> BadModuleEndpointsAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Services.AddControllers().ConfigureApplicationPartManager(parts =>
        {
            parts.ApplicationParts.Clear();
            parts.ApplicationParts.Add(new AssemblyPart(BadFixture.Assembly));
            parts.FeatureProviders.Add(new InternalControllerFeatureProvider(BadFixture.Assembly));
        });
        await using var app = builder.Build();
        var module = BadFixture.Module;
        module.MapAdminEndpoints(app.MapGroup("/admin/{workspace}").WithMetadata(new ModuleEndpointMetadata(module.Id)));
        app.MapControllers();
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).ToList();
    }

    /// <summary>The portal keeps controllers internal; this mirrors its (internal) InternalControllerFeatureProvider.</summary>
    private sealed class InternalControllerFeatureProvider(Assembly assembly) : ControllerFeatureProvider
    {
        protected override bool IsController(TypeInfo type) =>
            base.IsController(type) ||
            (type.Assembly == assembly && type.IsClass && !type.IsAbstract && !type.ContainsGenericParameters
             && typeof(ControllerBase).IsAssignableFrom(type) && !type.IsDefined(typeof(NonControllerAttribute)));
    }
}
