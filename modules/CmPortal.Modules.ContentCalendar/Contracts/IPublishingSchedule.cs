namespace CmPortal.Modules.ContentCalendar.Contracts;

/// <summary>
/// The calendar's hand-off to publishing: which scheduled posts go out when, what exactly goes out on each network
/// at the last moment (so an edit made before the due time is what is sent, and a deleted or unscheduled post is not),
/// and what came of it. Implemented by the calendar, read by the publishing module, in the current workspace.
/// </summary>
public interface IPublishingSchedule
{
    /// <summary>
    /// The occurrences of scheduled posts in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), recurring posts
    /// expanded (skipped dates left out), by instant.
    /// </summary>
    Task<IReadOnlyList<ScheduledOccurrence>> DueBetweenAsync(DateTime fromUtc, DateTime toUtc, CancellationToken ct = default);

    /// <summary>
    /// What goes out for the occurrence of <paramref name="postId"/> at <paramref name="occurrenceUtc"/>, one variant
    /// per network; null when the post no longer goes out at that instant (deleted, unscheduled, moved, the date
    /// skipped): such a delivery must never be sent. Media readers are valid in the caller's scope.
    /// </summary>
    Task<ScheduledContent?> ContentAsync(Guid postId, DateTime occurrenceUtc, CancellationToken ct = default);

    /// <summary>
    /// The version of each post (raised by every save: an edit, a move, an unschedule, a skipped date), the posts of the
    /// current workspace only; a deleted post is missing. Content read ahead (<see cref="ScheduledContent.Version"/>) is
    /// still what goes out while its post's version is the same.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, int>> VersionsAsync(IReadOnlyCollection<Guid> postIds, CancellationToken ct = default);

    /// <summary>
    /// What came of an occurrence: a one-off post becomes Published or Failed (a recurring one stays scheduled; its
    /// log is publishing's). <paramref name="message"/> goes to the post's history.
    /// </summary>
    Task RecordOutcomeAsync(Guid postId, DateTime occurrenceUtc, bool published, string? message, CancellationToken ct = default);

    /// <summary>
    /// The first instant at or after <paramref name="fromUtc"/> when the scheduled post <paramref name="postId"/> goes
    /// out (within about a year), or null: "publish now" on a post due next week sends that occurrence now.
    /// </summary>
    Task<DateTime?> NextOccurrenceAsync(Guid postId, DateTime fromUtc, CancellationToken ct = default);

    /// <summary>
    /// Whether the post promotes (its pillar is one of the editorial line's promotional pillars, the "20" of 80/20):
    /// during a crisis such posts are held. False for a post without a pillar, or of another workspace.
    /// </summary>
    Task<bool> IsPromotionAsync(Guid postId, CancellationToken ct = default);

    /// <summary>The start of each post's main text (posts of the current workspace only), for lists such as the publishing log.</summary>
    Task<IReadOnlyDictionary<Guid, string>> ExcerptsAsync(IReadOnlyCollection<Guid> postIds, CancellationToken ct = default);
}

/// <summary>One time a scheduled post goes out.</summary>
/// <param name="Networks">The post's networks (ids of <c>CmPortal.Core.Networks.SocialNetworks</c>), in order.</param>
/// <param name="ChannelIds">The channels the post names; empty for every active channel of its networks.</param>
public sealed record ScheduledOccurrence(Guid PostId, DateTime OccurrenceUtc, IReadOnlyList<string> Networks, IReadOnlyList<Guid> ChannelIds);

/// <summary>What goes out for one occurrence, and who is told when it fails.</summary>
/// <param name="Excerpt">The start of the main text, for messages and the log.</param>
/// <param name="ApproverIds">The members who approved the post (told, with the author, when it fails).</param>
public sealed record ScheduledContent(
    Guid PostId, DateTime OccurrenceUtc, string Excerpt, IReadOnlyList<ScheduledVariant> Variants, IReadOnlyList<Guid> ChannelIds,
    Guid? AuthorId, IReadOnlyList<Guid> ApproverIds)
{
    public ScheduledVariant? For(string network) => Variants.FirstOrDefault(v => v.Network == network);

    /// <summary>The post's version when this was read (see <see cref="IPublishingSchedule.VersionsAsync"/>).</summary>
    public int Version { get; init; }
}

/// <summary>
/// The post as it goes out on one network: its text, its link and its images (in order). <see cref="Text"/>,
/// <see cref="Link"/> and <see cref="Media"/> are its first part; a thread has more (<see cref="Parts"/>).
/// </summary>
public sealed record ScheduledVariant(string Network, string Text, string? Link, IReadOnlyList<ScheduledMedia> Media)
{
    /// <summary>
    /// The parts to publish, in order, each exactly once, each replying to the one before on networks that thread:
    /// the first is <see cref="Text"/> with <see cref="Link"/> and <see cref="Media"/>; a single post has only that one.
    /// </summary>
    public IReadOnlyList<ScheduledPart> Parts
    {
        get => field is { Count: > 0 } parts ? parts : [new ScheduledPart(Text, Link, Media)];
        init;
    }
}

/// <summary>One part of a variant: a post of its own on the network (the first carries the variant's link and images).</summary>
public sealed record ScheduledPart(string Text, string? Link, IReadOnlyList<ScheduledMedia> Media);

/// <summary>An image of a variant, with its alt text; the bytes are read when a network needs them.</summary>
public sealed record ScheduledMedia(
    Guid MediaId, string FileName, string ContentType, long Length, string AltText, Func<CancellationToken, Task<byte[]>> ReadAsync);
