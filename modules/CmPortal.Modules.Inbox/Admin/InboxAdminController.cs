using System.Globalization;
using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Inbox.Admin;

/// <summary>What the inbox page shows: the search as typed, its results or the problem with it, and the counters.</summary>
internal sealed record InboxView(MentionFilter Filter, string? From, string? To, MentionPage? Page, string? Problem,
    IReadOnlyDictionary<MentionStatus, int> Counts, IReadOnlyList<(Guid Id, string Name)> Members)
{
    /// <summary>The listening queries for the "Query / competitor" filter (inbox-listening).</summary>
    public IReadOnlyList<Listening.ListeningQuery> Queries { get; init; } = [];
    /// <summary>Triage on the list (inbox-triage): the bulk form shows to those who may triage.</summary>
    public bool CanTriage { get; init; }
    public bool CanManage { get; init; }
    public IReadOnlyList<SavedSearches.SavedSearchItem> SavedSearches { get; init; } = [];
}

/// <summary>One mention with its triage forms.</summary>
internal sealed record MentionView(Mention Mention, IReadOnlyList<(Guid Id, string Name)> Members, bool CanTriage, string? Back)
{
    /// <summary>The addresses of the mentions before and after this one in the list it was opened from (j and k).</summary>
    public string? Previous { get; init; }
    public string? Next { get; init; }
}

/// <summary>The inbox page (/admin/{ws}/inbox): search, filters, counters per status, the list, one mention's triage.</summary>
[Route("admin/{workspace}/inbox")]
[RequirePermission("Inbox.View")]
internal sealed class InboxAdminController(MentionService mentions, MentionSearch search, WorkspaceContext workspace,
    PermissionService permissions, Listening.ListeningQueryService listening, SavedSearches.SavedSearchService savedSearches, IStringLocalizer<InboxAdminController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var (filter, from, to, problem) = FilterOf(Request.Query.ToDictionary(p => p.Key, p => (string?)p.Value.ToString()));
        MentionPage? found = null;
        if (problem is null)
        {
            var (result, searchProblem) = await search.SearchAsync(filter, ct);
            found = result;
            if (searchProblem is not null) problem = T.Problem(searchProblem).Value;
        }
        var me = PermissionService.UserId(User) ?? Guid.Empty;
        return View(new InboxView(filter, from, to, found, problem, await mentions.CountByStatusAsync(ct), await mentions.MembersAsync(ct))
        {
            Queries = await listening.ListAsync(ct),
            CanTriage = await permissions.HasAsync(User, workspace.Required, InboxPermissions.Triage.Name, ct),
            CanManage = await permissions.HasAsync(User, workspace.Required, InboxPermissions.Manage.Name, ct),
            SavedSearches = await savedSearches.ListAsync(me, SavedFilterOf, ct),
        });
    }

    /// <summary>
    /// How many mentions matching the list's search came in after the newest one the page shows (<c>since</c>, a mention
    /// id): inbox.js asks every 30 seconds and offers to show them rather than moving rows under the reader's cursor.
    /// </summary>
    [HttpGet("new")]
    public async Task<IActionResult> New(long? since, CancellationToken ct)
    {
        var (filter, _, _, problem) = FilterOf(Request.Query.ToDictionary(p => p.Key, p => (string?)p.Value.ToString()));
        if (problem is not null || since is not { } newest) return Json(new { count = 0, atLeast = false });
        var (count, atLeast) = await search.CountAsync(filter with { NewerThanId = newest, After = null }, ct);
        Response.Headers.CacheControl = "no-store";
        return Json(new { count, atLeast });
    }

    /// <summary>
    /// A bulk change to the mentions ticked on the list (or every one of the page): each comes as "id:version", so a
    /// mention someone changed since the page was shown is left alone and counted.
    /// </summary>
    [HttpPost("bulk")]
    [RequirePermission("Inbox.Triage")]
    public async Task<IActionResult> Bulk(string[]? pick, string[]? shown, bool allOnPage, string? action, MentionStatus? status,
        Guid? assigneeId, string? note, string? label, string? back, CancellationToken ct)
    {
        var picked = (allOnPage ? shown : pick)?.Select(ParsePick).OfType<(long, int)>().Take(MentionService.MaxBulk + 1).ToList() ?? [];
        var change = action switch
        {
            "status" => new BulkChange(Status: status is { } st && Enum.IsDefined(st) ? st : null),
            "assign" => new BulkChange(Assign: true, AssigneeId: assigneeId, AssigneeNote: note),
            "label-add" => new BulkChange(AddLabel: label ?? ""),
            "label-remove" => new BulkChange(RemoveLabel: label ?? ""),
            _ => new BulkChange(),
        };
        var outcome = await mentions.BulkAsync(picked, change, ct);
        if (outcome.Problems.Count > 0) TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        else if (outcome.Changed + outcome.Stale == 0) return NotFound(); // none of them is this workspace's
        else TempData["Message"] = outcome.Stale == 0
            ? T["{0} {0|mention|mentions} updated.", outcome.Changed].Value
            : T["{0} {0|mention|mentions} updated, {1} changed meanwhile by someone else.", outcome.Changed, outcome.Stale].Value;
        return Redirect(LocalBack(back) ?? $"/admin/{workspace.Required.Key}/inbox");
    }

    [HttpPost("saved-searches")]
    public async Task<IActionResult> SaveSearch(string? name, string? query, bool shared, CancellationToken ct)
    {
        var canManage = await permissions.HasAsync(User, workspace.Required, InboxPermissions.Manage.Name, ct);
        var kept = KeptQuery(query);
        var (saved, problems) = await savedSearches.SaveAsync(PermissionService.UserId(User) ?? Guid.Empty, name, kept, shared, canManage, ct);
        if (saved is null) TempData["Error"] = string.Join(" ", problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = T["Search saved."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox" + (kept.Length > 0 ? "?" + kept : ""));
    }

    [HttpPost("saved-searches/{id:long}/rename")]
    public async Task<IActionResult> RenameSearch(long id, string? name, CancellationToken ct)
    {
        var canManage = await permissions.HasAsync(User, workspace.Required, InboxPermissions.Manage.Name, ct);
        var problems = await savedSearches.RenameAsync(id, PermissionService.UserId(User) ?? Guid.Empty, canManage, name, ct);
        if (problems is null) return NotFound();
        if (problems.Count > 0) TempData["Error"] = string.Join(" ", problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = T["Search renamed."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox");
    }

    [HttpPost("saved-searches/{id:long}/delete")]
    public async Task<IActionResult> DeleteSearch(long id, CancellationToken ct)
    {
        var canManage = await permissions.HasAsync(User, workspace.Required, InboxPermissions.Manage.Name, ct);
        if (!await savedSearches.DeleteAsync(id, PermissionService.UserId(User) ?? Guid.Empty, canManage, ct)) return NotFound();
        TempData["Message"] = T["Search deleted."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox");
    }

    /// <summary>The list's search from its query string: the filters as typed and, when a date does not read, the problem.</summary>
    private (MentionFilter Filter, string? From, string? To, string? Problem) FilterOf(IReadOnlyDictionary<string, string?> query)
    {
        string? Get(string name) => query.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
        var (from, to) = (Get("from"), Get("to"));
        var fromDay = Day(from);
        var toDay = Day(to);
        string? problem = null;
        if ((from is not null && fromDay is null) || (to is not null && toDay is null))
            problem = T["Give dates as YYYY-MM-DD."].Value;
        var status = Get("status");
        var sentiment = Get("sentiment");
        var filter = new MentionFilter
        {
            Q = Get("q"), Source = Blank(Get("source")), Sentiment = MentionRules.Sentiments.Contains(sentiment) ? sentiment : null,
            Status = Enum.TryParse<MentionStatus>(status, out var s) && Enum.IsDefined(s) ? s : null,
            Assignee = Guid.TryParse(Get("assignee"), out var assignee) ? assignee : null,
            Label = Blank(Get("label")), Language = Blank(Get("language")), FromUtc = fromDay, ToUtc = toDay?.AddDays(1),
            ByRelevance = Get("sort") == "relevance", After = Get("after"),
            Page = Math.Max(int.TryParse(Get("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var page) ? page : 1, 1), PageSize = 25,
            QueryId = long.TryParse(Get("query"), NumberStyles.None, CultureInfo.InvariantCulture, out var queryId) ? queryId : null,
            Hidden = Get("hidden") switch { "all" => HiddenMentions.Include, "only" => HiddenMentions.Only, _ => HiddenMentions.Exclude }, // inbox-answers
        };
        return (filter, from, to, problem);
    }

    /// <summary>A saved search's filter (null when its dates no longer read), for its count of new mentions.</summary>
    private MentionFilter? SavedFilterOf(string saved)
    {
        var (filter, _, _, problem) = FilterOf(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(saved).ToDictionary(p => p.Key, p => (string?)p.Value.ToString()));
        return problem is null ? filter : null;
    }

    /// <summary>The list's query string as a saved search keeps it: its known parameters only, in a fixed order, no paging.</summary>
    private static string KeptQuery(string? query)
    {
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery((query ?? "").TrimStart('?'));
        return string.Join('&', SavedSearches.SavedSearchService.Parameters
            .Where(p => values.TryGetValue(p, out var v) && !string.IsNullOrEmpty(v.ToString()))
            .Select(p => p + "=" + Uri.EscapeDataString(values[p].ToString())));
    }

    /// <summary>"id:version" as the list's checkboxes send it.</summary>
    private static (long, int)? ParsePick(string? value)
    {
        var parts = (value ?? "").Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? (id, version) : null;
    }

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Mention(long id, string? back, CancellationToken ct)
    {
        if (await mentions.FindAsync(id, ct) is not { } mention) return NotFound();
        var canTriage = await permissions.HasAsync(User, workspace.Required, InboxPermissions.Triage.Name, ct);
        var list = LocalBack(back);
        var (previous, next) = await NeighboursAsync(mention, list, ct);
        return View(new MentionView(mention, await mentions.MembersAsync(ct), canTriage, list) { Previous = previous, Next = next });
    }

    /// <summary>
    /// The mentions before and after <paramref name="current"/> in the list it was opened from, searched again with that
    /// list's filters: its neighbours on the list's page; past the page's end, the first of the next page (which becomes
    /// the list to go back to). A mention that left the list meanwhile (handled, with "New" chosen) keeps its place by date.
    /// </summary>
    private async Task<(string? Previous, string? Next)> NeighboursAsync(Mention current, string? list, CancellationToken ct)
    {
        if (list is null) return (null, null);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(list.Contains('?') ? list[list.IndexOf('?')..] : "");
        var (filter, _, _, problem) = FilterOf(query.ToDictionary(p => p.Key, p => (string?)p.Value.ToString()));
        if (problem is not null || (await search.SearchAsync(filter, ct)).Page is not { } page) return (null, null);
        var items = page.Items.Select(h => h.Mention).ToList();
        var index = items.FindIndex(m => m.Id == current.Id);
        Mention? previous = null, next = null;
        if (index >= 0) (previous, next) = (index > 0 ? items[index - 1] : null, index + 1 < items.Count ? items[index + 1] : null);
        else if (!filter.ByRelevance)
            (previous, next) = (items.LastOrDefault(m => Older(current, m)), items.FirstOrDefault(m => Older(m, current)));
        var nextList = list;
        if (next is null && !filter.ByRelevance && page.NextCursor is { } cursor && (index >= 0 || previous is not null))
        {
            var (following, _) = await search.SearchAsync(filter with { After = MentionSearch.Cursor(current), PageSize = 1 }, ct);
            next = following?.Items.FirstOrDefault()?.Mention;
            nextList = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"/admin/{workspace.Required.Key}/inbox",
                query.Where(p => p.Key is not ("after" or "page")).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()))
                    .Append(KeyValuePair.Create("after", (string?)cursor)));
        }
        return (previous is null ? null : MentionAddress(previous.Id, list), next is null ? null : MentionAddress(next.Id, nextList));
    }

    /// <summary>Whether <paramref name="a"/> comes after <paramref name="b"/> in the newest-first list.</summary>
    private static bool Older(Mention a, Mention b) => a.PublishedUtc < b.PublishedUtc || (a.PublishedUtc == b.PublishedUtc && a.Id < b.Id);

    private string MentionAddress(long id, string list) =>
        $"/admin/{workspace.Required.Key}/inbox/{id.ToString(CultureInfo.InvariantCulture)}?back={Uri.EscapeDataString(list)}";

    [HttpPost("{id:long}/status")]
    [RequirePermission("Inbox.Triage")]
    public async Task<IActionResult> Status(long id, int version, MentionStatus status, string? back, CancellationToken ct) =>
        Done(id, back, await mentions.SetStatusAsync(id, version, status, ct), T["Status saved."].Value);

    [HttpPost("{id:long}/assign")]
    [RequirePermission("Inbox.Triage")]
    public async Task<IActionResult> Assign(long id, int version, Guid? assigneeId, string? note, string? back, CancellationToken ct) =>
        Done(id, back, await mentions.AssignAsync(id, version, assigneeId, note, ct), T["Assignee saved."].Value);

    [HttpPost("{id:long}/labels")]
    [RequirePermission("Inbox.Triage")]
    public async Task<IActionResult> Labels(long id, int version, string? labels, string? back, CancellationToken ct) =>
        Done(id, back, await mentions.SetLabelsAsync(id, version, (labels ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), ct), T["Labels saved."].Value);

    [HttpPost("{id:long}/sentiment")]
    [RequirePermission("Inbox.Triage")]
    public async Task<IActionResult> Sentiment(long id, int version, string? sentiment, string? back, CancellationToken ct) =>
        Done(id, back, await mentions.CorrectSentimentAsync(id, version, sentiment ?? "", PermissionService.UserId(User) ?? Guid.Empty, ct), T["Sentiment corrected."].Value);

    private IActionResult Done(long id, string? back, TriageOutcome outcome, string message)
    {
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Problems.Count > 0) TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = message;
        var address = $"/admin/{workspace.Required.Key}/inbox/{id.ToString(CultureInfo.InvariantCulture)}";
        return Redirect(LocalBack(back) is { } list ? address + "?back=" + Uri.EscapeDataString(list) : address);
    }

    /// <summary>The list address to go back to: only this workspace's inbox (no open redirect), without its empty filters.</summary>
    private string? LocalBack(string? back)
    {
        var prefix = $"/admin/{workspace.Required.Key}/inbox";
        return back is { Length: < 2000 } && (back == prefix || back.StartsWith(prefix + "?", StringComparison.Ordinal))
            ? ListAddress(prefix, Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back[prefix.Length..])) : null;
    }

    /// <summary>The list's address with only the filters that are set (a search form sends the empty ones too).</summary>
    internal static string ListAddress(string path, IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path,
            query.Where(p => !string.IsNullOrEmpty(p.Value.ToString())).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString())));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTime? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null;
}
