using System.Globalization;
using System.Text.Json;
using CmPortal.Core.Localization;
using CmPortal.Core.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace CmPortal.Core.Api;

/// <summary>One error of a validation answer: the field (camelCase, as the request names it), the message in the
/// reader's language, and the English template, stable for scripts to test against.</summary>
public sealed record ApiFieldError(string? Field, string Message, string Template);

/// <summary>An RFC 9457 problem document, as every API error answers.</summary>
public sealed record ApiProblem(string Type, string Title, int Status, string Detail, IReadOnlyList<ApiFieldError>? Errors = null);

/// <summary>
/// Errors of the API as RFC 9457 <c>application/problem+json</c>, in the language of the request's
/// <c>Accept-Language</c> (French by default). Modules answer a validation failure with
/// <see cref="Validation(IEnumerable{Problem}, int)"/>; 401, 403, 404 and 500 under <c>/api</c> are written by
/// <see cref="WriteStatusAsync"/> (the authentication handler, the error pages).
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";
    // French stays readable in the answer (é, not \u00E9); JSON is never written into a page, so no HTML escaping is needed.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Addresses of the API: authenticated by bearer token only, answering JSON.</summary>
    public static bool IsApiPath(PathString path) => path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this request is for the API, also while an error page is re-executed for it.</summary>
    public static bool IsApiRequest(HttpContext context) =>
        IsApiPath(context.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath is { } original ? new PathString(original) : context.Request.Path) ||
        (context.Features.Get<IExceptionHandlerPathFeature>()?.Path is { } failed && IsApiPath(new PathString(failed)));

    /// <summary>The API's culture: the first of <c>Accept-Language</c> the portal speaks (by quality), else French.</summary>
    public static string Culture(HttpContext context)
    {
        var languages = context.Request.GetTypedHeaders().AcceptLanguage;
        foreach (var language in languages.OrderByDescending(l => l.Quality ?? 1))
        {
            if (language.Quality == 0) continue;
            var tag = language.Value.Value ?? "";
            if (tag.StartsWith("fr", StringComparison.OrdinalIgnoreCase)) return "fr-FR";
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return "en-US";
        }
        return "fr-FR";
    }

    /// <summary>What was wrong with a request, field by field: 422 (or 400 for a body that could not be read).</summary>
    public static IResult Validation(IEnumerable<Problem> problems, int status = StatusCodes.Status422UnprocessableEntity) =>
        new ValidationResult(problems.ToList(), status);

    /// <summary>A generic answer for a status (401, 403, 404, 405, 429, 500…) as a problem document.</summary>
    public static Task WriteStatusAsync(HttpContext context, int status)
    {
        var T = Localizer(context);
        var (title, detail) = status switch
        {
            StatusCodes.Status400BadRequest => (T["Bad request"].Value, T["The request could not be read: check its JSON and its fields' types."].Value),
            StatusCodes.Status401Unauthorized => (T["Unauthorized"].Value, T["Send a valid personal access token in the Authorization header, as “Bearer TOKEN”. This one may be unknown, revoked or expired."].Value),
            StatusCodes.Status403Forbidden => (T["Access denied"].Value, T["Your role in this workspace does not allow this."].Value),
            StatusCodes.Status404NotFound => (T["Not found"].Value, T["Nothing answers at this address, or not for this token's workspace."].Value),
            StatusCodes.Status405MethodNotAllowed => (T["Method not allowed"].Value, T["This address does not take this method."].Value),
            StatusCodes.Status415UnsupportedMediaType => (T["Unsupported media type"].Value, T["Send the body as JSON, with the header Content-Type set to application/json."].Value),
            StatusCodes.Status429TooManyRequests => (T["Too many requests"].Value, T["Too many requests from your address. Wait a minute, then try again."].Value),
            _ => (T["Something went wrong"].Value, T["The portal could not answer. The error is in its log; try again in a moment."].Value),
        };
        return WriteAsync(context, new ApiProblem(TypeOf(status), title, status, detail));
    }

    private static Task WriteAsync(HttpContext context, ApiProblem problem)
    {
        context.Response.StatusCode = problem.Status;
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return context.Response.WriteAsJsonAsync(problem, Json, ContentType);
    }

    private static IStringLocalizer Localizer(HttpContext context) =>
        context.RequestServices.GetRequiredService<IStringLocalizer<ApiProblem>>();

    /// <summary>The RFC 9110 section of a status, as the problem's <c>type</c>.</summary>
    private static string TypeOf(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        403 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        405 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
        412 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        422 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        428 => "https://www.rfc-editor.org/rfc/rfc6585#section-3",
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        _ => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
    };

    private sealed class ValidationResult(IReadOnlyList<Problem> problems, int status) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
    {
        public int? StatusCode => status;
        string? IContentTypeHttpResult.ContentType => ApiProblems.ContentType;

        public Task ExecuteAsync(HttpContext context)
        {
            var T = Localizer(context);
            var errors = problems.Select(p => new ApiFieldError(p.Field, T.Problem(p).Value, p.Template)).ToList();
            var detail = errors.Count == 1 ? errors[0].Message : T["{0} problems: see errors.", errors.Count].Value;
            return WriteAsync(context, new ApiProblem(TypeOf(status), T["The request has problems"].Value, status, detail, errors));
        }
    }
}
