using CmPortal.Core.Api;
using CmPortal.Core.Security;
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

/// <summary>The workspace's sources in the public API: add one (the rules are <see cref="SourceService"/>'s), list them.</summary>
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
}
