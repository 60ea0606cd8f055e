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

    /// <summary>
    /// The version an edit of a resource whose version is <paramref name="current"/> is based on, from <c>If-Match</c>
    /// (docs/api.md, "Versions and If-Match"): null when it is absent (answer 428); <paramref name="current"/> when it
    /// names it — <c>"3"</c>, <c>W/"3"</c> (a proxy that compresses answers weakens ETags), one of a list
    /// <c>"2", "3"</c>, or <c>*</c> (any version: the client knowingly overwrites); else a version that is not current,
    /// so that the service refuses the edit as stale (412).
    /// </summary>
    public static int? IfMatch(HttpContext http, int current)
    {
        var header = http.Request.Headers[HeaderNames.IfMatch];
        if (string.IsNullOrWhiteSpace(header.ToString())) return null;
        int? named = null;
        foreach (var tag in Tags(header))
        {
            if (tag == "*") return current;
            var value = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
            if (!int.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)) continue;
            if (version == current) return current;
            named ??= version;
        }
        return named ?? -1;
    }

    /// <summary>The entity tags of a header (a list, comma-separated); a bare number is taken as its quoted tag.</summary>
    private static IEnumerable<string> Tags(Microsoft.Extensions.Primitives.StringValues header) =>
        header.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>A generic problem document for a status (as the portal answers 404 elsewhere under /api).</summary>
    public static IResult Status(int status) => new StatusResult(status);

    private sealed class StatusResult(int status) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => ApiProblems.WriteStatusAsync(context, status);
    }
}
