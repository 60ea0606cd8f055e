using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace CmPortal.ArchitectureTests.Rules;

/// <summary>
/// Rule 3: every admin endpoint requires a permission. An endpoint under <c>admin</c> must carry a
/// <c>Permission:</c> authorization policy (<c>[RequirePermission]</c> or <c>.RequirePermission(...)</c>) and must
/// not allow anonymous access, which would switch that policy off.
/// </summary>
public static class AdminEndpointRule
{
    public static IReadOnlyList<string> Check(IEnumerable<Endpoint> endpoints) =>
        AdminEndpoints(endpoints).SelectMany(Violations).ToList();

    /// <summary>Route endpoints whose pattern starts with "admin" (case-insensitive, with or without a leading slash).</summary>
    public static IReadOnlyList<RouteEndpoint> AdminEndpoints(IEnumerable<Endpoint> endpoints) =>
        endpoints.OfType<RouteEndpoint>().Where(e => StartsWithAdmin(e.RoutePattern)).ToList();

    // Read from the parsed segments rather than RawText: they are the same whether the pattern was
    // written "/admin/..." or "admin/...", and RawText may be null for patterns built in code.
    private static bool StartsWithAdmin(RoutePattern pattern) =>
        pattern.PathSegments.FirstOrDefault()?.Parts.FirstOrDefault() is RoutePatternLiteralPart literal &&
        literal.Content.StartsWith("admin", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> Violations(RouteEndpoint endpoint)
    {
        var requiresPermission = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Any(a => a.Policy?.StartsWith(PermissionPolicy.Prefix, StringComparison.Ordinal) == true);
        if (!requiresPermission) yield return $"{Describe(endpoint)} requires no permission.";
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) yield return $"{Describe(endpoint)} allows anonymous access.";
    }

    private static string Describe(RouteEndpoint endpoint)
    {
        var module = endpoint.Metadata.GetMetadata<ModuleEndpointMetadata>()?.ModuleId ?? "host";
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } verbs ? string.Join(",", verbs) : "ANY";
        return $"[{module}] {methods} /{endpoint.RoutePattern.RawText?.TrimStart('/')} ({endpoint.DisplayName})";
    }
}
