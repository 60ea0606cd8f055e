using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmPortal.Modules.Publishing.Contracts;

namespace CmPortal.Modules.Publishing.Networks.Bluesky;

/// <summary>
/// The XRPC calls the portal makes to a Bluesky PDS (lexicons <c>com.atproto.*</c>), over the named HttpClient
/// "bluesky" (a timeout, no automatic retries). It logs in (<c>createSession</c>) only when connecting a channel, or
/// when the PDS refuses the refresh token; an expired access token (<c>ExpiredToken</c>) is renewed with
/// <c>refreshSession</c>. Every new session is saved at once, encrypted, as the channel's secret. Request bodies,
/// tokens and passwords are never logged.
/// </summary>
internal sealed class BlueskyClient
{
    public const string HttpClientName = "bluesky";
    public const string PostCollection = "app.bsky.feed.post";

    private readonly HttpClient _http;
    private readonly BlueskySessions _sessions;
    private readonly ChannelAccount _channel;

    public BlueskyClient(HttpClient http, BlueskySessions sessions, ChannelAccount channel, BlueskySession stored)
    {
        _http = http;
        _sessions = sessions;
        _channel = channel;
        Session = sessions.Current(channel.ChannelId, stored);
    }

    /// <summary>The session the next call uses (renewed by the client when the PDS says it expired).</summary>
    public BlueskySession Session { get; private set; }

    /// <summary><c>com.atproto.server.createSession</c>: logs in with a handle (or DID) and an app password.</summary>
    /// <exception cref="XrpcException">The PDS refused (401 <c>AuthenticationRequired</c>, 429…).</exception>
    public static async Task<BlueskySession> CreateSessionAsync(HttpClient http, string pdsUrl, string identifier, string appPassword, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Xrpc(pdsUrl, "com.atproto.server.createSession"))
        {
            Content = Json(new JsonObject { ["identifier"] = identifier, ["password"] = appPassword }),
        };
        var answer = await XrpcAnswer.SendAsync(http, request, ct);
        answer.ThrowUnlessSuccess();
        return SessionFrom(answer.Body, pdsUrl, appPassword);
    }

    /// <summary><c>com.atproto.server.refreshSession</c>, then <c>createSession</c> if the refresh token is refused; saves the new session.</summary>
    /// <exception cref="BlueskyLoginRefusedException">The PDS refused the refresh token and then the app password.</exception>
    public async Task RenewSessionAsync(BlueskySession expired, CancellationToken ct)
    {
        using var _ = await _sessions.LockAsync(_channel.ChannelId, ct);
        var current = _sessions.Current(_channel.ChannelId, expired);
        if (current.AccessJwt != expired.AccessJwt)
        {
            // Another delivery of this channel renewed it while this one waited.
            Session = current;
            return;
        }

        BlueskySession renewed;
        using (var request = new HttpRequestMessage(HttpMethod.Post, Xrpc(expired.PdsUrl, "com.atproto.server.refreshSession")))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", expired.RefreshJwt);
            var answer = await XrpcAnswer.SendAsync(_http, request, ct);
            if (answer.IsSuccess)
                renewed = SessionFrom(answer.Body, expired.PdsUrl, expired.AppPassword);
            else if (answer.Status is 400 or 401)
            {
                // The refresh token expired or was revoked: log in again, once, with the app password.
                try
                {
                    renewed = await CreateSessionAsync(_http, expired.PdsUrl, expired.Did, expired.AppPassword, ct);
                }
                catch (XrpcException e) when (e.Status is 400 or 401)
                {
                    throw new BlueskyLoginRefusedException(e);
                }
            }
            else
            {
                answer.ThrowUnlessSuccess();
                return;
            }
        }

        await _channel.SaveSecretAsync(renewed.ToSecret(), ct);
        _sessions.Remember(_channel.ChannelId, renewed);
        Session = renewed;
    }

    /// <summary><c>com.atproto.identity.resolveHandle</c>: the DID of a handle, or null when no account has it.</summary>
    public async Task<string?> ResolveHandleAsync(string handle, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            Xrpc(Session.PdsUrl, "com.atproto.identity.resolveHandle", ("handle", handle)));
        var answer = await XrpcAnswer.SendAsync(_http, request, ct);
        if (answer.Status == 400) return null; // HandleNotFound, or not a handle at all
        answer.ThrowUnlessSuccess();
        return answer.Body?["did"]?.GetValue<string>();
    }

    /// <summary><c>com.atproto.repo.uploadBlob</c>: the blob reference (<c>$type: blob</c>, ref, mimeType, size) to put in a record.</summary>
    public async Task<JsonNode> UploadBlobAsync(byte[] bytes, string contentType, CancellationToken ct)
    {
        var answer = await SendAuthorizedAsync(() =>
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return new HttpRequestMessage(HttpMethod.Post, Xrpc(Session.PdsUrl, "com.atproto.repo.uploadBlob")) { Content = content };
        }, ct);
        answer.ThrowUnlessSuccess();
        return answer.Body?["blob"]?.DeepClone() ?? throw new XrpcException(answer.Status, "InvalidResponse", "uploadBlob answered without a blob.", null);
    }

    /// <summary><c>com.atproto.repo.createRecord</c> at a record key the portal chose: the record's at:// URI and CID.</summary>
    public async Task<RecordRef> CreateRecordAsync(string collection, string rkey, JsonObject record, CancellationToken ct)
    {
        var answer = await SendAuthorizedAsync(() => new HttpRequestMessage(HttpMethod.Post, Xrpc(Session.PdsUrl, "com.atproto.repo.createRecord"))
        {
            Content = Json(new JsonObject
            {
                ["repo"] = Session.Did, ["collection"] = collection, ["rkey"] = rkey, ["record"] = record.DeepClone(),
            }),
        }, ct);
        answer.ThrowUnlessSuccess();
        return RecordFrom(answer.Body) ?? throw new XrpcException(answer.Status, "InvalidResponse", "createRecord answered without uri and cid.", null);
    }

    /// <summary><c>com.atproto.repo.getRecord</c> (no authentication needed): the record at a key, or null when there is none.</summary>
    public async Task<StoredRecord?> GetRecordAsync(string collection, string rkey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Xrpc(Session.PdsUrl, "com.atproto.repo.getRecord",
            ("repo", Session.Did), ("collection", collection), ("rkey", rkey)));
        var answer = await XrpcAnswer.SendAsync(_http, request, ct);
        if (answer.Status is 400 or 404 && answer.Error == "RecordNotFound") return null;
        answer.ThrowUnlessSuccess();
        var reference = RecordFrom(answer.Body) ?? throw new XrpcException(answer.Status, "InvalidResponse", "getRecord answered without uri and cid.", null);
        return new StoredRecord(reference, answer.Body?["value"]?.DeepClone().AsObject() ?? []);
    }

    /// <summary>
    /// <c>app.bsky.feed.getPosts</c> (through the PDS, authenticated): the post view at an at:// URI — its uri, cid and
    /// record — or null when the network no longer has it.
    /// </summary>
    public async Task<JsonObject?> GetPostAsync(string uri, CancellationToken ct)
    {
        var answer = await SendAuthorizedAsync(() => new HttpRequestMessage(HttpMethod.Get,
            Xrpc(Session.PdsUrl, "app.bsky.feed.getPosts", ("uris", uri))), ct);
        answer.ThrowUnlessSuccess();
        return answer.Body?["posts"] is JsonArray { Count: > 0 } posts && posts[0] is JsonObject post
               && post["uri"] is JsonValue && post["cid"] is JsonValue ? post : null;
    }

    /// <summary>Sends with the access token; if the PDS says it expired, renews the session once and sends again.</summary>
    private async Task<XrpcAnswer> SendAuthorizedAsync(Func<HttpRequestMessage> build, CancellationToken ct)
    {
        for (var renewed = false; ; renewed = true)
        {
            var used = Session;
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", used.AccessJwt);
            var answer = await XrpcAnswer.SendAsync(_http, request, ct);
            if (renewed || !answer.IsExpiredAccess) return answer;
            await RenewSessionAsync(used, ct);
        }
    }

    private static BlueskySession SessionFrom(JsonNode? body, string pdsUrl, string appPassword)
    {
        string Required(string name) => body?[name]?.GetValue<string>() is { Length: > 0 } value
            ? value : throw new XrpcException(200, "InvalidResponse", $"The session has no {name}.", null);
        return new BlueskySession(pdsUrl, Required("did"), Required("handle"), Required("accessJwt"), Required("refreshJwt"), appPassword);
    }

    private static RecordRef? RecordFrom(JsonNode? body) =>
        body?["uri"]?.GetValue<string>() is { Length: > 0 } uri && body["cid"]?.GetValue<string>() is { Length: > 0 } cid
            ? new RecordRef(uri, cid) : null;

    private static Uri Xrpc(string pdsUrl, string method, params (string Name, string Value)[] query)
    {
        var address = new StringBuilder(pdsUrl.TrimEnd('/')).Append("/xrpc/").Append(method);
        for (var i = 0; i < query.Length; i++)
            address.Append(i == 0 ? '?' : '&').Append(query[i].Name).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        return new Uri(address.ToString());
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}

/// <summary>A record's strong reference: its at:// URI and the CID of its content (what a reply points to).</summary>
internal sealed record RecordRef(string Uri, string Cid)
{
    /// <summary>The record key, the last segment of <c>at://did/collection/rkey</c>.</summary>
    public string RecordKey => Uri[(Uri.LastIndexOf('/') + 1)..];
}

internal sealed record StoredRecord(RecordRef Ref, JsonObject Value);

/// <summary>An XRPC error answer: the HTTP status, the lexicon's error name and message, and when to come back (429).</summary>
internal sealed class XrpcException(int status, string? error, string? xrpcMessage, TimeSpan? retryAfter)
    : Exception($"{status} {error}: {xrpcMessage}")
{
    public int Status { get; } = status;
    public string? Error { get; } = error;
    public string? XrpcMessage { get; } = xrpcMessage;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Worth trying again later: rate limited, or the server failed.</summary>
    public bool IsTransient => Status is 408 or 429 || Status >= 500;
}

/// <summary>The PDS refused the refresh token and then the app password: the channel must be connected again.</summary>
internal sealed class BlueskyLoginRefusedException(XrpcException inner)
    : Exception("Bluesky refused the stored session and the app password.", inner)
{
    public XrpcException Refusal { get; } = inner;
}

/// <summary>One XRPC answer read in full: status, JSON body, error name and message, and the rate-limit wait.</summary>
internal sealed record XrpcAnswer(int Status, JsonNode? Body, string? Error, string? Message, TimeSpan? RetryAfter)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The access token expired (or is no longer valid): the PDS answers 400 (or 401) <c>ExpiredToken</c> / <c>InvalidToken</c>.</summary>
    public bool IsExpiredAccess => Status is 400 or 401 && Error is "ExpiredToken" or "InvalidToken";

    public void ThrowUnlessSuccess()
    {
        if (!IsSuccess) throw new XrpcException(Status, Error, Message, RetryAfter);
    }

    public static async Task<XrpcAnswer> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? body = null;
        try
        {
            if (text.Length > 0) body = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // An HTML error page from a proxy: the status says enough.
        }
        string? Field(string name) => body is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return new XrpcAnswer((int)response.StatusCode, body, Field("error"), Field("message"), RetryAfterOf(response));
    }

    /// <summary><c>Retry-After</c> (seconds or a date), else <c>RateLimit-Reset</c> / <c>X-RateLimit-Reset</c> (Unix seconds).</summary>
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var now = DateTimeOffset.UtcNow;
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta) return delta;
            if (retryAfter.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        }
        foreach (var name in new[] { "RateLimit-Reset", "X-RateLimit-Reset" })
        {
            if (response.Headers.TryGetValues(name, out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
            {
                // An epoch instant (as the PDS sends); a small number is a number of seconds.
                if (reset < 1_000_000_000) return TimeSpan.FromSeconds(reset);
                var at = DateTimeOffset.FromUnixTimeSeconds(reset);
                return at > now ? at - now : TimeSpan.Zero;
            }
        }
        return null;
    }
}
