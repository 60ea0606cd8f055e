using CmPortal.ArchitectureTests.Infrastructure;
using CmPortal.ArchitectureTests.Rules;
using CmPortal.Core.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CmPortal.ArchitectureTests;

public sealed class DbContextInEndpointRuleTests
{
    private const string Rule = "no DbContext in a controller or an endpoint";

    [Fact]
    public async Task No_controller_or_endpoint_of_the_real_portal_takes_a_DbContext()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cmportal-archtest-").FullName;
        try
        {
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                builder.UseEnvironment("Production");
                builder.UseSetting("DataDir", dataDirectory);
            });
            using var client = factory.CreateClient();
            var violations = DbContextInEndpointRule.Check(factory.Services.GetRequiredService<EndpointDataSource>().Endpoints);

            RuleAssert.NoViolations(Rule, violations);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task The_bad_modules_api_endpoint_reading_the_database_is_caught()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        await using var app = builder.Build();
        var module = BadFixture.Module;
        module.MapApiEndpoints(app.MapGroup("/api/v1/{workspace}").WithMetadata(new ModuleEndpointMetadata(module.Id)));
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints).ToList();
        RuleAssert.ExactlyViolations(Rule, DbContextInEndpointRule.Check(endpoints), "[BadModule] GET /api/v1/{workspace}/raw-users takes CoreDbContext");
    }
}
