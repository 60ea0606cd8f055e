using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CmPortal.Core.Security;

/// <summary>
/// Answers 400 to a request whose Host header names a host the portal does not serve, before anything reads it
/// (the cookie sign-in redirect and the HTTPS redirect build absolute addresses from it). Served hosts are the
/// configured <c>AllowedHosts</c> (";"-separated, "*.example.fr" for subdomains, "*" for any), by default the hosts
/// the server listens on plus localhost, 127.0.0.1 and [::1]; always the host of <c>Portal:PublicBaseUrl</c>; and
/// every host name bound to a workspace, looked up in <see cref="WorkspaceHostMap"/> so that a host bound at runtime
/// is served at once. <c>/health</c> answers whatever the host, for load balancers that probe by IP address.
/// </summary>
public sealed class HostFilter
{
    public const string AllowedHostsKey = "AllowedHosts";

    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];
    private static readonly string[] AnyHost = ["0.0.0.0", "[::]", "::", "+", "*"];

    private readonly string[]? _configured;
    private readonly bool _any;
    private readonly PublicUrls _urls;
    private readonly WorkspaceHostMap _bound;
    private readonly IServer? _server;
    private readonly ILogger<HostFilter> _logger;
    private (string Source, string[] Hosts)? _derived;

    public HostFilter(IConfiguration configuration, PublicUrls urls, WorkspaceHostMap bound, ILogger<HostFilter> logger, IServer? server = null)
    {
        var listed = Split(configuration[AllowedHostsKey]);
        _any = listed.Contains("*");
        _configured = listed.Length > 0 ? listed : null;
        _urls = urls;
        _bound = bound;
        _server = server;
        _logger = logger;
    }

    public static string[] Split(string? value) =>
        (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The host names served besides those bound to workspaces.</summary>
    public IReadOnlyList<string> ConfiguredHosts
    {
        get
        {
            var hosts = _configured ?? Derived();
            return _urls.ConfiguredHost is { } publicHost ? [.. hosts, publicHost] : hosts;
        }
    }

    public async ValueTask<bool> IsServedAsync(string host, CancellationToken ct)
    {
        if (_any) return true;
        if (host.Length == 0) return false;
        if (ConfiguredHosts.Any(allowed => Matches(allowed, host))) return true;
        return await _bound.FindKeyAsync(host, ct) is not null;
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/health") || await IsServedAsync(context.Request.Host.Host, context.RequestAborted))
        {
            await next(context);
            return;
        }
        _logger.LogDebug("Refused a request for host {Host}: not in AllowedHosts and bound to no workspace.", context.Request.Host.Host);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        // Before any culture is known (the host is what is wrong), so in French, the portal's default, then in English.
        await context.Response.WriteAsync(
            "400 — Ce portail ne sert pas le nom d’hôte auquel cette requête a été envoyée. Son administrateur peut l’ajouter " +
            "au réglage AllowedHosts, ou le lier à un espace de marque dans les paramètres de l’espace.\n\n" +
            "400 Bad Request: this portal does not serve the host name this request was sent to. " +
            "Its administrator can add it to the AllowedHosts setting, or bind it to a workspace in the workspace's settings.\n",
            context.RequestAborted);
    }

    private static bool Matches(string allowed, string host) =>
        allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase) && host.Length > allowed.Length - 1
            : string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase);

    /// <summary>The hosts the server listens on (not a wildcard), plus loopback names.</summary>
    private string[] Derived()
    {
        var addresses = _server?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var source = string.Join(";", addresses);
        if (_derived is { } cached && cached.Source == source) return cached.Hosts;
        var hosts = addresses.Select(a => BindingAddress.Parse(a).Host).Where(h => !AnyHost.Contains(h))
            .Concat(Loopback).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _derived = (source, hosts);
        _ = _urls.PortalBase; // warns once when the portal listens on every interface without a public address
        return hosts;
    }
}
