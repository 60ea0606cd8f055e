using System.Globalization;
using System.Text.Json;
using CmPortal.Core.Api;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using CmPortal.Modules.Inbox.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CmPortal.Modules.Inbox.Api;

/// <summary>One mention as a script sends it. <c>source</c> is the source kind ("api" when absent: "rss", "mastodon"…).</summary>
internal sealed record ApiMentionIn(string? Source, string? ExternalId, string? Url, string? Author, string? Text, DateTimeOffset? PublishedAt,
    string? Language, string? Title = null, string? AuthorHandle = null, int? AuthorFollowers = null, string? SourceName = null);

internal sealed record ApiMentionBatch(IReadOnlyList<ApiMentionIn?>? Mentions);

internal sealed record ApiIngested(int Stored, int Duplicates);

/// <summary>One result. <c>snippet</c> is HTML: the text encoded, the matched words in &lt;mark&gt;.</summary>
internal sealed record ApiMention(long Id, string Text, string Snippet, string? Sentiment, double? Score, string Status, DateTime PublishedAt,
    string? Url, string Source, string? Author, string? Language, IReadOnlyList<string> Labels, long? RepeatOf);

internal sealed record ApiMentionList(int Total, bool TotalIsAtLeast, IReadOnlyList<ApiMention> Items, string? Next);

/// <summary>
/// The inbox in the public API (docs/api.md, docs/inbox.md): ingest a batch, search. Rules are <see cref="MentionService"/>'s
/// and <see cref="MentionSearch"/>'s; this class translates HTTP to them.
/// </summary>
internal static class MentionsApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/mentions", IngestAsync).RequirePermission(InboxPermissions.Triage)
            .WithName("IngestMentions").WithSummary("Stores a batch of mentions (at most 1,000), de-duplicated by source id and canonical address.")
            .Accepts<ApiMentionBatch>("application/json").Produces<ApiIngested>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/mentions", ListAsync).RequirePermission(InboxPermissions.View)
            .WithName("SearchMentions").WithSummary("Searches the mentions (q: words, \"phrase\", prefix*, -excluded, OR), newest first; filters: source, sentiment, status, assignee, label, language, query (a listening query's id), from, to.")
            .Produces<ApiMentionList>().ProducesProblem(StatusCodes.Status400BadRequest);
    }

    internal static async Task<IResult> IngestAsync(ApiMentionBatch body, MentionService mentions, WorkspaceContext workspace, CancellationToken ct)
    {
        var list = body.Mentions ?? [];
        if (list.Count > MentionService.MaxBatch)
            return ApiProblems.Validation([new Problem("mentions", "A batch holds at most {0} mentions; this one has {1}. Send it in several parts.", MentionService.MaxBatch, list.Count)]);
        if (list.Count == 0) return ApiProblems.Validation([new Problem("mentions", "Send at least one mention in \"mentions\".")]);
        var problems = new List<Problem>();
        var groups = new List<(string Kind, string? Name, List<(int Index, ListenedItem Item)> Items)>();
        for (var i = 0; i < list.Count; i++)
        {
            var m = list[i];
            if (m is null) { problems.Add(new Problem($"mentions[{i}]", "The mention has no text.")); continue; }
            var kind = string.IsNullOrWhiteSpace(m.Source) ? "api" : m.Source.Trim().ToLowerInvariant();
            if (m.PublishedAt is null) problems.Add(new Problem($"mentions[{i}].publishedAt", "Give the publication time as an ISO 8601 instant, e.g. 2026-11-30T09:15:00Z."));
            var item = new ListenedItem(m.ExternalId ?? "", m.Url, m.Text ?? "", m.Title, m.Author, m.AuthorHandle, m.AuthorFollowers,
                m.PublishedAt ?? DateTimeOffset.MinValue, m.Language);
            if (groups.FirstOrDefault(g => g.Kind == kind && g.Name == m.SourceName) is { Items: not null } group) group.Items.Add((i, item));
            else groups.Add((kind, m.SourceName, [(i, item)]));
        }
        foreach (var group in groups)
            foreach (var problem in MentionService.Check(group.Kind, group.Items.Select(g => g.Item).ToList()))
                problems.Add(problem with { Field = MentionService.BatchField(problem.Field, group.Items.Select(g => g.Index).ToList()) });
        if (problems.Count > 0) return ApiProblems.Validation(problems);

        int stored = 0, duplicates = 0;
        // One transaction for the whole batch: all of it is stored or none, and one commit instead of one per source kind.
        await mentions.InOneTransactionAsync(async () =>
        {
            foreach (var group in groups)
            {
                var outcome = await mentions.IngestAsync(group.Kind, group.Name, group.Items.Select(g => g.Item).ToList(), ct);
                stored += outcome.Stored;
                duplicates += outcome.Duplicates;
            }
        }, ct);
        return Results.Created($"/api/v1/{workspace.Required.Key}/mentions", new ApiIngested(stored, duplicates));
    }

    private static async Task<IResult> ListAsync(MentionSearch search, string? q, string? source, string? sentiment, string? status, Guid? assignee,
        string? label, string? language, string? from, string? to, string? sort, string? after, int? page, int? pageSize, long? query, CancellationToken ct)
    {
        var problems = new List<Problem>();
        MentionStatus? only = null;
        if (status is { Length: > 0 })
        {
            if (ParseStatus(status) is { } parsed) only = parsed;
            else problems.Add(new Problem("status", "“{0}” is not a status. Use one of: {1}.", status, string.Join(", ", Enum.GetValues<MentionStatus>().Select(StatusName))));
        }
        if (sentiment is { Length: > 0 } && !MentionRules.Sentiments.Contains(sentiment))
            problems.Add(new Problem("sentiment", "Choose a sentiment: negative, neutral or positive."));
        var fromUtc = Day(from, "from", problems);
        var toUtc = Day(to, "to", problems)?.AddDays(1);
        if (sort is { Length: > 0 } && sort is not ("newest" or "relevance"))
            problems.Add(new Problem("sort", "Sort by \"newest\" (the default) or \"relevance\"."));
        if (problems.Count > 0) return ApiProblems.Validation(problems, StatusCodes.Status400BadRequest);

        var (found, problem) = await search.SearchAsync(new MentionFilter
        {
            Q = q, Source = source, Sentiment = sentiment, Status = only, Assignee = assignee, Label = label, Language = language,
            QueryId = query, FromUtc = fromUtc, ToUtc = toUtc, ByRelevance = sort == "relevance", After = after, Page = page ?? 1, PageSize = pageSize ?? 50,
        }, ct);
        if (found is null) return ApiProblems.Validation([problem!], StatusCodes.Status400BadRequest);
        return Results.Ok(new ApiMentionList(found.Total, found.TotalIsAtLeast, found.Items.Select(Model).ToList(), found.NextCursor));
    }

    private static ApiMention Model(MentionHit hit)
    {
        var m = hit.Mention;
        return new ApiMention(m.Id, m.Text, hit.SnippetHtml, m.Sentiment, m.SentimentScore, StatusName(m.Status), m.PublishedUtc, m.Url,
            m.SourceKind, m.Author, m.Language, MentionRules.SplitLabels(m.Labels), m.RepeatOf);
    }

    /// <summary>How the API names a status: camelCase ("toHandle").</summary>
    public static string StatusName(MentionStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    public static MentionStatus? ParseStatus(string? name) =>
        Enum.TryParse<MentionStatus>(name?.Trim(), ignoreCase: true, out var s) && Enum.IsDefined(s) && !int.TryParse(name, out _) ? s : null;

    private static DateTime? Day(string? text, string field, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        problems.Add(new Problem(field, "“{0}” is not a date as YYYY-MM-DD.", text));
        return null;
    }
}
