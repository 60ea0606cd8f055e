using CmPortal.Core.Admin;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

[assembly: PortalModule(typeof(CmPortal.Modules.Inbox.InboxModule))]

namespace CmPortal.Modules.Inbox;

/// <summary>
/// The mention inbox: what is said about the brand and its competitors, gathered from feeds, networks, webhooks and
/// imports, searchable, with sentiment, triage and moderation by the community charter (docs/inbox.md).
/// </summary>
internal sealed class InboxModule : PortalModule
{
    public override string Id => "Inbox";
    public override string Name => "Mention inbox";
    public override string Description => "Listen to what is said about the brand and its competitors, search it, triage it and answer.";
    public override string Category => "Listening";

    public override IEnumerable<Permission> Permissions => [InboxPermissions.View, InboxPermissions.Triage, InboxPermissions.Manage];

    public override void ConfigureServices(ModuleServices module)
    {
        // Listening on the networks (docs/inbox-networks.md): read-only calls, a bounded wait, no automatic retries
        // (a poll that fails is tried at the next one; a 429 says when).
        module.Services.AddHttpClient(Sources.Mastodon.MastodonListening.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        module.Services.AddHttpClient(Sources.Bluesky.BlueskyListening.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        module.Services.TryAddSingleton(TimeProvider.System);
        module.Services.AddSingleton<Sources.Mastodon.MastodonListening>().AddSingleton<Sources.Bluesky.BlueskyListening>();
        // Mentions: the store, its search and the demo's recipe step (inbox-core).
        module.AddDbContext<Data.InboxDbContext>().AddRecipeStep<Recipes.MentionsStep>();
        module.Services.AddScoped<Mentions.MentionService>().AddScoped<Search.MentionSearch>();
        Sources.Feeds.FeedReader.Register(module.Services);
        module.Services.AddSingleton<Understanding.LanguageDetector>().AddSingleton<Understanding.SentimentAnalyzer>();
        // Listening queries, tags, share of voice and spike alerts (inbox-listening, docs/inbox-listening.md).
        module.Services.AddScoped<Listening.ListeningQueryService>().AddScoped<Listening.ListeningReport>();
        module.Services.AddHttpClient(Listening.ListeningSpikeJob.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        module.AddScheduledJob<Listening.RetagQueryJob>().AddWorkspaceJob<Listening.ListeningSpikeJob>(Listening.ListeningSpikeJob.Cron)
            .AddRecipeStep<Recipes.ListeningQueriesStep>();
    }

    /// <summary>Mentions in the public API (docs/api.md).</summary>
    public override void MapApiEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder api) => Api.MentionsApi.Map(api);

    public override void BuildAdminMenu(AdminMenuBuilder menu)
    {
        menu.Add("Listening", "Mentions", "inbox", InboxPermissions.View, 100, "inbox");
        menu.Add("Listening", "Monitoring", "inbox/listening", InboxPermissions.View, 110, "graph-up"); // inbox-listening
    }
}

internal static class InboxPermissions
{
    public static readonly Permission View = new("Inbox.View", "See the mentions and search them", DefaultRoles.Everyone);
    public static readonly Permission Triage = new("Inbox.Triage", "Triage mentions: status, assignee, labels, notes",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
    public static readonly Permission Manage = new("Inbox.Manage", "Set up listening: sources, queries, competitors, rules",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
}
