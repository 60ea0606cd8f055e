using System.Text.RegularExpressions;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Answers;

/// <summary>A saved reply as a form or a recipe gives it: tags separated by commas.</summary>
internal sealed record SavedReplyInput(string? Title, string? Text, string? Language = null, string? Tags = null);

/// <summary>A change's result: the reply as saved, or not found, a version conflict, or problems (nothing saved).</summary>
internal sealed record SavedReplyOutcome(SavedReply? Reply, bool IsNotFound = false, bool IsConflict = false, IReadOnlyList<Problem>? Problems = null)
{
    public IReadOnlyList<Problem> Problems { get; } = Problems ?? [];
    public bool Succeeded => Reply is not null && Problems.Count == 0;
    public static readonly SavedReplyOutcome NotFound = new(null, IsNotFound: true);
    public static readonly SavedReplyOutcome Conflict = new(null, IsConflict: true,
        Problems: [new Problem("version", "Someone changed this reply meanwhile. Its current text is shown: check it, then try again.")]);
}

/// <summary>
/// The saved replies library's rules (validate, save with the version, delete) and the replies copied to answer a
/// mention, kept as its notes.
/// </summary>
internal sealed partial class SavedReplyService(InboxDbContext db, WorkspaceContext workspace, TimeProvider clock)
{
    public const int MaxTitle = 200;
    public const int MaxText = 4000;

    [GeneratedRegex("^[a-z]{2,3}(-[a-z]{2})?$")]
    private static partial Regex LanguagePattern();

    public Task<List<SavedReply>> ListAsync(CancellationToken ct = default) =>
        db.SavedReplies.AsNoTracking().OrderBy(r => r.Title).ToListAsync(ct);

    public Task<SavedReply?> FindAsync(Guid id, CancellationToken ct = default) =>
        db.SavedReplies.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);

    public Task<SavedReply?> FindByTitleAsync(string title, CancellationToken ct = default) =>
        db.SavedReplies.AsNoTracking().FirstOrDefaultAsync(r => r.Title == title.Trim(), ct);

    /// <summary>Every problem of a reply as typed, fields named as the form names them.</summary>
    public static List<Problem> Check(SavedReplyInput input)
    {
        var problems = new List<Problem>();
        var title = input.Title?.Trim() ?? "";
        if (title.Length is 0 or > MaxTitle) problems.Add(new Problem("title", "Give the reply a title (1 to {0} characters).", MaxTitle));
        var text = input.Text?.Trim() ?? "";
        if (text.Length == 0) problems.Add(new Problem("text", "The reply has no text."));
        else if (text.Length > MaxText) problems.Add(new Problem("text", "The text is longer than {0} characters.", MaxText));
        else problems.AddRange(ReplyVariables.Check(text));
        if (Language(input.Language) is { } language && !LanguagePattern().IsMatch(language))
            problems.Add(new Problem("language", "“{0}” is not a language code. Use two letters such as fr or en, or leave it empty.", input.Language));
        if ((input.Tags?.Length ?? 0) > 450) problems.Add(new Problem("tags", "The tags are longer than {0} characters.", 450));
        return problems;
    }

    public Task<SavedReplyOutcome> CreateAsync(SavedReplyInput input, CancellationToken ct = default) => SaveAsync(null, 0, input, ct);

    public Task<SavedReplyOutcome> UpdateAsync(Guid id, int version, SavedReplyInput input, CancellationToken ct = default) => SaveAsync(id, version, input, ct);

    private async Task<SavedReplyOutcome> SaveAsync(Guid? id, int version, SavedReplyInput input, CancellationToken ct)
    {
        // Another workspace's reply (or a deleted one) is not found, whatever the form holds.
        var found = id is { } existing ? await db.SavedReplies.FirstOrDefaultAsync(r => r.Id == existing, ct) : null;
        if (id is not null && found is null) return SavedReplyOutcome.NotFound;
        var problems = Check(input);
        if (problems.Count > 0) { db.ChangeTracker.Clear(); return new SavedReplyOutcome(null, Problems: problems); }
        SavedReply reply;
        if (found is not null)
        {
            if (found.Version != version) { db.ChangeTracker.Clear(); return SavedReplyOutcome.Conflict; }
            reply = found;
        }
        else
        {
            reply = new SavedReply { Id = Guid.NewGuid(), Title = "", Text = "", Version = 1 };
            db.SavedReplies.Add(reply);
        }
        var title = input.Title!.Trim();
        if (await db.SavedReplies.AsNoTracking().AnyAsync(r => r.Title == title && r.Id != reply.Id, ct))
        {
            db.ChangeTracker.Clear();
            return new SavedReplyOutcome(null, Problems: [new Problem("title", "Another saved reply is called “{0}”. Give this one its own title.", title)]);
        }
        reply.Title = title;
        reply.Text = MentionRules.Clean(input.Text!);
        reply.Language = Language(input.Language);
        reply.Tags = MentionRules.JoinLabels((input.Tags ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));
        if (found is not null)
        {
            // Saving what is already there changes nothing (a recipe applied twice leaves the reply as it was).
            db.ChangeTracker.DetectChanges();
            if (db.Entry(reply).State == EntityState.Unchanged) return new SavedReplyOutcome(reply);
            reply.Version++;
        }
        reply.UpdatedUtc = clock.GetUtcNow().UtcDateTime;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { db.ChangeTracker.Clear(); return SavedReplyOutcome.Conflict; }
        catch (DbUpdateException)
        {
            // Two members saving the same new title at once: the unique index decides.
            db.ChangeTracker.Clear();
            return new SavedReplyOutcome(null, Problems: [new Problem("title", "Another saved reply is called “{0}”. Give this one its own title.", title)]);
        }
        db.ChangeTracker.Clear();
        return new SavedReplyOutcome(reply);
    }

    public async Task<SavedReplyOutcome> DeleteAsync(Guid id, int version, CancellationToken ct = default)
    {
        if (await db.SavedReplies.FirstOrDefaultAsync(r => r.Id == id, ct) is not { } reply) return SavedReplyOutcome.NotFound;
        if (reply.Version != version) { db.ChangeTracker.Clear(); return SavedReplyOutcome.Conflict; }
        db.SavedReplies.Remove(reply);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { db.ChangeTracker.Clear(); return SavedReplyOutcome.Conflict; }
        return new SavedReplyOutcome(reply);
    }

    /// <summary>
    /// Keeps the reply a member copied to answer a mention by hand, as a note of the mention. Nothing is sent: replying
    /// through a network channel is a later step (docs/inbox-answers.md).
    /// </summary>
    public async Task<(ReplyNote? Note, IReadOnlyList<Problem> Problems)> RecordCopiedAsync(long mentionId, string? text, Guid memberId, string memberName, CancellationToken ct = default)
    {
        // Another workspace's mention (or none) first: the caller answers 404 whatever the form holds.
        if (!await db.Mentions.AsNoTracking().AnyAsync(m => m.Id == mentionId, ct)) return (null, [MentionNotFound]);
        var clean = MentionRules.Clean(text ?? "");
        if (clean.Length == 0) return (null, [new Problem("text", "The reply has no text.")]);
        if (clean.Length > MaxText) return (null, [new Problem("text", "The text is longer than {0} characters.", MaxText)]);
        var note = new ReplyNote
        {
            Id = Guid.NewGuid(), MentionId = mentionId, MemberId = memberId, MemberName = CmPortal.Modules.Inbox.Mentions.MentionRules.Cut(memberName, 200),
            Text = clean, CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.ReplyNotes.Add(note);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return (note, []);
    }

    /// <summary>The problem <see cref="RecordCopiedAsync"/> gives for a mention this workspace does not have.</summary>
    public static readonly Problem MentionNotFound = new(null, "This mention does not exist.");

    public Task<List<ReplyNote>> NotesAsync(long mentionId, CancellationToken ct = default) =>
        db.ReplyNotes.AsNoTracking().Where(n => n.MentionId == mentionId).OrderBy(n => n.CreatedUtc).ToListAsync(ct);

    /// <summary>The brand's name as replies say it: the workspace's name.</summary>
    public string Brand => workspace.Required.Name;

    private static string? Language(string? language) => string.IsNullOrWhiteSpace(language) ? null : language.Trim().ToLowerInvariant();
}
