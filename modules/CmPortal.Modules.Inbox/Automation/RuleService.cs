using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.CommunityCharter.Contracts;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Automation;

/// <summary>A rule as the editor, the API or a recipe gives it: empty fields are conditions or actions not set.</summary>
internal sealed record RuleInput(string? Name, string? Words = null, long? QueryId = null, string? Sentiment = null, string? SourceKind = null,
    string? Author = null, string? Language = null, string? Labels = null, Guid? AssignTo = null, string? Status = null,
    string? FlagRuleId = null, bool Enabled = true);

/// <summary>A change's result: the rule as saved, or not found, a version conflict, or problems per field (nothing saved).</summary>
internal sealed record RuleOutcome(AutomationRule? Rule, IReadOnlyList<Problem> Problems, bool IsNotFound = false, bool IsConflict = false)
{
    public static readonly RuleOutcome NotFound = new(null, [], IsNotFound: true);
    public static readonly RuleOutcome Conflict = new(null,
        [new Problem("version", "Someone changed this rule meanwhile. Its current state is shown: check it, then try again.")], IsConflict: true);
}

/// <summary>What a rule would do to the existing mentions of the last <see cref="RuleService.TestDays"/> days.</summary>
internal sealed record RuleTestResult(int Count, IReadOnlyList<(Mention Mention, IReadOnlyList<RuleEffect> Effects)> First);

/// <summary>
/// The automation rules' rules (docs/inbox-rules.md): validated with the problem type (the words with the search
/// parser's own messages; a query, a member and a charter rule must exist), saved with their version, ordered,
/// enabled or disabled, deleted, and tried on the existing mentions without changing them.
/// </summary>
internal sealed class RuleService(InboxDbContext db, WorkspaceContext workspace, MembershipService members, ICommunityCharter charter, TimeProvider clock)
{
    public const int TestDays = 30;
    public const int TestShown = 10;

    public async Task<IReadOnlyList<AutomationRule>> ListAsync(CancellationToken ct = default) =>
        (await db.Rules.AsNoTracking().ToListAsync(ct)).OrderBy(r => r.Position).ThenBy(r => r.CreatedUtc).ToList();

    public Task<AutomationRule?> FindAsync(Guid id, CancellationToken ct = default) => db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);

    public Task<AutomationRule?> FindByNameAsync(string name, CancellationToken ct = default) =>
        db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name, ct);

    /// <summary>The workspace's members, by name, for the assignee list.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> MembersAsync(CancellationToken ct = default) =>
        (await members.ListAsync(workspace.Required.Id, ct)).Select(m => (m.UserId, m.User?.DisplayName ?? m.User?.Email ?? "?")).ToList();

    /// <summary>The workspace's members with their e-mail, by which the API and the recipe name an assignee.</summary>
    public async Task<IReadOnlyList<(Guid Id, string? Email)>> MemberEmailsAsync(CancellationToken ct = default) =>
        (await members.ListAsync(workspace.Required.Id, ct)).Select(m => (m.UserId, m.User?.Email)).ToList();

    /// <summary>
    /// A rule whose listening query is named and whose assignee is given by e-mail or user id (the API's way): both
    /// resolved, else the page's own messages on <c>query</c> and <c>assignTo</c>, with the input's other problems.
    /// </summary>
    public async Task<(RuleInput Input, List<Problem> Problems)> ResolveAsync(RuleInput input, string? queryName, string? member, Guid? except, CancellationToken ct = default)
    {
        var problems = new List<Problem>();
        long? queryId = null;
        if (Blank(queryName) is { } name)
        {
            queryId = (await db.ListeningQueries.AsNoTracking().FirstOrDefaultAsync(q => q.Name == name, ct))?.Id;
            if (queryId is null) problems.Add(new Problem("query", "Choose one of the workspace’s listening queries."));
        }
        Guid? assignee = null;
        if (Blank(member) is { } who)
        {
            var known = await MemberEmailsAsync(ct);
            assignee = known.FirstOrDefault(m => Guid.TryParse(who, out var id) ? m.Id == id : string.Equals(m.Email, who, StringComparison.OrdinalIgnoreCase)).Id;
            if (assignee == Guid.Empty) { assignee = null; problems.Add(new Problem("assignTo", "Assign the mention to a member of this workspace.")); }
        }
        var resolved = input with { QueryId = queryId, AssignTo = assignee };
        if (problems.Count > 0)
            // The other fields' problems too, but not "no condition" or "no action" when the unknown name was that one.
            problems.AddRange((await CheckAsync(resolved, except, ct)).Where(p =>
                !(p.Field == "conditions" && queryId is null && Blank(queryName) is not null) && !(p.Field == "actions" && assignee is null && Blank(member) is not null)));
        return (resolved, problems);
    }

    /// <summary>Every problem of the input, each on its field (the form's and the API's names).</summary>
    public async Task<List<Problem>> CheckAsync(RuleInput input, Guid? except, CancellationToken ct = default)
    {
        var problems = new List<Problem>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > AutomationRule.MaxName)
            problems.Add(new Problem("name", "Give the rule a name (1 to {0} characters).", AutomationRule.MaxName));
        else if (await db.Rules.AnyAsync(r => r.Name == name && r.Id != except, ct))
            problems.Add(new Problem("name", "Another rule is already named “{0}”.", name));
        if (Blank(input.Words) is { } words && MentionQuery.Parse(words, out var parse) is not { Required.Count: > 0 })
            problems.Add(parse is null ? new Problem("words", "Write the words to look for, e.g. livraison OR colis -merci.") : parse with { Field = "words" });
        if (input.QueryId is { } query && !await db.ListeningQueries.AnyAsync(q => q.Id == query, ct))
            problems.Add(new Problem("queryId", "Choose one of the workspace’s listening queries."));
        if (Blank(input.Sentiment) is { } sentiment && !MentionRules.Sentiments.Contains(sentiment))
            problems.Add(new Problem("sentiment", "Choose a sentiment: negative, neutral or positive."));
        if (Blank(input.SourceKind) is { } kind && !MentionRules.SourceKindPattern().IsMatch(kind))
            problems.Add(new Problem("sourceKind", "\"{0}\" is not a source kind. Use lowercase letters, digits and hyphens, e.g. \"rss\" or \"api\".", kind));
        if (Blank(input.Author) is { Length: > 200 })
            problems.Add(new Problem("author", "The author is longer than {0} characters.", 200));
        if (Blank(input.Language) is { } language && !Listening.ListeningQueryService.KnownLanguages.Contains(language))
            problems.Add(new Problem("language", "“{0}” is not a language the inbox reads. Use fr, en, or leave empty for every language.", language));
        if (Condition(input) is false)
            problems.Add(new Problem("conditions", "Set at least one condition: words, a listening query, a sentiment, a source, an author or a language."));

        foreach (var label in SplitList(input.Labels))
            if (label.Length > 40 || label.Contains('|'))
                problems.Add(new Problem("labels", "The label “{0}” is longer than 40 characters or holds a “|”.", label));
        if (SplitList(input.Labels).Count > 10) problems.Add(new Problem("labels", "A rule adds at most {0} labels.", 10));
        if (input.AssignTo is { } who && !(await MembersAsync(ct)).Any(m => m.Id == who))
            problems.Add(new Problem("assignTo", "Assign the mention to a member of this workspace."));
        if (Blank(input.Status) is { } status && Api.MentionsApi.ParseStatus(status) is null)
            problems.Add(new Problem("status", "“{0}” is not a status. Use one of: {1}.", status, string.Join(", ", Enum.GetValues<MentionStatus>().Select(Api.MentionsApi.StatusName))));
        if (Blank(input.FlagRuleId) is { } flag && await charter.FindRuleAsync(flag, null, ct) is null)
            problems.Add(new Problem("flagRuleId", "The rule “{0}” is not in the published community charter. Choose one from the list.", flag));
        if (SplitList(input.Labels).Count == 0 && input.AssignTo is null && Blank(input.Status) is null && Blank(input.FlagRuleId) is null)
            problems.Add(new Problem("actions", "Choose at least one action: labels, an assignee, a status or a flag for moderation."));
        return problems;
    }

    private static bool Condition(RuleInput input) =>
        Blank(input.Words) is not null || input.QueryId is not null || Blank(input.Sentiment) is not null || Blank(input.SourceKind) is not null
        || Blank(input.Author) is not null || Blank(input.Language) is not null;

    public async Task<RuleOutcome> CreateAsync(RuleInput input, Guid? memberId, string? memberName, CancellationToken ct = default)
    {
        var problems = await CheckAsync(input, null, ct);
        var count = await db.Rules.CountAsync(ct);
        if (count >= AutomationRule.MaxRules) problems.Add(new Problem("name", "A workspace has at most {0} rules. Delete one first.", AutomationRule.MaxRules));
        if (problems.Count > 0) return new RuleOutcome(null, problems);
        var now = clock.GetUtcNow().UtcDateTime;
        var rule = new AutomationRule
        {
            Id = Guid.NewGuid(), Name = input.Name!.Trim(), CreatedUtc = now, CreatedById = memberId,
            Position = count == 0 ? 0 : await db.Rules.MaxAsync(r => r.Position, ct) + 1,
        };
        Apply(rule, input, now, memberId, memberName);
        db.Rules.Add(rule);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return new RuleOutcome(rule, []);
    }

    public async Task<RuleOutcome> UpdateAsync(Guid id, int version, RuleInput input, Guid? memberId, string? memberName, CancellationToken ct = default)
    {
        var rule = await db.Rules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return RuleOutcome.NotFound;
        if (rule.Version != version) { db.ChangeTracker.Clear(); return RuleOutcome.Conflict; }
        var problems = await CheckAsync(input, id, ct);
        if (problems.Count > 0) { db.ChangeTracker.Clear(); return new RuleOutcome(null, problems); }
        var updated = rule.UpdatedUtc;
        Apply(rule, input, rule.UpdatedUtc, rule.UpdatedById, rule.UpdatedByName);
        rule.Name = input.Name!.Trim();
        // Saving what is already there changes nothing (a recipe applied twice leaves the rule as it was).
        db.ChangeTracker.DetectChanges();
        if (db.Entry(rule).State == EntityState.Unchanged) { db.ChangeTracker.Clear(); return new RuleOutcome(rule, []); }
        Apply(rule, input, clock.GetUtcNow().UtcDateTime, memberId, memberName);
        return await SaveAsync(rule, ct);
    }

    public async Task<RuleOutcome> SetEnabledAsync(Guid id, int version, bool enabled, CancellationToken ct = default)
    {
        var rule = await db.Rules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return RuleOutcome.NotFound;
        if (rule.Version != version) { db.ChangeTracker.Clear(); return RuleOutcome.Conflict; }
        rule.Enabled = enabled;
        return await SaveAsync(rule, ct);
    }

    /// <summary>Moves a rule one place up (earlier: tried first) or down, swapping with its neighbour.</summary>
    public async Task<RuleOutcome> MoveAsync(Guid id, bool up, CancellationToken ct = default)
    {
        var rules = (await db.Rules.ToListAsync(ct)).OrderBy(r => r.Position).ThenBy(r => r.CreatedUtc).ToList();
        var index = rules.FindIndex(r => r.Id == id);
        if (index < 0) { db.ChangeTracker.Clear(); return RuleOutcome.NotFound; }
        var other = up ? index - 1 : index + 1;
        if (other >= 0 && other < rules.Count)
        {
            (rules[index], rules[other]) = (rules[other], rules[index]);
            // Positions 0..n-1 again, so that gaps or ties left by deletions never make a move do nothing.
            for (var i = 0; i < rules.Count; i++) rules[i].Position = i;
            await db.SaveChangesAsync(ct);
        }
        var moved = rules.First(r => r.Id == id);
        db.ChangeTracker.Clear();
        return new RuleOutcome(moved, []);
    }

    public async Task<RuleOutcome> DeleteAsync(Guid id, int version, CancellationToken ct = default)
    {
        var rule = await db.Rules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null) return RuleOutcome.NotFound;
        if (rule.Version != version) { db.ChangeTracker.Clear(); return RuleOutcome.Conflict; }
        db.Rules.Remove(rule);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return new RuleOutcome(rule, []);
    }

    /// <summary>
    /// "Test this rule": how many mentions of the last <see cref="TestDays"/> days it matches, and the newest
    /// <see cref="TestShown"/> with what it would change. Reads only (the rule need not be saved).
    /// </summary>
    public async Task<(RuleTestResult? Result, IReadOnlyList<Problem> Problems)> TestAsync(RuleInput input, Guid? except, CancellationToken ct = default)
    {
        var problems = (await CheckAsync(input, except, ct)).Where(p => p.Field != "name").ToList();
        if (problems.Count > 0) return (null, problems);
        var matcher = new RuleMatcher(Apply(new AutomationRule { Name = "test" }, input, default, null, null));
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-TestDays);
        var memberIds = (await MembersAsync(ct)).Select(m => m.Id).ToHashSet();
        var count = 0;
        var first = new List<(Mention, IReadOnlyList<RuleEffect>)>();
        long? before = null;
        while (true)
        {
            // Newest first, a thousand at a time by id (ids increase with arrival), so a big inbox never sits in memory.
            var page = await db.Mentions.AsNoTracking().Where(m => m.PublishedUtc >= since && (before == null || m.Id < before))
                .OrderByDescending(m => m.Id).Take(1000).ToListAsync(ct);
            if (page.Count == 0) break;
            var tags = await RuleMatcher.TagsAsync(db, [matcher], page.Select(m => m.Id).ToList(), ct);
            foreach (var mention in page.Where(m => matcher.Matches(m, tags[m.Id])))
            {
                count++;
                if (first.Count < TestShown) first.Add((mention, Describe(matcher.Rule, mention, memberIds)));
            }
            before = page[^1].Id;
        }
        first.Sort((a, b) => b.Item1.PublishedUtc.CompareTo(a.Item1.PublishedUtc));
        return (new RuleTestResult(count, first), []);
    }

    /// <summary>What the rule would change, worked out on a copy: the stored mention is left alone.</summary>
    private static IReadOnlyList<RuleEffect> Describe(AutomationRule rule, Mention mention, ISet<Guid> members)
    {
        var copy = new Mention { SourceKind = mention.SourceKind, ExternalId = mention.ExternalId, Text = mention.Text, Labels = mention.Labels,
            AssigneeId = mention.AssigneeId, Status = mention.Status };
        var effects = RuleEffects.Apply(rule, copy, members).ToList();
        if (rule.FlagCharterRuleId is { } flag) effects.Add(new RuleEffect("flag", flag));
        return effects;
    }

    private async Task<RuleOutcome> SaveAsync(AutomationRule rule, CancellationToken ct)
    {
        rule.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { db.ChangeTracker.Clear(); return RuleOutcome.Conflict; }
        db.ChangeTracker.Clear();
        return new RuleOutcome(rule, []);
    }

    private static AutomationRule Apply(AutomationRule rule, RuleInput input, DateTime now, Guid? memberId, string? memberName)
    {
        rule.Enabled = input.Enabled;
        rule.Words = Blank(input.Words);
        rule.QueryId = input.QueryId;
        rule.Sentiment = Blank(input.Sentiment);
        rule.SourceKind = Blank(input.SourceKind);
        rule.Author = Blank(input.Author);
        rule.Language = Blank(input.Language)?.ToLowerInvariant();
        rule.AddLabels = MentionRules.JoinLabels(SplitList(input.Labels));
        rule.AssignTo = input.AssignTo;
        rule.SetStatus = Api.MentionsApi.ParseStatus(Blank(input.Status));
        rule.FlagCharterRuleId = Blank(input.FlagRuleId);
        rule.UpdatedUtc = now;
        rule.UpdatedById = memberId;
        rule.UpdatedByName = memberName is null ? null : CmPortal.Modules.Inbox.Mentions.MentionRules.Cut(memberName, 200);
        return rule;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Labels typed as "livraison, urgent".</summary>
    public static List<string> SplitList(string? labels) =>
        (labels ?? "").Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.ToLowerInvariant()).Distinct().ToList();
}
