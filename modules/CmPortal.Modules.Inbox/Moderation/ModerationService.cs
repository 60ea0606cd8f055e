using CmPortal.Core.Validation;
using CmPortal.Modules.CommunityCharter.Contracts;
using CmPortal.Modules.Inbox.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Moderation;

/// <summary>A decision's result: the decision as stored, or not found, or problems (nothing stored).</summary>
internal sealed record ModerationOutcome(ModerationDecision? Decision, bool IsNotFound = false, IReadOnlyList<Problem>? Problems = null)
{
    public IReadOnlyList<Problem> Problems { get; } = Problems ?? [];
    public static readonly ModerationOutcome NotFound = new(null, IsNotFound: true);
}

/// <summary>Where a mention stands: its last flag or hide (null once restored) and the rule as it read in that version.</summary>
internal sealed record ModerationState(ModerationDecision? Decision, CharterRuleReference? Rule, bool IsHidden);

/// <summary>The insult suggestion for a mention: the listed word found and the rule a hide would cite.</summary>
/// <remarks>Rule is null when no rule of the charter says insults or respect and none is set (the page says where to set it).</remarks>
internal sealed record ProfanitySuggestion(string Word, CharterRuleReference? Rule);

/// <summary>
/// Moderation by the community charter (docs/inbox-answers.md): flag, hide and restore, each flag or hide citing a
/// rule of the PUBLISHED charter, stored with the version, the rule's number then, the member and the mention's text
/// as it was. Never automatic: the profanity lists only suggest.
/// </summary>
internal sealed class ModerationService(InboxDbContext db, ICommunityCharter charter, ProfanityLists profanity, TimeProvider clock)
{
    public const int LogPageSize = 50;

    /// <summary>Rule ids or section titles that say "insults", then "respect": where the insult suggestion looks first.</summary>
    private static readonly string[] InsultHints = ["insult", "injur", "respect"];

    public async Task<ModerationOutcome> DecideAsync(long mentionId, ModerationAction action, string? ruleId, Guid memberId, string memberName, CancellationToken ct = default)
    {
        if (await db.Mentions.AsNoTracking().FirstOrDefaultAsync(m => m.Id == mentionId, ct) is not { } mention) return ModerationOutcome.NotFound;
        if (!Enum.IsDefined(action)) return new ModerationOutcome(null, Problems: [new Problem("action", "Choose flag, hide or restore.")]);
        var current = await LastAsync(mentionId, ct);
        var decision = new ModerationDecision
        {
            Id = Guid.NewGuid(), MentionId = mentionId, Action = action, MemberId = memberId,
            MemberName = CmPortal.Modules.Inbox.Mentions.MentionRules.Cut(memberName, 200), AtUtc = clock.GetUtcNow().UtcDateTime, MentionText = mention.Text,
        };
        if (action == ModerationAction.Restore)
        {
            // Restoring undoes the last flag or hide; it cites no rule.
            if (current is null or { Action: ModerationAction.Restore })
                return new ModerationOutcome(null, Problems: [new Problem("action", "This mention is neither flagged nor hidden: there is nothing to restore.")]);
        }
        else
        {
            if (await charter.CurrentVersionAsync(ct) is null)
                return new ModerationOutcome(null, Problems: [new Problem("ruleId", "No community charter is published: a moderation decision cites one of its rules. Publish the charter first.")]);
            if (string.IsNullOrWhiteSpace(ruleId))
                return new ModerationOutcome(null, Problems: [new Problem("ruleId", "Choose the rule of the community charter the mention breaks.")]);
            if (await charter.FindRuleAsync(ruleId.Trim(), null, ct) is not { } rule)
                return new ModerationOutcome(null, Problems: [new Problem("ruleId", "The rule “{0}” is not in the published community charter. Choose one from the list.", ruleId.Trim())]);
            decision.RuleId = rule.RuleId;
            decision.CharterVersion = rule.Version;
            decision.RuleNumber = rule.Number;
        }

        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        db.ModerationDecisions.Add(decision);
        var hidden = await db.HiddenMentions.FirstOrDefaultAsync(h => h.MentionId == mentionId, ct);
        if (action == ModerationAction.Hide)
        {
            if (hidden is null) db.HiddenMentions.Add(new HiddenMention { MentionId = mentionId, DecisionId = decision.Id });
            else hidden.DecisionId = decision.Id;
        }
        else if (hidden is not null) db.HiddenMentions.Remove(hidden); // a flag after a hide shows the mention again, flagged
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new ModerationOutcome(decision);
    }

    /// <summary>
    /// Flags mentions that have just come in (an automation rule's action, docs/inbox-rules.md), citing a rule of the
    /// published charter as a member's flag does; never a hide. They have no earlier decision, so one save flags them all.
    /// Returns false (nothing flagged) when the charter rule is no longer published.
    /// </summary>
    public async Task<bool> FlagNewAsync(IReadOnlyList<Mention> mentions, string ruleId, Guid memberId, string memberName, CancellationToken ct = default)
    {
        if (mentions.Count == 0 || await charter.FindRuleAsync(ruleId, null, ct) is not { } rule) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var mention in mentions)
            db.ModerationDecisions.Add(new ModerationDecision
            {
                Id = Guid.NewGuid(), MentionId = mention.Id, Action = ModerationAction.Flag, MemberId = memberId,
                MemberName = CmPortal.Modules.Inbox.Mentions.MentionRules.Cut(memberName, 200), AtUtc = now, MentionText = mention.Text,
                RuleId = rule.RuleId, CharterVersion = rule.Version, RuleNumber = rule.Number,
            });
        await db.SaveChangesAsync(ct);
        foreach (var entry in db.ChangeTracker.Entries<ModerationDecision>().ToList()) entry.State = Microsoft.EntityFrameworkCore.EntityState.Detached;
        return true;
    }

    private Task<ModerationDecision?> LastAsync(long mentionId, CancellationToken ct) =>
        db.ModerationDecisions.AsNoTracking().Where(d => d.MentionId == mentionId).OrderByDescending(d => d.AtUtc).ThenByDescending(d => d.Id).FirstOrDefaultAsync(ct);

    public async Task<ModerationState> StateAsync(long mentionId, CancellationToken ct = default)
    {
        var last = await LastAsync(mentionId, ct);
        if (last is null or { Action: ModerationAction.Restore }) return new ModerationState(null, null, false);
        var rule = last.RuleId is { } id ? await charter.FindRuleAsync(id, last.CharterVersion, ct) : null;
        return new ModerationState(last, rule, last.Action == ModerationAction.Hide);
    }

    /// <summary>The decisions, newest first, of the workspace or of one mention.</summary>
    public Task<List<ModerationDecision>> LogAsync(long? mentionId, int page, CancellationToken ct = default)
    {
        var query = db.ModerationDecisions.AsNoTracking();
        if (mentionId is { } id) query = query.Where(d => d.MentionId == id);
        return query.OrderByDescending(d => d.AtUtc).ThenByDescending(d => d.Id).Skip((Math.Max(page, 1) - 1) * LogPageSize).Take(LogPageSize + 1).ToListAsync(ct);
    }

    /// <summary>The current charter's rules, for the list a moderator picks from (empty when nothing is published).</summary>
    public Task<IReadOnlyList<CharterRuleReference>> RulesAsync(CancellationToken ct = default) => charter.RulesAsync(null, ct);

    public Task<int?> CharterVersionAsync(CancellationToken ct = default) => charter.CurrentVersionAsync(ct);

    /// <summary>
    /// The rule the insult suggestion cites: the one set for the workspace when it is still in the charter, else the
    /// first whose id or section title says insults, else respect; null when none does (then set one).
    /// </summary>
    public async Task<CharterRuleReference?> InsultRuleAsync(CancellationToken ct = default)
    {
        var rules = await charter.RulesAsync(null, ct);
        var chosen = (await db.ModerationSettings.AsNoTracking().FirstOrDefaultAsync(ct))?.InsultRuleId;
        if (chosen is not null && rules.FirstOrDefault(r => r.RuleId == chosen) is { } set) return set;
        foreach (var hint in InsultHints)
            if (rules.FirstOrDefault(r => r.RuleId.Contains(hint, StringComparison.OrdinalIgnoreCase)) is { } byId) return byId;
        foreach (var hint in InsultHints)
            if (rules.FirstOrDefault(r => r.SectionTitle.Contains(hint, StringComparison.OrdinalIgnoreCase)) is { } bySection) return bySection;
        return null;
    }

    public Task<string?> InsultRuleSettingAsync(CancellationToken ct = default) =>
        db.ModerationSettings.AsNoTracking().Select(s => s.InsultRuleId).FirstOrDefaultAsync(ct);

    /// <summary>Sets (or clears, with null) the rule the insult suggestion cites; it must be in the published charter.</summary>
    public async Task<IReadOnlyList<Problem>> SetInsultRuleAsync(string? ruleId, CancellationToken ct = default)
    {
        ruleId = string.IsNullOrWhiteSpace(ruleId) ? null : ruleId.Trim();
        if (ruleId is not null && await charter.FindRuleAsync(ruleId, null, ct) is null)
            return [new Problem("insultRule", "The rule “{0}” is not in the published community charter. Choose one from the list.", ruleId)];
        var settings = await db.ModerationSettings.FirstOrDefaultAsync(ct);
        if (settings is null) db.ModerationSettings.Add(new ModerationSettings { InsultRuleId = ruleId });
        else settings.InsultRuleId = ruleId;
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return [];
    }

    /// <summary>The insult suggestion for a mention not hidden yet: a listed word and the rule a hide would cite; null when no listed word is there.</summary>
    public async Task<ProfanitySuggestion?> SuggestAsync(Mention mention, ModerationState state, CancellationToken ct = default)
    {
        if (state.IsHidden || profanity.Find((mention.Title ?? "") + "\n" + mention.Text) is not { } word) return null;
        return new ProfanitySuggestion(word, await InsultRuleAsync(ct));
    }
}
