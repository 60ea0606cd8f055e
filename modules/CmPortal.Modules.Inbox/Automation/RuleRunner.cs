using CmPortal.Core.Security;
using CmPortal.Modules.Inbox.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CmPortal.Modules.Inbox.Automation;

/// <summary>
/// Applies the automation rules to the mentions of an ingest batch (docs/inbox-rules.md): for each new mention, the
/// first enabled rule by position whose conditions all hold, and no other. Set-based and before the mentions are
/// written: the rules and the members are read once per batch, and the mentions are inserted as the rules left them
/// (no UPDATE afterwards); only the moderation flags, which need the mentions' ids, are written after them.
/// </summary>
internal static class RuleRunner
{
    /// <summary>
    /// Called once by <c>MentionService.IngestAsync</c> before the insert, with the listening queries each mention matches
    /// (a rule may name one); returns the mentions a rule flags for moderation, for <see cref="FlagNewAsync"/>.
    /// </summary>
    public static async Task<IReadOnlyList<(Mention Mention, AutomationRule Rule)>> ApplyNewAsync(InboxDbContext db, IReadOnlyList<Mention> fresh,
        ILookup<Mention, long> queries, CancellationToken ct)
    {
        if (fresh.Count == 0) return [];
        var rules = (await db.Rules.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct)).OrderBy(r => r.Position).ThenBy(r => r.CreatedUtc)
            .Select(r => new RuleMatcher(r)).ToList();
        if (rules.Count == 0) return [];
        var matches = new List<(Mention Mention, AutomationRule Rule)>();
        foreach (var mention in fresh)
            if (rules.FirstOrDefault(r => r.Matches(mention, queries[mention])) is { } first) matches.Add((mention, first.Rule));
        if (matches.Count == 0) return [];

        // Every caller of the ingest (API, sources, hooks, imports, recipes) runs the rules: what the runner needs
        // besides the store comes from the ingest's own scope rather than from each caller.
        ISet<Guid>? members = null;
        if (matches.Any(m => m.Rule.AssignTo is not null))
            members = (await db.GetService<MembershipService>().ListAsync(matches[0].Rule.WorkspaceId, ct)).Select(m => m.UserId).ToHashSet();
        // A change as a member's triage makes it: the mention's version moves on.
        foreach (var (mention, rule) in matches)
            if (RuleEffects.Apply(rule, mention, members).Count > 0) mention.Version++;
        return matches.Where(m => m.Rule.FlagCharterRuleId is not null).ToList();
    }

    /// <summary>The moderation flags of <see cref="ApplyNewAsync"/>, once the mentions are written and have their ids.</summary>
    public static async Task FlagNewAsync(InboxDbContext db, IReadOnlyList<(Mention Mention, AutomationRule Rule)> flagged, CancellationToken ct)
    {
        if (flagged.Count == 0) return;
        var moderation = db.GetService<Moderation.ModerationService>();
        foreach (var group in flagged.GroupBy(m => m.Rule.Id))
        {
            var rule = group.First().Rule;
            await moderation.FlagNewAsync(group.Select(m => m.Mention).ToList(), rule.FlagCharterRuleId!, rule.UpdatedById ?? Guid.Empty,
                FlagSignature(rule.Name), ct);
        }
    }

    /// <summary>How the moderation log signs a rule's flag (stored with the decision, as a member's name is).</summary>
    public static string FlagSignature(string ruleName) => "⚙ " + ruleName;
}
