using CmPortal.Core.Api;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Sources.Stored;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CmPortal.Modules.Inbox.Api;

/// <summary>A source as a script adds it; fields a kind does not use are ignored (docs/api.md, "Sources").</summary>
internal sealed record ApiSourceIn(string? Kind, string? Name = null, string? Url = null, string? Query = null, string? AnyTags = null,
    string? AllTags = null, string? NoneTags = null, Guid? ChannelId = null, int? IntervalMinutes = null);

/// <summary>A source and where its reading stands. <c>lastError</c> is in English (the page shows it translated).</summary>
internal sealed record ApiSource(Guid Id, string Kind, string Name, string? Url, string? Query, IReadOnlyList<string> AnyTags,
    IReadOnlyList<string> AllTags, IReadOnlyList<string> NoneTags, Guid? ChannelId, int IntervalMinutes, bool Paused,
    DateTime? LastFetchAt, int LastFound, int TotalFound, string? LastError, int ConsecutiveFailures, DateTime NextTryAt, int Version);

internal sealed record ApiSourceList(IReadOnlyList<ApiSource> Items);

/// <summary>
/// The workspace's sources in the public API: add one, list them, read one and replace its settings with <c>If-Match</c>
/// (the rules are <see cref="SourceService"/>'s, the same as the sources page's and its « Modifier » form).
/// </summary>
internal static class SourcesApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/sources", CreateAsync).RequirePermission(InboxPermissions.Manage)
            .WithName("AddSource").WithSummary("Adds a source the inbox reads on a schedule: rss, mastodon-tag, mastodon-mentions, bluesky-search or bluesky-mentions.")
            .Accepts<ApiSourceIn>("application/json").Produces<ApiSource>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/sources", ListAsync).RequirePermission(InboxPermissions.View)
            .WithName("ListSources").WithSummary("The workspace's sources, by name, each with its last read, what it found, its last error and its next try.")
            .Produces<ApiSourceList>();
        api.MapGet("/sources/{id:guid}", GetAsync).RequirePermission(InboxPermissions.View)
            .WithName("GetSource").WithSummary("A source and where its reading stands; its ETag is its version, for If-Match.")
            .Produces<ApiSource>();
        api.MapPut("/sources/{id:guid}", UpdateAsync).RequirePermission(InboxPermissions.Manage)
            .WithName("UpdateSource").WithSummary("Replaces what a source reads, its name and its interval (fields left out are not set); its kind stays. Requires If-Match with the source's ETag.")
            .Accepts<ApiSourceIn>("application/json").Produces<ApiSource>()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithRequestExample(""" { "name": "Alertes presse", "url": "https://www.google.com/alerts/feeds/…", "intervalMinutes": 30 } """);
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, SourceService sources, CancellationToken ct)
    {
        if (await sources.FindAsync(id, ct) is not { } source) return NotFound();
        http.Response.Headers.ETag = ApiVersions.ETag(source.Version);
        return Results.Ok(Model(source));
    }

    private static async Task<IResult> UpdateAsync(Guid id, ApiSourceIn body, HttpContext http, SourceService sources, CancellationToken ct)
    {
        if (await sources.FindAsync(id, ct) is not { } current) return NotFound();
        if (ApiVersions.IfMatch(http, current.Version) is not { } version)
            return ApiProblems.Validation([new Problem("If-Match", "Send If-Match with the source's ETag (its version, from GET), so that nobody's edit is overwritten.")],
                StatusCodes.Status428PreconditionRequired);
        if (body.Kind is { } kind && !string.Equals(kind.Trim(), current.Kind, StringComparison.OrdinalIgnoreCase))
            return ApiProblems.Validation([new Problem("kind", "A source keeps its kind ({0}): to read something of another kind, add a new source.", current.Kind)]);
        var outcome = await sources.UpdateAsync(id, version, new SourceInput(current.Kind, body.Name, body.Url, body.Query, body.AnyTags,
            body.AllTags, body.NoneTags, body.ChannelId, body.IntervalMinutes), ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.IsConflict)
            return ApiProblems.Validation([new Problem("If-Match", "The source changed since this version: read it again (GET), then send its new ETag.")],
                StatusCodes.Status412PreconditionFailed);
        if (!outcome.Succeeded) return ApiProblems.Validation(outcome.Problems);
        http.Response.Headers.ETag = ApiVersions.ETag(outcome.Source!.Version);
        return Results.Ok(Model(outcome.Source));
    }

    private static async Task<IResult> CreateAsync(ApiSourceIn body, SourceService sources, WorkspaceContext workspace, CancellationToken ct)
    {
        var outcome = await sources.CreateAsync(new SourceInput(body.Kind, body.Name, body.Url, body.Query, body.AnyTags, body.AllTags,
            body.NoneTags, body.ChannelId, body.IntervalMinutes), ct);
        if (!outcome.Succeeded) return ApiProblems.Validation(outcome.Problems);
        return Results.Created($"/api/v1/{workspace.Required.Key}/sources/{outcome.Source!.Id}", Model(outcome.Source));
    }

    private static async Task<IResult> ListAsync(SourceService sources, CancellationToken ct) =>
        Results.Ok(new ApiSourceList((await sources.ListAsync(ct)).Select(Model).ToList()));

    private static ApiSource Model(ListeningSource s) => new(
        s.Id, s.Kind, s.Name, s.Url, s.Query, SourceService.SplitTags(s.AnyTags), SourceService.SplitTags(s.AllTags),
        SourceService.SplitTags(s.NoneTags), s.ChannelId, s.IntervalMinutes, s.Paused, s.LastFetchUtc, s.LastFoundCount, s.TotalFoundCount,
        SourceService.LastErrorOf(s)?.ToString(), s.ConsecutiveFailures, s.NextTryUtc, s.Version);

    private static IResult NotFound() => ApiVersions.Status(StatusCodes.Status404NotFound);
}
