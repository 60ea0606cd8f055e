using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Tests.Publishing.Mastodon;

/// <summary>A clock the test moves by hand, shared by the test server and the portal's Mastodon classes.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public TestClock() : this(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)) { }
    public override DateTimeOffset GetUtcNow() { lock (this) return _now; }
    public void Advance(TimeSpan by) { lock (this) _now += by; }
}

/// <summary>A fault the server plays once, on the next request that matches.</summary>
public abstract record MastodonFault
{
    /// <summary>Waits before answering normally.</summary>
    public sealed record Slow(TimeSpan Delay) : MastodonFault;

    /// <summary>Answers this status with Mastodon's error body, and <c>Retry-After</c> when given.</summary>
    public sealed record Error(int Status, string Message, TimeSpan? RetryAfter = null) : MastodonFault;

    /// <summary>Stores the status, then drops the connection without answering (the write went through).</summary>
    public sealed record AcceptThenDrop : MastodonFault;

    /// <summary>Drops the connection before doing anything (the write did not go through).</summary>
    public sealed record DropBeforeAccept : MastodonFault;
}

/// <summary>
/// A local Mastodon: a real Kestrel server on 127.0.0.1 speaking the parts of the REST API the portal uses, with the
/// semantics docs.joinmastodon.org and Mastodon's code give them — bearer tokens; apps, <c>/oauth/authorize</c>
/// (approves at once as <see cref="AuthorizingAccount"/>) and <c>/oauth/token</c>; <c>verify_credentials</c>;
/// <c>/api/v2/instance</c>; statuses with an <c>Idempotency-Key</c> kept per account for 3,600 s after the status
/// is created (checked before anything else, as PostStatusService does); <c>in_reply_to_id</c>; media v2 answering
/// 202 above <see cref="AsyncMediaThreshold"/> bytes and ready after <see cref="MediaPollsBeforeReady"/> polls of
/// <c>GET /api/v1/media/:id</c> (206 until then); the account's statuses, newest first; <c>X-RateLimit-*</c> headers
/// and 429 once <see cref="RateLimit"/> requests were made in 5 minutes. <see cref="Statuses"/> is the server's own
/// record of every status created, used to count duplicates. For listening (the inbox): statuses of other people
/// seeded with <see cref="SeedStatus"/> / <see cref="SeedBoost"/> / <see cref="SeedMention"/>, the hashtag timeline
/// (<c>any[]</c>, <c>all[]</c>, <c>none[]</c>, <c>max_id</c> / <c>since_id</c> / <c>min_id</c>, <c>limit</c> up to 40,
/// public, a token checked when sent) and mention notifications, both with Mastodon's <c>Link</c> header.
/// </summary>
public sealed partial class MastodonTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _lock = new();
    private readonly Dictionary<string, TestAccount> _tokens = [];
    private readonly List<TestAccount> _accounts = [];
    private readonly Dictionary<string, TestApp> _apps = [];
    private readonly Dictionary<string, (TestApp App, string RedirectUri, TestAccount Account)> _codes = [];
    private readonly List<TestStatus> _statuses = [];
    private readonly Dictionary<(string Account, string Key), (string StatusId, DateTimeOffset At)> _idempotency = [];
    private readonly Dictionary<string, TestMedia> _media = [];
    private readonly Dictionary<string, (DateTimeOffset Start, int Count)> _rate = [];
    private readonly List<(string Method, string Path, MastodonFault Fault, int After)> _faults = [];
    private readonly List<string> _requests = [];
    private long _nextId = 113_000_000_000_000_000;

    private MastodonTestServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        Clock = clock;
    }

    public Uri BaseAddress { get; private set; } = null!;
    public TimeProvider Clock { get; }
    public string Authority => BaseAddress.Authority;

    /// <summary>How long a status's idempotency key is kept (Mastodon: 3,600 s).</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromSeconds(3600);
    public int MaxCharacters { get; set; } = 500;
    public int CharactersReservedPerUrl { get; set; } = 23;
    public int MaxMediaAttachments { get; set; } = 4;
    public long ImageSizeLimit { get; set; } = 16_777_216;
    public long AsyncMediaThreshold { get; set; } = 64 * 1024;
    public int MediaPollsBeforeReady { get; set; } = 2;
    /// <summary>Requests per account per 5 minutes (Mastodon: 300).</summary>
    public int RateLimit { get; set; } = 300;
    /// <summary>Who approves on <c>/oauth/authorize</c> (the first account by default).</summary>
    public TestAccount? AuthorizingAccount { get; set; }

    /// <summary>Starts on <paramref name="port"/> (0: any free port; bench/PublishBench gives its own).</summary>
    public static async Task<MastodonTestServer> StartAsync(TimeProvider? clock = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new MastodonTestServer(app, clock ?? new TestClock());
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ---- what tests arrange and read

    public (TestAccount Account, string Token) AddAccount(string username)
    {
        lock (_lock)
        {
            var account = new TestAccount(NextId(), username);
            var token = NewSecret();
            _accounts.Add(account);
            _tokens[token] = account;
            AuthorizingAccount ??= account;
            return (account, token);
        }
    }

    /// <summary>
    /// The next request with this method and path (prefix) gets this fault; with <paramref name="after"/>, the one after
    /// that many such requests went through normally (the second part of a thread: after 1).
    /// </summary>
    public void FailNext(string method, string pathPrefix, MastodonFault fault, int after = 0)
    {
        lock (_lock) _faults.Add((method, pathPrefix, fault, after));
    }

    /// <summary>Every status created, in creation order: the server's own record.</summary>
    public IReadOnlyList<TestStatus> Statuses { get { lock (_lock) return [.. _statuses]; } }

    public IReadOnlyList<TestMedia> Media { get { lock (_lock) return [.. _media.Values]; } }

    public IReadOnlyList<TestApp> Apps { get { lock (_lock) return [.. _apps.Values]; } }

    /// <summary>"POST /api/v1/statuses" and so on, in the order received.</summary>
    public IReadOnlyList<string> Requests { get { lock (_lock) return [.. _requests]; } }

    public int Count(string request) => Requests.Count(r => r == request);

    // ---- the API

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            MastodonFault? fault;
            lock (_lock)
            {
                _requests.Add($"{context.Request.Method} {Regex.Replace(path, @"/\d+", "/:id")}");
                var index = _faults.FindIndex(f => f.Method == context.Request.Method && path.StartsWith(f.Path, StringComparison.Ordinal));
                fault = index >= 0 && _faults[index].After == 0 ? _faults[index].Fault : null;
                if (index >= 0 && _faults[index].After > 0) _faults[index] = _faults[index] with { After = _faults[index].After - 1 };
                else if (index >= 0) _faults.RemoveAt(index);
            }
            switch (fault)
            {
                case MastodonFault.Slow slow:
                    await Task.Delay(slow.Delay, context.RequestAborted).ContinueWith(_ => { });
                    break;
                case MastodonFault.Error error:
                    if (error.RetryAfter is { } after) context.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    await WriteError(context, error.Status, error.Message);
                    return;
                case MastodonFault.DropBeforeAccept:
                    context.Abort();
                    return;
                case MastodonFault.AcceptThenDrop:
                    context.Items["drop"] = true;
                    break;
            }
            await next();
        });

        app.MapPost("/api/v1/apps", CreateApp);
        app.MapGet("/oauth/authorize", Authorize);
        app.MapPost("/oauth/token", Token);
        app.MapGet("/api/v1/accounts/verify_credentials", context => Authenticated(context, (_, account) =>
            Json(context, 200, AccountJson(account))));
        app.MapGet("/api/v2/instance", InstanceJson);
        app.MapPost("/api/v1/statuses", context => Authenticated(context, PostStatus));
        app.MapPost("/api/v2/media", context => Authenticated(context, UploadMedia));
        app.MapGet("/api/v1/media/{id}", context => Authenticated(context, GetMedia));
        app.MapGet("/api/v1/accounts/{id}/statuses", context => Authenticated(context, AccountStatuses));
        app.MapGet("/api/v1/timelines/tag/{hashtag}", TagTimeline);
        app.MapGet("/api/v1/notifications", context => Authenticated(context, Notifications));
        app.MapGet("/api/v2/search", context => Authenticated(context, Search));
    }

    private async Task CreateApp(HttpContext context)
    {
        string? name = null, scopes = null;
        var redirects = new List<string>();
        if (context.Request.HasJsonContentType())
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            name = (string?)body?["client_name"];
            scopes = (string?)body?["scopes"];
            if (body?["redirect_uris"] is JsonArray array) redirects.AddRange(array.Select(n => (string)n!));
            else if (body?["redirect_uris"] is JsonValue one) redirects.Add((string)one!);
        }
        else
        {
            var form = await context.Request.ReadFormAsync();
            name = form["client_name"]; scopes = form["scopes"];
            redirects.AddRange(form["redirect_uris"].Where(v => v is not null).SelectMany(v => v!.Split('\n')));
        }
        if (string.IsNullOrWhiteSpace(name)) { await WriteError(context, 422, "Validation failed: Application name can't be blank"); return; }
        if (redirects.Count == 0 || redirects.Any(r => r != "urn:ietf:wg:oauth:2.0:oob" && !Uri.TryCreate(r, UriKind.Absolute, out _)))
        {
            await WriteError(context, 422, "Validation failed: Redirect URI must be an absolute URI.");
            return;
        }
        TestApp app;
        lock (_lock)
        {
            app = new TestApp(NextId(), name, NewSecret(), NewSecret(), redirects, (scopes ?? "read").Split(' ', StringSplitOptions.RemoveEmptyEntries));
            _apps[app.ClientId] = app;
        }
        await Json(context, 200, new
        {
            id = app.Id, name = app.Name, website = (string?)null, scopes = app.Scopes, redirect_uri = string.Join('\n', app.RedirectUris),
            redirect_uris = app.RedirectUris, client_id = app.ClientId, client_secret = app.ClientSecret, client_secret_expires_at = 0,
        });
    }

    /// <summary>The authorization page, approved at once by <see cref="AuthorizingAccount"/>: redirects with the code and the state.</summary>
    private async Task Authorize(HttpContext context)
    {
        var q = context.Request.Query;
        TestApp? app;
        lock (_lock) app = _apps.GetValueOrDefault(q["client_id"].ToString());
        var redirect = q["redirect_uri"].ToString();
        var scopes = (q["scope"].ToString() is { Length: > 0 } s ? s : "read").Split(' ', '+');
        if (q["response_type"] != "code" || app is null || !app.RedirectUris.Contains(redirect) || scopes.Except(app.Scopes).Any()
            || AuthorizingAccount is null)
        {
            await Json(context, 400, new { error = "invalid_request", error_description = "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed." });
            return;
        }
        var code = NewSecret();
        lock (_lock) _codes[code] = (app, redirect, AuthorizingAccount);
        var target = redirect + (redirect.Contains('?') ? "&" : "?") + "code=" + Uri.EscapeDataString(code);
        if (q.ContainsKey("state")) target += "&state=" + Uri.EscapeDataString(q["state"].ToString());
        context.Response.Redirect(target);
    }

    private async Task Token(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        TestApp? app;
        lock (_lock) app = _apps.GetValueOrDefault(form["client_id"].ToString());
        if (app is null || app.ClientSecret != form["client_secret"])
        {
            await Json(context, 401, new { error = "invalid_client", error_description = "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method." });
            return;
        }
        (TestApp App, string RedirectUri, TestAccount Account) grant;
        lock (_lock)
        {
            if (form["grant_type"] != "authorization_code" || !_codes.Remove(form["code"].ToString(), out grant)
                || grant.App != app || grant.RedirectUri != form["redirect_uri"])
                grant = default;
        }
        if (grant.App is null)
        {
            await Json(context, 400, new { error = "invalid_grant", error_description = "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client." });
            return;
        }
        var token = NewSecret();
        lock (_lock) _tokens[token] = grant.Account!; // set with App (checked above)
        await Json(context, 200, new { access_token = token, token_type = "Bearer", scope = string.Join(' ', app.Scopes), created_at = Clock.GetUtcNow().ToUnixTimeSeconds() });
    }

    private Task InstanceJson(HttpContext context) => Json(context, 200, new
    {
        domain = Authority, title = "Test Mastodon", version = "4.5.0", source_url = "https://github.com/mastodon/mastodon",
        configuration = new
        {
            statuses = new { max_characters = MaxCharacters, max_media_attachments = MaxMediaAttachments, characters_reserved_per_url = CharactersReservedPerUrl },
            media_attachments = new
            {
                description_limit = 1500, image_size_limit = ImageSizeLimit, image_matrix_limit = 33177600,
                supported_mime_types = new[] { "image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4" },
            },
        },
    });

    private async Task PostStatus(HttpContext context, TestAccount account)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var now = Clock.GetUtcNow();
        // As PostStatusService: a key seen for this account within the retention answers the status already made.
        TestStatus? known = null;
        lock (_lock)
        {
            if (key.Length > 0 && _idempotency.TryGetValue((account.Id, key), out var seen) && now - seen.At < IdempotencyRetention)
                known = _statuses.First(st => st.Id == seen.StatusId);
        }
        if (known is not null) { await Json(context, 200, StatusJson(known)); return; }

        var form = await context.Request.ReadFormAsync();
        var text = form["status"].ToString();
        var mediaIds = form["media_ids[]"].Select(v => v!).ToList();
        var replyTo = form["in_reply_to_id"].ToString() is { Length: > 0 } r ? r : null;
        var visibility = form["visibility"].ToString() is { Length: > 0 } v ? v : "public";
        if (text.Length == 0 && mediaIds.Count == 0) { await WriteError(context, 422, "Validation failed: Text can't be blank"); return; }
        if (Length(text) > MaxCharacters) { await WriteError(context, 422, $"Validation failed: Text character limit of {MaxCharacters} exceeded"); return; }
        if (visibility is not ("public" or "unlisted" or "private" or "direct")) { await WriteError(context, 422, "Validation failed: Visibility is not included in the list"); return; }
        if (mediaIds.Count > MaxMediaAttachments) { await WriteError(context, 422, "Validation failed: Media attachments are too many"); return; }
        TestStatus? status = null;
        (int Code, string Message)? refusal = null;
        lock (_lock)
        {
            var media = mediaIds.Select(id => _media.GetValueOrDefault(id)).ToList();
            if (replyTo is not null && _statuses.All(st => st.Id != replyTo) && _seeded.All(st => st.Id != replyTo)) refusal = (404, "Record not found");
            else if (media.Any(m => m is null || m.Account != account.Id)) refusal = (404, "Record not found");
            else if (media.Any(m => m!.PollsLeft > 0)) refusal = (422, "Cannot attach files that have not finished processing. Try again in a moment!");
            else
            {
                status = new TestStatus(NextId(), account, text, replyTo, media!, visibility,
                    form["language"].ToString() is { Length: > 0 } l ? l : null, form["spoiler_text"].ToString() is { Length: > 0 } sp ? sp : null,
                    form["sensitive"] == "true", now, key);
                _statuses.Add(status);
                if (key.Length > 0) _idempotency[(account.Id, key)] = (status.Id, now);
            }
        }
        if (refusal is { } r2) { await WriteError(context, r2.Code, r2.Message); return; }
        if (context.Items.ContainsKey("drop")) { context.Abort(); return; }
        await Json(context, 200, StatusJson(status!));
    }

    private async Task UploadMedia(HttpContext context, TestAccount account)
    {
        var form = await context.Request.ReadFormAsync();
        var file = form.Files["file"];
        if (file is null) { await WriteError(context, 422, "Validation failed: File can't be blank"); return; }
        if (file.ContentType is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp" or "video/mp4"))
        { await WriteError(context, 422, "Validation failed: File content type is invalid, File is invalid"); return; }
        if (file.Length > ImageSizeLimit) { await WriteError(context, 422, $"Validation failed: File file size must be less than {ImageSizeLimit / 1048576} MB"); return; }
        var processing = file.Length > AsyncMediaThreshold;
        TestMedia media;
        lock (_lock)
        {
            media = new TestMedia(NextId(), account.Id, file.FileName, file.ContentType, file.Length, form["description"].ToString())
            { PollsLeft = processing ? MediaPollsBeforeReady : 0 };
            _media[media.Id] = media;
        }
        await Json(context, processing ? 202 : 200, MediaJson(media));
    }

    private async Task GetMedia(HttpContext context, TestAccount account)
    {
        var id = context.Request.RouteValues["id"]?.ToString() ?? "";
        TestMedia? media;
        lock (_lock)
        {
            media = _media.GetValueOrDefault(id);
            // Ready on the MediaPollsBeforeReady-th poll: 206 (no body) until then.
            if (media is not null && media.Account == account.Id && media.PollsLeft > 0 && --media.PollsLeft > 0)
                context.Response.StatusCode = 206;
        }
        if (media is null || media.Account != account.Id) { await WriteError(context, 404, "Record not found"); return; }
        if (context.Response.StatusCode == 206) { await context.Response.WriteAsync(""); return; }
        await Json(context, 200, MediaJson(media));
    }

    private async Task AccountStatuses(HttpContext context, TestAccount account)
    {
        var id = context.Request.RouteValues["id"]?.ToString();
        var q = context.Request.Query;
        var limit = Math.Clamp(int.TryParse(q["limit"], out var l) ? l : 20, 1, 40);
        List<TestStatus> list;
        lock (_lock)
        {
            if (_accounts.All(a => a.Id != id)) list = null!;
            else
            {
                IEnumerable<TestStatus> query = _statuses.Where(st => st.Account.Id == id).OrderByDescending(st => long.Parse(st.Id, CultureInfo.InvariantCulture));
                if (long.TryParse(q["max_id"], out var max)) query = query.Where(st => long.Parse(st.Id, CultureInfo.InvariantCulture) < max);
                if (long.TryParse(q["since_id"], out var since)) query = query.Where(st => long.Parse(st.Id, CultureInfo.InvariantCulture) > since);
                list = [.. query.Take(limit)];
            }
        }
        if (list is null) { await WriteError(context, 404, "Record not found"); return; }
        await Json(context, 200, list.Select(StatusJson).ToList());
    }

    /// <summary>Bearer token → account; counts the request against the account's rate limit (300 per 5 minutes).</summary>
    // ---- listening: statuses of other people, the hashtag timeline, mention notifications

    private readonly List<SeededStatus> _seeded = [];
    private readonly List<(string Id, TestAccount Account, string Type, SeededStatus Status)> _notifications = [];
    private readonly List<(string PathAndQuery, string? Authorization)> _listened = [];

    /// <summary>The hashtag timeline and notifications requests, with their query and Authorization header, in order.</summary>
    public IReadOnlyList<(string PathAndQuery, string? Authorization)> ListeningRequests { get { lock (_lock) return [.. _listened]; } }

    /// <summary>A status by someone else (<paramref name="acct"/> "lea@piaille.fr", or local "lea"), with its HTML as Mastodon renders it.</summary>
    public SeededStatus SeedStatus(
        string acct, string html, IEnumerable<string> tags, string? language = "fr", string? inReplyToId = null,
        string? displayName = null, int followers = 0, DateTimeOffset? createdAt = null)
    {
        lock (_lock)
        {
            var status = new SeededStatus(NextId(), acct, displayName ?? acct.Split('@')[0], followers, html, [.. tags.Select(t => t.ToLowerInvariant())],
                language, inReplyToId, createdAt ?? Clock.GetUtcNow(), null);
            _seeded.Add(status);
            return status;
        }
    }

    /// <summary><paramref name="acct"/> boosts a seeded status: a new timeline entry whose <c>reblog</c> is the original.</summary>
    public SeededStatus SeedBoost(string acct, SeededStatus original)
    {
        lock (_lock)
        {
            var boost = original with { Id = NextId(), Acct = acct, DisplayName = acct.Split('@')[0], Html = "", Reblog = original, CreatedAt = Clock.GetUtcNow() };
            _seeded.Add(boost);
            return boost;
        }
    }

    /// <summary>A notification of type <paramref name="type"/> ("mention", "favourite"…) to <paramref name="account"/> about a seeded status.</summary>
    public string SeedNotification(TestAccount account, SeededStatus status, string type = "mention")
    {
        lock (_lock)
        {
            var id = NextId();
            _notifications.Add((id, account, type, status));
            return id;
        }
    }

    public string SeedMention(TestAccount account, SeededStatus status) => SeedNotification(account, status);

    private async Task TagTimeline(HttpContext context)
    {
        lock (_lock) _listened.Add((context.Request.Path + context.Request.QueryString, Header(context)));
        // Public on this instance; a token sent must still be valid (Mastodon authenticates it when present).
        if (Header(context) is { } header)
        {
            bool known;
            lock (_lock) known = header.StartsWith("Bearer ", StringComparison.Ordinal) && _tokens.ContainsKey(header[7..]);
            if (!known) { await WriteError(context, 401, "The access token is invalid"); return; }
        }
        var q = context.Request.Query;
        var hashtag = context.Request.RouteValues["hashtag"]!.ToString()!.ToLowerInvariant();
        var any = q["any[]"].Select(t => t!.ToLowerInvariant()).Append(hashtag).ToHashSet();
        var all = q["all[]"].Select(t => t!.ToLowerInvariant()).ToList();
        var none = q["none[]"].Select(t => t!.ToLowerInvariant()).ToList();
        List<SeededStatus> candidates;
        lock (_lock) candidates = [.. _seeded.Where(st =>
        {
            var tags = (st.Reblog ?? st).Tags;
            return tags.Any(any.Contains) && all.All(tags.Contains) && !none.Any(tags.Contains);
        })];
        var page = Page(q, candidates.Select(st => (st.Id, st)), 20, 40);
        SetLink(context, page.Select(p => p.Id).ToList());
        await Json(context, 200, page.Select(p => SeededJson(p.Item)).ToList());
    }

    private async Task Notifications(HttpContext context, TestAccount account)
    {
        lock (_lock) _listened.Add((context.Request.Path + context.Request.QueryString, Header(context)));
        var q = context.Request.Query;
        var types = q["types[]"].Select(t => t!).ToList();
        List<(string Id, (string Type, SeededStatus Status) Item)> mine;
        lock (_lock) mine = [.. _notifications.Where(n => n.Account.Id == account.Id && (types.Count == 0 || types.Contains(n.Type)))
            .Select(n => (n.Id, (n.Type, n.Status)))];
        var page = Page(q, mine, 40, 80);
        SetLink(context, page.Select(p => p.Id).ToList());
        await Json(context, 200, page.Select(p => (object)new
        {
            id = p.Id, type = p.Item.Type, created_at = Iso(p.Item.Status.CreatedAt), account = SeededAccountJson(p.Item.Status),
            status = SeededJson(p.Item.Status),
        }).ToList());
    }

    /// <summary>
    /// Mastodon's paging: newest first; <c>max_id</c> (older than), <c>since_id</c> (newer than, from the newest),
    /// <c>min_id</c> (the page just newer than it: the oldest ones after it, still answered newest first).
    /// </summary>
    private static List<(string Id, T Item)> Page<T>(IQueryCollection q, IEnumerable<(string Id, T Item)> all, int defaultLimit, int maxLimit)
    {
        var limit = Math.Clamp(int.TryParse(q["limit"], out var l) ? l : defaultLimit, 1, maxLimit);
        static long N(string id) => long.Parse(id, CultureInfo.InvariantCulture);
        var query = all;
        if (long.TryParse(q["max_id"], out var max)) query = query.Where(e => N(e.Id) < max);
        if (long.TryParse(q["since_id"], out var since)) query = query.Where(e => N(e.Id) > since);
        if (long.TryParse(q["min_id"], out var min))
            return [.. query.Where(e => N(e.Id) > min).OrderBy(e => N(e.Id)).Take(limit).OrderByDescending(e => N(e.Id))];
        return [.. query.OrderByDescending(e => N(e.Id)).Take(limit)];
    }

    /// <summary><c>Link: &lt;…max_id=oldest&gt;; rel="next", &lt;…min_id=newest&gt;; rel="prev"</c>, keeping the other parameters.</summary>
    private void SetLink(HttpContext context, List<string> ids)
    {
        if (ids.Count == 0) return;
        var kept = context.Request.Query.Where(p => p.Key is not ("max_id" or "min_id" or "since_id"))
            .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v!)}")).ToList();
        string Address(string name, string id) =>
            $"{BaseAddress.ToString().TrimEnd('/')}{context.Request.Path}?{string.Join('&', kept.Append($"{name}={id}"))}";
        context.Response.Headers["Link"] = $"<{Address("max_id", ids[^1])}>; rel=\"next\", <{Address("min_id", ids[0])}>; rel=\"prev\"";
    }

    /// <summary>
    /// <c>GET /api/v2/search?q=&lt;url&gt;&amp;resolve=true&amp;type=statuses</c>: a seeded status by its address (url or uri),
    /// under this instance's id; <see cref="RemoteStatuses"/> are statuses of other instances this one fetches on resolve.
    /// </summary>
    private async Task Search(HttpContext context, TestAccount account)
    {
        var q = context.Request.Query["q"].ToString();
        var resolve = context.Request.Query["resolve"] == "true";
        SeededStatus? found;
        lock (_lock)
        {
            found = _seeded.FirstOrDefault(st => st.Reblog is null && (SeededUrl(st) == q || SeededUri(st) == q));
            if (found is null && resolve && RemoteStatuses.TryGetValue(q, out var remote))
            {
                found = remote with { Id = NextId() };
                _seeded.Add(found);
                RemoteStatuses.Remove(q);
            }
        }
        await Json(context, 200, new { accounts = Array.Empty<object>(), hashtags = Array.Empty<object>(),
            statuses = found is null ? [] : new[] { SeededJson(found) } });
    }

    /// <summary>Statuses of other instances, by address, that a resolving search fetches (and then knows under a new id).</summary>
    public Dictionary<string, SeededStatus> RemoteStatuses { get; } = [];

    private string SeededUrl(SeededStatus s) => $"https://{Domain(s)}/@{User(s)}/{s.Id}";
    private string SeededUri(SeededStatus s) => $"https://{Domain(s)}/users/{User(s)}/statuses/{s.Id}";

    private object SeededJson(SeededStatus s) => new
    {
        id = s.Id, created_at = Iso(s.CreatedAt), in_reply_to_id = s.InReplyToId, sensitive = false, spoiler_text = "", visibility = "public",
        language = s.Reblog is null ? s.Language : null, uri = $"https://{Domain(s)}/users/{User(s)}/statuses/{s.Id}",
        url = s.Reblog is null ? $"https://{Domain(s)}/@{User(s)}/{s.Id}" : null, content = s.Html,
        tags = s.Tags.Select(t => new { name = t, url = $"{BaseAddress}tags/{t}" }).ToList(), account = SeededAccountJson(s),
        reblog = s.Reblog is null ? null : SeededJson(s.Reblog), media_attachments = Array.Empty<object>(),
    };

    private object SeededAccountJson(SeededStatus s) => new
    {
        id = "1" + Math.Abs(s.Acct.GetHashCode()).ToString(CultureInfo.InvariantCulture), username = User(s), acct = s.Acct,
        display_name = s.DisplayName, url = $"https://{Domain(s)}/@{User(s)}", followers_count = s.Followers,
    };

    private string Domain(SeededStatus s) => s.Acct.Contains('@') ? s.Acct.Split('@')[1] : BaseAddress.Authority;
    private static string User(SeededStatus s) => s.Acct.Split('@')[0];
    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    private static string? Header(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { Length: > 0 } header ? header : null;

    private async Task Authenticated(HttpContext context, Func<HttpContext, TestAccount, Task> handle)
    {
        var header = context.Request.Headers.Authorization.ToString();
        TestAccount? account = null;
        lock (_lock)
        {
            if (header.StartsWith("Bearer ", StringComparison.Ordinal)) account = _tokens.GetValueOrDefault(header[7..]);
        }
        if (account is null) { await WriteError(context, 401, "The access token is invalid"); return; }
        var now = Clock.GetUtcNow();
        int count;
        DateTimeOffset reset;
        lock (_lock)
        {
            var window = _rate.GetValueOrDefault(account.Id);
            if (window.Count == 0 || now - window.Start >= TimeSpan.FromMinutes(5)) window = (now, 0);
            window.Count++;
            _rate[account.Id] = window;
            count = window.Count;
            reset = window.Start.AddMinutes(5);
        }
        context.Response.Headers["X-RateLimit-Limit"] = RateLimit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = Math.Max(0, RateLimit - count).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Reset"] = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        if (count > RateLimit)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling((reset - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await WriteError(context, 429, "Too many requests");
            return;
        }
        await handle(context, account);
    }

    // ---- entities as Mastodon writes them

    private object AccountJson(TestAccount a) => new
    {
        id = a.Id, username = a.Username, acct = a.Username, display_name = a.Username, locked = false, bot = false,
        url = $"{BaseAddress}@{a.Username}", note = "", followers_count = 0, following_count = 0,
    };

    private object StatusJson(TestStatus s) => new
    {
        id = s.Id, created_at = s.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        in_reply_to_id = s.InReplyToId, in_reply_to_account_id = s.InReplyToId is null ? null : s.Account.Id,
        sensitive = s.Sensitive, spoiler_text = s.SpoilerText ?? "", visibility = s.Visibility, language = s.Language,
        uri = $"{BaseAddress}users/{s.Account.Username}/statuses/{s.Id}", url = $"{BaseAddress}@{s.Account.Username}/{s.Id}",
        content = Render(s.Text), media_attachments = s.Media.Select(MediaJson).ToList(), account = AccountJson(s.Account),
    };

    private object MediaJson(TestMedia m) => new
    {
        id = m.Id, type = m.ContentType.StartsWith("video", StringComparison.Ordinal) ? "video" : "image",
        url = m.PollsLeft > 0 ? null : $"{BaseAddress}system/media_attachments/{m.Id}/original/{m.FileName}",
        preview_url = $"{BaseAddress}system/media_attachments/{m.Id}/small/{m.FileName}", description = m.Description,
    };

    /// <summary>Status text as Mastodon's formatter renders it: paragraphs, line breaks, escaped text, links with hidden spans.</summary>
    internal static string Render(string text)
    {
        var paragraphs = Regex.Split(text.Replace("\r\n", "\n").Trim(), @"\n{2,}")
            .Select(p => string.Join("<br />", p.Split('\n').Select(RenderLine)));
        return string.Concat(paragraphs.Select(p => $"<p>{p}</p>"));
    }

    private static string RenderLine(string line)
    {
        var html = new StringBuilder();
        var last = 0;
        foreach (Match m in UrlPattern().Matches(line))
        {
            html.Append(WebUtility.HtmlEncode(line[last..m.Index]));
            var url = m.Value;
            var scheme = url[..(url.IndexOf("://", StringComparison.Ordinal) + 3)];
            var rest = url[scheme.Length..];
            var shown = rest.Length > 30 ? rest[..30] : rest;
            html.Append($"<a href=\"{WebUtility.HtmlEncode(url)}\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\">")
                .Append($"<span class=\"invisible\">{scheme}</span><span class=\"{(rest.Length > 30 ? "ellipsis" : "")}\">{WebUtility.HtmlEncode(shown)}</span>")
                .Append($"<span class=\"invisible\">{WebUtility.HtmlEncode(rest[shown.Length..])}</span></a>");
            last = m.Index + m.Length;
        }
        html.Append(WebUtility.HtmlEncode(line[last..]));
        return html.ToString();
    }

    /// <summary>Mastodon's count: characters (graphemes), each URL as <see cref="CharactersReservedPerUrl"/>.</summary>
    private int Length(string text)
    {
        var urls = UrlPattern().Matches(text);
        var withoutUrls = UrlPattern().Replace(text, "");
        return new StringInfo(withoutUrls).LengthInTextElements + urls.Count * CharactersReservedPerUrl;
    }

    private static async Task WriteError(HttpContext context, int status, string message) =>
        await Json(context, status, new { error = message });

    private static Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, body.GetType(), JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = null };

    private string NextId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    [GeneratedRegex(@"https?://[^\s<>""]+[^\s<>"".,;:!?)]")]
    private static partial Regex UrlPattern();
}

public sealed record TestAccount(string Id, string Username);

public sealed record TestApp(string Id, string Name, string ClientId, string ClientSecret, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> Scopes);

public sealed record TestMedia(string Id, string Account, string FileName, string ContentType, long Length, string Description)
{
    public int PollsLeft { get; set; }
}

public sealed record TestStatus(
    string Id, TestAccount Account, string Text, string? InReplyToId, IReadOnlyList<TestMedia> Media, string Visibility,
    string? Language, string? SpoilerText, bool Sensitive, DateTimeOffset CreatedAt, string IdempotencyKey);

/// <summary>A status by someone else, seeded for listening; a boost carries the original in <see cref="Reblog"/>.</summary>
public sealed record SeededStatus(
    string Id, string Acct, string DisplayName, int Followers, string Html, IReadOnlyList<string> Tags, string? Language,
    string? InReplyToId, DateTimeOffset CreatedAt, SeededStatus? Reblog);
