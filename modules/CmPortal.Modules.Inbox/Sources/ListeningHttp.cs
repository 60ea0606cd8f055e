using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using CmPortal.Core.Validation;

namespace CmPortal.Modules.Inbox.Sources;

/// <summary>
/// One read-only call a listening makes to a network: a GET with the channel's token when there is one, read in full,
/// every transport failure turned into an answer (a poll reports, it never throws). Tokens never reach a message.
/// </summary>
internal static class ListeningHttp
{
    /// <summary>The network's answer, or <see cref="Unreachable"/> when none came.</summary>
    internal sealed record Answer(int Status, string Body, HttpResponseHeaders? Headers, Problem? Unreachable = null)
    {
        public bool IsSuccess => Unreachable is null && Status is >= 200 and < 300;
    }

    public static async Task<Answer> GetAsync(HttpClient http, Uri address, string? bearer, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(bearer)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return new Answer((int)response.StatusCode, body, response.Headers);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Answer(0, "", null, TimedOut);
        }
        catch (HttpRequestException)
        {
            return new Answer(0, "", null, CannotReach);
        }
    }

    public static readonly Problem TimedOut = new("source", "The network did not answer in time. The portal will try again later.");
    public static readonly Problem CannotReach = new("source", "The network cannot be reached. The portal will try again later.");

    /// <summary>The network's own message of a refusal, to quote after the member's words (at most 300 characters); null when it gave none.</summary>
    public static string? SaidIn(Answer answer) =>
        ErrorOf(answer.Body) is { Length: > 0 } said ? (said.Length > 300 ? CmPortal.Modules.Inbox.Mentions.MentionRules.Cut(said, 300) + "…" : said) : null;

    /// <summary>
    /// How long a rate-limited caller waits: <c>Retry-After</c> (seconds or a date), else the limiter's reset —
    /// Mastodon's <c>X-RateLimit-Reset</c> is an ISO 8601 time, Bluesky's <c>RateLimit-Reset</c> Unix seconds — else
    /// <paramref name="fallback"/> (a 429 without a word still means "not now").
    /// </summary>
    public static TimeSpan RetryAfter(HttpResponseHeaders? headers, DateTimeOffset now, TimeSpan fallback)
    {
        if (headers is null) return fallback;
        if (headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta) return delta;
            if (retry.Date is { } date) return Positive(date - now);
        }
        foreach (var name in new[] { "X-RateLimit-Reset", "RateLimit-Reset" })
        {
            if (!headers.TryGetValues(name, out var values) || values.FirstOrDefault() is not { Length: > 0 } value) continue;
            if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
                return seconds < 1_000_000_000 ? TimeSpan.FromSeconds(seconds) : Positive(DateTimeOffset.FromUnixTimeSeconds(seconds) - now);
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var reset))
                return Positive(reset - now);
        }
        return fallback;
    }

    /// <summary>The <c>error</c> (Mastodon) or <c>message</c> (XRPC) of an error body, when it is JSON.</summary>
    public static string? ErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in new[] { "message", "error" })
                if (json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String) return value.GetString();
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An XRPC error body's <c>error</c> name ("ExpiredToken", "InvalidRequest"…), when it is JSON.</summary>
    public static string? XrpcErrorOf(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String ? error.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TimeSpan Positive(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;
}
