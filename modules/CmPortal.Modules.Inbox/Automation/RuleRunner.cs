using CmPortal.Core.Security;
using CmPortal.Modules.Inbox.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CmPortal.Modules.Inbox.Automation;

/// <summary>
/// Applies the automation rules to the mentions of an ingest batch (docs/inbox-rules.md): for each new mention, the
/// first enabled rule by position whose conditions all hold, and no other. Set-based: the rules, the listening tags
/// and the members are read once per batch, the changes saved together, in the ingest's transaction.
/// </summary>
internal static class RuleRunner
{
    /// <summary>Called once by <c>MentionService.IngestAsync</c>, after the listening tags are set (a rule may name a query).</summary>
    public static async Task ApplyNewAsync(InboxDbContext db, IReadOnlyList<Mention> fresh, CancellationToken ct)
    {
        if (fresh.Count == 0) return;
        var rules = (await db.Rules.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct)).OrderBy(r => r.Position).ThenBy(r => r.CreatedUtc)
            .Select(r => new RuleMatcher(r)).ToList();
        if (rules.Count == 0) return;
        var tags = await RuleMatcher.TagsAsync(db, rules, fresh.Select(m => m.Id).ToList(), ct);
        var matches = new List<(Mention Mention, AutomationRule Rule)>();
        foreach (var mention in fresh)
            if (rules.FirstOrDefault(r => r.Matches(mention, tags)) is { } first) matches.Add((mention, first.Rule));
        if (matches.Count == 0) return;

        // Every caller of the ingest (API, sources, hooks, imports, recipes) runs the rules: what the runner needs
        // besides the store comes from the ingest's own scope rather than from each caller.
        ISet<Guid>? members = null;
        if (matches.Any(m => m.Rule.AssignTo is not null))
            members = (await db.GetService<MembershipService>().ListAsync(matches[0].Rule.WorkspaceId, ct)).Select(m => m.UserId).ToHashSet();
        var changed = new List<Mention>();
        foreach (var (mention, rule) in matches)
        {
            db.Mentions.Attach(mention);
            // A change as a member's triage makes it: the mention's version moves on.
            if (RuleEffects.Apply(rule, mention, members).Count > 0) { mention.Version++; changed.Add(mention); }
            else db.Entry(mention).State = EntityState.Detached;
        }
        if (changed.Count > 0) await db.SaveChangesAsync(ct);
        foreach (var mention in changed) db.Entry(mention).State = EntityState.Detached;

        var moderation = db.GetService<Moderation.ModerationService>();
        foreach (var group in matches.Where(m => m.Rule.FlagCharterRuleId is not null).GroupBy(m => m.Rule.Id))
        {
            var rule = group.First().Rule;
            await moderation.FlagNewAsync(group.Select(m => m.Mention).ToList(), rule.FlagCharterRuleId!, rule.UpdatedById ?? Guid.Empty,
                FlagSignature(rule.Name), ct);
        }
    }

    /// <summary>How the moderation log signs a rule's flag (stored with the decision, as a member's name is).</summary>
    public static string FlagSignature(string ruleName) => "⚙ " + ruleName;
}
