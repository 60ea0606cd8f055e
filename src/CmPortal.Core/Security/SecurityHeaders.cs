using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace CmPortal.Core.Security;

/// <summary>
/// The security headers every response carries (pages, errors, redirects, static files, feeds): a Content-Security-Policy
/// that allows scripts only from the portal's own files (no inline script, no event-handler attribute), no plugins,
/// no foreign base or form target and no framing; <c>X-Frame-Options: DENY</c>; <c>X-Content-Type-Options: nosniff</c>;
/// and a referrer policy that keeps admin addresses inside the portal. They are set when the response starts, so
/// the exception handler (which clears headers) and every short-circuit keep them. A response that already carries
/// its own policy keeps it: the logo endpoint serves SVGs under a stricter sandbox policy.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Styles keep 'unsafe-inline': the brand site writes the graphic charter's colours and fonts as CSS custom
    /// properties in a style element, and admin views colour swatches with style attributes. Scripts are strict.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string PublicReferrerPolicy = "strict-origin-when-cross-origin";

    /// <summary>Admin, account and setup addresses name workspaces and users: not even their origin leaves the portal.</summary>
    public const string AdminReferrerPolicy = "same-origin";

    private static readonly string[] AdminPaths = ["/admin", "/account", "/setup"];

    /// <summary>Registers <see cref="PublicUrls"/> and <see cref="HostFilter"/>, and turns off the framework's host filter, which cannot know bound hosts.</summary>
    public static IServiceCollection AddPortalSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        PublicUrls.ParseBaseUrl(configuration[PublicUrls.BaseUrlKey]); // a bad value stops the start with an explanation
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<HostFilter>();
        // AllowedHosts is read by HostFilter, which also serves host names bound to workspaces at runtime.
        services.PostConfigure<HostFilteringOptions>(o => o.AllowedHosts = ["*"]);
        return services;
    }

    /// <summary>First in the pipeline: the headers, then the host filter.</summary>
    public static IApplicationBuilder UsePortalSecurity(this IApplicationBuilder app)
    {
        app.Use(static (context, next) =>
        {
            // Decided on the address asked for: an error page re-executed at /error/404 keeps the admin's policy.
            var path = context.Request.Path;
            var referrer = AdminPaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)) ? AdminReferrerPolicy : PublicReferrerPolicy;
            context.Response.OnStarting(() => { Apply(context.Response.Headers, referrer); return Task.CompletedTask; });
            return next(context);
        });
        var filter = app.ApplicationServices.GetRequiredService<HostFilter>();
        app.Use(next => context => filter.InvokeAsync(context, next));
        return app;
    }

    private static void Apply(IHeaderDictionary headers, string referrerPolicy)
    {
        if (!headers.ContainsKey(HeaderNames.ContentSecurityPolicy)) headers.ContentSecurityPolicy = ContentSecurityPolicy;
        // Set, not added: antiforgery writes SAMEORIGIN on pages with a form.
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        // A page may ask for a stricter policy (the calendar's preview links: no-referrer, the token is in the address).
        if (!headers.ContainsKey("Referrer-Policy")) headers["Referrer-Policy"] = referrerPolicy;
    }
}
