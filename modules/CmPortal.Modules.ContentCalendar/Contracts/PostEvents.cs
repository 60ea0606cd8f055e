using CmPortal.Core.Events;

namespace CmPortal.Modules.ContentCalendar.Contracts;

// Events the content calendar raises in the transaction that changes a post; handlers run after the commit, in the
// post's workspace. Excerpt: the start of the post's text (a post has no title), for messages. The stored names are
// kept when a record is renamed. Other modules (publishing next) read these.

/// <summary>A post went to review: <paramref name="Step"/> 1 for a first approval, 2 when it awaits the final one.</summary>
[ModuleEvent("ContentCalendar.PostSubmitted")]
public sealed record PostSubmitted(Guid PostId, string Excerpt, Guid? AuthorId, Guid? SubmittedById, string SubmittedBy, int Step);

/// <summary>A reviewer approved a post; <paramref name="Final"/> false for the first of two steps (the post stays in review).</summary>
[ModuleEvent("ContentCalendar.PostApproved")]
public sealed record PostApproved(Guid PostId, string Excerpt, Guid? AuthorId, Guid? ApprovedById, string ApprovedBy, bool Final, string? Comment);

/// <summary>A reviewer sent a post back to draft, saying what should change.</summary>
[ModuleEvent("ContentCalendar.PostChangesRequested")]
public sealed record PostChangesRequested(Guid PostId, string Excerpt, Guid? AuthorId, Guid? RequestedById, string RequestedBy, string Comment);

/// <summary>A post was scheduled: publishing takes it at <paramref name="StartsUtc"/> (the first occurrence) on its networks.</summary>
[ModuleEvent("ContentCalendar.PostScheduled")]
public sealed record PostScheduled(Guid PostId, string Excerpt, DateTime? StartsUtc, string? Recurrence, IReadOnlyList<string> Networks, Guid? ScheduledById);

/// <summary>Someone commented on a post; <paramref name="MentionedUserIds"/> are the members the comment @mentions.</summary>
[ModuleEvent("ContentCalendar.PostCommented")]
public sealed record PostCommented(Guid PostId, string Excerpt, Guid CommentId, Guid? AuthorId, string Author, string Text, IReadOnlyList<Guid> MentionedUserIds);
