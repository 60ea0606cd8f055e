using System.Globalization;
using CmPortal.Core.Api;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Core;

/// <summary>
/// The request pipeline: bound host → routing → authentication → workspace and module gate
/// → culture → authorization → endpoint. See docs/architecture.md.
/// </summary>
public static class PortalPipeline
{
    public const string WorkspaceRouteValue = "workspace";
    public const string CultureCookie = ".CmPortal.Culture";

    /// <summary>Paths that belong to the portal itself, never to a workspace's public site.</summary>
    // "/preview": the calendar's external preview links, and "/feeds": its members' private iCalendar feeds, which work
    // on any host and whether the site is published or not.
    private static readonly string[] PortalPaths = ["/admin", "/account", "/setup", "/health", "/api", "/openapi", "/_content", "/lib", "/css", "/js", "/preview", "/feeds"];

    public static WebApplication UsePortal(this WebApplication app)
    {
        app.Use(RewriteBoundHost);
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.Use(RequirePasswordChange);
        app.Use(ResolveWorkspace);
        var cultures = WorkspaceRules.SupportedCultures.Select(c => new CultureInfo(c)).ToList();
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("fr-FR"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            RequestCultureProviders = [new PortalCultureProvider()],
        });
        app.Use(Api.ApiBodies.ExplainRefusalsAsync);
        app.UseAuthorization();
        app.UseOutputCache(); // public pages: after the workspace, culture and permissions are known (Caching/PublicPagePolicy)
        app.UseAntiforgery();
        MapModuleEndpoints(app);
        app.MapPortalApi(app.Services.GetRequiredService<ModuleCatalog>());
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { ResponseWriter = Persistence.HealthAnswer.WriteAsync });
        return app;
    }

    private static void MapModuleEndpoints(WebApplication app)
    {
        var catalog = app.Services.GetRequiredService<ModuleCatalog>();
        foreach (var module in catalog.Modules)
        {
            module.MapPublicEndpoints(app.MapGroup($"/{{{WorkspaceRouteValue}}}").WithMetadata(new ModuleEndpointMetadata(module.Id))
                .AddEndpointFilter(RequireAntiforgeryToken));
            module.MapAdminEndpoints(app.MapGroup($"/admin/{{{WorkspaceRouteValue}}}").WithMetadata(new ModuleEndpointMetadata(module.Id))
                .AddEndpointFilter(RequireAntiforgeryToken));
        }
    }

    /// <summary>Someone signed in with a password an administrator chose changes it before using the admin.</summary>
    private static Task RequirePasswordChange(HttpContext context, RequestDelegate next)
    {
        if (context.User.HasClaim(PortalClaimsFactory.MustChangePasswordClaim, "true") &&
            context.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect("/account/password");
            return Task.CompletedTask;
        }
        return next(context);
    }

    /// <summary>
    /// A module's minimal API that changes data (POST, PUT, PATCH, DELETE) checks the antiforgery token as MVC actions do
    /// (the framework checks it by itself only for endpoints that read a form): without it, 400. An endpoint that must take
    /// posts from elsewhere says so with <c>.DisableAntiforgery()</c>.
    /// </summary>
    private static async ValueTask<object?> RequireAntiforgeryToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var method = http.Request.Method;
        if ((HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method)) &&
            http.GetEndpoint()?.Metadata.GetMetadata<IAntiforgeryMetadata>() is not { RequiresValidation: false })
        {
            try
            {
                await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException e)
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PortalPipeline))
                    .LogInformation("Refused {Method} {Path}: {Reason}", method, http.Request.Path, e.Message);
                return Results.BadRequest();
            }
        }
        return await next(context);
    }

    /// <summary>A request to a host bound to a workspace is served as that workspace's public site.</summary>
    private static async Task RewriteBoundHost(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (!PortalPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            var map = context.RequestServices.GetRequiredService<WorkspaceHostMap>();
            // Addresses the site's pages write as /{key}/... (logo, header links) already name the workspace.
            if (await map.FindKeyAsync(context.Request.Host.Host, context.RequestAborted) is { } key &&
                !path.StartsWithSegments("/" + key, StringComparison.OrdinalIgnoreCase))
                context.Request.Path = new PathString("/" + key).Add(path == "/" ? new PathString("/") : path);
        }
        await next(context);
    }

    /// <summary>
    /// Loads the workspace named by the route; unknown workspace, a public page of a site that is
    /// not published, or a module that is off for it, answers 404 before anything else runs.
    /// </summary>
    private static async Task ResolveWorkspace(HttpContext context, RequestDelegate next)
    {
        if (context.GetRouteValue(WorkspaceRouteValue) is string key)
        {
            var services = context.RequestServices;
            var entry = await services.GetRequiredService<WorkspaceDirectory>()
                .FindAsync(key, services, context.RequestAborted);
            if (entry is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            // A site not yet published (or taken offline) shows visitors nothing of the workspace; its admin still works.
            // The API is the admin's, for scripts: it works whether the site is published or not.
            if (!entry.Workspace.SitePublished && !context.Request.Path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase) &&
                !ApiProblems.IsApiPath(context.Request.Path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            services.GetRequiredService<WorkspaceContext>().Set(entry.Workspace, entry.EnabledModules);
            if (context.GetEndpoint()?.Metadata.GetMetadata<ModuleEndpointMetadata>() is { } module && !entry.EnabledModules.Contains(module.ModuleId))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
        }
        await next(context);
    }

    /// <summary>Public pages speak the workspace's culture; the admin speaks the user's choice (French by default).</summary>
    private sealed class PortalCultureProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext context)
        {
            // The API (and an error page re-executed for it) speaks the request's Accept-Language, French by default.
            if (ApiProblems.IsApiRequest(context)) return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(ApiProblems.Culture(context)));
            var workspace = context.RequestServices.GetRequiredService<WorkspaceContext>().Current;
            string? culture = null;
            var portalPage = PortalPaths.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));
            if (portalPage && context.Request.Cookies.TryGetValue(CultureCookie, out var chosen) && WorkspaceRules.CheckCulture(chosen) is null)
                culture = chosen;
            else if (!portalPage && workspace is not null)
                culture = workspace.Culture;
            return Task.FromResult(culture is null ? null : new ProviderCultureResult(culture));
        }
    }
}

/// <summary>
/// A signed-in user who is not a member of the workspace gets 404, not 403: the workspace's
/// existence is none of their business. Members lacking a permission get 403.
/// </summary>
internal sealed class WorkspaceAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Forbidden && context.RequestServices.GetRequiredService<WorkspaceContext>().Current is { } workspace &&
            !await context.RequestServices.GetRequiredService<PermissionService>().IsMemberAsync(context.User, workspace))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await _default.HandleAsync(next, context, policy, result);
    }
}
