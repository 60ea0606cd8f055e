using System.Globalization;
using CmPortal.Core.Api;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Automation;
using CmPortal.Modules.Inbox.Listening;
using CmPortal.Modules.Inbox.Mentions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CmPortal.Modules.Inbox.Api;

/// <summary>
/// A rule as a script sends it, with the names of the recipe step <c>rules</c>: <c>query</c> names a listening query,
/// <c>assignTo</c> is a member's e-mail (or user id), <c>flagRule</c> a rule of the published charter.
/// </summary>
internal sealed record ApiRuleIn(string? Name = null, bool? Enabled = null, string? Words = null, string? Query = null, string? Sentiment = null,
    string? Source = null, string? Author = null, string? Language = null, IReadOnlyList<string>? Labels = null, string? AssignTo = null,
    string? Status = null, string? FlagRule = null);

/// <summary>A rule as the API answers it; <c>position</c> 0 is tried first, <c>version</c> is also its ETag.</summary>
internal sealed record ApiRule(Guid Id, int Position, string Name, bool Enabled, string? Words, string? Query, string? Sentiment, string? Source,
    string? Author, string? Language, IReadOnlyList<string> Labels, string? AssignTo, string? Status, string? FlagRule, int Version,
    DateTime UpdatedAt, string? UpdatedBy);

internal sealed record ApiRuleList(IReadOnlyList<ApiRule> Items);

internal sealed record ApiRuleMove(string? Direction);

/// <summary>One change a rule would make to a mention: <c>label</c>, <c>assign</c> (an e-mail), <c>status</c> or <c>flag</c>.</summary>
internal sealed record ApiRuleChange(string Kind, string Value);

internal sealed record ApiRuleMatch(long Id, string Text, DateTime PublishedAt, string Source, string? Author, string? Url, IReadOnlyList<ApiRuleChange> Changes);

/// <summary>What "test this rule" finds: the count over the last <c>days</c> days and the newest matches; nothing is changed.</summary>
internal sealed record ApiRuleTest(int Count, int Days, IReadOnlyList<ApiRuleMatch> Matches);

/// <summary>
/// The automation rules in the public API (docs/api.md, docs/inbox-rules.md): list, add, read, replace with
/// <c>If-Match</c>, delete, move, and test without saving. Every rule is <see cref="RuleService"/>'s; this class
/// translates HTTP and the recipe's names to it. Reading takes Inbox.View, the rest Inbox.Manage, as the rules page.
/// </summary>
internal static class RulesApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/rules", ListAsync).RequirePermission(InboxPermissions.View)
            .WithName("ListRules").WithSummary("The workspace's automation rules in the order they are tried (the first enabled one that matches a new mention applies).")
            .Produces<ApiRuleList>();
        api.MapPost("/rules", CreateAsync).RequirePermission(InboxPermissions.Manage)
            .WithName("AddRule").WithSummary("Adds an automation rule at the end of the list: conditions (words, query, sentiment, source, author, language) and actions (labels, assignTo, status, flagRule).")
            .Accepts<ApiRuleIn>("application/json").Produces<ApiRule>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden)
            .WithRequestExample(Example);
        api.MapPost("/rules/test", TestAsync).RequirePermission(InboxPermissions.Manage)
            .WithName("TestRule").WithSummary("Tries a rule, saved or not, on the mentions of the last 30 days: how many it matches and the 10 newest with what it would change. Changes nothing.")
            .Accepts<ApiRuleIn>("application/json").Produces<ApiRuleTest>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/rules/{id:guid}", GetAsync).RequirePermission(InboxPermissions.View)
            .WithName("GetRule").WithSummary("An automation rule; its ETag is its version, for If-Match.").Produces<ApiRule>();
        api.MapPut("/rules/{id:guid}", UpdateAsync).RequirePermission(InboxPermissions.Manage)
            .WithName("UpdateRule").WithSummary("Replaces an automation rule (fields left out are not set). Requires If-Match with the rule's ETag.")
            .Accepts<ApiRuleIn>("application/json").Produces<ApiRule>()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapDelete("/rules/{id:guid}", DeleteAsync).RequirePermission(InboxPermissions.Manage)
            .WithName("DeleteRule").WithSummary("Deletes an automation rule. Requires If-Match with the rule's ETag.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapPost("/rules/{id:guid}/move", MoveAsync).RequirePermission(InboxPermissions.Manage)
            .WithName("MoveRule").WithSummary("Moves an automation rule one place \"up\" (tried earlier) or \"down\"; answers the rules in their new order.")
            .Accepts<ApiRuleMove>("application/json").Produces<ApiRuleList>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private const string Example = """
        { "name": "Livraison", "words": "livraison OR colis -merci", "sentiment": "negative", "labels": ["livraison"], "assignTo": "cm@maison-lumen.test", "status": "toHandle" }
        """;

    private static async Task<IResult> ListAsync(RuleService rules, ListeningQueryService queries, CancellationToken ct) =>
        Results.Ok(new ApiRuleList(await ModelsAsync(rules, queries, ct)));

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, RuleService rules, ListeningQueryService queries, CancellationToken ct)
    {
        var model = (await ModelsAsync(rules, queries, ct)).FirstOrDefault(r => r.Id == id);
        if (model is null) return NotFound();
        http.Response.Headers.ETag = ApiVersions.ETag(model.Version);
        return Results.Ok(model);
    }

    private static async Task<IResult> CreateAsync(ApiRuleIn body, HttpContext http, RuleService rules, ListeningQueryService queries, WorkspaceContext workspace, CancellationToken ct)
    {
        var (input, problems) = await rules.ResolveAsync(InputOf(body), body.Query, body.AssignTo, null, ct);
        if (problems.Count > 0) return Invalid(problems);
        var outcome = await rules.CreateAsync(input, PermissionService.UserId(http.User), Admin.AnswersAdminController.MemberName(http.User), ct);
        if (outcome.Rule is null) return Invalid(outcome.Problems);
        var model = (await ModelsAsync(rules, queries, ct)).First(r => r.Id == outcome.Rule.Id);
        http.Response.Headers.ETag = ApiVersions.ETag(model.Version);
        return Results.Created($"/api/v1/{workspace.Required.Key}/rules/{model.Id}", model);
    }

    private static async Task<IResult> UpdateAsync(Guid id, ApiRuleIn body, HttpContext http, RuleService rules, ListeningQueryService queries, CancellationToken ct)
    {
        if (await rules.FindAsync(id, ct) is not { } current) return NotFound();
        if (ApiVersions.IfMatch(http, current.Version) is not { } version) return PreconditionRequired();
        var (input, problems) = await rules.ResolveAsync(InputOf(body), body.Query, body.AssignTo, id, ct);
        if (problems.Count > 0) return Invalid(problems);
        var outcome = await rules.UpdateAsync(id, version, input, PermissionService.UserId(http.User), Admin.AnswersAdminController.MemberName(http.User), ct);
        if (Failure(outcome) is { } failed) return failed;
        var model = (await ModelsAsync(rules, queries, ct)).First(r => r.Id == id);
        http.Response.Headers.ETag = ApiVersions.ETag(model.Version);
        return Results.Ok(model);
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, RuleService rules, CancellationToken ct)
    {
        if (await rules.FindAsync(id, ct) is not { } current) return NotFound();
        if (ApiVersions.IfMatch(http, current.Version) is not { } version) return PreconditionRequired();
        return Failure(await rules.DeleteAsync(id, version, ct)) ?? Results.NoContent();
    }

    private static async Task<IResult> MoveAsync(Guid id, ApiRuleMove body, RuleService rules, ListeningQueryService queries, CancellationToken ct)
    {
        if (body.Direction is not ("up" or "down"))
            return Invalid([new Problem("direction", "Move a rule \"up\" or \"down\".")]);
        if (Failure(await rules.MoveAsync(id, body.Direction == "up", ct)) is { } failed) return failed;
        return Results.Ok(new ApiRuleList(await ModelsAsync(rules, queries, ct)));
    }

    private static async Task<IResult> TestAsync(ApiRuleIn body, RuleService rules, CancellationToken ct)
    {
        var (input, problems) = await rules.ResolveAsync(InputOf(body), body.Query, body.AssignTo, null, ct);
        if (problems.Count > 0) return Invalid(problems.Where(p => p.Field != "name"));
        var (result, refused) = await rules.TestAsync(input, null, ct);
        if (result is null) return Invalid(refused);
        var emails = (await rules.MemberEmailsAsync(ct)).ToDictionary(m => m.Id.ToString(), m => m.Email ?? "");
        return Results.Ok(new ApiRuleTest(result.Count, RuleService.TestDays, result.First.Select(f => new ApiRuleMatch(
            f.Mention.Id, f.Mention.Text, f.Mention.PublishedUtc, f.Mention.SourceKind, f.Mention.Author, f.Mention.Url,
            f.Effects.Select(e => new ApiRuleChange(e.Kind, e.Kind == "assign" && emails.TryGetValue(e.Value, out var email) ? email : e.Value)).ToList())).ToList()));
    }

    private static RuleInput InputOf(ApiRuleIn body) =>
        new(body.Name, body.Words, null, body.Sentiment, body.Source, body.Author, body.Language,
            body.Labels is null ? null : string.Join(",", body.Labels), null, body.Status, body.FlagRule, body.Enabled ?? true);

    /// <summary>The rules in order, named as the recipe names them (the query by its name, the assignee by e-mail).</summary>
    private static async Task<List<ApiRule>> ModelsAsync(RuleService rules, ListeningQueryService queries, CancellationToken ct)
    {
        var names = (await queries.ListAsync(ct)).ToDictionary(q => q.Id, q => q.Name);
        var emails = (await rules.MemberEmailsAsync(ct)).ToDictionary(m => m.Id, m => m.Email);
        return (await rules.ListAsync(ct)).Select((r, i) => new ApiRule(r.Id, i, r.Name, r.Enabled, r.Words,
            r.QueryId is { } q && names.TryGetValue(q, out var name) ? name : null, r.Sentiment, r.SourceKind, r.Author, r.Language,
            MentionRules.SplitLabels(r.AddLabels).ToList(), r.AssignTo is { } a && emails.TryGetValue(a, out var email) ? email : null,
            r.SetStatus is { } s ? MentionsApi.StatusName(s) : null, r.FlagCharterRuleId, r.Version, r.UpdatedUtc, r.UpdatedByName)).ToList();
    }

    /// <summary>The service's field names as the API (and the recipe) names them.</summary>
    private static IResult Invalid(IEnumerable<Problem> problems) =>
        ApiProblems.Validation(problems.Select(p => p with
        {
            Field = p.Field switch { "queryId" => "query", "sourceKind" => "source", "flagRuleId" => "flagRule", var f => f },
        }));

    private static IResult? Failure(RuleOutcome outcome) =>
        outcome.IsNotFound ? NotFound()
        : outcome.IsConflict ? ApiProblems.Validation([new Problem("If-Match", "The rule changed since this version: read it again (GET), then send its new ETag.")], StatusCodes.Status412PreconditionFailed)
        : outcome.Problems.Count > 0 ? Invalid(outcome.Problems)
        : null;

    private static IResult PreconditionRequired() =>
        ApiProblems.Validation([new Problem("If-Match", "Send If-Match with the rule's ETag (its version, from GET), so that nobody's edit is overwritten.")], StatusCodes.Status428PreconditionRequired);

    private static IResult NotFound() => ApiVersions.Status(StatusCodes.Status404NotFound);
}
