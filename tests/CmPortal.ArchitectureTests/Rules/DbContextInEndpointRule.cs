using System.Reflection;
using CmPortal.Core.Modules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.ArchitectureTests.Rules;

/// <summary>
/// Rule: no DbContext in a controller or an endpoint. Services own the rules (validate, save, concurrency, events);
/// a controller or a minimal API handler that takes a DbContext — in its constructor, an action's or a handler's
/// parameters — could save around them. Read from the endpoints the portal really maps.
/// </summary>
public static class DbContextInEndpointRule
{
    public static IReadOnlyList<string> Check(IEnumerable<Endpoint> endpoints) =>
        endpoints.OfType<RouteEndpoint>().SelectMany(Violations).Distinct().ToList();

    private static IEnumerable<string> Violations(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<ControllerActionDescriptor>() is { } action)
        {
            var controller = action.ControllerTypeInfo;
            foreach (var constructor in controller.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
                foreach (var parameter in constructor.GetParameters().Where(IsDbContext))
                    yield return $"controller {controller.FullName} takes {parameter.ParameterType.Name} in its constructor.";
            foreach (var parameter in action.MethodInfo.GetParameters().Where(IsDbContext))
                yield return $"action {controller.FullName}.{action.MethodInfo.Name} takes {parameter.ParameterType.Name}.";
            yield break;
        }
        // A minimal API's handler: its MethodInfo is in the endpoint's metadata.
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler)
            foreach (var parameter in handler.GetParameters().Where(IsDbContext))
                yield return $"[{endpoint.Metadata.GetMetadata<ModuleEndpointMetadata>()?.ModuleId ?? "host"}] " +
                             $"{string.Join(",", endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])} /{endpoint.RoutePattern.RawText?.TrimStart('/')} takes {parameter.ParameterType.Name}.";
    }

    private static bool IsDbContext(ParameterInfo parameter) => typeof(DbContext).IsAssignableFrom(parameter.ParameterType);
}
