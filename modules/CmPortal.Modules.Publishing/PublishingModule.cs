using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Modules.Publishing.Contracts;
using Microsoft.Extensions.DependencyInjection;

[assembly: PortalModule(typeof(CmPortal.Modules.Publishing.PublishingModule))]

namespace CmPortal.Modules.Publishing;

/// <summary>
/// Makes the calendar's posts go out: the workspace's channels (Mastodon, Bluesky, the blog, webhooks, and manual
/// channels for the networks the portal cannot reach), an outbox of deliveries sent exactly once and on time, and
/// the publishing log.
/// </summary>
internal sealed class PublishingModule : PortalModule
{
    public override string Id => "Publishing";
    public override string Name => "Publishing";
    public override string Description => "Publish the calendar's posts to Mastodon, Bluesky, the blog, webhooks and manual channels, exactly once and on time.";
    public override string Category => "Planning";

    // The posts, their variants and their media come from the calendar (through its contracts).
    public override IReadOnlyList<string> Dependencies => ["ContentCalendar"];

    public override IEnumerable<Permission> Permissions =>
        [PublishingPermissions.View, PublishingPermissions.Publish, PublishingPermissions.ManageChannels];

    public override void ConfigureServices(ModuleServices module)
    {
        // Mastodon: no automatic retries (the outbox decides), a bounded wait per call.
        module.Services.AddHttpClient(Networks.Mastodon.MastodonClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        module.Services.AddScoped<Networks.Mastodon.MastodonClient>().AddScoped<Networks.Mastodon.MastodonOAuth>();
        module.Services.AddScoped<IChannelNetwork, Networks.Mastodon.MastodonNetwork>();
        Networks.Bluesky.BlueskyNetwork.Register(module.Services);
    }
}

internal static class PublishingPermissions
{
    public static readonly Permission View = new("Publishing.View", "See channels and the publishing log", DefaultRoles.Everyone);
    public static readonly Permission Publish = new("Publishing.Publish", "Publish now, retry, cancel deliveries, mark manual posts published",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
    public static readonly Permission ManageChannels = new("Publishing.ManageChannels", "Connect, pause and remove channels",
        DefaultRoles.BrandManager);
}
