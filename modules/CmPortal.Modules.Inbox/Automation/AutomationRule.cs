using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CmPortal.Modules.Inbox.Automation;

/// <summary>
/// An automation rule (docs/inbox-rules.md): conditions on a new mention — all the set ones must hold — and the actions
/// applied when it is the first enabled rule, by position, that matches. One column per condition and action, so a
/// rule reads and validates like a form and a list of rules is one narrow query.
/// </summary>
internal sealed class AutomationRule : IWorkspaceOwned
{
    public const int MaxName = 80;
    public const int MaxRules = 50;

    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    /// <summary>0 first: the first enabled rule that matches is the one applied.</summary>
    public int Position { get; set; }
    public bool Enabled { get; set; } = true;

    // Conditions (null: not set).
    /// <summary>Words in the inbox's search language (Search/MentionQuery.cs): words, "phrases", prefix*, -excluded, OR.</summary>
    public string? Words { get; set; }
    /// <summary>One of the workspace's listening queries: the mention is tagged with it.</summary>
    public long? QueryId { get; set; }
    public string? Sentiment { get; set; }
    public string? SourceKind { get; set; }
    /// <summary>The author's handle or name, compared without case and without a leading '@'.</summary>
    public string? Author { get; set; }
    public string? Language { get; set; }

    // Actions (null: not set).
    /// <summary>Labels to add, stored as mentions store them ("|delivery|urgent|").</summary>
    public string? AddLabels { get; set; }
    public Guid? AssignTo { get; set; }
    public MentionStatus? SetStatus { get; set; }
    /// <summary>Flag for moderation citing this rule of the published community charter (a rule flags, never hides).</summary>
    public string? FlagCharterRuleId { get; set; }

    public DateTime CreatedUtc { get; set; }
    public Guid? CreatedById { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public Guid? UpdatedById { get; set; }
    public string? UpdatedByName { get; set; }
    public int Version { get; set; }
}

internal sealed class AutomationRuleConfiguration : IEntityTypeConfiguration<AutomationRule>
{
    public void Configure(EntityTypeBuilder<AutomationRule> b)
    {
        b.ToTable("Inbox_Rules");
        b.Property(r => r.Name).HasMaxLength(AutomationRule.MaxName);
        b.Property(r => r.Words).HasMaxLength(Search.MentionQuery.MaxLength);
        b.Property(r => r.Sentiment).HasMaxLength(10);
        b.Property(r => r.SourceKind).HasMaxLength(20);
        b.Property(r => r.Author).HasMaxLength(200);
        b.Property(r => r.Language).HasMaxLength(10);
        b.Property(r => r.AddLabels).HasMaxLength(500);
        b.Property(r => r.FlagCharterRuleId).HasMaxLength(100);
        b.Property(r => r.UpdatedByName).HasMaxLength(200);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasIndex(r => new { r.WorkspaceId, r.Position });
        b.HasIndex(r => new { r.WorkspaceId, r.Name }).IsUnique();
    }
}
