using System.Text;
using System.Text.Json;
using CmPortal.Core.Api;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Import;
using CmPortal.Modules.Inbox.Mentions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmPortal.Modules.Inbox.Api;

/// <summary>What a CSV import stored (or, with dryRun, would store): the lines read, mentions stored, duplicates left out.</summary>
internal sealed record ApiImported(int Rows, int Stored, int Duplicates, bool DryRun);

/// <summary>
/// Mentions from outside the inbox's own sources (docs/inbox-import.md): a CSV file posted by a script, and signed
/// webhooks from Zapier or n8n bridges. The hook endpoint takes no token — its Standard Webhooks signature is the
/// proof — so it is open to anyone and checks before it reads: size, timestamp, signature, replay.
/// </summary>
internal static class IngestWebhookApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/mentions/import", ImportAsync).RequirePermission(InboxPermissions.Manage)
            .WithName("ImportMentionsCsv").WithSummary("Imports mentions from a CSV file (text/csv body, at most 50,000 lines, 20 MB) in one transaction; dryRun=true only checks and counts.")
            // No Accepts("text/csv"): routing would answer 415 to another content type before the token is checked.
            .Produces<ApiImported>(StatusCodes.Status201Created).Produces<ApiImported>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        api.MapPost("/mentions/hooks/{hookId:guid}", ReceiveAsync).AllowAnonymous().RequireRateLimiting(IngestHookRateLimit.Policy)
            .WithName("ReceiveMentionsHook").WithSummary("Stores a batch of mentions sent by a bridge, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with the hook's secret; no token.")
            .Accepts<ApiMentionBatch>("application/json").Produces<ApiIngested>(StatusCodes.Status201Created).Produces<ApiIngested>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .Produces(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, MentionImportService importer, bool? dryRun, string? name, CancellationToken ct)
    {
        var bytes = await ReadAsync(request, MentionCsv.MaxBytes, ct);
        if (bytes is null)
            return ApiProblems.Validation([new Problem(null, "The file is larger than {0} MB: split it into several files.", MentionCsv.MaxBytes / 1024 / 1024)],
                StatusCodes.Status413PayloadTooLarge);
        var outcome = await importer.RunAsync(bytes, name, dryRun == true, ct: ct);
        if (!outcome.Succeeded) return ApiProblems.Validation(outcome.Problems.Select(p => p.Problem with { Field = FieldOf(p) }));
        var result = new ApiImported(outcome.File.Rows.Count, outcome.Stored, outcome.Duplicates, dryRun == true);
        return dryRun == true ? Results.Ok(result) : Results.Created($"/api/v1/{request.RouteValues["workspace"]}/mentions", result);
    }

    /// <summary>Where a problem is, as the API names it: <c>lines[7].date</c>, <c>lines[7]</c>, or <c>file</c>.</summary>
    public static string FieldOf(ImportProblem problem) =>
        problem.Line == 0 ? "file" : problem.Problem.Field is { Length: > 0 } field ? $"lines[{problem.Line}].{field}" : $"lines[{problem.Line}]";

    private static async Task<IResult> ReceiveAsync(Guid hookId, HttpRequest request, IngestHookService hooks, MentionService mentions,
        WorkspaceContext workspace, CancellationToken ct)
    {
        var bytes = await ReadAsync(request, IngestHookService.MaxBody, ct);
        if (bytes is null)
            return ApiProblems.Validation([new Problem(null, "The body is larger than {0} MB: send the mentions in several messages.", IngestHookService.MaxBody / 1024 / 1024)],
                StatusCodes.Status413PayloadTooLarge);
        var body = Encoding.UTF8.GetString(bytes);
        var messageId = request.Headers["webhook-id"].ToString();
        var (check, earlier) = await hooks.CheckAsync(hookId, messageId, request.Headers["webhook-timestamp"].ToString(),
            request.Headers["webhook-signature"].ToString(), body, ct);
        switch (check)
        {
            case HookCheck.UnknownHook: return Results.NotFound();
            case HookCheck.Stale:
                return ApiProblems.Validation([new Problem("webhook-timestamp", "The message's timestamp is more than {0} minutes from the portal's clock: it is refused as a possible replay. Sign each message when you send it.", 5)],
                    StatusCodes.Status401Unauthorized);
            case HookCheck.BadSignature:
                return ApiProblems.Validation([new Problem("webhook-signature", "The signature does not match: sign “webhook-id.webhook-timestamp.body” with HMAC-SHA256 and the hook's secret (docs/inbox-import.md).")],
                    StatusCodes.Status401Unauthorized);
            case HookCheck.Replayed: return Results.Ok(new ApiIngested(earlier!.Stored, earlier.Duplicates));
        }

        ApiMentionBatch? batch;
        try { batch = JsonSerializer.Deserialize<ApiMentionBatch>(body, JsonSerializerOptions.Web); }
        catch (JsonException) { batch = null; }
        if (batch is null)
            return ApiProblems.Validation([new Problem("mentions", "The body is not JSON with a list “mentions” (as POST mentions takes).")], StatusCodes.Status400BadRequest);

        // The mentions and the message id in one transaction (IngestHookService.AcceptAsync).
        return await hooks.AcceptAsync(hookId, messageId, () => MentionsApi.IngestAsync(batch, mentions, workspace, ct),
            result => result is Created<ApiIngested> { Value: { } ingested } ? (ingested.Stored, ingested.Duplicates) : null, ct);
    }

    /// <summary>The request's body, or null when it is longer than <paramref name="max"/> bytes (read no further than that).</summary>
    private static async Task<byte[]?> ReadAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
