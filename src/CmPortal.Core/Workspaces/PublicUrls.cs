using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CmPortal.Core.Workspaces;

/// <summary>
/// Absolute addresses of the portal and of the workspaces' public sites (og:url, canonical links,
/// og:image), made from configuration and never from the request's Host header, which the client chooses.
/// The portal's base is <c>Portal:PublicBaseUrl</c> or, when it is not set, the first address the server
/// listens on. A workspace with a bound host name has its site there (scheme and port of the portal's base);
/// otherwise its site is <c>{base}/{key}</c>.
/// </summary>
public sealed class PublicUrls
{
    public const string BaseUrlKey = "Portal:PublicBaseUrl";

    /// <summary>Hosts that a server listening on every interface reports (0.0.0.0, [::], +, *).</summary>
    private static readonly string[] AnyHost = ["0.0.0.0", "[::]", "::", "+", "*"];

    private readonly Uri? _configured;
    private readonly string? _configuredUrls;
    private readonly IServer? _server;
    private readonly ILogger<PublicUrls> _logger;
    private (string Source, string Base)? _derived;
    private int _warned;

    public PublicUrls(IConfiguration configuration, ILogger<PublicUrls> logger, IServer? server = null)
    {
        _configured = ParseBaseUrl(configuration[BaseUrlKey]);
        _configuredUrls = configuration["urls"];
        _server = server;
        _logger = logger;
    }

    /// <summary>
    /// Reads <c>Portal:PublicBaseUrl</c>: empty means "not set"; otherwise an absolute http(s) URL without path,
    /// query or fragment. Throws <see cref="InvalidOperationException"/> saying how to fix a bad value.
    /// </summary>
    public static Uri? ParseBaseUrl(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" &&
            uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0)
            return uri;
        throw new InvalidOperationException(
            $"{BaseUrlKey} is \"{value}\": it must be the portal's public address, scheme and host only, e.g. \"https://cm.example.fr\" " +
            $"(environment variable Portal__PublicBaseUrl). Leave it empty to use the first address in Urls.");
    }

    /// <summary>The host name of <c>Portal:PublicBaseUrl</c>, if set.</summary>
    public string? ConfiguredHost => _configured?.Host;

    /// <summary>The portal's public base, without a trailing slash: <c>https://cm.example.fr</c>.</summary>
    public string PortalBase => _configured is { } configured ? Origin(configured.Scheme, configured.Host, configured.Port) : Derived();

    /// <summary>An absolute address on the portal's host; <paramref name="path"/> starts with "/".</summary>
    public string Portal(string path) => PortalBase + path;

    /// <summary>
    /// The base of the workspace's public site, without a trailing slash: its bound host (the first in alphabetical
    /// order when it has several) or <c>{PortalBase}/{key}</c>.
    /// </summary>
    public string SiteBase(Workspace workspace)
    {
        var bound = workspace.Hosts.Select(h => h.HostName).Order(StringComparer.Ordinal).FirstOrDefault();
        if (bound is null) return PortalBase + "/" + workspace.Key;
        var portal = new Uri(PortalBase);
        return Origin(portal.Scheme, bound, portal.Port);
    }

    /// <summary>An absolute address on the workspace's public site; <paramref name="path"/> is relative to the site and starts with "/".</summary>
    public string Site(Workspace workspace, string path) => SiteBase(workspace) + path;

    /// <summary>
    /// The public address of the page a request for <paramref name="requestPath"/> shows: requests reach public pages
    /// as <c>/{key}/...</c> (bound hosts are rewritten to that), so the key is replaced by the site's base.
    /// </summary>
    public string Page(Workspace workspace, PathString requestPath)
    {
        if (requestPath.StartsWithSegments("/" + workspace.Key, StringComparison.OrdinalIgnoreCase, out var rest))
            return Site(workspace, rest.HasValue ? rest.Value! : "/");
        return Portal(requestPath.HasValue ? requestPath.Value! : "/");
    }

    private static string Origin(string scheme, string host, int port) =>
        new UriBuilder(scheme, host, port).Uri.GetLeftPart(UriPartial.Authority);

    /// <summary>The first address the server listens on (its real port once started); a wildcard host becomes localhost.</summary>
    private string Derived()
    {
        var source = _server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? _configuredUrls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? "http://localhost:5000";
        if (_derived is { } cached && cached.Source == source) return cached.Base;
        var address = BindingAddress.Parse(source);
        var host = address.Host;
        if (AnyHost.Contains(host))
        {
            host = "localhost";
            if (Interlocked.Exchange(ref _warned, 1) == 0)
                _logger.LogWarning(
                    "The portal listens on every interface ({Address}) and {Key} is not set: absolute links (og:url, canonical) use localhost, " +
                    "and only localhost or hosts listed in AllowedHosts are served. Set {Key} to the portal's public address, e.g. Portal__PublicBaseUrl=https://cm.example.fr.",
                    source, BaseUrlKey, BaseUrlKey);
        }
        var result = Origin(address.Scheme, host, address.Port);
        _derived = (source, result);
        return result;
    }
}
