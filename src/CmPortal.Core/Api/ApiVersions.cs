using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CmPortal.Core.Api;

/// <summary>
/// Optimistic concurrency in the API: a resource's ETag is its version ("3"); an edit sends it back in
/// <c>If-Match</c>. Also the generic 404 problem an endpoint answers for an id that is not in its workspace.
/// </summary>
public static class ApiVersions
{
    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version named by <c>If-Match</c> ("3", or W/"3"); null when absent, -1 when not one of ours.</summary>
    public static int? IfMatch(HttpContext http)
    {
        var value = http.Request.Headers[HeaderNames.IfMatch].ToString().Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        value = value.Trim('"');
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : value.Length > 0 ? -1 : null;
    }

    /// <summary>A generic problem document for a status (as the portal answers 404 elsewhere under /api).</summary>
    public static IResult Status(int status) => new StatusResult(status);

    private sealed class StatusResult(int status) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => ApiProblems.WriteStatusAsync(context, status);
    }
}
