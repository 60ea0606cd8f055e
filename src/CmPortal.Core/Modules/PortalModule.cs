using CmPortal.Core.Admin;
using CmPortal.Core.Security;
using Microsoft.AspNetCore.Routing;

namespace CmPortal.Core.Modules;

/// <summary>
/// One capability of the portal. A module assembly declares exactly one, with
/// <c>[assembly: PortalModule(typeof(MyModule))]</c>; the host finds it among the
/// assemblies it references. Everything a module contributes is declared here.
/// </summary>
public abstract class PortalModule
{
    /// <summary>PascalCase identifier: also the MVC area, the table prefix and the recipe name.</summary>
    public abstract string Id { get; }

    /// <summary>Display name, in English; translated through the module's fr.json.</summary>
    public abstract string Name { get; }

    public abstract string Description { get; }

    public virtual string Category => "Content";

    /// <summary>Ids of the modules this one uses. Enabling this module enables them.</summary>
    public virtual IReadOnlyList<string> Dependencies => [];

    /// <summary>Permissions this module checks, with the roles that get them by default.</summary>
    public virtual IEnumerable<Permission> Permissions => [];

    public virtual void ConfigureServices(ModuleServices services) { }

    /// <summary>Public endpoints, mapped under <c>/{workspace}</c>.</summary>
    public virtual void MapPublicEndpoints(IEndpointRouteBuilder site) { }

    /// <summary>Admin endpoints, mapped under <c>/admin/{workspace}</c>. Each must require a permission.</summary>
    public virtual void MapAdminEndpoints(IEndpointRouteBuilder admin) { }

    /// <summary>
    /// JSON API endpoints, mapped under <c>/api/v1/{workspace}</c> (docs/api.md): a bearer token of that workspace is
    /// required, and each endpoint requires its permission (<c>.RequirePermission(...)</c>) as the admin pages do.
    /// Answer validation failures with <c>ApiProblems.Validation(problems)</c>.
    /// </summary>
    public virtual void MapApiEndpoints(IEndpointRouteBuilder api) { }

    public virtual void BuildAdminMenu(AdminMenuBuilder menu) { }
}

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class PortalModuleAttribute(Type moduleType) : Attribute
{
    public Type ModuleType { get; } = moduleType;
}

/// <summary>Endpoint metadata naming the module an endpoint belongs to.</summary>
public sealed record ModuleEndpointMetadata(string ModuleId);
