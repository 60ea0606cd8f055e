using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CmPortal.Core.Api;

/// <summary>
/// An example an endpoint shows in the OpenAPI document: its request body (<see cref="Status"/> null) or its answer
/// with <see cref="Status"/>. Written as JSON text, the same as docs/api.md shows, so a script author can copy either.
/// </summary>
public sealed record ApiExample(int? Status, string Json);

public static class ApiExampleExtensions
{
    /// <summary>The JSON body a script would send to this endpoint, shown in the OpenAPI document.</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, string json) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiExample(null, json));

    /// <summary>What this endpoint answers with <paramref name="status"/>, shown in the OpenAPI document.</summary>
    public static TBuilder WithResponseExample<TBuilder>(this TBuilder builder, int status, string json) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiExample(status, json));

    /// <summary>Copies the endpoints' <see cref="ApiExample"/>s into their operations' JSON media types.</summary>
    internal static Task AddExamples(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken _)
    {
        foreach (var example in context.Description.ActionDescriptor.EndpointMetadata.OfType<ApiExample>())
        {
            var content = example.Status is { } status
                ? operation.Responses?.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture))?.Content
                : operation.RequestBody?.Content;
            // application/json for bodies and answers, application/problem+json for refusals: one media type each.
            if (content?.Values.FirstOrDefault() is not { } media) continue;
            media.Example = JsonNode.Parse(example.Json);
        }
        return Task.CompletedTask;
    }
}
