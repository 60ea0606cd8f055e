using CmPortal.Core.Validation;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CmPortal.Modules.Inbox.Sources.Bluesky;

/// <summary>Where and as whom to call Bluesky: the channel's PDS (which serves the AppView's methods for its accounts) and its session's access token.</summary>
internal sealed record BlueskyAccess(string ServiceUrl, string AccessJwt)
{
    /// <summary>Never the token, even in a log line.</summary>
    public override string ToString() => $"Bluesky access at {ServiceUrl}";
}

/// <summary>
/// Listens on Bluesky through the channel's session (the atproto lexicons <c>app.bsky.feed.searchPosts</c> and
/// <c>app.bsky.notification.listNotifications</c>). Both answer newest first with a <c>cursor</c> to older pages, so
/// a poll reads from the newest back to what it saw last, at most <see cref="MaxPagesPerPoll"/> pages. The cursor kept
/// between polls is "the newest <c>indexedAt</c>, a space, that post's URI": the search passes the time as <c>since</c>
/// (inclusive, hence the URI to leave out the one already seen); notifications stop at it. A first poll (no cursor)
/// reads the newest page only.
/// </summary>
internal sealed class BlueskyListening(IHttpClientFactory factory, TimeProvider time)
{
    public const string HttpClientName = "inbox-bluesky";

    /// <summary>searchPosts' and listNotifications' <c>limit</c> go to 100.</summary>
    public const int PageSize = 100;

    public int MaxPagesPerPoll { get; init; } = 5;

    /// <summary>A 429 without a reset header: Bluesky's limits are counted per 5 minutes at the shortest.</summary>
    private static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);

    /// <summary>The reasons a notification is about something said to or of the account.</summary>
    public static readonly IReadOnlyList<string> MentionReasons = ["mention", "reply", "quote"];

    /// <summary>The <see cref="ListeningPoll.Error"/> of a poll refused for an expired or invalid session: renew it and poll again.</summary>
    public static readonly Problem SessionExpired = new("source", "Bluesky refused the channel's session: it must be renewed.");

    public static readonly Problem OutsideTheLexicon = new("source", "Bluesky's answer could not be read. The portal will try again later.");

    /// <summary>New posts matching <paramref name="query"/> (Bluesky's search syntax), in <paramref name="language"/> when given, oldest first.</summary>
    public Task<ListeningPoll> SearchAsync(BlueskyAccess access, string query, string? language, string? cursor, CancellationToken ct)
    {
        var seen = Seen.Parse(cursor);
        var parameters = new List<(string, string)> { ("q", query), ("sort", "latest"), ("limit", PageSize.ToString(CultureInfo.InvariantCulture)) };
        if (seen is not null) parameters.Add(("since", seen.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
        if (!string.IsNullOrWhiteSpace(language)) parameters.Add(("lang", language));
        return PollAsync(access, "app.bsky.feed.searchPosts", parameters, "posts", seen, post => post, ct);
    }

    /// <summary>New mentions, replies and quotes of the channel's account, oldest first.</summary>
    public Task<ListeningPoll> NotificationsAsync(BlueskyAccess access, string? cursor, CancellationToken ct)
    {
        var parameters = new List<(string, string)> { ("limit", PageSize.ToString(CultureInfo.InvariantCulture)) };
        parameters.AddRange(MentionReasons.Select(reason => ("reasons", reason)));
        return PollAsync(access, "app.bsky.notification.listNotifications", parameters, "notifications", Seen.Parse(cursor),
            notification => Str(notification, "reason") is { } reason && MentionReasons.Contains(reason) ? notification : null, ct);
    }

    private async Task<ListeningPoll> PollAsync(
        BlueskyAccess access, string method, List<(string Name, string Value)> parameters, string listName, Seen? seen,
        Func<JsonElement, JsonElement?> select, CancellationToken ct)
    {
        var http = factory.CreateClient(HttpClientName);
        var items = new List<(DateTimeOffset At, ListenedItem Item)>();
        Seen? newest = null;
        string? pageCursor = null;
        for (var page = 1; ; page++)
        {
            var query = pageCursor is null ? parameters : [.. parameters, ("cursor", pageCursor)];
            var answer = await ListeningHttp.GetAsync(http, Xrpc(access.ServiceUrl, method, query), access.AccessJwt, ct);
            if (Problem(answer) is { } problem) return problem with { Items = Ordered(items), Cursor = (newest ?? seen)?.ToString() };

            var reachedSeen = false;
            try
            {
                using var json = JsonDocument.Parse(answer.Body);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(listName, out var list) || list.ValueKind != JsonValueKind.Array)
                    return Unreadable(items, newest ?? seen);
                foreach (var element in list.EnumerateArray())
                {
                    var at = Date(element, "indexedAt");
                    var uri = Str(element, "uri") ?? throw new FormatException("An entry has no uri.");
                    if (seen is not null && (at < seen.At || (at == seen.At && uri == seen.Uri)))
                    {
                        // Newest first: everything from here on was read by an earlier poll.
                        reachedSeen = true;
                        break;
                    }
                    if (newest is null || at > newest.At) newest = new Seen(at, uri);
                    if (select(element) is { } post) items.Add((at, Map(post)));
                }
                pageCursor = root.TryGetProperty("cursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return Unreadable(items, newest ?? seen);
            }

            var cursor = (newest ?? seen)?.ToString();
            if (seen is null || reachedSeen || string.IsNullOrEmpty(pageCursor)) return new ListeningPoll(Ordered(items), cursor);
            // Reading newest first, a burst larger than the cap keeps its newest posts and skips the oldest ones.
            if (page >= MaxPagesPerPoll) return new ListeningPoll(Ordered(items), cursor, HasMore: true);
        }
    }

    /// <summary>
    /// A post view (searchPosts) or a notification (its record is the post): the at:// URI as id, the web address
    /// from the author's handle and the record key, the record's text, first language and the parent it answers.
    /// </summary>
    internal static ListenedItem Map(JsonElement post)
    {
        var uri = Str(post, "uri") ?? throw new FormatException("A post has no uri.");
        var author = post.GetProperty("author");
        var handle = Str(author, "handle");
        var did = Str(author, "did");
        var record = post.GetProperty("record");
        var displayName = Str(author, "displayName");
        // An account whose handle no longer resolves shows "handle.invalid": its DID still makes a working address.
        var profile = handle is null or "handle.invalid" ? did : handle;
        var rkey = uri[(uri.LastIndexOf('/') + 1)..];
        DateTimeOffset published;
        try { published = Date(record, "createdAt"); }
        catch (Exception e) when (e is KeyNotFoundException or FormatException) { published = Date(post, "indexedAt"); }
        return new ListenedItem(
            ExternalId: uri,
            Url: profile is null ? null : $"https://bsky.app/profile/{profile}/post/{rkey}",
            Text: Str(record, "text") ?? "",
            Title: null,
            Author: string.IsNullOrWhiteSpace(displayName) ? handle : displayName,
            AuthorHandle: handle,
            AuthorFollowers: author.TryGetProperty("followersCount", out var followers) && followers.TryGetInt32(out var n) ? n : null,
            PublishedAt: published,
            Language: record.TryGetProperty("langs", out var langs) && langs.ValueKind == JsonValueKind.Array && langs.GetArrayLength() > 0
                ? langs[0].GetString() : null,
            InReplyToId: record.TryGetProperty("reply", out var reply) && reply.ValueKind == JsonValueKind.Object
                && reply.TryGetProperty("parent", out var parent) && parent.ValueKind == JsonValueKind.Object ? Str(parent, "uri") : null);
    }

    private ListeningPoll? Problem(ListeningHttp.Answer answer)
    {
        if (answer.Unreachable is not null) return new ListeningPoll([], null, Error: answer.Unreachable);
        if (answer.IsSuccess) return null;
        if (answer.Status == 429)
            return new ListeningPoll([], null, TryAfter: ListeningHttp.RetryAfter(answer.Headers, time.GetUtcNow(), DefaultWait));
        return new ListeningPoll([], null, Error: answer.Status switch
        {
            400 or 401 when ListeningHttp.XrpcErrorOf(answer.Body) is "ExpiredToken" or "InvalidToken" or "AuthMissing"
                => SessionExpired,
            >= 500 => new Problem("source", "Bluesky is having trouble (error {0}). The portal will try again later.", answer.Status),
            _ when ListeningHttp.SaidIn(answer) is { } said =>
                new Problem("source", "Bluesky refused the request (error {0}). Its message: “{1}”", answer.Status, said),
            _ => new Problem("source", "Bluesky refused the request (error {0}).", answer.Status),
        });
    }

    private static ListeningPoll Unreadable(List<(DateTimeOffset At, ListenedItem Item)> items, Seen? cursor) =>
        new(Ordered(items), cursor?.ToString(), Error: OutsideTheLexicon);

    private static IReadOnlyList<ListenedItem> Ordered(List<(DateTimeOffset At, ListenedItem Item)> items) =>
        [.. items.OrderBy(i => i.At).Select(i => i.Item).DistinctBy(i => i.ExternalId)];

    private static Uri Xrpc(string serviceUrl, string method, IEnumerable<(string Name, string Value)> query)
    {
        var address = new StringBuilder(serviceUrl.TrimEnd('/')).Append("/xrpc/").Append(method);
        var first = true;
        foreach (var (name, value) in query)
        {
            address.Append(first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return new Uri(address.ToString());
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset Date(JsonElement element, string name) =>
        DateTimeOffset.Parse(Str(element, name) ?? throw new FormatException($"No {name}."), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);

    /// <summary>The newest entry a poll read: its <c>indexedAt</c> and URI, kept as the cursor.</summary>
    private sealed record Seen(DateTimeOffset At, string Uri)
    {
        public override string ToString() => At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + " " + Uri;

        public static Seen? Parse(string? cursor)
        {
            var space = cursor?.IndexOf(' ') ?? -1;
            if (space <= 0) return null;
            return DateTimeOffset.TryParse(cursor![..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? new Seen(at, cursor[(space + 1)..]) : null;
        }
    }
}
