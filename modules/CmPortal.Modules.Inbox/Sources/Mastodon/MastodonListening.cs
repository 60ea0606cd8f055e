using CmPortal.Core.Validation;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CmPortal.Core.Text;

namespace CmPortal.Modules.Inbox.Sources.Mastodon;

/// <summary>
/// A hashtag to follow on one Mastodon instance, as <c>GET /api/v1/timelines/tag/:hashtag</c> takes it: statuses with
/// <see cref="Hashtag"/> or any of <see cref="Any"/>, that also have all of <see cref="All"/> and none of <see cref="None"/>
/// (tags without the "#").
/// </summary>
internal sealed record MastodonHashtagQuery(
    string Hashtag, IReadOnlyList<string>? Any = null, IReadOnlyList<string>? All = null, IReadOnlyList<string>? None = null);

/// <summary>
/// Listens on a Mastodon instance (docs.joinmastodon.org, methods/timelines and methods/notifications): a hashtag's
/// public timeline (no token needed on an instance that shows it publicly; the channel's token when given) and the
/// connected account's mentions (replies mention the account too). Each poll asks only for what is newer than the
/// cursor, with <c>min_id</c>, walking newer pages by the <c>Link</c> header's <c>prev</c> address, at most
/// <see cref="MaxPagesPerPoll"/> pages; the cursor is the newest id seen (the status's on a timeline, the
/// notification's for mentions). A first poll (no cursor) reads the newest page only.
/// </summary>
internal sealed partial class MastodonListening(IHttpClientFactory factory, TimeProvider time)
{
    public const string HttpClientName = "inbox-mastodon";

    /// <summary>The most the tag timeline gives per page (its <c>limit</c> caps at 40; notifications go to 80).</summary>
    public const int PageSize = 40;

    public int MaxPagesPerPoll { get; init; } = 5;

    /// <summary>A 429 without a reset header: Mastodon's limiter windows are 5 minutes.</summary>
    private static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);

    /// <summary>New public statuses with the hashtag (and the any/all/none tags), oldest first.</summary>
    public Task<ListeningPoll> HashtagAsync(Uri instance, string? token, MastodonHashtagQuery query, string? cursor, CancellationToken ct)
    {
        var path = new StringBuilder("api/v1/timelines/tag/").Append(Uri.EscapeDataString(query.Hashtag.TrimStart('#')))
            .Append("?limit=").Append(PageSize);
        AppendTags(path, "any[]", query.Any);
        AppendTags(path, "all[]", query.All);
        AppendTags(path, "none[]", query.None);
        return PollAsync(instance, token, path.ToString(), cursor, status => (status, status), ct);
    }

    /// <summary>New mentions of the connected account (<c>types[]=mention</c>; replies to it are mentions), oldest first.</summary>
    public Task<ListeningPoll> MentionsAsync(Uri instance, string token, string? cursor, CancellationToken ct) =>
        PollAsync(instance, token, $"api/v1/notifications?types[]=mention&limit={PageSize}", cursor,
            notification => (notification, notification.TryGetProperty("status", out var status) ? status : default), ct);

    /// <summary>
    /// Reads pages newer than <paramref name="cursor"/>: <paramref name="entry"/> gives, for each element, the object
    /// whose id moves the cursor and the status it carries (undefined when it carries none).
    /// </summary>
    private async Task<ListeningPoll> PollAsync(
        Uri instance, string? token, string firstPath, string? cursor, Func<JsonElement, (JsonElement Entry, JsonElement Status)> entry,
        CancellationToken ct)
    {
        var http = factory.CreateClient(HttpClientName);
        var items = new Dictionary<string, (string Position, ListenedItem Item)>();
        var newest = cursor;
        var address = new Uri(instance, cursor is null ? firstPath : $"{firstPath}&min_id={Uri.EscapeDataString(cursor)}");
        for (var page = 1; ; page++)
        {
            var answer = await ListeningHttp.GetAsync(http, address, token, ct);
            var problem = Problem(answer);
            if (problem is not null) return problem with { Items = Ordered(items), Cursor = newest };

            int count;
            try
            {
                using var json = JsonDocument.Parse(answer.Body);
                if (json.RootElement.ValueKind != JsonValueKind.Array) return Unreadable(items, newest);
                count = json.RootElement.GetArrayLength();
                foreach (var element in json.RootElement.EnumerateArray())
                {
                    var (position, status) = entry(element);
                    var id = position.GetProperty("id").GetString() ?? throw new FormatException("An entry has no id.");
                    if (status.ValueKind == JsonValueKind.Object)
                    {
                        var item = Map(status, instance);
                        // A status and its boosts are one item, placed where the status itself was first seen.
                        if (!items.TryGetValue(item.ExternalId, out var known) || CompareIds(id, known.Position) < 0) items[item.ExternalId] = (id, item);
                    }
                    if (newest is null || IsNewer(id, newest)) newest = id;
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return Unreadable(items, newest);
            }

            // A first poll reads the newest page only; later ones walk towards the present until a page is not full.
            if (cursor is null || count < PageSize) return new ListeningPoll(Ordered(items), newest);
            if (page >= MaxPagesPerPoll) return new ListeningPoll(Ordered(items), newest, HasMore: true);
            address = NewerPage(answer.Headers, instance) ?? new Uri(instance, $"{firstPath}&min_id={Uri.EscapeDataString(newest!)}");
        }
    }

    /// <summary>A status as an item; a boost (reblog) is the status it boosts, with its own author and text.</summary>
    internal static ListenedItem Map(JsonElement status, Uri instance)
    {
        if (status.TryGetProperty("reblog", out var reblog) && reblog.ValueKind == JsonValueKind.Object) status = reblog;
        var account = status.GetProperty("account");
        var username = String(account, "username");
        var acct = String(account, "acct") ?? username;
        var displayName = String(account, "display_name");
        var spoiler = String(status, "spoiler_text");
        return new ListenedItem(
            ExternalId: String(status, "id") ?? throw new FormatException("A status has no id."),
            Url: String(status, "url") ?? String(status, "uri"),
            Text: HtmlText.ToPlainText(String(status, "content")).Trim(),
            // A content warning is what the author put above the text: the nearest thing to a title.
            Title: string.IsNullOrWhiteSpace(spoiler) ? null : spoiler,
            Author: string.IsNullOrWhiteSpace(displayName) ? username : displayName,
            // A local account's acct has no domain: the instance's is added so the handle means the same everywhere.
            AuthorHandle: acct is null ? null : "@" + (acct.Contains('@') ? acct : $"{acct}@{instance.Host}"),
            AuthorFollowers: account.TryGetProperty("followers_count", out var followers) && followers.TryGetInt32(out var n) ? n : null,
            PublishedAt: DateTimeOffset.Parse(String(status, "created_at") ?? throw new FormatException("A status has no date."),
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Language: String(status, "language"),
            InReplyToId: String(status, "in_reply_to_id"));
    }

    private ListeningPoll? Problem(ListeningHttp.Answer answer)
    {
        if (answer.Unreachable is not null) return new ListeningPoll([], null, Error: answer.Unreachable);
        if (answer.IsSuccess) return null;
        if (answer.Status == 429)
            return new ListeningPoll([], null, TryAfter: ListeningHttp.RetryAfter(answer.Headers, time.GetUtcNow(), DefaultWait));
        return new ListeningPoll([], null, Error: answer.Status switch
        {
            401 or 403 => RefusedToken,
            404 => new Problem("source", "The instance does not know this timeline (error {0}). Check the hashtag and the instance's address.", 404),
            >= 500 => new Problem("source", "The Mastodon instance is having trouble (error {0}). The portal will try again later.", answer.Status),
            _ when ListeningHttp.SaidIn(answer) is { } said =>
                new Problem("source", "The Mastodon instance refused the request (error {0}). Its message: “{1}”", answer.Status, said),
            _ => new Problem("source", "The Mastodon instance refused the request (error {0}).", answer.Status),
        });
    }

    private static ListeningPoll Unreadable(Dictionary<string, (string Position, ListenedItem Item)> items, string? newest) =>
        new(Ordered(items), newest, Error: NotMastodon);

    public static readonly Problem RefusedToken =
        new("source", "The instance refused the channel's access token: connect the channel again on the channels page.");
    public static readonly Problem NotMastodon = new("source", "The address does not answer as a Mastodon instance. Check the instance's address.");

    /// <summary>Oldest first, in the order the instance gave them ids.</summary>
    private static IReadOnlyList<ListenedItem> Ordered(Dictionary<string, (string Position, ListenedItem Item)> items) =>
        [.. items.Values.Order(Comparer<(string Position, ListenedItem Item)>.Create((a, b) => CompareIds(a.Position, b.Position))).Select(v => v.Item)];

    /// <summary>
    /// The <c>Link</c> header's <c>rel="prev"</c> address: the page just newer than this one. Only on the same instance
    /// (the token is sent with it).
    /// </summary>
    internal static Uri? NewerPage(HttpResponseHeaders? headers, Uri instance)
    {
        if (headers is null || !headers.TryGetValues("Link", out var values)) return null;
        foreach (Match link in LinkPart().Matches(string.Join(',', values)))
        {
            if (link.Groups["rel"].Value != "prev" || !Uri.TryCreate(link.Groups["url"].Value, UriKind.Absolute, out var url)) continue;
            return Uri.Compare(url, instance, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0 ? url : null;
        }
        return null;
    }

    /// <summary>Mastodon ids are growing numbers in strings (snowflakes): longer is newer, then by characters.</summary>
    internal static int CompareIds(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);

    private static bool IsNewer(string id, string than) => CompareIds(id, than) > 0;

    private static void AppendTags(StringBuilder path, string name, IReadOnlyList<string>? tags)
    {
        foreach (var tag in tags ?? [])
            if (!string.IsNullOrWhiteSpace(tag)) path.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(tag.Trim().TrimStart('#')));
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"<(?<url>[^>]+)>\s*;\s*rel=""?(?<rel>\w+)""?")]
    private static partial Regex LinkPart();
}
