using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.Inbox.Import;

/// <summary>
/// Messages per ingest hook: the hook endpoint takes no token, so a flood (a bridge looping, or someone replaying a
/// leaked address) costs one hook's budget, never the portal's. <c>Inbox:HookRateLimit:PermitLimit</c> messages per
/// <c>Inbox:HookRateLimit:WindowSeconds</c> and hook (120 per 60 s by default: a bridge sends batches of up to 1,000
/// mentions); beyond, 429 with <c>Retry-After</c>, which Zapier and n8n retry on.
/// </summary>
internal static class IngestHookRateLimit
{
    public const string Policy = "inbox-ingest-hook";

    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        var limit = configuration.GetValue("Inbox:HookRateLimit:PermitLimit", 120);
        var window = TimeSpan.FromSeconds(configuration.GetValue("Inbox:HookRateLimit:WindowSeconds", 60));
        services.AddRateLimiter(options => options.AddPolicy(Policy, context =>
            RateLimitPartition.GetFixedWindowLimiter(
                // Per hook address; an unknown one still shares its partition, so guessing costs the guesser too.
                context.Request.RouteValues["hookId"]?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0 })));
        // The portal's rejection (Core's SignInRateLimit) answers 429 with its own window; a hook says its own.
        services.PostConfigure<RateLimiterOptions>(options =>
        {
            var portal = options.OnRejected;
            options.OnRejected = async (context, ct) =>
            {
                if (portal is not null) await portal(context, ct);
                if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Policy)
                    context.HttpContext.Response.Headers.RetryAfter = ((int)window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            };
        });
    }
}
