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
}

/// <summary>One mention with its triage forms.</summary>
internal sealed record MentionView(Mention Mention, IReadOnlyList<(Guid Id, string Name)> Members, bool CanTriage, string? Back);

/// <summary>The inbox page (/admin/{ws}/inbox): search, filters, counters per status, the list, one mention's triage.</summary>
[Route("admin/{workspace}/inbox")]
[RequirePermission("Inbox.View")]
internal sealed class InboxAdminController(MentionService mentions, MentionSearch search, WorkspaceContext workspace,
    PermissionService permissions, Listening.ListeningQueryService listening, IStringLocalizer<InboxAdminController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(string? q, string? source, string? sentiment, string? status, Guid? assignee, string? label,
        string? language, string? from, string? to, string? sort, string? after, int? page, long? query, CancellationToken ct, string? hidden = null)
    {
        string? problem = null;
        var fromDay = Day(from);
        var toDay = Day(to);
        if ((from is { Length: > 0 } && fromDay is null) || (to is { Length: > 0 } && toDay is null))
            problem = T["Give dates as YYYY-MM-DD."].Value;
        var filter = new MentionFilter
        {
            Q = q, Source = Blank(source), Sentiment = MentionRules.Sentiments.Contains(sentiment) ? sentiment : null,
            Status = Enum.TryParse<MentionStatus>(status, out var s) && Enum.IsDefined(s) ? s : null, Assignee = assignee,
            Label = Blank(label), Language = Blank(language), FromUtc = fromDay, ToUtc = toDay?.AddDays(1),
            ByRelevance = sort == "relevance", After = after, Page = Math.Max(page ?? 1, 1), PageSize = 25, QueryId = query,
            Hidden = hidden switch { "all" => HiddenMentions.Include, "only" => HiddenMentions.Only, _ => HiddenMentions.Exclude }, // inbox-answers
        };
        MentionPage? found = null;
        if (problem is null)
        {
            var (result, searchProblem) = await search.SearchAsync(filter, ct);
            found = result;
            if (searchProblem is not null) problem = T.Problem(searchProblem).Value;
        }
        return View(new InboxView(filter, from, to, found, problem, await mentions.CountByStatusAsync(ct), await mentions.MembersAsync(ct)) { Queries = await listening.ListAsync(ct) });
    }

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Mention(long id, string? back, CancellationToken ct)
    {
        if (await mentions.FindAsync(id, ct) is not { } mention) return NotFound();
        var canTriage = await permissions.HasAsync(User, workspace.Required, InboxPermissions.Triage.Name, ct);
        return View(new MentionView(mention, await mentions.MembersAsync(ct), canTriage, LocalBack(back)));
    }

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

    /// <summary>The list address to go back to: only this workspace's inbox (no open redirect).</summary>
    private string? LocalBack(string? back)
    {
        var prefix = $"/admin/{workspace.Required.Key}/inbox";
        return back is { Length: < 2000 } && (back == prefix || back.StartsWith(prefix + "?", StringComparison.Ordinal)) ? back : null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTime? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null;
}
