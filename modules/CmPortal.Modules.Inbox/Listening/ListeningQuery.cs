using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CmPortal.Modules.Inbox.Listening;

/// <summary>
/// A listening query: what the team follows — its brand, a competitor, a campaign — written in the inbox's own search
/// language (Search/MentionQuery.cs), with the spike thresholds the team chose for it (docs/inbox-listening.md).
/// </summary>
internal sealed class ListeningQuery : IWorkspaceOwned
{
    public const int MaxName = 80;

    /// <summary>A small integer: the tag rows (one per matching mention) repeat it a million times.</summary>
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    /// <summary>"brand", "competitor" or "campaign".</summary>
    public required string Kind { get; set; }
    public required string Expression { get; set; }
    /// <summary>Languages the query is limited to, as "fr,en"; null for every language.</summary>
    public string? Languages { get; set; }
    /// <summary>"#rrggbb", the query's colour in the charts.</summary>
    public required string Color { get; set; }
    /// <summary>Volume spike: the last hour is at least this many times the hourly average of the 12 hours before…</summary>
    public double SpikeFactor { get; set; } = 3;
    /// <summary>…and has at least this many mentions (two mentions after a quiet night are not a spike).</summary>
    public int SpikeMinimum { get; set; } = 10;
    /// <summary>Negative spike: the last hour's negative share is this many points above the 12 hours before.</summary>
    public int NegativeRise { get; set; } = 20;
    /// <summary>Set while an alert's condition holds, so an alert is raised once per spike, not at every check.</summary>
    public DateTime? VolumeAlertSinceUtc { get; set; }
    public DateTime? NegativeAlertSinceUtc { get; set; }
    /// <summary>True from a save until the existing mentions are tagged again (in the background).</summary>
    public bool RetagPending { get; set; }
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
}

/// <summary>
/// "This mention matches this query": two integers and the mention's date copied, so that share-of-voice counts read
/// only the index (QueryId, PublishedUtc) of this narrow table. Reached through its query (workspace-owned), never alone.
/// </summary>
internal sealed class MentionQueryTag
{
    public long QueryId { get; set; }
    public long MentionId { get; set; }
    public DateTime PublishedUtc { get; set; }
}

/// <summary>The workspace's listening settings: where spike alerts are POSTed.</summary>
internal sealed class ListeningSettings : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public string? AlertWebhookUrl { get; set; }
    /// <summary>The secret spike alerts are signed with (Standard Webhooks), encrypted with Data Protection; made with the first webhook address.</summary>
    public string? ProtectedWebhookSecret { get; set; }
    public int Version { get; set; }
}

internal sealed class ListeningQueryConfiguration : IEntityTypeConfiguration<ListeningQuery>
{
    public void Configure(EntityTypeBuilder<ListeningQuery> b)
    {
        b.ToTable("Inbox_ListeningQueries");
        b.Property(q => q.Id).ValueGeneratedOnAdd();
        b.Property(q => q.Name).HasMaxLength(ListeningQuery.MaxName);
        b.Property(q => q.Kind).HasMaxLength(20);
        b.Property(q => q.Expression).HasMaxLength(Search.MentionQuery.MaxLength);
        b.Property(q => q.Languages).HasMaxLength(20);
        b.Property(q => q.Color).HasMaxLength(7);
        b.Property(q => q.Version).IsConcurrencyToken();
        b.HasIndex(q => new { q.WorkspaceId, q.Name }).IsUnique();
    }
}

internal sealed class MentionQueryTagConfiguration : IEntityTypeConfiguration<MentionQueryTag>
{
    public void Configure(EntityTypeBuilder<MentionQueryTag> b)
    {
        b.ToTable("Inbox_MentionQueries");
        b.HasKey(t => new { t.QueryId, t.MentionId });
        b.HasIndex(t => new { t.QueryId, t.PublishedUtc });
        b.HasIndex(t => t.MentionId);
    }
}

internal sealed class ListeningSettingsConfiguration : IEntityTypeConfiguration<ListeningSettings>
{
    public void Configure(EntityTypeBuilder<ListeningSettings> b)
    {
        b.ToTable("Inbox_ListeningSettings");
        b.HasKey(s => s.WorkspaceId);
        b.Property(s => s.WorkspaceId).ValueGeneratedNever(); // the workspace stamps it, EF must not make up a Guid
        b.Property(s => s.AlertWebhookUrl).HasMaxLength(500);
        b.Property(s => s.ProtectedWebhookSecret).HasMaxLength(1000);
        b.Property(s => s.Version).IsConcurrencyToken();
    }
}
