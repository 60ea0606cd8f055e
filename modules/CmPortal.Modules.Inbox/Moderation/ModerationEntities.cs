using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CmPortal.Modules.Inbox.Moderation;

/// <summary>What a moderator did to a mention.</summary>
internal enum ModerationAction { Flag = 0, Hide = 1, Restore = 2 }

/// <summary>
/// One moderation decision, never changed afterwards (docs/inbox-answers.md): the mention, the action, the charter
/// rule it cites (stable id, the published version, and the rule's number as it read in that version), who and when,
/// and the mention's text as it was — the log still says what was judged if the text is later edited or removed.
/// </summary>
internal sealed class ModerationDecision : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public long MentionId { get; set; }
    public ModerationAction Action { get; set; }
    /// <summary>The rule's stable id; null only for a restore (undoing a decision cites no rule).</summary>
    public string? RuleId { get; set; }
    public int? CharterVersion { get; set; }
    public string? RuleNumber { get; set; }
    public Guid MemberId { get; set; }
    public required string MemberName { get; set; }
    public DateTime AtUtc { get; set; }
    public required string MentionText { get; set; }
}

/// <summary>
/// A hidden mention (one row while it is hidden, removed when restored): the inbox's default list leaves out the
/// mentions found here with one NOT EXISTS by key, without a column or a join on the mentions table.
/// </summary>
internal sealed class HiddenMention : IWorkspaceOwned
{
    public long MentionId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid DecisionId { get; set; }
}

/// <summary>The workspace's moderation settings: which charter rule the insult suggestion cites when no rule's id or section says it.</summary>
internal sealed class ModerationSettings : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public string? InsultRuleId { get; set; }
}

internal sealed class ModerationDecisionConfiguration : IEntityTypeConfiguration<ModerationDecision>
{
    public void Configure(EntityTypeBuilder<ModerationDecision> b)
    {
        b.ToTable("Inbox_ModerationDecisions");
        b.Property(d => d.RuleId).HasMaxLength(100);
        b.Property(d => d.RuleNumber).HasMaxLength(20);
        b.Property(d => d.MemberName).HasMaxLength(200);
        b.Property(d => d.MentionText).HasMaxLength(10000);
        b.HasIndex(d => new { d.WorkspaceId, d.MentionId, d.AtUtc });
        b.HasIndex(d => new { d.WorkspaceId, d.AtUtc });
    }
}

internal sealed class HiddenMentionConfiguration : IEntityTypeConfiguration<HiddenMention>
{
    public void Configure(EntityTypeBuilder<HiddenMention> b)
    {
        b.ToTable("Inbox_HiddenMentions");
        b.HasKey(h => h.MentionId);
        b.Property(h => h.MentionId).ValueGeneratedNever();
        b.HasIndex(h => h.WorkspaceId);
    }
}

internal sealed class ModerationSettingsConfiguration : IEntityTypeConfiguration<ModerationSettings>
{
    public void Configure(EntityTypeBuilder<ModerationSettings> b)
    {
        b.ToTable("Inbox_ModerationSettings");
        b.HasKey(s => s.WorkspaceId);
        b.Property(s => s.WorkspaceId).ValueGeneratedNever(); // the workspace's id, stamped on save; never a generated key
        b.Property(s => s.InsultRuleId).HasMaxLength(100);
    }
}
