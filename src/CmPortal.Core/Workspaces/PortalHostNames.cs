using System.Net;
using Microsoft.Extensions.Configuration;

namespace CmPortal.Core.Workspaces;

/// <summary>
/// The host names the portal itself answers on: its admin, sign-in and setup pages live there, so no
/// workspace may bind them (binding the portal's own address would hand its home page to one brand).
/// They are <c>localhost</c> (and <c>*.localhost</c>), every IP literal, the hosts of <c>Urls</c> and
/// <c>Portal:PublicBaseUrl</c>, and the <c>Portal:AdminHosts</c> list.
/// </summary>
public sealed class PortalHostNames
{
    private readonly HashSet<string> _configured = new(StringComparer.OrdinalIgnoreCase);

    public PortalHostNames(IConfiguration configuration, PublicUrls publicUrls)
    {
        foreach (var url in (configuration["Urls"] ?? configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (HostOf(url) is { } host) _configured.Add(host);
        if (publicUrls.ConfiguredHost is { } publicHost) _configured.Add(publicHost);
        var admin = configuration.GetSection("Portal:AdminHosts");
        foreach (var host in admin.GetChildren().Select(c => c.Value).Append(admin.Value).SelectMany(Security.HostFilter.Split))
            _configured.Add(host);
    }

    public IReadOnlyCollection<string> Configured => _configured;

    /// <summary>Whether the portal answers on this host name itself, so that no workspace may take it.</summary>
    public bool IsReserved(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) ||
        IPAddress.TryParse(host.Trim('[', ']'), out _) || _configured.Contains(host);

    /// <summary>The host of "http://name:port/..." (wildcards such as * and + name no host).</summary>
    private static string? HostOf(string url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        var authority = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        authority = authority.Split('/')[0];
        var host = authority.StartsWith('[') ? authority[..(authority.IndexOf(']') + 1)] : authority.Split(':')[0];
        return host is "" or "*" or "+" ? null : host.ToLowerInvariant();
    }
}
