using CmPortal.Core.Validation;

namespace CmPortal.Modules.Inbox.Sources.Feeds;

/// <summary>
/// What one fetch of a feed gave: its items (plain text, real links), the validators to send next time
/// (<see cref="ETag"/>, <see cref="LastModified"/>), or "not modified" (a 304: nothing new, keep the old validators),
/// or a <see cref="Problem"/> the source's page shows as its last error. A broken feed is a result, never an exception.
/// </summary>
internal sealed record FeedFetch(
    IReadOnlyList<ListenedItem> Items,
    string? ETag,
    string? LastModified,
    bool NotModified,
    Problem? Problem,
    string? FeedTitle = null)
{
    public bool Succeeded => Problem is null;

    public static FeedFetch Read(IReadOnlyList<ListenedItem> items, string? etag, string? lastModified, string? title) =>
        new(items, etag, lastModified, false, null, title);

    public static FeedFetch Unchanged(string? etag, string? lastModified) => new([], etag, lastModified, true, null);

    public static FeedFetch Broken(Problem problem) => new([], null, null, false, problem);
}
