using System.Text.RegularExpressions;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

/// <summary>One HTTP method of one route of the running host; <paramref name="AnyMethod"/> when the endpoint names no method.</summary>
public sealed record PortalRoute(string Method, RoutePattern Pattern, bool AnyMethod = false)
{
    public string Template => "/" + Pattern.RawText!.TrimStart('/');
    public bool InWorkspace => Pattern.Parameters.Any(p => p.Name == WorkspaceParameter);
    public bool IsAdmin => Template.StartsWith("/admin/", StringComparison.Ordinal) || Template == "/admin";

    /// <summary>POST, PUT, PATCH or DELETE: what a form or a script sends to change data.</summary>
    public bool ChangesData => Method is "POST" or "PUT" or "PATCH" or "DELETE";

    public const string WorkspaceParameter = "workspace";

    public override string ToString() => $"{Method} {Template}";
}

/// <summary>A route with every parameter filled: the path to request and the values it carries.</summary>
public sealed record FilledRoute(PortalRoute Route, string Path, IReadOnlyList<string> Values)
{
    public override string ToString() => $"{Route.Method} {Path}";
}

/// <summary>
/// The routes of the running host, read from its <see cref="EndpointDataSource"/> (so a new endpoint, MVC action
/// or minimal API, is walked without anyone listing it), and real values to fill them with.
/// </summary>
public static class PortalRoutes
{
    private static readonly string[] EveryMethod = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Every route and method. An endpoint that names no method answers them all.</summary>
    public static IReadOnlyList<PortalRoute> All(PortalHost host) =>
        host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods
                ? methods.Select(method => new PortalRoute(method, e.RoutePattern))
                : EveryMethod.Select(method => new PortalRoute(method, e.RoutePattern, AnyMethod: true)))
            .DistinctBy(r => r.ToString())
            .OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();
}

/// <summary>
/// The values stored for one workspace, to fill route parameters with: the ids (guids), numbers, hashes,
/// slugs and module ids of every row that carries its <c>WorkspaceId</c>, in every portal table (members'
/// user ids included, through their memberships), plus the words a <c>regex(^(a|b)$)</c> constraint lists.
/// A parameter takes each value its route constraints accept, so a route is requested as it is really addressed.
/// </summary>
public sealed class RouteValueSource
{
    private const int MaxPathsPerRoute = 400;
    private static readonly Regex IdentifierLike = new("^[A-Za-z0-9_.-]+$");
    private static readonly Regex Alternatives = new(@"^regex\(\^\(([A-Za-z0-9_|-]+)\)\$\)$");

    private readonly ParameterPolicyFactory _policies;

    private RouteValueSource(string workspaceKey, IReadOnlyList<string> values, ParameterPolicyFactory policies)
    {
        WorkspaceKey = workspaceKey;
        Values = values;
        _policies = policies;
    }

    public string WorkspaceKey { get; }

    /// <summary>Every value stored for the workspace, as it would appear in a URL.</summary>
    public IReadOnlyList<string> Values { get; }

    public static Task<RouteValueSource> ForWorkspaceAsync(PortalHost host, string key) => host.InScopeAsync(async services =>
    {
        var core = services.GetRequiredService<CoreDbContext>();
        var workspaceId = await core.Workspaces.Where(w => w.Key == key).Select(w => w.Id).SingleAsync();
        var values = new List<string>();
        foreach (var registration in services.GetServices<PortalDbContextRegistration>())
        {
            var context = (DbContext)services.GetRequiredService(registration.ContextType);
            foreach (var entity in context.Model.GetEntityTypes().Where(e => e.FindProperty(nameof(IWorkspaceOwned.WorkspaceId))?.ClrType == typeof(Guid)))
            {
                var rows = await (Task<List<object>>)typeof(RouteValueSource).GetMethod(nameof(RowsOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(entity.ClrType).Invoke(null, [context, workspaceId])!;
                foreach (var row in rows)
                foreach (var property in entity.GetProperties().Where(p => p.Name != nameof(IWorkspaceOwned.WorkspaceId)))
                    if (UrlValue(context.Entry(row).Property(property.Name).CurrentValue) is { } value) values.Add(value);
            }
        }
        return new RouteValueSource(key, values.Distinct(StringComparer.Ordinal).ToList(), services.GetRequiredService<ParameterPolicyFactory>());
    });

    private static async Task<List<object>> RowsOf<T>(DbContext context, Guid workspaceId) where T : class =>
        (await context.Set<T>().IgnoreQueryFilters().Where(e => EF.Property<Guid>(e, nameof(IWorkspaceOwned.WorkspaceId)) == workspaceId).ToListAsync())
            .Cast<object>().ToList();

    /// <summary>Ids, numbers and short identifier-like texts (slugs, hashes, module ids); not prose, dates or files.</summary>
    private static string? UrlValue(object? value) => value switch
    {
        Guid id => id.ToString(),
        int or long or short => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        string text when text.Length is > 0 and <= 100 && IdentifierLike.IsMatch(text) => text,
        _ => null,
    };

    /// <summary>
    /// The route with <c>{workspace}</c> set to <paramref name="workspaceKey"/> (this source's workspace by default) and
    /// every other parameter set, in every combination, to the values its constraints accept.
    /// </summary>
    public IEnumerable<FilledRoute> Fill(PortalRoute route, string? workspaceKey = null)
    {
        var parameters = route.Pattern.Parameters.Where(p => p.Name != PortalRoute.WorkspaceParameter).ToList();
        var choices = parameters.Select(p => (IReadOnlyList<string>)Candidates(p).Where(v => Accepts(route.Pattern, p, v)).ToList()).ToList();
        var count = 0;
        foreach (var combination in Combinations(choices))
        {
            if (++count > MaxPathsPerRoute) yield break;
            var chosen = parameters.Select((p, i) => (p.Name, Value: combination[i])).ToDictionary(x => x.Name, x => x.Value);
            var path = "/" + string.Join("/", route.Pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternSeparatorPart separator => separator.Content,
                RoutePatternParameterPart { Name: PortalRoute.WorkspaceParameter } => workspaceKey ?? WorkspaceKey,
                RoutePatternParameterPart parameter => Uri.EscapeDataString(chosen[parameter.Name]),
                _ => "",
            }))));
            yield return new FilledRoute(route, path, combination);
        }
    }

    private IEnumerable<string> Candidates(RoutePatternParameterPart parameter)
    {
        foreach (var reference in parameter.ParameterPolicies)
            if (reference.Content is { } content && Alternatives.Match(content) is { Success: true } words)
                foreach (var word in words.Groups[1].Value.Split('|')) yield return word;
        foreach (var value in Values) yield return value;
    }

    private bool Accepts(RoutePattern pattern, RoutePatternParameterPart parameter, string value)
    {
        var values = new RouteValueDictionary { [parameter.Name] = value };
        var references = parameter.ParameterPolicies.Concat(pattern.ParameterPolicies.GetValueOrDefault(parameter.Name) ?? []);
        return references.Select(r => _policies.Create(parameter, r)).OfType<IRouteConstraint>()
            .All(c => c.Match(null, null, parameter.Name, values, RouteDirection.IncomingRequest));
    }

    private static IEnumerable<IReadOnlyList<string>> Combinations(IReadOnlyList<IReadOnlyList<string>> choices)
    {
        if (choices.Count == 0)
        {
            yield return [];
            yield break;
        }
        foreach (var rest in Combinations(choices.Skip(1).ToList()))
        foreach (var first in choices[0])
            yield return [first, .. rest];
    }
}
