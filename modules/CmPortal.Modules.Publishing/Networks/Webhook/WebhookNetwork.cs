using CmPortal.Modules.Publishing.Contracts;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CmPortal.Modules.Publishing.Networks.Webhook;

/// <summary>
/// A webhook channel: each delivery is one signed JSON POST (Standard Webhooks). The <c>webhook-id</c> is the
/// delivery key, the same on every retry, so a receiver that remembers the ids it saw never publishes twice. A 2xx
/// answer is the proof (its optional JSON <c>{"url"}</c> is the published address).
/// </summary>
internal sealed class WebhookNetwork(IHttpClientFactory http, IServer server, PortalHostNames portalHosts, WorkspaceHostMap hostMap, TimeProvider clock)
    : IChannelNetwork
{
    public const string HttpClientName = "webhook";

    public string Kind => "webhook";

    public async Task<ConnectOutcome> ConnectAsync(ConnectRequest request, CancellationToken ct)
    {
        var url = request.Fields.GetValueOrDefault("url")?.Trim() ?? "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return ConnectOutcome.Refused(new Problem("url", "The webhook address must start with http:// or https://."));
        if (await IsThePortalAsync(uri, ct))
            return ConnectOutcome.Refused(new Problem("url", "The webhook address points at this portal itself: give the address of the receiving service."));
        var secret = request.Fields.GetValueOrDefault("secret")?.Trim();
        if (string.IsNullOrEmpty(secret)) secret = WebhookSignature.NewSecret();
        else if (WebhookSignature.KeyOf(secret) is null)
            return ConnectOutcome.Refused(new Problem("secret",
                "The secret must be “whsec_” followed by at least 16 bytes in base64, or left empty for the portal to make one."));
        return new ConnectOutcome([], AccountName: uri.Host, AccountUrl: null,
            Settings: new Dictionary<string, string> { ["url"] = uri.ToString() }, Secret: secret);
    }

    public string NewDeliveryKey(DateTime utcNow) => "msg_" + Guid.CreateVersion7(new DateTimeOffset(utcNow, TimeSpan.Zero)).ToString("N");

    public async Task<SendOutcome> SendAsync(SendRequest request, CancellationToken ct)
    {
        var key = request.Channel.Secret is { } secret ? WebhookSignature.KeyOf(secret) : null;
        if (key is null || !request.Channel.Settings.TryGetValue("url", out var url))
            return SendOutcome.Refused(request.SentParts, new Problem(null, "The webhook has no valid secret or address: reconnect it."));
        var body = BodyOf(request);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        message.Headers.Add("webhook-id", request.DeliveryKey);
        message.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.Add("webhook-signature", WebhookSignature.Sign(key, request.DeliveryKey, timestamp, body));
        HttpResponseMessage response;
        try
        {
            response = await http.CreateClient(HttpClientName).SendAsync(message, ct);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            // Nothing reached the receiver: safe to send again later.
            return new SendOutcome(SendStatus.RetryLater, request.SentParts, "The webhook address could not be reached.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            return new SendOutcome(SendStatus.Unknown, request.SentParts, "No answer from the webhook after sending.");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await ReadShortAsync(response, ct);
            if (response.IsSuccessStatusCode)
            {
                var remoteUrl = UrlOf(text);
                var parts = request.Parts.Select((_, i) => new SentPart(i, request.DeliveryKey, remoteUrl)).ToList();
                return new SendOutcome(SendStatus.Published, parts, null, status);
            }
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500)
                return new SendOutcome(SendStatus.RetryLater, request.SentParts, text, status, RetryAfterOf(response));
            return new SendOutcome(SendStatus.Failed, request.SentParts, text, status);
        }
    }

    /// <summary>
    /// A webhook cannot be asked what it received; the same <c>webhook-id</c> goes again, and Standard Webhooks
    /// receivers drop an id they have seen. So sending again is safe.
    /// </summary>
    public Task<ReconcileOutcome> ReconcileAsync(SendRequest request, CancellationToken ct) =>
        Task.FromResult(ReconcileOutcome.NotSent(request.SentParts,
            new Problem(null, "A webhook cannot be asked; the same webhook-id is sent again and the receiver drops a repeat.")));

    /// <summary>The body: the post, its parts, the channel and the occurrence. Media are named (no public address yet).</summary>
    internal static string BodyOf(SendRequest request) => JsonSerializer.Serialize(new
    {
        type = "post.scheduled",
        post = request.PostId,
        occurrence = request.OccurrenceUtc,
        channel = new { id = request.Channel.ChannelId, name = request.Channel.Name },
        language = request.Language,
        parts = request.Parts.Select(p => new
        {
            text = p.Text, link = p.Link, title = p.Title,
            media = p.Media.Select(m => new { fileName = m.FileName, contentType = m.ContentType, altText = m.AltText }),
        }),
    });

    private async Task<bool> IsThePortalAsync(Uri uri, CancellationToken ct)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
            if (Uri.TryCreate(address, UriKind.Absolute, out var own) && SameAuthority(own, uri)) return true;
        var host = uri.Host;
        if (!IPAddress.TryParse(host.Trim('[', ']'), out _) && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            && portalHosts.Configured.Contains(host)) return true;
        return await hostMap.FindKeyAsync(host, ct) is not null;
    }

    private static bool SameAuthority(Uri own, Uri target)
    {
        if (own.Port != target.Port) return false;
        if (own.Host.Equals(target.Host, StringComparison.OrdinalIgnoreCase)) return true;
        static bool Loopback(string h) => h.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
            (IPAddress.TryParse(h.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
        static bool Any(string h) => h is "0.0.0.0" or "[::]" or "*" or "+";
        return (Loopback(own.Host) || Any(own.Host)) && Loopback(target.Host);
    }

    private static async Task<string> ReadShortAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length > 500 ? text[..500] : text;
    }

    internal static string? UrlOf(string text)
    {
        // Most receivers answer with an empty or plain body: not JSON, no exception to pay for (one a delivery otherwise).
        if (!text.AsSpan().TrimStart().StartsWith("{")) return null;
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("url", out var url)
                && url.ValueKind == JsonValueKind.String && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var u)
                && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? u.ToString() : null;
        }
        catch (JsonException) { return null; }
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } retry
            ? retry.Delta ?? (retry.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;
}
