using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using Microsoft.Extensions.DependencyInjection;

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
        module.Services.AddSingleton<Understanding.LanguageDetector>().AddSingleton<Understanding.SentimentAnalyzer>();
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
