using System.Security.Cryptography;
using System.Text;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Sources.Stored;
using CmPortal.Modules.Publishing.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CmPortal.Modules.Inbox.Answers;

/// <summary>
/// A reply sent to a mention through a channel (docs/inbox-answers.md, "Sending the reply"): the inbox keeps which
/// mention, the id Publishing gave the reply (<see cref="IPublishingReplies"/>), who sent it and when. The text, the
/// channel and the state are Publishing's, read back with the id.
/// </summary>
internal sealed class SentReply : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public long MentionId { get; set; }
    public Guid ReplyId { get; set; }
    public Guid MemberId { get; set; }
    /// <summary>The member's name when they sent it (a member who leaves still signs their replies).</summary>
    public required string MemberName { get; set; }
    public DateTime SentUtc { get; set; }
}

internal sealed class SentReplyConfiguration : IEntityTypeConfiguration<SentReply>
{
    public void Configure(EntityTypeBuilder<SentReply> b)
    {
        b.ToTable("Inbox_SentReplies");
        b.Property(r => r.MemberName).HasMaxLength(200);
        b.HasIndex(r => new { r.WorkspaceId, r.ReplyId }).IsUnique();
        b.HasIndex(r => new { r.WorkspaceId, r.MentionId, r.SentUtc });
    }
}

/// <summary>A sent reply as the mention's page shows it: who sent it and when, and its state from Publishing.</summary>
internal sealed record SentReplyView(SentReply Sent, ReplyStatus? Status);

/// <summary>
/// Sends a reply to a Mastodon or Bluesky mention through one of the workspace's channels of that network, and
/// marks the mention handled. Other sources keep the copy flow (<see cref="SavedReplyService.RecordCopiedAsync"/>).
/// </summary>
internal sealed class SentReplyService(InboxDbContext db, IPublishingReplies publishing, IPublishingChannels channels, MentionService mentions,
    TimeProvider clock)
{
    /// <summary>The mention sources a reply can go to through a channel: the channel's network is the mention's.</summary>
    public static bool CanSendTo(Mention mention) => mention.SourceKind is "mastodon" or "bluesky";

    /// <summary>The workspace's channels of the mention's network, to send through (none for other sources).</summary>
    public async Task<IReadOnlyList<ChannelSummary>> ChannelsForAsync(Mention mention, CancellationToken ct = default) =>
        CanSendTo(mention) ? await channels.ChannelsOfKindAsync(mention.SourceKind, ct) : [];

    /// <summary>
    /// Sends <paramref name="text"/> as a reply to the mention through <paramref name="channelId"/>. The same text to the
    /// same mention through the same channel (a double click, a second tab) is one reply: Publishing keeps one per
    /// request key, and the inbox one row per reply. After a failed or canceled reply, the same text may go again.
    /// </summary>
    public async Task<(SentReply? Sent, IReadOnlyList<Problem> Problems)> SendAsync(long mentionId, Guid channelId, string? text,
        Guid memberId, string memberName, CancellationToken ct = default)
    {
        var mention = await db.Mentions.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mentionId, ct);
        if (mention is null) return (null, [SavedReplyService.MentionNotFound]);
        if (!CanSendTo(mention))
            return (null, [new Problem(null, "Replies go through a channel only to Mastodon and Bluesky mentions: copy the reply and open the post.")]);
        var clean = MentionRules.Clean(text ?? "");
        if (clean.Length == 0) return (null, [new Problem("text", "The reply has no text.")]);
        if (clean.Length > SavedReplyService.MaxText) return (null, [new Problem("text", "The text is longer than {0} characters.", SavedReplyService.MaxText)]);
        if (!(await ChannelsForAsync(mention, ct)).Any(c => c.Id == channelId))
            return (null, [new Problem("channel", "Choose one of the workspace's Mastodon or Bluesky channels.")]);

        // The request key: this mention, channel and text, and how many times that same reply failed or was canceled.
        var earlier = await RepliesAsync(mentionId, ct);
        var retries = earlier.Count(r => r.Status is { State: ReplyState.Failed or ReplyState.Canceled } s && s.ChannelId == channelId && s.Text == clean);
        var key = $"inbox:{mentionId}:{channelId:N}:{Hash(clean)}:{retries}";
        var (throughChannel, fromInstance) = await OriginAsync(mention, ct);
        var outcome = await publishing.SendAsync(new ReplyToSend(channelId, clean, memberId, key, mention.ExternalId, mention.Url,
            throughChannel, fromInstance), ct);
        if (!outcome.Succeeded) return (null, outcome.Problems);

        var replyId = outcome.ReplyId!.Value;
        var sent = await db.SentReplies.AsNoTracking().FirstOrDefaultAsync(r => r.ReplyId == replyId, ct);
        if (sent is null)
        {
            sent = new SentReply
            {
                Id = Guid.NewGuid(), MentionId = mentionId, ReplyId = replyId, MemberId = memberId,
                MemberName = MentionRules.Cut(memberName, 200), SentUtc = clock.GetUtcNow().UtcDateTime,
            };
            db.SentReplies.Add(sent);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException)
            {
                // The same request from another tab stored it first: one row per reply.
                db.ChangeTracker.Clear();
                sent = await db.SentReplies.AsNoTracking().FirstAsync(r => r.ReplyId == replyId, ct);
            }
            db.ChangeTracker.Clear();
        }
        await MarkHandledAsync(mentionId, ct);
        return (sent, []);
    }

    /// <summary>The replies sent to a mention, oldest first, with their state as Publishing tells it.</summary>
    public async Task<IReadOnlyList<SentReplyView>> RepliesAsync(long mentionId, CancellationToken ct = default)
    {
        var rows = await db.SentReplies.AsNoTracking().Where(r => r.MentionId == mentionId).OrderBy(r => r.SentUtc).ToListAsync(ct);
        if (rows.Count == 0) return [];
        var states = (await publishing.StatesAsync(rows.Select(r => r.ReplyId).ToList(), ct)).ToDictionary(s => s.Id);
        return rows.Select(r => new SentReplyView(r, states.GetValueOrDefault(r.ReplyId))).ToList();
    }

    /// <summary>
    /// Where the mention's id was read: the channel of the source that found it, or the public instance it read.
    /// A Mastodon id is the instance's own, so Publishing looks a status up by its address when it is another's.
    /// </summary>
    private async Task<(Guid? Channel, string? Instance)> OriginAsync(Mention mention, CancellationToken ct)
    {
        if (mention.SourceName is not { } name) return (null, null);
        var sources = await db.Sources.AsNoTracking().Where(s => s.Name == name).Select(s => new { s.Kind, s.ChannelId, s.Url }).ToListAsync(ct);
        var source = sources.FirstOrDefault(s => SourceKinds.Network(s.Kind) == mention.SourceKind);
        return source is null ? (null, null) : (source.ChannelId, source.ChannelId is null ? source.Url : null);
    }

    /// <summary>Answered: the mention is handled (a concurrent change of the mention is read again once).</summary>
    private async Task MarkHandledAsync(long mentionId, CancellationToken ct)
    {
        for (var round = 0; round < 2; round++)
        {
            var current = await db.Mentions.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mentionId, ct);
            if (current is null || current.Status == MentionStatus.Handled) return;
            if (!(await mentions.SetStatusAsync(mentionId, current.Version, MentionStatus.Handled, ct)).IsConflict) return;
        }
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}
