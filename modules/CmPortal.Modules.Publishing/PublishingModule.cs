using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Modules.Publishing.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

[assembly: PortalModule(typeof(CmPortal.Modules.Publishing.PublishingModule))]

namespace CmPortal.Modules.Publishing;

/// <summary>
/// Makes the calendar's posts go out: the workspace's channels (Mastodon, Bluesky, the blog, webhooks, and manual
/// channels for the networks the portal cannot reach), an outbox of deliveries sent exactly once and on time, and
/// the publishing log.
/// </summary>
internal sealed class PublishingModule : PortalModule
{
    public const string ModuleId = "Publishing";

    public override string Id => ModuleId;
    public override string Name => "Publishing";
    public override string Description => "Publish the calendar's posts to Mastodon, Bluesky, the blog, webhooks and manual channels, exactly once and on time.";
    public override string Category => "Planning";

    // The posts, their variants and their media come from the calendar (through its contracts).
    public override IReadOnlyList<string> Dependencies => ["ContentCalendar"];

    public override IEnumerable<Permission> Permissions =>
        [PublishingPermissions.View, PublishingPermissions.Publish, PublishingPermissions.ManageChannels];

    /// <summary>Channels, "publish now" and a post's deliveries in the public API (docs/api.md).</summary>
    public override void MapApiEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder api) => Api.PublishingApi.Map(api);

    public override void BuildAdminMenu(Core.Admin.AdminMenuBuilder menu)
    {
        menu.Add("Publishing", "Channels", "channels", PublishingPermissions.View, 130, "broadcast");
        menu.Add("Publishing", "Publishing log", "publishing", PublishingPermissions.View, 131, "journal-check");
    }

    public override void ConfigureServices(ModuleServices module)
    {
        module.AddDbContext<Data.PublishingDbContext>()
            // Every minute, at second 30: posts are due at whole minutes, and a plan of the next 24 hours need not
            // compete with the sends of the instant.
            .AddWorkspaceJob<Outbox.PlanDeliveriesJob>("30 * * * * ?")
            .AddEventHandler<ContentCalendar.Contracts.PostScheduled, Outbox.PlanScheduledPost>()
            .AddEventHandler<Core.Workspaces.CrisisDeclared, Crisis.HoldPromotionsDuringCrisis>() // crisis mode (the inbox declares it)
            .AddEventHandler<Core.Workspaces.CrisisLifted, Crisis.ReleaseHoldAfterCrisis>()
            .AddRecipeStep<Recipes.ChannelsStep>() // names and settings of channels, never their secrets
            .AddDashboardCard<Dashboard.PublishingLateCard>() // publishing is late, or failed in the last 24 hours
            .AddAdminPanel<Admin.PostDeliveriesPanel>(); // the post editor's "Publishing" panel
        module.Services.AddScoped<Channels.ChannelService>();
        module.Services.AddScoped<IPublishingChannels>(sp => sp.GetRequiredService<Channels.ChannelService>());
        module.Services.AddScoped<IChannelSessions, Channels.ChannelSessions>();
        module.Services.AddScoped<IPublishingReplies, Outbox.ReplyService>(); // replies from the inbox, through the outbox
        // The draft checker and the calendar count with the connected channels' own limits (a Mastodon instance's).
        module.Services.AddScoped<Core.Networks.INetworkLimits, Channels.ChannelNetworkLimits>();
        module.Services.AddScoped<Outbox.OutboxPlanner>().AddScoped<Outbox.DeliverySender>().AddScoped<Outbox.DeliveryService>()
            .AddScoped<Outbox.ArticleTeasers>();
        module.Services.AddSingleton(Outbox.OutboxOptions.From(module.Configuration));
        module.Services.AddSingleton<Outbox.ChannelRateLimits>();
        module.Services.TryAddSingleton(TimeProvider.System);
        module.Services.AddSingleton<Outbox.OutboxDispatcher>().AddHostedService(sp => sp.GetRequiredService<Outbox.OutboxDispatcher>());
        module.Services.AddHealthChecks().AddCheck<Outbox.PublishingHealthCheck>("publishing");
        // The built-in networks; each other network adds its one line here.
        // Without the factory's per-request logging: its scope and lines cost ~10 % of the CPU at a 10,000-delivery instant
        // (docs/publishing.md, "Figures"), and the outbox records every outcome itself.
        module.Services.AddHttpClient(Networks.Webhook.WebhookNetwork.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30)).RemoveAllLoggers();
        module.Services.AddScoped<IChannelNetwork, Networks.Webhook.WebhookNetwork>();
        module.Services.AddScoped<IChannelNetwork, Networks.Manual.ManualNetwork>();
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
