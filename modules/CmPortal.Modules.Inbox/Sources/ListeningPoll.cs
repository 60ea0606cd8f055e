using CmPortal.Core.Validation;

namespace CmPortal.Modules.Inbox.Sources;

/// <summary>
/// What one poll of a network's listening (a hashtag, a search, the account's mentions) found: the new items, oldest
/// first, and the cursor to store for the next poll. A poll never throws for what the network answers: a rate limit
/// is <see cref="TryAfter"/>, an unreachable or unreadable network is <see cref="Error"/>; items read before either
/// are kept, with the cursor that goes with them.
/// </summary>
/// <param name="Cursor">What to pass back to the next poll ("newer than this"); the one given when nothing was read.</param>
/// <param name="TryAfter">The network asked to wait this long before the next call (HTTP 429).</param>
/// <param name="Error">Why the poll stopped, as the member reads it (field "source"; the network's own words quoted), never a token.</param>
/// <param name="HasMore">The page cap was reached with newer items left: the next poll goes on from the cursor.</param>
internal sealed record ListeningPoll(
    IReadOnlyList<ListenedItem> Items, string? Cursor, TimeSpan? TryAfter = null, Problem? Error = null, bool HasMore = false)
{
    public bool Succeeded => TryAfter is null && Error is null;
}
