using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using CmPortal.Core.Validation;
using Microsoft.Extensions.Configuration;

namespace CmPortal.Modules.Inbox.Sources.Stored;

/// <summary>
/// Keeps the portal from being used to read its own network (SSRF): a source's address must be http(s) and must not
/// resolve to a loopback, private, link-local, unique-local or otherwise non-public address — checked when the
/// source is saved and again before each read (DNS can change), and at connection time for every hop of a feed's
/// redirects (<see cref="GuardConnectionsOf"/>). <c>Inbox:AllowPrivateSourceAddresses</c> turns the check off (tests,
/// a portal that listens to an intranet on purpose).
/// </summary>
internal sealed class SourceAddresses(IConfiguration configuration)
{
    public const string AllowPrivateSetting = "Inbox:AllowPrivateSourceAddresses";

    public bool AllowPrivate => configuration.GetValue<bool>(AllowPrivateSetting);

    /// <summary>A problem when <paramref name="address"/> is not a public web address; null when it may be read.</summary>
    public async Task<Problem?> CheckAsync(string field, string? address, CancellationToken ct)
    {
        if (!Uri.TryCreate(address?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return new Problem(field, "Give a full web address starting with http:// or https://.");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return new Problem(field, "The address must not contain a user name or password.");
        if (AllowPrivate) return null;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return new Problem(field, "The name {0} does not exist (no address found for it). Check the spelling.", uri.Host);
        }
        if (addresses.Length == 0)
            return new Problem(field, "The name {0} does not exist (no address found for it). Check the spelling.", uri.Host);
        if (addresses.FirstOrDefault(a => !IsPublic(a)) is { } inside)
            return new Problem(field, "{0} leads to {1}, an address of a private or local network: the portal only reads public web addresses.", uri.Host, inside.ToString());
        return null;
    }

    /// <summary>True for an address of the public internet.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
            return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 // "this" network, private, loopback
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128) // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254) // link-local (cloud metadata services live here)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
                || b[0] >= 224); // multicast and reserved
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc); // unique local fc00::/7
        }
        return false;
    }

    /// <summary>
    /// Makes the connections of a <see cref="SocketsHttpHandler"/> refuse non-public addresses (unless allowed): the
    /// address checked is the one connected to, so a redirect to an inside address or a name that changes between
    /// the check and the connection (DNS rebinding) is refused too.
    /// </summary>
    public void GuardConnectionsOf(SocketsHttpHandler handler)
    {
        handler.ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var candidates = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            if (!AllowPrivate && candidates.Any(a => !IsPublic(a)))
                throw new HttpRequestException(HttpRequestError.ConnectionError, $"{host} resolves to a non-public address.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(candidates, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
    }
}
