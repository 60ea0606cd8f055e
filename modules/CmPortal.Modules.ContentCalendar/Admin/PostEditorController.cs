using System.Globalization;
using CmPortal.Core.Localization;
using CmPortal.Core.Networks;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Recurrence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>
/// What the post editor's script asks while someone writes: the draft checks of each variant (debounced, JSON, the
/// antiforgery token in the <c>RequestVerificationToken</c> header) and the summary and next occurrences of a
/// recurrence rule. Both only read; saving goes through <see cref="PostsAdminController"/>.
/// </summary>
[Route("admin/{workspace}/posts")]
[RequirePermission("ContentCalendar.View")]
internal sealed class PostEditorController(IDraftChecker checker, PostService posts, IClock clock, PublicUrls urls, WorkspaceContext workspace,
    IStringLocalizer<PostEditorController> T) : Controller
{
    private const int MaxText = PostRules.MaxText;

    [HttpPost("check")]
    public async Task<IActionResult> Check([FromBody] DraftCheckRequest request, CancellationToken ct)
    {
        var networks = (request.Networks ?? []).Where(n => SocialNetworks.Find(n) is not null).Distinct().ToList();
        var channels = (request.Channels ?? []).Distinct().ToList();
        var main = Normalise(request.Text);
        // Networks whose variant says the same are checked together: spelling and grammar run once per distinct text.
        var byText = networks.GroupBy(n => request.Variants?.GetValueOrDefault(n) is { } own ? Normalise(own) : main);
        var results = new List<object>();
        // A teaser's {article} counts as the address its article will have, as each network counts a link.
        var article = ArticleLink.Estimate(urls.SiteBase(workspace.Required), request.Variants?.GetValueOrDefault(ArticleLink.Network) ?? main);
        foreach (var group in byText)
        {
            var text = group.Key;
            if (text.Length > MaxText) return BadRequest(new { error = T["The text is {0} characters long; the most is {1}.", text.Length, MaxText].Value });
            var report = await checker.CheckAllAsync(text, group.ToList(), channels, ct);
            foreach (var check in report.Networks)
            {
                var acknowledged = request.Acknowledged?.GetValueOrDefault(check.Network) ?? [];
                // Errors first: they are what blocks approval.
                var issues = check.Issues.Concat(report.Issues).OrderBy(i => DraftWarnings.IsError(i.Kind) ? 0 : 1).ThenBy(i => i.Start).Select(issue =>
                {
                    var key = DraftWarnings.Key(issue, text);
                    var error = DraftWarnings.IsError(issue.Kind);
                    return new DraftIssueView(issue.Kind.ToString(), KindLabel(issue.Kind), error ? "error" : "warning",
                        issue.Start, issue.Length, issue.Message, issue.Suggestion, key, !error && acknowledged.Contains(key));
                }).ToList();
                // The variant's images against the network's limits (a Mastodon instance's): errors, as at approval.
                var (_, imageProblems) = await posts.ImageCheckAsync(check.Network, request.Media?.GetValueOrDefault(check.Network) ?? [], channels, ct);
                issues.InsertRange(0, imageProblems.Select(p =>
                    new DraftIssueView("Images", T["Images"].Value, "error", 0, 0, T.Problem(p).Value, null, "", false)));
                results.Add(new
                {
                    network = check.Network, length = CountWithArticle(check.Network, text, article) ?? check.Length, maxLength = check.MaxLength,
                    errors = issues.Count(i => i.Severity == "error"), warnings = issues.Count(i => i.Severity == "warning" && !i.Acknowledged),
                    issues,
                });
            }
        }
        return Json(new { variants = results, threads = await CheckThreadsAsync(request, networks, ct) });
    }

    /// <summary>
    /// Each part of a thread is a post of its own on its network: checked alone, its length counted against the
    /// network's limit. By box, in the editor's order (a blank box gives a part of length 0, without issues).
    /// </summary>
    private async Task<List<object>> CheckThreadsAsync(DraftCheckRequest request, IReadOnlyList<string> networks, CancellationToken ct)
    {
        var threads = new List<object>();
        foreach (var network in networks.Where(PostThread.Threaded))
        {
            var parts = new List<object?>();
            foreach (var given in (request.Threads?.GetValueOrDefault(network) ?? []).Take(PostThread.MaxParts - 1))
            {
                // Null: a part the page checked already, as it reads now; its place is kept.
                if (given is null) { parts.Add(null); continue; }
                var part = Normalise(given);
                if (part.Length > MaxText) return [];
                var report = part.Trim().Length > 0 ? await checker.CheckAllAsync(part, [network], request.Channels, ct) : null;
                var result = report?.Networks.FirstOrDefault();
                // The signature hashtag is the thread's, not each part's: the first part (the variant's text) carries it.
                var issues = (result?.Issues ?? []).Concat(report?.Issues ?? []).Where(i => i.Kind != DraftIssueKind.MissingSignatureHashtag)
                    .OrderBy(i => DraftWarnings.IsError(i.Kind) ? 0 : 1).ThenBy(i => i.Start)
                    .Select(issue => new
                    {
                        kind = issue.Kind.ToString(), label = KindLabel(issue.Kind), severity = DraftWarnings.IsError(issue.Kind) ? "error" : "warning",
                        start = issue.Start, length = issue.Length, message = issue.Message, suggestion = issue.Suggestion,
                    }).ToList();
                parts.Add(new
                {
                    length = result?.Length ?? 0, maxLength = result?.MaxLength,
                    errors = issues.Count(i => i.severity == "error"), issues,
                });
            }
            threads.Add(new { network, parts });
        }
        return threads;
    }

    private static int? CountWithArticle(string network, string text, string article) =>
        network != ArticleLink.Network && ArticleLink.In(text) ? NetworkTextLength.Count(network, ArticleLink.ForCounting(text, article)) : null;

    /// <summary>The rule in words and its next five dates, as the editor's recurrence controls change.</summary>
    [HttpGet("recurrence")]
    public IActionResult Recurrence(string? rule, string? start, string? skipped)
    {
        var culture = CultureInfo.CurrentCulture;
        if (string.IsNullOrWhiteSpace(rule)) return Json(new { summary = T["Once"].Value, next = Array.Empty<object>() });
        if (PostRules.ParseStart(start) is not { } local)
            return Json(new { problem = T["A recurring post needs a first date and time."].Value, next = Array.Empty<object>() });
        if (!RecurrenceRule.TryParse(rule, out var parsed, out var problem))
            return Json(new { problem = T.Problem(problem!).Value, next = Array.Empty<object>() });
        var zone = posts.Zone;
        if (parsed.CheckAgainst(local, zone) is { } against)
            return Json(new { problem = T.Problem(against).Value, next = Array.Empty<object>() });
        var skippedDays = PostRules.Split(skipped).Select(PostRules.ParseDay).OfType<LocalDate>().ToList();
        var occurrences = new Occurrences(parsed, local, zone, skippedDays);
        var from = Instant.Max(clock.GetCurrentInstant(), zone.AtLeniently(local).ToInstant().Minus(Duration.FromMinutes(1)));
        var next = occurrences.Next(from, 5).Select(o => new
        {
            date = o.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            label = o.LocalDateTime.ToDateTimeUnspecified().ToString("dddd ", culture) + PortalValues.DateTime(o.LocalDateTime.ToDateTimeUnspecified(), culture),
        }).ToList();
        return Json(new { rule = parsed.ToString(), summary = RecurrenceSummary.Describe(parsed, local, culture, zone), next });
    }

    // Browsers post a textarea's line breaks as CR LF but index them as LF: offsets must be the page's.
    private static string Normalise(string? text) => (text ?? "").Replace("\r\n", "\n");

    private string KindLabel(DraftIssueKind kind) => kind switch
    {
        DraftIssueKind.TooLong => T["Too long"].Value,
        DraftIssueKind.BannedTerm => T["Banned term"].Value,
        DraftIssueKind.PreferredTerm => T["Preferred term"].Value,
        DraftIssueKind.MissingSignatureHashtag => T["Signature hashtag"].Value,
        DraftIssueKind.TooManyHashtags => T["Too many hashtags"].Value,
        DraftIssueKind.Misspelling => T["Spelling"].Value,
        DraftIssueKind.Grammar => T["Grammar"].Value,
        DraftIssueKind.Typography => T["Typography"].Value,
        DraftIssueKind.WeDont => T["We don’t"].Value,
        DraftIssueKind.TooManyEmoji => T["Too many emoji"].Value,
        _ => kind.ToString(),
    };
}

/// <param name="Variants">The variant's own text by network; absent while it follows the main text.</param>
/// <param name="Acknowledged">Keys of the warnings already accepted, by network.</param>
/// <param name="Channels">The publishing channels the post names, whose limits apply; none: the workspace's channels of each network.</param>
/// <param name="Media">The images of each variant (media ids, in order), checked against the network's limits.</param>
/// <param name="Threads">The parts of each variant's thread after its text, by network, as the editor's boxes hold them (null: already checked).</param>
internal sealed record DraftCheckRequest(string? Text, List<string>? Networks, Dictionary<string, string?>? Variants, Dictionary<string, List<string>>? Acknowledged,
    List<Guid>? Channels = null, Dictionary<string, List<Guid>>? Media = null, Dictionary<string, List<string?>>? Threads = null);

/// <summary>One issue of a variant as the editor's script shows it.</summary>
/// <remarks>Serialized in camelCase, as the script reads it.</remarks>
internal sealed record DraftIssueView(string Kind, string Label, string Severity, int Start, int Length, string Message, string? Suggestion,
    string Key, bool Acknowledged);
