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

    /// <summary>
    /// Sources listen through Publishing's connected channels (IPublishingChannels, IChannelSessions); moderation cites
    /// the rules of the published community charter (ICommunityCharter).
    /// </summary>
    public override IReadOnlyList<string> Dependencies => ["Publishing", "CommunityCharter"];

    public override IEnumerable<Permission> Permissions => [InboxPermissions.View, InboxPermissions.Triage, InboxPermissions.Manage, InboxPermissions.Crisis];

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
        // Crisis mode: declared and lifted here, announced on every admin page, honoured by publishing through events.
        module.Services.AddScoped<Crisis.CrisisService>();
        module.AddAdminPanel<Crisis.CrisisBanner>();

        // Sources stored per workspace and polled on the job runner (inbox-sources, docs/inbox-sources.md): the feed
        // client's connections refuse non-public addresses (every redirect hop, DNS rebinding) unless allowed.
        module.Services.AddSingleton<Sources.Stored.SourceAddresses>();
        module.Services.Configure<Microsoft.Extensions.Http.HttpClientFactoryOptions>(Sources.Feeds.FeedReader.HttpClientName, options =>
            options.HttpMessageHandlerBuilderActions.Add(builder =>
            {
                if (builder.PrimaryHandler is System.Net.Http.SocketsHttpHandler sockets)
                    builder.Services.GetRequiredService<Sources.Stored.SourceAddresses>().GuardConnectionsOf(sockets);
            }));
        module.Services.AddScoped<Sources.Stored.SourceService>().AddScoped<Sources.Stored.SourcePoller>();
        Import.IngestHookRateLimit.Register(module.Services, module.Configuration); // ingest hooks take no token: a budget per hook
        module.AddWorkspaceJob<Sources.Stored.PollSourcesJob>(Sources.Stored.PollSourcesJob.Cron).AddRecipeStep<Recipes.SourcesStep>();
        // Saved replies, their suggestions, and moderation by the community charter with the profanity lists
        // (inbox-answers, docs/inbox-answers.md).
        module.Services.AddScoped<Answers.SavedReplyService>().AddScoped<Moderation.ModerationService>();
        // Replies sent to a Mastodon or Bluesky mention through a channel, by Publishing's outbox (inbox-replies).
        module.Services.AddScoped<Answers.SentReplyService>();
        module.Services.AddSingleton(_ => Moderation.ProfanityLists.Load());
        module.AddRecipeStep<Recipes.SavedRepliesStep>();
        // Import: CSV files of other tools' exports and signed webhooks from Zapier/n8n bridges (inbox-import).
        module.Services.AddScoped<Import.MentionImportService>().AddScoped<Import.IngestHookService>();
        module.Services.TryAddSingleton<CmPortal.Core.Persistence.ImportFiles>();
        // Listening queries, tags, share of voice and spike alerts (inbox-listening, docs/inbox-listening.md).
        module.Services.AddScoped<Listening.ListeningQueryService>().AddScoped<Listening.ListeningReport>();
        module.Services.AddHttpClient(Listening.ListeningSpikeJob.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        module.AddScheduledJob<Listening.RetagQueryJob>().AddWorkspaceJob<Listening.ListeningSpikeJob>(Listening.ListeningSpikeJob.Cron)
            .AddRecipeStep<Recipes.ListeningQueriesStep>();
        // Triage on the list: saved searches with their counts of new mentions (inbox-triage, docs/inbox.md).
        module.Services.AddScoped<SavedSearches.SavedSearchService>();
        module.Services.AddScoped<Listening.SpikeWebhookSecret>().AddScoped<Crisis.CrisisSuggestion>();
        // Automation rules: conditions on new mentions, the first matching rule's actions (inbox-rules, docs/inbox-rules.md).
        module.Services.AddScoped<Automation.RuleService>();
        module.AddRecipeStep<Recipes.RulesStep>();
    }

    /// <summary>Mentions in the public API (docs/api.md).</summary>
    public override void MapApiEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder api)
    {
        Api.MentionsApi.Map(api);
        Api.SourcesApi.Map(api); // inbox-sources
        Api.RulesApi.Map(api);
        Api.IngestWebhookApi.Map(api); // inbox-import: CSV import and ingest hooks
    }

    public override void BuildAdminMenu(AdminMenuBuilder menu)
    {
        menu.Add("Listening", "Mentions", "inbox", InboxPermissions.View, 100, "inbox");
        menu.Add("Listening", "Crisis mode", "inbox/crisis", InboxPermissions.View, 190, "exclamation-octagon");
        menu.Add("Listening", "Sources", "inbox/sources", InboxPermissions.View, 110, "rss"); // inbox-sources
        menu.Add("Listening", "Saved replies", "inbox/replies", InboxPermissions.View, 120, "chat-square-text");
        menu.Add("Listening", "Moderation log", "inbox/moderation", InboxPermissions.View, 130, "shield-check");
        menu.Add("Listening", "Import mentions", "inbox/import", InboxPermissions.Manage, 150, "upload");
        menu.Add("Listening", "Monitoring", "inbox/listening", InboxPermissions.View, 105, "graph-up"); // inbox-listening
        menu.Add("Listening", "Rules", "inbox/rules", InboxPermissions.View, 125, "signpost-split"); // inbox-rules
    }
}

internal static class InboxPermissions
{
    public static readonly Permission View = new("Inbox.View", "See the mentions and search them", DefaultRoles.Everyone);
    public static readonly Permission Triage = new("Inbox.Triage", "Triage mentions: status, assignee, labels, notes",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
    public static readonly Permission Manage = new("Inbox.Manage", "Set up listening: sources, queries, competitors, rules",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
    public static readonly Permission Crisis = new("Inbox.Crisis", "Declare and lift a crisis, write the crisis procedure", DefaultRoles.BrandManager);
}
