using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CmPortal.Modules.Inbox.Sources.Stored;

/// <summary>The kinds of source a workspace can store, as the page, the API and the recipe name them.</summary>
internal static class SourceKinds
{
    /// <summary>An RSS, Atom or JSON Feed (Google Alerts, news sites, blogs, forums).</summary>
    public const string Feed = "rss";
    /// <summary>A Mastodon hashtag timeline, through a connected channel or a public instance.</summary>
    public const string MastodonTag = "mastodon-tag";
    /// <summary>The mentions of a connected Mastodon account.</summary>
    public const string MastodonMentions = "mastodon-mentions";
    /// <summary>A Bluesky search, through a connected Bluesky channel (searchPosts needs a session).</summary>
    public const string BlueskySearch = "bluesky-search";
    /// <summary>The mentions, replies and quotes of a connected Bluesky account.</summary>
    public const string BlueskyMentions = "bluesky-mentions";

    public static readonly IReadOnlyList<string> All = [Feed, MastodonTag, MastodonMentions, BlueskySearch, BlueskyMentions];

    /// <summary>The network of a channel-based kind ("mastodon", "bluesky"), or null for a feed.</summary>
    public static string? Network(string kind) => kind switch
    {
        MastodonTag or MastodonMentions => "mastodon",
        BlueskySearch or BlueskyMentions => "bluesky",
        _ => null,
    };

    /// <summary>The source kind the mentions it finds are stored under (the inbox's "source" filter).</summary>
    public static string MentionKind(string kind) => Network(kind) ?? "rss";
}

/// <summary>
/// A place the workspace listens to (docs/inbox-sources.md): what to read (a feed's address, a hashtag, a search,
/// a channel's mentions), how often, and where its reading stands — last read, what it found, its last error, the
/// failures in a row and the next try — with what the reader keeps between reads (validators, cursor). The poller
/// claims a due source by a conditional UPDATE of its lease, so two nodes never read the same source at once.
/// </summary>
internal sealed class ListeningSource : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    /// <summary>One of <see cref="SourceKinds.All"/>.</summary>
    public required string Kind { get; set; }
    public required string Name { get; set; }

    // ---- what to read
    /// <summary>The feed's address, or the public Mastodon instance of a hashtag read without a channel.</summary>
    public string? Url { get; set; }
    /// <summary>The hashtag (without "#") or the Bluesky search.</summary>
    public string? Query { get; set; }
    /// <summary>Mastodon hashtag timeline's any[] / all[] / none[] tags, comma-separated, without "#".</summary>
    public string? AnyTags { get; set; }
    public string? AllTags { get; set; }
    public string? NoneTags { get; set; }
    /// <summary>The Publishing channel read through (its session), for channel-based kinds.</summary>
    public Guid? ChannelId { get; set; }
    public int IntervalMinutes { get; set; } = 15;
    public bool Paused { get; set; }
    public DateTime CreatedUtc { get; set; }

    // ---- where the reading stands
    public DateTime? LastFetchUtc { get; set; }
    /// <summary>New mentions the last successful read stored.</summary>
    public int LastFoundCount { get; set; }
    public int TotalFoundCount { get; set; }
    /// <summary>The last read's problem as JSON (<see cref="SourceError"/>), translated when shown; null after a good read.</summary>
    public string? LastError { get; set; }
    public DateTime? LastErrorUtc { get; set; }
    public int ConsecutiveFailures { get; set; }
    /// <summary>When the source is next due; the poller takes sources whose time has come.</summary>
    public DateTime NextTryUtc { get; set; }

    // ---- the reader's memory
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    /// <summary>Mastodon: the newest id seen; Bluesky: the newest indexedAt and its URI.</summary>
    public string? Cursor { get; set; }

    // ---- the claim
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntilUtc { get; set; }
    public int Version { get; set; }
}

internal sealed class ListeningSourceConfiguration : IEntityTypeConfiguration<ListeningSource>
{
    public void Configure(EntityTypeBuilder<ListeningSource> b)
    {
        b.ToTable("Inbox_Sources");
        b.Property(s => s.Kind).HasMaxLength(20);
        b.Property(s => s.Name).HasMaxLength(100);
        b.Property(s => s.Url).HasMaxLength(2000);
        b.Property(s => s.Query).HasMaxLength(300);
        b.Property(s => s.AnyTags).HasMaxLength(300);
        b.Property(s => s.AllTags).HasMaxLength(300);
        b.Property(s => s.NoneTags).HasMaxLength(300);
        b.Property(s => s.LastError).HasMaxLength(2000);
        b.Property(s => s.ETag).HasMaxLength(300);
        b.Property(s => s.LastModified).HasMaxLength(100);
        b.Property(s => s.Cursor).HasMaxLength(500);
        b.Property(s => s.LeaseOwner).HasMaxLength(100);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasIndex(s => new { s.WorkspaceId, s.Name }).IsUnique();
        b.HasIndex(s => new { s.WorkspaceId, s.NextTryUtc });
    }
}
