using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace CmPortal.Core.Api;

/// <summary>What a script needs before it posts: the workspace's key, name, culture, time zone and the modules that are on.</summary>
public sealed record WorkspaceApiModel(string Key, string Name, string Culture, string TimeZone, IReadOnlyList<string> Modules);

/// <summary>
/// The public JSON API, <c>/api/v1/{workspace}/…</c> (docs/api.md): bearer tokens only, the workspace and module gate
/// of every request (<c>PortalPipeline.ResolveWorkspace</c>), permissions as on the admin pages, RFC 9457 errors, and
/// an OpenAPI document at <c>/openapi/v1.json</c>. Modules add endpoints in <see cref="PortalModule.MapApiEndpoints"/>.
/// </summary>
public static class PortalApi
{
    public const string Prefix = "/api/v1/{" + PortalPipeline.WorkspaceRouteValue + "}";
    public const string DocumentName = "v1";
    /// <summary>The portal's default authentication scheme: the bearer token under /api, the sign-in cookie elsewhere.</summary>
    public const string PortalScheme = "Portal";

    internal static void AddPortalApi(this IServiceCollection services)
    {
        services.AddAuthentication(PortalScheme)
            .AddPolicyScheme(PortalScheme, null, o => o.ForwardDefaultSelector = context =>
                ApiProblems.IsApiPath(context.Request.Path) ? AccessTokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthenticationHandler>(AccessTokenAuthenticationHandler.SchemeName, null);
        services.AddScoped<AccessTokenService>();
        // A body or value an endpoint cannot bind throws, so that ApiBodies answers where it is wrong (the default only logs it).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddScoped<IAuthorizationHandler, ApiAccessHandler>();
        services.AddAuthorizationBuilder().AddPolicy(ApiAccessRequirement.Policy, p => p
            .AddAuthenticationSchemes(AccessTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(new ApiAccessRequirement()));
        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "CmPortal API";
                document.Info.Version = "v1";
                document.Info.Description = "Personal access tokens: Authorization: Bearer cmp_…. Errors are RFC 9457 problem documents. See docs/api.md.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[AccessTokenAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "cmp_…",
                    Description = "A personal access token, made on the account page or with `token create`, for one workspace.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(AccessTokenAuthenticationHandler.SchemeName, document)] = [] });
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(ApiExampleExtensions.AddExamples);
        });
    }

    /// <summary>A group under <c>/api/v1/{workspace}</c>: token of this workspace required, no antiforgery (no cookie is read).</summary>
    internal static RouteGroupBuilder Group(IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix).RequireAuthorization(ApiAccessRequirement.Policy).DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);

    internal static void MapPortalApi(this WebApplication app, ModuleCatalog catalog)
    {
        var core = Group(app).WithTags("Workspace");
        core.MapGet("", (WorkspaceContext workspace) => Results.Ok(Describe(workspace, catalog)))
            .WithName("GetWorkspace").WithSummary("The workspace: key, name, culture, time zone and the modules that are on.")
            .Produces<WorkspaceApiModel>();
        foreach (var module in catalog.Modules)
            module.MapApiEndpoints(Group(app).WithMetadata(new ModuleEndpointMetadata(module.Id)).WithTags(module.Id));
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
    }

    private static WorkspaceApiModel Describe(WorkspaceContext context, ModuleCatalog catalog)
    {
        var workspace = context.Current!;
        return new WorkspaceApiModel(workspace.Key, workspace.Name, workspace.Culture, workspace.TimeZone,
            catalog.Modules.Where(m => context.EnabledModules?.Contains(m.Id) == true).Select(m => m.Id).ToList());
    }
}
