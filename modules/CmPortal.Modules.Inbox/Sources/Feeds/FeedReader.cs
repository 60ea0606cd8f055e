using System.Net;
using CmPortal.Core.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.Inbox.Sources.Feeds;

/// <summary>Limits of one feed fetch (docs/inbox-feeds.md).</summary>
internal sealed class FeedReaderOptions
{
    /// <summary>The whole fetch (redirects, headers and body) must end within this time.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Bytes read at most, counted while reading (a server may lie in Content-Length, or send none).</summary>
    public long MaxBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>Redirects followed at most.</summary>
    public int MaxRedirects { get; init; } = 5;
}

/// <summary>
/// Fetches one feed over HTTP, safely: conditional GET (ETag, Last-Modified; 304 = not modified), a timeout, a size
/// cap, redirects followed by hand (capped, loops detected, http/https only), then <see cref="FeedParser"/>.
/// Every failure is a <see cref="FeedFetch"/> with a problem for the user, never an exception: a broken feed never
/// stops the others.
/// </summary>
internal sealed class FeedReader(IHttpClientFactory clients, FeedReaderOptions options, TimeProvider clock)
{
    public const string HttpClientName = "Inbox.Feeds";
    private const string Field = "url";

    /// <summary>The client feeds use: redirects are NOT followed by the handler (the reader checks each hop).</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan; // The reader's own timeout covers the body too.
                http.DefaultRequestHeaders.UserAgent.ParseAdd("CmPortal-Inbox/1.0 (+feed reader)");
                http.DefaultRequestHeaders.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                UseCookies = false,
            });
        services.AddSingleton<FeedReaderOptions>();
        services.AddSingleton<FeedReader>();
    }

    /// <summary>Fetches <paramref name="address"/>, sending the validators kept from the previous fetch.</summary>
    public async Task<FeedFetch> FetchAsync(string address, string? etag = null, string? lastModified = null, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(address?.Trim(), UriKind.Absolute, out var uri) || !IsWeb(uri))
            return FeedFetch.Broken(new Problem(Field, "The feed address must be a full web address starting with http:// or https://."));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            return await FetchAsync(uri, etag, lastModified, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FeedFetch.Broken(new Problem(Field, "The feed did not answer within {0} seconds. Check that the site is up; the portal will try again later.", (int)Math.Ceiling(options.Timeout.TotalSeconds)));
        }
        catch (HttpRequestException e)
        {
            return FeedFetch.Broken(new Problem(Field, "The feed could not be reached ({0}). Check the address and that the site is online.", e.HttpRequestError.ToString()));
        }
        catch (IOException)
        {
            return FeedFetch.Broken(new Problem(Field, "The feed's server cut the connection before the end. The portal will try again later."));
        }
    }

    private async Task<FeedFetch> FetchAsync(Uri uri, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        var visited = new HashSet<string>(StringComparer.Ordinal) { uri.AbsoluteUri };
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (!string.IsNullOrEmpty(etag)) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            if (!string.IsNullOrEmpty(lastModified)) request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && status != 304 && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (!IsWeb(next))
                    return FeedFetch.Broken(new Problem(Field, "The feed redirects to {0}, which is not a web address (http or https). Use the feed's own address.", next.ToString()));
                if (!visited.Add(next.AbsoluteUri))
                    return FeedFetch.Broken(new Problem(Field, "The feed redirects in a loop (back to {0}). Open the address in a browser, and tell the site's owner if it never loads.", next.AbsoluteUri));
                if (hop + 1 > options.MaxRedirects)
                    return FeedFetch.Broken(new Problem(Field, "The feed redirects more than {0} times. Open the address in a browser and use the address it ends on.", options.MaxRedirects));
                uri = next;
                continue;
            }
            var newEtag = response.Headers.ETag?.ToString() ?? etag;
            var newLastModified = response.Content.Headers.LastModified?.ToString("R") ?? lastModified;
            if (response.StatusCode == HttpStatusCode.NotModified)
                return FeedFetch.Unchanged(response.Headers.ETag?.ToString() ?? etag, response.Content.Headers.LastModified?.ToString("R") ?? lastModified);
            if (!response.IsSuccessStatusCode)
                return FeedFetch.Broken(new Problem(Field, "The feed's server answered {0} ({1}). Check the address; if the feed moved, use its new address.", status, response.ReasonPhrase ?? ""));
            var body = await ReadCappedAsync(response.Content, cancellationToken);
            if (body is null)
                return FeedFetch.Broken(new Problem(Field, "The feed is larger than {0} MB, the most the portal reads. Use a smaller feed of the site (one category or one search).", options.MaxBytes / (1024.0 * 1024.0)));
            var contentType = response.Content.Headers.ContentType;
            var (feed, problem) = FeedParser.Parse(body, contentType?.MediaType?.ToLowerInvariant(), contentType?.CharSet, uri, clock.GetUtcNow());
            return problem is not null ? FeedFetch.Broken(problem) : FeedFetch.Read(feed!.Items, newEtag, newLastModified, feed.Title);
        }
    }

    // Counted while reading: Content-Length is only an early refusal, chunked or lying servers are stopped at the cap.
    private async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > options.MaxBytes) return null;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > options.MaxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static bool IsWeb(Uri uri) => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps;
}
