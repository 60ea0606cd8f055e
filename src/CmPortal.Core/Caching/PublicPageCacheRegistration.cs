using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CmPortal.Core.Caching;

public static class PublicPageCacheRegistration
{
    /// <summary>The output cache with the public page policy, the eviction contract and the version watcher.</summary>
    public static IServiceCollection AddPublicPageCache(this IServiceCollection services)
    {
        services.AddOutputCache(o =>
        {
            o.AddPolicy(PublicPageCache.Policy, new PublicPagePolicy());
            o.SizeLimit = 64L * 1024 * 1024;     // bytes of pages kept per node; least used go first
            o.MaximumBodySize = 1024 * 1024;     // a bigger page is served but not kept
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PublicPageVersions>();
        services.AddScoped<IPublicPageCache, PublicPageCache>();
        return services;
    }
}
