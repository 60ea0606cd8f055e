using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Tests.Publishing.Bluesky;

/// <summary>
/// A Bluesky PDS of our own (real Kestrel on 127.0.0.1) speaking the XRPC methods the portal calls, with the reference
/// PDS's semantics where the tests rely on them — <c>createRecord</c> at a taken key answers 500, <c>getRecord</c> of a
/// missing key answers 400 <c>RecordNotFound</c>, an expired access token answers 400 <c>ExpiredToken</c>, a refresh
/// rotates the refresh token, rate-limit headers on every answer — and what the reference PDS cannot do on demand:
/// short-lived sessions, refused refresh tokens, counted logins, 429 with <c>Retry-After</c>, a 500, a write accepted
/// and then the connection dropped, slow answers.
/// </summary>
public sealed class BlueskyTestServer : IAsyncDisposable
{
    public enum Fault
    {
        /// <summary>Answers 500 without doing anything.</summary>
        Error500,

        /// <summary>Answers 429 with <c>Retry-After</c> (seconds) without doing anything.</summary>
        TooManyRequests,

        /// <summary>Does the work (writes the record), then drops the connection before answering.</summary>
        AcceptThenDrop,

        /// <summary>Waits, then does the work and answers (the client may have given up by then).</summary>
        Slow,
    }

    private sealed record Account(string Handle, string Did, string AppPassword);
    private sealed record Access(string Did, DateTimeOffset ExpiresAt);
    private sealed record Injected(Fault Fault, TimeSpan Duration);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Access> _access = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _refresh = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Injected>> _faults = new(StringComparer.Ordinal);
    private int _createSessionCalls, _refreshSessionCalls, _createRecordCalls;

    /// <summary>A record as written, with the server's own clock when it was written (not the client's createdAt).</summary>
    public sealed record StoredRecord(string Uri, string Cid, JsonObject Value, DateTimeOffset WrittenAt);

    private BlueskyTestServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>How long an access token lives (the real PDS: 2 hours).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(2);

    public int CreateSessionCalls => _createSessionCalls;
    public int RefreshSessionCalls => _refreshSessionCalls;
    public int CreateRecordCalls => _createRecordCalls;

    /// <summary>Every record written, in no particular order.</summary>
    public IReadOnlyList<StoredRecord> Records => _records.Values.ToList();

    public static async Task<BlueskyTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new BlueskyTestServer(builder.Build());
        server.MapRoutes();
        await server._app.StartAsync();
        server.Url = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public void AddAccount(string handle, string appPassword) =>
        _accounts[handle] = new Account(handle, "did:plc:" + Hash(handle)[..24], appPassword);

    public string DidOf(string handle) => _accounts[handle].Did;

    /// <summary>The account's app password was revoked and replaced (logging in with the old one is refused).</summary>
    public void ChangeAppPassword(string handle, string appPassword) => _accounts[handle] = _accounts[handle] with { AppPassword = appPassword };

    /// <summary>Every access token given so far has expired.</summary>
    public void ExpireAccessTokens()
    {
        foreach (var (token, access) in _access) _access[token] = access with { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) };
    }

    /// <summary>Every refresh token given so far is refused (expired after 90 days, or revoked).</summary>
    public void RevokeRefreshTokens() => _refresh.Clear();

    /// <summary>The next call to an XRPC method (such as "com.atproto.repo.createRecord") meets this fault.</summary>
    public void FailNext(string method, Fault fault, TimeSpan? duration = null) =>
        _faults.GetOrAdd(method, _ => new()).Enqueue(new Injected(fault, duration ?? TimeSpan.FromSeconds(30)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void MapRoutes()
    {
        _app.Use(async (context, next) =>
        {
            // Bluesky's rate-limit headers on every answer (5,000 points an hour).
            context.Response.Headers["RateLimit-Limit"] = "5000";
            context.Response.Headers["RateLimit-Remaining"] = "4990";
            context.Response.Headers["RateLimit-Reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["RateLimit-Policy"] = "5000;w=3600";
            var method = context.Request.Path.Value?.Replace("/xrpc/", "", StringComparison.Ordinal) ?? "";
            if (_faults.TryGetValue(method, out var queue) && queue.TryDequeue(out var injected))
            {
                switch (injected.Fault)
                {
                    case Fault.Error500:
                        await Error(context, 500, "InternalServerError", "Internal Server Error");
                        return;
                    case Fault.TooManyRequests:
                        context.Response.Headers.RetryAfter = ((int)injected.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                        await Error(context, 429, "RateLimitExceeded", "Rate Limit Exceeded");
                        return;
                    case Fault.Slow:
                        // Read the whole request first: the write happens even if the client has given up meanwhile.
                        context.Request.EnableBuffering();
                        await context.Request.Body.CopyToAsync(Stream.Null);
                        context.Request.Body.Position = 0;
                        await Task.Delay(injected.Duration, CancellationToken.None);
                        break;
                    case Fault.AcceptThenDrop:
                        context.Items["drop"] = true;
                        break;
                }
            }
            await next(context);
        });

        _app.MapPost("/xrpc/com.atproto.server.createSession", async context =>
        {
            Interlocked.Increment(ref _createSessionCalls);
            var body = await Body(context);
            var identifier = body["identifier"]?.GetValue<string>() ?? "";
            var account = _accounts.Values.FirstOrDefault(a => a.Handle.Equals(identifier, StringComparison.OrdinalIgnoreCase) || a.Did == identifier);
            if (account is null || account.AppPassword != body["password"]?.GetValue<string>())
            {
                await Error(context, 401, "AuthenticationRequired", "Invalid identifier or password");
                return;
            }
            await Session(context, account);
        });

        _app.MapPost("/xrpc/com.atproto.server.refreshSession", async context =>
        {
            Interlocked.Increment(ref _refreshSessionCalls);
            var token = Bearer(context);
            if (token is null || !_refresh.TryRemove(token, out var did))
            {
                await Error(context, 400, "ExpiredToken", "Token has been revoked");
                return;
            }
            await Session(context, _accounts.Values.First(a => a.Did == did));
        });

        _app.MapGet("/xrpc/com.atproto.identity.resolveHandle", async context =>
        {
            if (_accounts.TryGetValue(context.Request.Query["handle"].ToString(), out var account))
                await Json(context, new JsonObject { ["did"] = account.Did });
            else
                await Error(context, 400, "HandleNotFound", "Unable to resolve handle");
        });

        _app.MapPost("/xrpc/com.atproto.repo.uploadBlob", async context =>
        {
            if (await Authorized(context) is null) return;
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            var cid = "bafkrei" + Hash(Convert.ToBase64String(bytes))[..52];
            _blobs[cid] = bytes;
            await Json(context, new JsonObject
            {
                ["blob"] = new JsonObject
                {
                    ["$type"] = "blob", ["ref"] = new JsonObject { ["$link"] = cid },
                    ["mimeType"] = context.Request.ContentType, ["size"] = bytes.Length,
                },
            });
        });

        _app.MapPost("/xrpc/com.atproto.repo.createRecord", async context =>
        {
            Interlocked.Increment(ref _createRecordCalls);
            if (await Authorized(context) is not { } did) return;
            var body = await Body(context);
            var collection = body["collection"]?.GetValue<string>() ?? "";
            var rkey = body["rkey"]?.GetValue<string>() ?? "";
            if (body["repo"]?.GetValue<string>() != did || body["record"] is not JsonObject record
                || record["$type"]?.GetValue<string>() != collection || !Modules.Publishing.Networks.Bluesky.Tid.IsValid(rkey))
            {
                await Error(context, 400, "InvalidRequest", "Invalid createRecord input");
                return;
            }
            var uri = $"at://{did}/{collection}/{rkey}";
            var stored = new StoredRecord(uri, "bafyrei" + Hash(record.ToJsonString())[..52], record, DateTimeOffset.UtcNow);
            if (!_records.TryAdd(uri, stored))
            {
                // As the reference PDS: "There is already a value at key" surfaces as a 500.
                await Error(context, 500, "InternalServerError", "Internal Server Error");
                return;
            }
            if (context.Items.ContainsKey("drop"))
            {
                context.Abort();
                return;
            }
            await Json(context, new JsonObject { ["uri"] = uri, ["cid"] = stored.Cid, ["validationStatus"] = "valid" });
        });

        _app.MapGet("/xrpc/com.atproto.repo.getRecord", async context =>
        {
            var q = context.Request.Query;
            var repo = q["repo"].ToString();
            var did = _accounts.TryGetValue(repo, out var byHandle) ? byHandle.Did : repo;
            if (!_records.TryGetValue($"at://{did}/{q["collection"]}/{q["rkey"]}", out var stored))
            {
                await Error(context, 400, "RecordNotFound", "Could not locate record");
                return;
            }
            await Json(context, new JsonObject { ["uri"] = stored.Uri, ["cid"] = stored.Cid, ["value"] = stored.Value.DeepClone() });
        });
    }

    private async Task Session(HttpContext context, Account account)
    {
        var access = "access-" + Guid.NewGuid().ToString("N");
        var refresh = "refresh-" + Guid.NewGuid().ToString("N");
        _access[access] = new Access(account.Did, DateTimeOffset.UtcNow + AccessTokenLifetime);
        _refresh[refresh] = account.Did;
        await Json(context, new JsonObject
        {
            ["accessJwt"] = access, ["refreshJwt"] = refresh, ["handle"] = account.Handle, ["did"] = account.Did, ["active"] = true,
        });
    }

    /// <summary>The DID of a valid access token, or null after answering 400 ExpiredToken / InvalidToken / 401.</summary>
    private async Task<string?> Authorized(HttpContext context)
    {
        var token = Bearer(context);
        if (token is null)
        {
            await Error(context, 401, "AuthMissing", "Authentication Required");
            return null;
        }
        if (!_access.TryGetValue(token, out var access))
        {
            await Error(context, 400, "InvalidToken", "Token could not be verified");
            return null;
        }
        if (access.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            await Error(context, 400, "ExpiredToken", "Token has expired");
            return null;
        }
        return access.Did;
    }

    private static string? Bearer(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header["Bearer ".Length..] : null;

    private static async Task<JsonObject> Body(HttpContext context) =>
        (await JsonNode.ParseAsync(context.Request.Body))?.AsObject() ?? [];

    private static Task Json(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task Error(HttpContext context, int status, string error, string message)
    {
        context.Response.StatusCode = status;
        return Json(context, new JsonObject { ["error"] = error, ["message"] = message });
    }

    private static string Hash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
