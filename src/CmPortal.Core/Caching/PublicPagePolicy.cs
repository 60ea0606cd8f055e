using System.Globalization;
using System.Security.Cryptography;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace CmPortal.Core.Caching;

/// <summary>
/// The output-cache policy of public pages (<see cref="PublicPageCache.Policy"/>). A page is kept per workspace, host
/// name, culture, address and public version, for anonymous GET and HEAD requests only; it is stored only when it
/// answered 200 without setting a cookie or forbidding storage. Each stored page carries an ETag and
/// <c>Cache-Control: public, max-age=0, must-revalidate</c>, so browsers and proxies ask again every time and get a
/// 304 while it has not changed.
/// </summary>
internal sealed class PublicPagePolicy : IOutputCachePolicy
{
    /// <summary>Longest a page stays without a change: bounds what depends on the date alone.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public const string CacheControl = "public, max-age=0, must-revalidate";

    /// <summary>ETags name one rendering: this node (random per start) and a counter; they never repeat for another page.</summary>
    private static readonly string Node = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + "-";
    private static long _rendered;

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var workspace = http.RequestServices.GetRequiredService<WorkspaceContext>().Current;
        if (workspace is null || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || SignedIn(http) ||
            request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            context.EnableOutputCaching = false;
            return;
        }
        var version = await http.RequestServices.GetRequiredService<PublicPageVersions>()
            .CurrentAsync(workspace.Id, http.RequestServices, ct);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = Lifetime;
        context.Tags.Add(PublicPageCache.Tag(workspace.Id));
        var vary = context.CacheVaryByRules;
        vary.VaryByHost = true;
        vary.VaryByValues["workspace"] = workspace.Key;
        vary.VaryByValues["culture"] = CultureInfo.CurrentUICulture.Name;
        vary.VaryByValues["version"] = version.ToString(CultureInfo.InvariantCulture);

        // Set before the page is written, so the stored copy carries them; taken off again if the page is not a 200.
        var headers = http.Response.Headers;
        headers.ETag = $"\"p{version}-{Node}{Interlocked.Increment(ref _rendered):x}\"";
        headers.CacheControl = CacheControl;
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode != StatusCodes.Status200OK && http.Response.StatusCode != StatusCodes.Status304NotModified)
            {
                headers.Remove(HeaderNames.ETag);
                if (headers.CacheControl == CacheControl) headers.Remove(HeaderNames.CacheControl);
            }
            return Task.CompletedTask;
        });
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        var cacheControl = response.Headers.CacheControl.ToString();
        // Never keep: an error or redirect, a page that set a cookie (antiforgery, sign-in), one that asked not to be
        // stored (antiforgery does when it issues a token), or one whose request turned out to be signed in.
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.ContainsKey(HeaderNames.SetCookie) ||
            cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase) ||
            cacheControl.Contains("private", StringComparison.OrdinalIgnoreCase) || SignedIn(context.HttpContext))
            context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }

    private static bool SignedIn(HttpContext http) => http.User.Identity?.IsAuthenticated == true;
}
