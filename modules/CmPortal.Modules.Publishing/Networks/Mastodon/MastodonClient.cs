using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmPortal.Modules.Publishing.Networks.Mastodon;

/// <summary>
/// Typed calls to one Mastodon instance's REST API, as documented at docs.joinmastodon.org (methods/statuses, media,
/// apps, oauth, instance, accounts). Uses the named HttpClient "mastodon" (30 s timeout, no automatic retries: the
/// outbox decides when to try again). Every failure becomes a <see cref="MastodonException"/> that says what the
/// outbox should do; tokens, codes and request bodies are never put in a message.
/// </summary>
internal sealed class MastodonClient(IHttpClientFactory factory, TimeProvider time)
{
    public const string HttpClientName = "mastodon";

    /// <summary>How often <c>GET /api/v1/media/:id</c> is asked while a 202 upload is processing.</summary>
    public TimeSpan MediaPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an upload may process before the attempt gives up (retried later, same delivery key).</summary>
    public TimeSpan MediaMaxWait { get; init; } = TimeSpan.FromSeconds(60);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><c>GET /api/v1/accounts/verify_credentials</c>: the account the token belongs to.</summary>
    public Task<MastodonAccount> VerifyCredentialsAsync(Uri instance, string token, CancellationToken ct) =>
        SendAsync<MastodonAccount>(instance, HttpMethod.Get, "api/v1/accounts/verify_credentials", token, null, null, false, ct);

    /// <summary><c>GET /api/v2/instance</c> (public): the server's limits.</summary>
    public Task<MastodonInstance> InstanceAsync(Uri instance, CancellationToken ct) =>
        SendAsync<MastodonInstance>(instance, HttpMethod.Get, "api/v2/instance", null, null, null, false, ct);

    /// <summary>
    /// <c>POST /api/v1/statuses</c> with <c>Idempotency-Key</c>: Mastodon keeps the key per account for an hour
    /// after the status is created and answers the same status to a repeat. A write that may have reached the
    /// server without an answer is <see cref="MastodonFailure.Unknown"/>.
    /// </summary>
    public Task<MastodonStatus> PostStatusAsync(Uri instance, string token, NewStatus status, string idempotencyKey, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("status", status.Text) };
        form.AddRange(status.MediaIds.Select(id => new KeyValuePair<string, string>("media_ids[]", id)));
        if (status.InReplyToId is not null) form.Add(new("in_reply_to_id", status.InReplyToId));
        if (status.Visibility is not null) form.Add(new("visibility", status.Visibility));
        if (status.Language is not null) form.Add(new("language", status.Language));
        if (!string.IsNullOrEmpty(status.SpoilerText)) form.Add(new("spoiler_text", status.SpoilerText));
        if (status.Sensitive) form.Add(new("sensitive", "true"));
        return SendAsync<MastodonStatus>(instance, HttpMethod.Post, "api/v1/statuses", token, new FormUrlEncodedContent(form),
            request => request.Headers.Add("Idempotency-Key", idempotencyKey), write: true, ct);
    }

    /// <summary>
    /// <c>POST /api/v2/media</c> (multipart <c>file</c> + <c>description</c>): 200 when processed at once, 202 while
    /// processing; then <c>GET /api/v1/media/:id</c> (206 while processing) until it has a <c>url</c>, at most
    /// <see cref="MediaMaxWait"/>.
    /// </summary>
    public async Task<MastodonMedia> UploadMediaAsync(
        Uri instance, string token, byte[] bytes, string fileName, string contentType, string? description, CancellationToken ct)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        if (!string.IsNullOrWhiteSpace(description)) form.Add(new StringContent(description), "description");
        // An upload with no answer is retried as a new upload: an unattached attachment is harmless (the server
        // removes it), unlike a status, so it is not "unknown".
        var media = await SendAsync<MastodonMedia>(instance, HttpMethod.Post, "api/v2/media", token, form, null, false, ct);
        for (var waited = TimeSpan.Zero; media.Url is null; waited += MediaPollInterval)
        {
            if (waited >= MediaMaxWait)
                throw new MastodonException(MastodonFailure.Unavailable, "The instance is still processing the image.", null);
            await Task.Delay(MediaPollInterval, ct);
            media = await SendAsync<MastodonMedia?>(instance, HttpMethod.Get, $"api/v1/media/{Uri.EscapeDataString(media.Id)}", token,
                null, null, false, ct, acceptPartial: true) ?? media;
        }
        return media;
    }

    /// <summary><c>GET /api/v1/accounts/:id/statuses</c>, newest first, older than <paramref name="maxId"/> when given (max 40).</summary>
    public Task<MastodonStatus[]> AccountStatusesAsync(Uri instance, string token, string accountId, string? maxId, int limit, CancellationToken ct)
    {
        var query = $"api/v1/accounts/{Uri.EscapeDataString(accountId)}/statuses?limit={limit}";
        if (maxId is not null) query += "&max_id=" + Uri.EscapeDataString(maxId);
        return SendAsync<MastodonStatus[]>(instance, HttpMethod.Get, query, token, null, null, false, ct);
    }

    /// <summary>
    /// <c>GET /api/v2/search?q=…&amp;resolve=true&amp;type=statuses</c>: the status at an address, as this instance knows it
    /// (resolved from its home instance when this one has not seen it yet).
    /// </summary>
    public async Task<MastodonStatus[]> SearchStatusesAsync(Uri instance, string token, string address, CancellationToken ct)
    {
        var found = await SendAsync<MastodonSearch>(instance, HttpMethod.Get,
            "api/v2/search?q=" + Uri.EscapeDataString(address) + "&resolve=true&type=statuses&limit=1", token, null, null, false, ct);
        return found.Statuses ?? [];
    }

    /// <summary><c>POST /api/v1/apps</c>: registers the portal as an OAuth application of the instance.</summary>
    public Task<MastodonApplication> RegisterAppAsync(
        Uri instance, string clientName, string redirectUri, string scopes, string? website, CancellationToken ct)
    {
        var body = JsonContent(new { client_name = clientName, redirect_uris = new[] { redirectUri }, scopes, website });
        return SendAsync<MastodonApplication>(instance, HttpMethod.Post, "api/v1/apps", null, body, null, false, ct);
    }

    /// <summary>The address of the instance's <c>GET /oauth/authorize</c> page for this application.</summary>
    public static Uri AuthorizeUrl(Uri instance, string clientId, string redirectUri, string scopes, string state, string? language)
    {
        var query = new List<string>
        {
            "response_type=code",
            "client_id=" + Uri.EscapeDataString(clientId),
            "redirect_uri=" + Uri.EscapeDataString(redirectUri),
            "scope=" + Uri.EscapeDataString(scopes),
            "state=" + Uri.EscapeDataString(state),
        };
        if (language is not null) query.Add("lang=" + Uri.EscapeDataString(language));
        return new Uri(instance, "oauth/authorize?" + string.Join('&', query));
    }

    /// <summary><c>POST /oauth/token</c> with <c>grant_type=authorization_code</c>: the user's access token.</summary>
    public Task<MastodonToken> ExchangeCodeAsync(
        Uri instance, string clientId, string clientSecret, string redirectUri, string code, string scopes, CancellationToken ct)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = clientId,
            ["client_secret"] = clientSecret, ["redirect_uri"] = redirectUri, ["scope"] = scopes,
        });
        return SendAsync<MastodonToken>(instance, HttpMethod.Post, "oauth/token", null, form, null, false, ct);
    }

    private static StringContent JsonContent<T>(T value) =>
        new(JsonSerializer.Serialize(value, Json), System.Text.Encoding.UTF8, "application/json");

    private async Task<T> SendAsync<T>(
        Uri instance, HttpMethod method, string path, string? token, HttpContent? content, Action<HttpRequestMessage>? prepare,
        bool write, CancellationToken ct, bool acceptPartial = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(instance, path)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        prepare?.Invoke(request);
        var http = factory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The client's timeout: the request was sent, the answer never came.
            throw new MastodonException(write ? MastodonFailure.Unknown : MastodonFailure.Unavailable,
                "The instance did not answer in time.", null);
        }
        catch (HttpRequestException e)
        {
            throw new MastodonException(write && MayHaveBeenSent(e) ? MastodonFailure.Unknown : MastodonFailure.Unavailable,
                e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                    ? "The instance cannot be reached." : "The connection to the instance was lost.", null);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            // 206: the media is still processing; the caller keeps what it had.
            if (acceptPartial && response.StatusCode == HttpStatusCode.PartialContent) return default!;
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return JsonSerializer.Deserialize<T>(body, Json)
                        ?? throw new MastodonException(MastodonFailure.Unavailable, "The instance gave an empty answer.", status);
                }
                catch (JsonException)
                {
                    // Not Mastodon's JSON (a captive portal, a proxy page): for a write, it may have gone through.
                    throw new MastodonException(write ? MastodonFailure.Unknown : MastodonFailure.Unavailable,
                        "The instance's answer is not Mastodon's.", status);
                }
            }
            var message = ErrorMessage(body);
            throw status switch
            {
                401 or 403 => new MastodonException(MastodonFailure.TokenRefused, message ?? "The access token was refused.", status),
                429 => new MastodonException(MastodonFailure.RateLimited, message ?? "Too many requests.", status, RetryAfter(response)),
                // 504: a proxy gave up waiting for Mastodon, which may still have written the status.
                504 when write => new MastodonException(MastodonFailure.Unknown, message ?? "The instance did not answer in time.", status),
                >= 500 or 408 => new MastodonException(MastodonFailure.Unavailable, message ?? $"The instance answered {status}.", status,
                    RetryAfter(response)),
                404 => new MastodonException(MastodonFailure.NotFound, message ?? "Not found.", status),
                _ => new MastodonException(MastodonFailure.Refused, message ?? $"The instance answered {status}.", status),
            };
        }
    }

    /// <summary>Connection refused or a name that does not resolve: nothing reached the server.</summary>
    private static bool MayHaveBeenSent(HttpRequestException e) =>
        e.HttpRequestError is not (HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError);

    /// <summary>Mastodon's error body: <c>{"error": "..."}</c> (OAuth adds <c>error_description</c>).</summary>
    internal static string? ErrorMessage(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return null;
            if (json.RootElement.TryGetProperty("error_description", out var description) && description.ValueKind == JsonValueKind.String)
                return description.GetString();
            return json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// When to try again: <c>Retry-After</c> (seconds or a date) when given, else <c>X-RateLimit-Reset</c>, the ISO 8601
    /// time Mastodon's limiter resets (its 429 sends only the X-RateLimit headers).
    /// </summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var now = time.GetUtcNow();
        if (response.Headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta) return delta;
            if (retry.Date is { } date) return Positive(date - now);
        }
        if (response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
            && DateTimeOffset.TryParse(values.First(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset))
            return Positive(reset - now);
        return null;
    }

    private static TimeSpan Positive(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;
}

/// <summary>What a failed call means for the caller.</summary>
internal enum MastodonFailure
{
    /// <summary>401/403: the token is wrong, revoked or lacks a scope.</summary>
    TokenRefused,

    /// <summary>422 and other 4xx: the server will not accept this request as it is; its message says why.</summary>
    Refused,

    NotFound,

    /// <summary>429: try again after <see cref="MastodonException.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>Unreachable, 5xx, a timeout on a read: nothing was written, try again later.</summary>
    Unavailable,

    /// <summary>A write was sent and no answer came back (timeout, dropped connection): it may have been stored.</summary>
    Unknown,
}

internal sealed class MastodonException(MastodonFailure failure, string message, int? httpStatus, TimeSpan? retryAfter = null)
    : Exception(message)
{
    public MastodonFailure Failure { get; } = failure;
    public int? HttpStatus { get; } = httpStatus;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

internal sealed record NewStatus(
    string Text, IReadOnlyList<string> MediaIds, string? InReplyToId, string? Visibility, string? Language, string? SpoilerText, bool Sensitive);

internal sealed record MastodonSearch(MastodonStatus[]? Statuses);

internal sealed record MastodonAccount(string Id, string Username, string Acct, string? Url, string? DisplayName);

internal sealed record MastodonStatus(
    string Id, string? Url, string? Uri, string? Content, string? InReplyToId, DateTimeOffset CreatedAt, string? Visibility,
    string? Language, string? SpoilerText, MastodonMedia[]? MediaAttachments);

internal sealed record MastodonMedia(string Id, string? Type, string? Url, string? PreviewUrl, string? Description);

internal sealed record MastodonApplication(string? Id, string? Name, string ClientId, string ClientSecret);

internal sealed record MastodonToken(string AccessToken, string? TokenType, string? Scope);

internal sealed record MastodonInstance(string? Domain, string? Title, string? Version, InstanceConfiguration? Configuration);

internal sealed record InstanceConfiguration(StatusesConfiguration? Statuses, MediaConfiguration? MediaAttachments);

internal sealed record StatusesConfiguration(int? MaxCharacters, int? MaxMediaAttachments, int? CharactersReservedPerUrl);

internal sealed record MediaConfiguration(long? ImageSizeLimit, string[]? SupportedMimeTypes, int? DescriptionLimit);
