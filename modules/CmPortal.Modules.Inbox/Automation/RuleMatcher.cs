using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Listening;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Automation;

/// <summary>
/// A rule ready to be tried on many mentions: its words parsed once. The words are matched by
/// <see cref="ListeningMatcher"/>, so a rule reads them exactly as the search and the listening queries do.
/// </summary>
internal sealed class RuleMatcher
{
    private readonly ListeningMatcher? _words;

    public RuleMatcher(AutomationRule rule)
    {
        Rule = rule;
        _words = rule.Words is { Length: > 0 } words && MentionQuery.Parse(words, out _) is { } query ? new ListeningMatcher(query) : null;
    }

    public AutomationRule Rule { get; }

    /// <summary>True when every condition the rule sets holds for the mention (<paramref name="queries"/>: the listening queries it matches).</summary>
    public bool Matches(Mention mention, IEnumerable<long> queries)
    {
        // The cheap conditions first: most mentions fail one of them before their words are looked at.
        var rule = Rule;
        if (rule.Sentiment is not null && mention.Sentiment != rule.Sentiment) return false;
        if (rule.SourceKind is not null && mention.SourceKind != rule.SourceKind) return false;
        if (rule.Language is not null && mention.Language != rule.Language) return false;
        if (rule.QueryId is { } query && !queries.Contains(query)) return false;
        if (rule.Author is not null && !SameAuthor(rule.Author, mention)) return false;
        return rule.Words is not { Length: > 0 } || (_words is not null && _words.Matches(MentionWords.Of(mention)));
    }

    /// <summary>The handle or the name, without case or a leading '@'; "lea" also finds "@lea@piaille.fr" and "lea.bsky.social".</summary>
    public static bool SameAuthor(string wanted, Mention mention)
    {
        var who = Normal(wanted);
        if (who.Length == 0) return false;
        var handle = Normal(mention.AuthorHandle);
        return Normal(mention.Author) == who || handle == who
            || handle.StartsWith(who + "@", StringComparison.Ordinal) || handle.StartsWith(who + ".", StringComparison.Ordinal);
    }

    private static string Normal(string? text) => (text ?? "").Trim().TrimStart('@').ToLowerInvariant();

    /// <summary>The listening queries the given mentions are tagged with, for the rules that name one: one query.</summary>
    public static async Task<ILookup<long, long>> TagsAsync(InboxDbContext db, IReadOnlyList<RuleMatcher> rules, IReadOnlyList<long> mentionIds, CancellationToken ct)
    {
        var queries = rules.Where(r => r.Rule.QueryId is not null).Select(r => r.Rule.QueryId!.Value).Distinct().ToList();
        if (queries.Count == 0 || mentionIds.Count == 0) return Array.Empty<long>().ToLookup(x => x, x => x);
        // Reached through the workspace's queries: tags have no workspace of their own.
        var own = await db.ListeningQueries.AsNoTracking().Where(q => queries.Contains(q.Id)).Select(q => q.Id).ToListAsync(ct);
        var tags = new List<MentionQueryTag>();
        foreach (var chunk in mentionIds.Chunk(1000))
            tags.AddRange(await db.MentionQueryTags.AsNoTracking().Where(t => own.Contains(t.QueryId) && chunk.Contains(t.MentionId)).ToListAsync(ct));
        return tags.ToLookup(t => t.MentionId, t => t.QueryId);
    }
}

/// <summary>What a rule does to a mention: each change that would alter it, as a short kind and value.</summary>
internal sealed record RuleEffect(string Kind, string Value);

internal static class RuleEffects
{
    /// <summary>Applies the rule's label, assignee and status actions to the mention; returns what changed (the flag is done apart).</summary>
    public static IReadOnlyList<RuleEffect> Apply(AutomationRule rule, Mention mention, ISet<Guid>? members)
    {
        var effects = new List<RuleEffect>();
        if (rule.AddLabels is { } add)
        {
            var current = MentionRules.SplitLabels(mention.Labels);
            var added = MentionRules.SplitLabels(add).Where(l => !current.Contains(l)).ToList();
            if (added.Count > 0 && MentionRules.JoinLabels(current.Concat(added)) is var joined && joined != mention.Labels)
            {
                mention.Labels = joined;
                effects.AddRange(added.Select(l => new RuleEffect("label", l)));
            }
        }
        // An assignee who has left the workspace since the rule was saved is not assigned.
        if (rule.AssignTo is { } who && mention.AssigneeId != who && (members is null || members.Contains(who)))
        {
            mention.AssigneeId = who;
            effects.Add(new RuleEffect("assign", who.ToString()));
        }
        if (rule.SetStatus is { } status && mention.Status != status)
        {
            mention.Status = status;
            effects.Add(new RuleEffect("status", Api.MentionsApi.StatusName(status)));
        }
        return effects;
    }
}
