using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CmPortal.Modules.Inbox.Answers;

/// <summary>
/// A reply the team wrote once and reuses (docs/inbox-answers.md): a title, a text with variables
/// (<c>{auteur}</c>/<c>{author}</c>, <c>{marque}</c>/<c>{brand}</c>), an optional language and tags.
/// </summary>
internal sealed class SavedReply : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Title { get; set; }
    public required string Text { get; set; }
    /// <summary>"fr", "en"… or null for any language.</summary>
    public string? Language { get; set; }
    /// <summary>Tags as one string, each wrapped in '|' ("|livraison|retard|"), like mention labels.</summary>
    public string? Tags { get; set; }
    public DateTime UpdatedUtc { get; set; }
    public int Version { get; set; }
}

/// <summary>
/// A reply a member copied to answer a mention by hand, kept as an internal note of the mention
/// (« Réponse copiée par X le … »): the team sees who answered what, and when.
/// </summary>
internal sealed class ReplyNote : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public long MentionId { get; set; }
    public Guid MemberId { get; set; }
    /// <summary>The member's name when they copied it (a member who leaves still signs their notes).</summary>
    public required string MemberName { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedUtc { get; set; }
}

internal sealed class SavedReplyConfiguration : IEntityTypeConfiguration<SavedReply>
{
    public void Configure(EntityTypeBuilder<SavedReply> b)
    {
        b.ToTable("Inbox_SavedReplies");
        b.Property(r => r.Title).HasMaxLength(SavedReplyService.MaxTitle);
        b.Property(r => r.Text).HasMaxLength(SavedReplyService.MaxText);
        b.Property(r => r.Language).HasMaxLength(10);
        b.Property(r => r.Tags).HasMaxLength(500);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.HasIndex(r => new { r.WorkspaceId, r.Title }).IsUnique();
    }
}

internal sealed class ReplyNoteConfiguration : IEntityTypeConfiguration<ReplyNote>
{
    public void Configure(EntityTypeBuilder<ReplyNote> b)
    {
        b.ToTable("Inbox_ReplyNotes");
        b.Property(n => n.MemberName).HasMaxLength(200);
        b.Property(n => n.Text).HasMaxLength(SavedReplyService.MaxText);
        b.HasIndex(n => new { n.WorkspaceId, n.MentionId, n.CreatedUtc });
    }
}
