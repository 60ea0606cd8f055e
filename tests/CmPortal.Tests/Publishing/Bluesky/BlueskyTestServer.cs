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
/// and then the connection dropped, slow answers. For listening (the inbox), the two AppView methods the reference
/// PDS cannot answer offline, with the lexicons' shapes: <c>app.bsky.feed.searchPosts</c> (<c>q</c>, <c>sort</c>,
/// <c>since</c> inclusive, <c>lang</c>, <c>limit</c>, <c>cursor</c>) and <c>app.bsky.notification.listNotifications</c>
/// (<c>reasons</c>, <c>limit</c>, <c>cursor</c>), over posts seeded with <see cref="SeedPost"/>.
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
        server.MapListening();
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

    // ---- listening: seeded posts of other people, search and notifications (AppView methods)

    /// <summary>A post as the AppView indexed it.</summary>
    public sealed record SeededPost(
        string Uri, string Cid, string Handle, string Did, string? DisplayName, string Text, IReadOnlyList<string> Langs,
        DateTimeOffset CreatedAt, DateTimeOffset IndexedAt, string? ReplyParentUri);

    private readonly List<SeededPost> _posts = [];

    /// <summary>An access token for an account, as a session would give it (for tests that only read).</summary>
    public string AccessTokenFor(string handle)
    {
        var access = "access-" + Guid.NewGuid().ToString("N");
        _access[access] = new Access(DidOf(handle), DateTimeOffset.UtcNow + AccessTokenLifetime);
        return access;
    }

    private readonly List<(string RecipientDid, string Reason, SeededPost Post, DateTimeOffset IndexedAt)> _notifications = [];
    private readonly ConcurrentQueue<(string PathAndQuery, string? Authorization)> _listened = new();

    /// <summary>The searchPosts and listNotifications requests, with their query and Authorization header, in order.</summary>
    public IReadOnlyList<(string PathAndQuery, string? Authorization)> ListeningRequests => [.. _listened];

    public SeededPost SeedPost(
        string handle, string text, DateTimeOffset indexedAt, string[]? langs = null, string? replyParentUri = null, string? displayName = null)
    {
        var did = "did:plc:" + Hash(handle)[..24];
        var rkey = "3l" + Hash(handle + text + indexedAt.ToUnixTimeMilliseconds())[..11];
        var post = new SeededPost($"at://{did}/app.bsky.feed.post/{rkey}", "bafyrei" + Hash(rkey)[..40], handle, did, displayName, text,
            langs ?? ["fr"], indexedAt.AddSeconds(-1), indexedAt, replyParentUri);
        lock (_posts) _posts.Add(post);
        return post;
    }

    /// <summary>A notification to <paramref name="recipientHandle"/>'s account: "mention", "reply", "quote", "like"…</summary>
    public void SeedNotification(string recipientHandle, string reason, SeededPost post)
    {
        lock (_posts) _notifications.Add((DidOf(recipientHandle), reason, post, post.IndexedAt));
    }

    private void MapListening()
    {
        _app.MapGet("/xrpc/app.bsky.feed.searchPosts", async context =>
        {
            _listened.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString()));
            if (await Authorized(context) is null) return;
            var query = context.Request.Query;
            var q = query["q"].ToString();
            if (string.IsNullOrWhiteSpace(q)) { await Error(context, 400, "InvalidRequest", "Error: Params must have the property \"q\""); return; }
            IEnumerable<SeededPost> posts;
            lock (_posts) posts = [.. _posts];
            posts = posts.Where(p => p.Text.Contains(q, StringComparison.OrdinalIgnoreCase));
            if (DateTimeOffset.TryParse(query["since"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                posts = posts.Where(p => p.IndexedAt >= since);
            if (query["lang"].ToString() is { Length: > 0 } lang) posts = posts.Where(p => p.Langs.Contains(lang));
            var (page, cursor) = Slice(query, posts.OrderByDescending(p => p.IndexedAt).ToList(), 25);
            await Json(context, new JsonObject
            {
                ["cursor"] = cursor, ["hitsTotal"] = page.Count,
                ["posts"] = new JsonArray([.. page.Select(p => (JsonNode)PostView(p))]),
            });
        });
        _app.MapGet("/xrpc/app.bsky.feed.getPosts", async context =>
        {
            // As the AppView through the PDS: the posts at these at:// URIs that it knows, in order.
            if (await Authorized(context) is null) return;
            var uris = context.Request.Query["uris"].Select(u => u!).ToList();
            List<SeededPost> found;
            lock (_posts) found = [.. uris.Select(u => _posts.FirstOrDefault(p => p.Uri == u)).OfType<SeededPost>()];
            await Json(context, new JsonObject { ["posts"] = new JsonArray([.. found.Select(p => (JsonNode)PostView(p))]) });
        });
        _app.MapGet("/xrpc/app.bsky.notification.listNotifications", async context =>
        {
            _listened.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString()));
            if (await Authorized(context) is not { } did) return;
            var reasons = context.Request.Query["reasons"].Select(r => r!).ToList();
            List<(string RecipientDid, string Reason, SeededPost Post, DateTimeOffset IndexedAt)> mine;
            lock (_posts) mine = [.. _notifications.Where(n => n.RecipientDid == did && (reasons.Count == 0 || reasons.Contains(n.Reason)))
                .OrderByDescending(n => n.IndexedAt)];
            var (page, cursor) = Slice(context.Request.Query, mine, 50);
            await Json(context, new JsonObject
            {
                ["cursor"] = cursor,
                ["notifications"] = new JsonArray([.. page.Select(n => (JsonNode)new JsonObject
                {
                    ["uri"] = n.Post.Uri, ["cid"] = n.Post.Cid, ["author"] = Author(n.Post), ["reason"] = n.Reason,
                    ["record"] = Record(n.Post), ["isRead"] = false, ["indexedAt"] = Iso(n.IndexedAt), ["labels"] = new JsonArray(),
                })]),
            });
        });
    }

    /// <summary>A page from the <c>cursor</c> (here an offset), and the cursor of the next page when there is one.</summary>
    private static (List<T> Page, string? Cursor) Slice<T>(IQueryCollection query, List<T> all, int defaultLimit)
    {
        var limit = Math.Clamp(int.TryParse(query["limit"], out var l) ? l : defaultLimit, 1, 100);
        var offset = int.TryParse(query["cursor"], out var o) ? o : 0;
        var page = all.Skip(offset).Take(limit).ToList();
        return (page, offset + page.Count < all.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null);
    }

    private static JsonObject PostView(SeededPost p) => new()
    {
        ["uri"] = p.Uri, ["cid"] = p.Cid, ["author"] = Author(p), ["record"] = Record(p), ["replyCount"] = 0, ["repostCount"] = 0,
        ["likeCount"] = 0, ["quoteCount"] = 0, ["indexedAt"] = Iso(p.IndexedAt), ["labels"] = new JsonArray(),
    };

    private static JsonObject Author(SeededPost p)
    {
        var author = new JsonObject { ["did"] = p.Did, ["handle"] = p.Handle, ["labels"] = new JsonArray() };
        if (p.DisplayName is not null) author["displayName"] = p.DisplayName;
        return author;
    }

    private static JsonObject Record(SeededPost p)
    {
        var record = new JsonObject
        {
            ["$type"] = "app.bsky.feed.post", ["text"] = p.Text, ["createdAt"] = Iso(p.CreatedAt),
            ["langs"] = new JsonArray([.. p.Langs.Select(l => (JsonNode)JsonValue.Create(l)!)]),
        };
        if (p.ReplyParentUri is { } parent)
        {
            var reference = new JsonObject { ["uri"] = parent, ["cid"] = "bafyreiparent" };
            record["reply"] = new JsonObject { ["root"] = reference.DeepClone(), ["parent"] = reference };
        }
        return record;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

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
