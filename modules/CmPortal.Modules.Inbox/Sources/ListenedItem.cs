namespace CmPortal.Modules.Inbox.Sources;

/// <summary>
/// One item a source found (a feed entry, a network post, a webhook or CSV line), before it becomes a mention:
/// plain text with tags removed and entities decoded, and the real link (redirect wrappers removed).
/// </summary>
/// <param name="ExternalId">The source's own id for the item: the network's post id, the feed entry's guid or link.</param>
/// <param name="Url">The item's public address, or null when the source gives none.</param>
/// <param name="Text">The item's text as plain text (never HTML).</param>
/// <param name="Title">A title when the source has one (feed entries), as plain text.</param>
/// <param name="Author">The author's display name, or null.</param>
/// <param name="AuthorHandle">The author's handle on the network (e.g. "@lea@mastodon.social", "lea.bsky.social"), or null.</param>
/// <param name="AuthorFollowers">The author's followers, when the source tells them (for reach).</param>
/// <param name="PublishedAt">When the item was published, as the source says (UTC offset kept).</param>
/// <param name="Language">The language the source declares (BCP 47, e.g. "fr"), or null.</param>
/// <param name="InReplyToId">The network id of the post this one answers, when it is a reply.</param>
internal sealed record ListenedItem(
    string ExternalId,
    string? Url,
    string Text,
    string? Title,
    string? Author,
    string? AuthorHandle,
    int? AuthorFollowers,
    DateTimeOffset PublishedAt,
    string? Language,
    string? InReplyToId = null);
