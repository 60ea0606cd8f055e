using System.Globalization;
using System.Text.Json;
using CmPortal.Core.Api;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Calendar;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Recurrence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Modules.ContentCalendar.Api;

/// <summary>A variant in the API: what one network says differently from the main text.</summary>
/// <param name="Thread">For a thread: the parts after <paramref name="Text"/> (parts 2..n), in order; empty or absent for a single post.</param>
internal sealed record ApiVariant(string? Text, string? Link = null, IReadOnlyList<string>? Thread = null);

/// <summary>A post as a script sends it (POST and PUT). <c>startsAt</c> is a wall-clock time of the workspace's zone, without offset.</summary>
internal sealed record ApiPostRequest(
    string? Text, IReadOnlyList<string>? Networks, IReadOnlyDictionary<string, ApiVariant>? Variants, string? StartsAt,
    string? Recurrence, IReadOnlyList<string>? SkippedDates, string? Pillar, string? Campaign, string? KeyDate,
    IReadOnlyList<string>? Labels, string? State, IReadOnlyList<Guid>? Channels = null);

/// <summary>A post as the API answers it; <c>version</c> is also its ETag.</summary>
internal sealed record ApiPost(
    Guid Id, int Version, string State, string Text, string? StartsAt, string? StartsAtUtc, IReadOnlyList<string> Networks,
    IReadOnlyDictionary<string, ApiVariant> Variants, string? Recurrence, IReadOnlyList<string> SkippedDates, string? Summary,
    string? Pillar, string? Campaign, string? KeyDate, IReadOnlyList<string> Labels, IReadOnlyList<Guid> Channels);

internal sealed record ApiPostPage(IReadOnlyList<ApiPost> Posts, int Page, int PageSize, int Total);

internal sealed record ApiStateChange(string? State, string? Comment);

internal sealed record ApiOccurrence(Guid PostId, string? OccurrenceDate, string Start, string StartUtc, IReadOnlyList<string> Networks, string State);

internal sealed record ApiCalendar(IReadOnlyList<ApiOccurrence> Occurrences);

/// <summary>
/// The content calendar in the public API (docs/api.md): posts (create, read, edit with <c>If-Match</c>, delete, change
/// state, list) and the calendar's occurrences of a window. Every rule is <see cref="PostService"/>'s or
/// <see cref="CalendarWindow"/>'s; this class only translates HTTP to them and back.
/// </summary>
internal static class PostsApi
{
    /// <summary>The longest window <c>/calendar</c> answers.</summary>
    public const int MaxWindowDays = 366;
    public const int MaxPageSize = 200;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/posts", CreateAsync).RequirePermission(CalendarPermissions.Write)
            .WithName("CreatePost").WithSummary("Creates a post (an idea or a draft unless another state is asked and allowed).")
            .Accepts<ApiPostRequest>("application/json").Produces<ApiPost>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithRequestExample(PostsApiExamples.CreateRequest).WithResponseExample(StatusCodes.Status201Created, PostsApiExamples.Post)
            .WithResponseExample(StatusCodes.Status422UnprocessableEntity, PostsApiExamples.Invalid);
        api.MapGet("/posts", ListAsync).RequirePermission(CalendarPermissions.View)
            .WithName("ListPosts").WithSummary("The workspace's posts, newest start first, by page; filters: state, from and to (local days).")
            .Produces<ApiPostPage>().ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithResponseExample(StatusCodes.Status200OK, PostsApiExamples.Page);
        api.MapGet("/posts/{id:guid}", GetAsync).RequirePermission(CalendarPermissions.View)
            .WithName("GetPost").WithSummary("A post; its ETag is its version, for If-Match.").Produces<ApiPost>()
            .WithResponseExample(StatusCodes.Status200OK, PostsApiExamples.Post);
        api.MapPut("/posts/{id:guid}", UpdateAsync).RequirePermission(CalendarPermissions.Write)
            .WithName("UpdatePost").WithSummary("Replaces a post's content and date. Requires If-Match with the post's ETag.")
            .Accepts<ApiPostRequest>("application/json").Produces<ApiPost>()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithRequestExample(PostsApiExamples.UpdateRequest);
        api.MapDelete("/posts/{id:guid}", DeleteAsync).RequirePermission(CalendarPermissions.Write)
            .WithName("DeletePost").WithSummary("Deletes a post that never went out. Requires If-Match with the post's ETag.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapPost("/posts/{id:guid}/state", TransitionAsync).RequirePermission(CalendarPermissions.View)
            .WithName("ChangePostState").WithSummary("Moves a post to another state (inReview, approved, scheduled…), with the permission that takes.")
            .Accepts<ApiStateChange>("application/json").Produces<ApiPost>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithRequestExample(PostsApiExamples.StateRequest);
        api.MapGet("/calendar", CalendarAsync).RequirePermission(CalendarPermissions.View)
            .WithName("GetCalendar").WithSummary("The occurrences from `from` (inclusive) to `to` (exclusive), local days of the workspace, recurring posts expanded, by start. At most a year. With its ETag in If-None-Match: 304 while none of them changed.")
            .Produces<ApiCalendar>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithResponseExample(StatusCodes.Status200OK, PostsApiExamples.Calendar);
    }

    private static async Task<IResult> CreateAsync(ApiPostRequest body, HttpContext http, PostService posts, PermissionService permissions, WorkspaceContext workspace, CancellationToken ct)
    {
        var state = PostState.Draft;
        if (body.State is { Length: > 0 } asked)
        {
            if (ParseState(asked) is not { } parsed) return ApiProblems.Validation([UnknownState(asked)]);
            state = parsed;
        }
        var outcome = await posts.CreateAsync(InputOf(body), state, await ActorAsync(http, permissions, workspace, ct), ct);
        if (Failure(outcome) is { } failed) return failed;
        var post = (await posts.FindAsync(outcome.Post!.Id, ct))!;
        http.Response.Headers.ETag = ETag(post);
        return Results.Created($"/api/v1/{workspace.Required.Key}/posts/{post.Id}", Model(post, posts, http));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, PostService posts, CancellationToken ct)
    {
        if (await posts.FindAsync(id, ct) is not { } post) return NotFound();
        http.Response.Headers.ETag = ETag(post);
        return Results.Ok(Model(post, posts, http));
    }

    private static async Task<IResult> ListAsync(HttpContext http, PostService posts, string? state, string? from, string? to, int? page, int? pageSize, CancellationToken ct)
    {
        var problems = new List<Problem>();
        PostState? only = null;
        if (state is { Length: > 0 }) { if (ParseState(state) is { } s) only = s; else problems.Add(UnknownState(state)); }
        var fromDay = Day(from, "from", problems);
        var toDay = Day(to, "to", problems);
        var size = pageSize ?? 50;
        if (size is < 1 or > MaxPageSize) problems.Add(new Problem("pageSize", "The page size is a number from 1 to {0}.", MaxPageSize));
        if ((page ?? 1) < 1) problems.Add(new Problem("page", "Pages are numbered from 1."));
        if (problems.Count > 0) return ApiProblems.Validation(problems);
        var (found, total) = await posts.PageAsync(only, fromDay, toDay, page ?? 1, size, ct);
        return Results.Ok(new ApiPostPage(found.Select(p => Model(p, posts, http)).ToList(), page ?? 1, size, total));
    }

    private static async Task<IResult> UpdateAsync(Guid id, ApiPostRequest body, HttpContext http, PostService posts, PermissionService permissions, WorkspaceContext workspace, CancellationToken ct)
    {
        if (await posts.FindAsync(id, ct) is not { } current) return NotFound();
        if (ApiVersions.IfMatch(http, current.Version) is not { } version) return PreconditionRequired();
        if (body.State is { Length: > 0 })
            return ApiProblems.Validation([new Problem("state", "Change a post's state with POST on its address followed by /state.")]);
        var outcome = await posts.UpdateAsync(id, version, InputOf(body), await ActorAsync(http, permissions, workspace, ct), ct);
        if (Failure(outcome) is { } failed) return failed;
        var post = (await posts.FindAsync(id, ct))!;
        http.Response.Headers.ETag = ETag(post);
        return Results.Ok(Model(post, posts, http));
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, PostService posts, PermissionService permissions, WorkspaceContext workspace, CancellationToken ct)
    {
        if (await posts.FindAsync(id, ct) is not { } current) return NotFound();
        if (ApiVersions.IfMatch(http, current.Version) is not { } version) return PreconditionRequired();
        var outcome = await posts.DeleteAsync(id, version, await ActorAsync(http, permissions, workspace, ct), ct);
        return Failure(outcome) ?? Results.NoContent();
    }

    private static async Task<IResult> TransitionAsync(Guid id, ApiStateChange body, HttpContext http, PostService posts, PermissionService permissions, WorkspaceContext workspace, CancellationToken ct)
    {
        if (await posts.FindAsync(id, ct) is not { } current) return NotFound();
        if (ParseState(body.State) is not { } to) return ApiProblems.Validation([UnknownState(body.State ?? "")]);
        // If-Match is optional here (docs/api.md): a state change is checked against the post's state, not its text.
        var version = ApiVersions.IfMatch(http, current.Version) ?? current.Version;
        var outcome = await posts.TransitionAsync(id, version, to, await ActorAsync(http, permissions, workspace, ct), body.Comment, ct);
        if (Failure(outcome) is { } failed) return failed;
        var post = (await posts.FindAsync(id, ct))!;
        http.Response.Headers.ETag = ETag(post);
        return Results.Ok(Model(post, posts, http));
    }

    private static async Task<IResult> CalendarAsync(
        string? from, string? to, CalendarWindow window, CalendarAnswers answers, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (from is null && to is null)
        {
            // Without a window: the workspace's current month.
            var first = SystemClock.Instance.GetCurrentInstant().InZone(window.Zone).Date.With(DateAdjusters.StartOfMonth);
            (from, to) = (LocalDatePattern.Iso.Format(first), LocalDatePattern.Iso.Format(first.PlusMonths(1)));
        }
        var problems = new List<Problem>();
        var fromDay = Day(from, "from", problems, required: true);
        var toDay = Day(to, "to", problems, required: true);
        if (problems.Count == 0 && toDay <= fromDay) problems.Add(new Problem("to", "The end date must come after the start date."));
        else if (problems.Count == 0 && Period.Between(fromDay!.Value, toDay!.Value, PeriodUnits.Days).Days > MaxWindowDays)
            problems.Add(new Problem("to", "The window is at most {0} days long.", MaxWindowDays));
        if (problems.Count > 0) return ApiProblems.Validation(problems);

        return answers.Of(await window.ReadAsync(fromDay!.Value, toDay!.Value, ct: ct), json.Value.SerializerOptions.Encoder);
    }

    private static PostInput InputOf(ApiPostRequest body) => new()
    {
        Text = body.Text ?? "",
        Networks = body.Networks ?? [],
        Variants = body.Variants?.ToDictionary(v => v.Key, v => new VariantInput(v.Value?.Text, v.Value?.Link, Thread: v.Value?.Thread)) ?? new Dictionary<string, VariantInput>(),
        StartsAt = body.StartsAt,
        Recurrence = body.Recurrence,
        SkippedDates = body.SkippedDates ?? [],
        Pillar = body.Pillar,
        Campaign = body.Campaign,
        KeyDate = body.KeyDate,
        Labels = body.Labels ?? [],
        Channels = body.Channels ?? [],
    };

    private static ApiPost Model(Post post, PostService posts, HttpContext http)
    {
        var input = posts.InputOf(post);
        var zone = posts.Zone;
        var start = PostRules.ParseStart(post.StartsLocal);
        string? summary = null;
        if (start is { } local && post.Recurrence is { } text && RecurrenceRule.TryParse(text, out var rule, out _))
            summary = RecurrenceSummary.Describe(rule, local, CultureInfo.GetCultureInfo(ApiProblems.Culture(http)), zone);
        var startUtc = post.StartsUtc is { } utc ? InstantPattern.General.Format(Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc))) : null;
        return new ApiPost(post.Id, post.Version, StateName(post.State), post.Text, post.StartsLocal, startUtc, input.Networks,
            post.Variants.OrderBy(v => v.Position).ToDictionary(v => v.Network, v => new ApiVariant(v.Text ?? post.Text, v.Link, PostThread.Parse(v.Thread))),
            post.Recurrence, input.SkippedDates, summary, post.Pillar, input.Campaign, post.KeyDate, input.Labels, input.Channels);
    }

    /// <summary>How the API names a state: camelCase ("inReview").</summary>
    public static string StateName(PostState state) =>
        StateNames.TryGetValue(state, out var name) ? name : JsonNamingPolicy.CamelCase.ConvertName(state.ToString());

    // Named once: the calendar names a state for each of its thousands of occurrences.
    private static readonly Dictionary<PostState, string> StateNames =
        Enum.GetValues<PostState>().ToDictionary(s => s, s => JsonNamingPolicy.CamelCase.ConvertName(s.ToString()));

    private static PostState? ParseState(string? name) =>
        Enum.TryParse<PostState>(name?.Trim(), ignoreCase: true, out var state) && Enum.IsDefined(state) && !int.TryParse(name, out _) ? state : null;

    private static Problem UnknownState(string name) =>
        new("state", "“{0}” is not a post state. Use one of: {1}.", name, string.Join(", ", Enum.GetValues<PostState>().Select(StateName)));

    private static LocalDate? Day(string? text, string field, List<Problem> problems, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) problems.Add(new Problem(field, "Give a date as YYYY-MM-DD."));
            return null;
        }
        if (PostRules.ParseDay(text) is { } day) return day;
        problems.Add(new Problem(field, "“{0}” is not a date as YYYY-MM-DD.", text));
        return null;
    }

    private static string ETag(Post post) => ApiVersions.ETag(post.Version);

    private static Task<PostActor> ActorAsync(HttpContext http, PermissionService permissions, WorkspaceContext workspace, CancellationToken ct) =>
        PostActor.ForAsync(http.User, permissions, workspace.Required, ct);

    /// <summary>A refused outcome as its status: 404, 412 (stale If-Match), 403, or 422 field by field.</summary>
    private static IResult? Failure(PostOutcome outcome) =>
        outcome.IsNotFound ? NotFound()
        : outcome.IsConflict ? ApiProblems.Validation([new Problem("If-Match", "The post changed since this version: read it again (GET), then send its new ETag.")], StatusCodes.Status412PreconditionFailed)
        : outcome.IsForbidden ? ApiProblems.Validation(outcome.Problems, StatusCodes.Status403Forbidden)
        : outcome.Problems.Count > 0 ? ApiProblems.Validation(outcome.Problems)
        : null;

    private static IResult NotFound() => ApiVersions.Status(StatusCodes.Status404NotFound);

    private static IResult PreconditionRequired() =>
        ApiProblems.Validation([new Problem("If-Match", "Send If-Match with the post's ETag (its version, from GET), so that nobody's edit is overwritten.")], StatusCodes.Status428PreconditionRequired);
}
