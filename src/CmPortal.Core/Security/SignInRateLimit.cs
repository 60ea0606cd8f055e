using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;

namespace CmPortal.Core.Security;

/// <summary>
/// Attempts to sign in (and to set the portal up) per client address: guessing passwords, or locking
/// someone out by guessing theirs, costs the guesser. <c>Security:SignInRateLimit:PermitLimit</c> attempts
/// per <c>Security:SignInRateLimit:WindowSeconds</c> (10 per 60 s by default); beyond, 429 until the window ends.
/// </summary>
public static class SignInRateLimit
{
    public const string Policy = "sign-in";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var limit = configuration.GetValue("Security:SignInRateLimit:PermitLimit", 10);
        var window = TimeSpan.FromSeconds(configuration.GetValue("Security:SignInRateLimit:WindowSeconds", 60));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = ((int)window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask; // the status-code page explains it in the user's language
            };
            options.AddPolicy(Policy, context => RateLimitPartition.GetFixedWindowLimiter(
                // Behind a reverse proxy, configure forwarded headers so that this is the client, not the proxy.
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0 }));
        });
        return services;
    }
}
