using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CmPortal.Core.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace CmPortal.Core.Api;

/// <summary>
/// A request the API could not read — a body that is not JSON, a field of the wrong type, no body, a query value of
/// the wrong type — answers <c>400</c> with the portal's problem document (docs/api.md, "Errors"): the field as
/// <c>errors[0].field</c> (<c>mentions[3].publishedAt</c>), a message naming the JSON path, or the line and position
/// when the body is not JSON at all, and what the field takes, in the request's language. The body is never echoed
/// (System.Text.Json's own message quotes it), and nothing here is a 500.
/// </summary>
public static partial class ApiBodies
{
    /// <summary>
    /// Around the API's endpoints (after the request's culture is known): a binding failure the endpoint threw
    /// (<c>RouteHandlerOptions.ThrowOnBadRequest</c>) becomes its problem document.
    /// </summary>
    public static async Task ExplainRefusalsAsync(HttpContext context, RequestDelegate next)
    {
        if (!ApiProblems.IsApiPath(context.Request.Path))
        {
            await next(context);
            return;
        }
        try
        {
            await next(context);
        }
        // A client that went away (a body cut short by a closed connection) is left to ClientRequestErrors: nobody reads an answer.
        catch (BadHttpRequestException refused) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await Refusal(context, refused).ExecuteAsync(context);
        }
    }

    /// <summary>The answer to a body that could not be read as <paramref name="model"/> (null when the endpoint reads any JSON).</summary>
    public static IResult Unreadable(JsonException error, Type? model) =>
        ApiProblems.Validation([Explain(error, model)], StatusCodes.Status400BadRequest);

    /// <summary>Where a JSON body is wrong and how to fix it; never the body's text.</summary>
    public static Problem Explain(JsonException error, Type? model)
    {
        var path = string.IsNullOrEmpty(error.Path) ? "$" : error.Path;
        var field = JsonFieldTypes.FieldOf(path);
        // The reader's own error (not JSON, cut short, a trailing comma): System.Text.Json wraps it with the path.
        if (error.InnerException is JsonException || error.GetType() != typeof(JsonException) || error.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
            return field is null
                ? new Problem(null, "The body is not valid JSON: the error is at line {0}, position {1}. Check the quotes, commas and brackets there, and send a JSON object.",
                    (error.LineNumber ?? 0) + 1, (error.BytePositionInLine ?? 0) + 1)
                : new Problem(field, "The body is not valid JSON: the error is at line {0}, position {1}, in {2}. Check the quotes, commas and brackets there.",
                    (error.LineNumber ?? 0) + 1, (error.BytePositionInLine ?? 0) + 1, path);
        if (error.InnerException is InvalidOperationException { Message: var said } && said.Contains("UTF-16", StringComparison.Ordinal))
            return new Problem(field, "The text at {0} holds half of a character (a lone UTF-16 surrogate, such as \\ud83d without its pair). Send the whole character, or remove it.", path);
        var type = model is null ? null : JsonFieldTypes.TypeAt(model, field);
        if (field is null)
            return new Problem(null, "The body must be a JSON object (found another kind of value at $). Send {0}.", ProblemValue.Declared("an object of the documented shape"));
        return type is null
            ? new Problem(field, "The value at {0} has the wrong type or format. Give it the type the documentation names.", path)
            : type.IsEnum
                ? new Problem(field, "The value at {0} has the wrong type or format: expected one of {1}.", path,
                    ProblemValue.List(Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n))))
                : new Problem(field, "The value at {0} has the wrong type or format: expected {1}.", path, JsonFieldTypes.Describe(type));
    }

    private static IResult Refusal(HttpContext context, BadHttpRequestException refused)
    {
        var endpoint = context.GetEndpoint();
        if (refused.InnerException is JsonException json)
            return Unreadable(json, endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType);
        if (refused.StatusCode != StatusCodes.Status400BadRequest)
            return ApiVersions.Status(refused.StatusCode); // 413 too large, 415 not JSON…
        if (NoBody().IsMatch(refused.Message))
            return ApiProblems.Validation([new Problem(null, "The body is empty. Send a JSON object, with the header Content-Type set to application/json.")],
                StatusCodes.Status400BadRequest);
        if (UnboundParameter().Match(refused.Message) is { Success: true } unbound)
        {
            var name = unbound.Groups["name"].Value;
            var type = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;
            type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
            return ApiProblems.Validation([type is null
                ? new Problem(name, "The parameter {0} has the wrong type or format.", name)
                : new Problem(name, "The parameter {0} has the wrong type or format: expected {1}.", name, JsonFieldTypes.Describe(type))],
                StatusCodes.Status400BadRequest);
        }
        return ApiVersions.Status(StatusCodes.Status400BadRequest);
    }

    [GeneratedRegex("no body was provided|was not provided from body")]
    private static partial Regex NoBody();

    [GeneratedRegex("^Failed to bind parameter \"[^\"]* (?<name>[A-Za-z_][A-Za-z0-9_]*)\" from ")]
    private static partial Regex UnboundParameter();
}
