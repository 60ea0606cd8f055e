using System.Text.Json;
using CmPortal.Core.Api;
using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Publishing.Api;

/// <summary>A channel in the API: never its secret.</summary>
internal sealed record ApiChannel(Guid Id, string Network, string Name, string? AccountName, string? AccountUrl, string State);

internal sealed record ApiChannelList(IReadOnlyList<ApiChannel> Channels);

/// <summary>One delivery of a post: the channel, its state, the published address and how many attempts it took.</summary>
/// <param name="Error">What the network or the portal last said, as kept (the network's raw words).</param>
/// <param name="Reason">For a delivery the network failed: why and what to do, in the request's language (the log's « Pourquoi il a échoué »).</param>
internal sealed record ApiDelivery(Guid Channel, string State, string? RemoteUrl, int Attempts, DateTime DueUtc, string? Error, string? Reason = null);

internal sealed record ApiDeliveryList(IReadOnlyList<ApiDelivery> Deliveries);

/// <summary>
/// Publishing in the public API (docs/api.md): connect and list channels, "publish now", a post's deliveries. The
/// rules are <see cref="ChannelService"/>'s and <see cref="DeliveryService"/>'s.
/// </summary>
internal static class PublishingApi
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/channels", ConnectAsync).RequirePermission(PublishingPermissions.ManageChannels)
            .WithName("ConnectChannel").WithSummary("Connects a channel: { network, name, and the network's fields (instanceUrl, accessToken, handle, appPassword, url, secret…) }.")
            .Produces<ApiChannel>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/channels", ListAsync).RequirePermission(PublishingPermissions.View)
            .WithName("ListChannels").WithSummary("The workspace's channels (never their secrets).").Produces<ApiChannelList>();
        api.MapPost("/posts/{id:guid}/publish-now", PublishNowAsync).RequirePermission(PublishingPermissions.Publish)
            .WithName("PublishPostNow").WithSummary("Makes the post's next deliveries due now; answers them.")
            .Produces<ApiDeliveryList>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/posts/{id:guid}/deliveries", DeliveriesAsync).RequirePermission(PublishingPermissions.View)
            .WithName("ListPostDeliveries").WithSummary("The post's deliveries: channel, state, published address, attempts.").Produces<ApiDeliveryList>();
    }

    private static async Task<IResult> ConnectAsync(HttpContext http, ChannelService channels, CancellationToken ct)
    {
        JsonElement body;
        try { body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: ct); }
        catch (JsonException e) { return ApiBodies.Unreadable(e, null); }
        if (body.ValueKind != JsonValueKind.Object)
            return ApiProblems.Validation([new Problem(null, "The body must be a JSON object.")], StatusCodes.Status400BadRequest);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<Problem>();
        foreach (var property in body.EnumerateObject())
        {
            // Every field of a channel is a string (an address, a token, a user id): another type is named, not left out.
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                try { fields[property.Name] = property.Value.GetString()!; }
                catch (InvalidOperationException) // half of a character (a lone surrogate escaped as \ud83d): the text cannot be read
                {
                    problems.Add(new Problem(property.Name, "The text at {0} holds half of a character (a lone UTF-16 surrogate, such as \\ud83d without its pair). Send the whole character, or remove it.", PathOf(property.Name)));
                }
            }
            else if (property.Value.ValueKind != JsonValueKind.Null)
                problems.Add(new Problem(property.Name, "The value at {0} has the wrong type or format: expected {1}.",
                    PathOf(property.Name), ProblemValue.Declared("a string")));
        }
        if (problems.Count > 0) return ApiProblems.Validation(problems, StatusCodes.Status400BadRequest);
        var kind = fields.GetValueOrDefault("network") ?? "";
        if (channels.NetworkOf(kind) is null)
            return ApiProblems.Validation([new Problem("network", "Choose the kind of channel to connect.")], StatusCodes.Status400BadRequest);
        Guid? assignee = Guid.TryParse(fields.GetValueOrDefault("assignee"), out var a) ? a : null;
        // For a manual channel, "network" names the network it posts to by hand ("manualNetwork" in the API).
        if (kind == "manual") fields["network"] = fields.GetValueOrDefault("manualNetwork") ?? "";
        else fields.Remove("network");
        var outcome = await channels.ConnectAsync(kind, fields.GetValueOrDefault("name") ?? "", fields, assignee, ct);
        if (!outcome.Succeeded) return ApiProblems.Validation(outcome.Problems);
        return Results.Created($"/api/v1/{http.GetRouteValue("workspace")}/channels/{outcome.Channel!.Id}", Model(outcome.Channel));
    }

    /// <summary>A top-level field's JSON path, as System.Text.Json writes it: <c>$.url</c>, <c>$['odd.name']</c>.</summary>
    private static string PathOf(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? "$." + name : "$['" + name.Replace("'", "''") + "']";

    private static async Task<IResult> ListAsync(ChannelService channels, CancellationToken ct) =>
        Results.Ok(new ApiChannelList((await channels.ListAsync(ct)).Select(Model).ToList()));

    private static async Task<IResult> PublishNowAsync(Guid id, DeliveryService deliveries, IStringLocalizer<ApiProblem> T, CancellationToken ct)
    {
        var outcome = await deliveries.PublishNowAsync(id, ct);
        if (!outcome.Succeeded) return ApiProblems.Validation(outcome.Problems);
        return Results.Json(await ListOfAsync(id, deliveries, T, ct), statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> DeliveriesAsync(Guid id, DeliveryService deliveries, IStringLocalizer<ApiProblem> T, CancellationToken ct) =>
        Results.Ok(await ListOfAsync(id, deliveries, T, ct));

    private static async Task<ApiDeliveryList> ListOfAsync(Guid postId, DeliveryService deliveries, IStringLocalizer T, CancellationToken ct) =>
        new((await deliveries.ForPostAsync(postId, ct)).OrderBy(v => v.Delivery.OccurrenceUtc).ThenBy(v => v.ChannelName)
            .Select(v => new ApiDelivery(v.Delivery.ChannelId, StateName(v.Delivery.State), v.Delivery.RemoteUrl, v.Delivery.Attempts,
                v.Delivery.DueUtc, v.Delivery.LastError, Admin.DeliveryFailures.Of(v) is { } failure ? T.Problem(failure).Value : null)).ToList());

    private static ApiChannel Model(Channel c) => new(c.Id, c.Kind, c.Name, c.AccountName, c.AccountUrl, StateName(c.State));

    public static string StateName<TEnum>(TEnum state) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());
}
