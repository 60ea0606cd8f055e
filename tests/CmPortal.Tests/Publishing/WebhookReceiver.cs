using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// A receiving service on a real port: verifies each call's Standard Webhooks signature the way docs/publishing.md
/// tells receivers to, keeps each webhook-id once, can fail first, and notes when each call arrived.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    public ConcurrentQueue<(string Id, string Body, bool Valid, DateTimeOffset At)> Calls { get; } = new();
    public ConcurrentDictionary<string, string> Accepted { get; } = new();
    public int FailFirst;
    public string Secret = "";

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hooks/cmportal";

    /// <summary>The address the receiver answers for a post it accepted (kept by the portal as the published link).</summary>
    public static string PostUrl(string webhookId) => "https://hooks.example/posts/" + webhookId;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/cmportal", async (HttpContext http) =>
        {
            var at = DateTimeOffset.UtcNow;
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var id = http.Request.Headers["webhook-id"].ToString();
            var valid = Verify(receiver.Secret, id, http.Request.Headers["webhook-timestamp"].ToString(), body, http.Request.Headers["webhook-signature"].ToString());
            receiver.Calls.Enqueue((id, body, valid, at));
            if (!valid) return Results.StatusCode(401);
            if (Interlocked.Decrement(ref receiver.FailFirst) >= 0) return Results.StatusCode(503);
            receiver.Accepted.TryAdd(id, body); // a repeat of an id already seen changes nothing
            return Results.Json(new { url = PostUrl(id) });
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>What a receiver does (docs/publishing.md): HMAC-SHA256 of "id.timestamp.body" with the secret's bytes, recent timestamp.</summary>
    private static bool Verify(string secret, string id, string timestamp, string body, string signatures)
    {
        if (!long.TryParse(timestamp, out var seconds) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300) return false;
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return signatures.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal) &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(s[3..]), Encoding.UTF8.GetBytes(expected)));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
