using CmPortal.Core.Workspaces;

namespace CmPortal.Modules.Inbox.Data;

/// <summary>Where a mention stands in the team's triage ("inbox zero" counts the new and to-handle ones).</summary>
internal enum MentionStatus { New = 0, ToHandle = 1, Handled = 2, Ignored = 3 }

/// <summary>
/// One thing said about the brand, found by a source and stored once (docs/inbox.md, "De-duplication").
/// Narrow on purpose — a workspace may hold a million of them: the key is a 64-bit integer (SQLite's rowid, which the
/// FTS5 index is keyed by), the status a small integer, the text hash 8 bytes; no JSON, no joined tables.
/// </summary>
internal sealed class Mention : IWorkspaceOwned
{
    /// <summary>Database-generated, increasing: the full-text index refers to it (SQLite rowid / PostgreSQL identity).</summary>
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    /// <summary>"rss", "mastodon", "bluesky", "api", "csv"…</summary>
    public required string SourceKind { get; set; }
    public string? SourceName { get; set; }
    public required string ExternalId { get; set; }
    public string? Url { get; set; }
    /// <summary>The address without tracking parameters, host lower-cased, fragment dropped: the second de-duplication key.</summary>
    public string? CanonicalUrl { get; set; }
    public string? Title { get; set; }
    public required string Text { get; set; }
    public string? Author { get; set; }
    public string? AuthorHandle { get; set; }
    public int? AuthorFollowers { get; set; }
    public DateTime PublishedUtc { get; set; }
    public DateTime ReceivedUtc { get; set; }
    public string? Language { get; set; }
    /// <summary>"negative", "neutral", "positive" or null (not read yet).</summary>
    public string? Sentiment { get; set; }
    public double? SentimentScore { get; set; }
    /// <summary>The member who corrected the sentiment by hand, if one did (the correction is kept).</summary>
    public Guid? SentimentCorrectedBy { get; set; }
    /// <summary>First 8 bytes of the SHA-256 of the normalised text: exact repeats share it.</summary>
    public long TextHash { get; set; }
    /// <summary>The first mention with the same text, or null when this one is the first.</summary>
    public long? RepeatOf { get; set; }
    public MentionStatus Status { get; set; }
    public Guid? AssigneeId { get; set; }
    public string? AssigneeNote { get; set; }
    /// <summary>Labels as one string, each wrapped in '|' ("|press|urgent|"), so a label filter is one LIKE.</summary>
    public string? Labels { get; set; }
    public int Version { get; set; }

    /// <summary>Its words, cut once at ingest for the listening queries and the rules (<see cref="Listening.MentionWords"/>); not stored.</summary>
    [System.ComponentModel.DataAnnotations.Schema.NotMapped]
    internal Listening.MentionWords? Words { get; set; }
}
