using CmPortal.Core.Admin;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Modules.CommunityCharter.Contracts;
using CmPortal.Modules.CommunityCharter.Data;
using CmPortal.Modules.CommunityCharter.Public;
using CmPortal.Modules.CommunityCharter.Recipes;
using Microsoft.Extensions.DependencyInjection;

[assembly: PortalModule(typeof(CmPortal.Modules.CommunityCharter.CommunityCharterModule))]

namespace CmPortal.Modules.CommunityCharter;

/// <summary>
/// The community's rules as a public, versioned document: sections of numbered rules with stable ids,
/// edited as a draft and published as immutable versions that moderation can cite rule by rule.
/// Public pages: <c>/{workspace}/charter</c> (alias <c>/charte</c>) and <c>/{workspace}/charter/v/{n}</c>.
/// </summary>
internal sealed class CommunityCharterModule : PortalModule
{
    public override string Id => "CommunityCharter";
    public override string Name => "Community charter";
    public override string Description => "The community's rules, published as numbered versions that moderation can cite rule by rule.";
    public override string Category => "Community";

    public override IEnumerable<Permission> Permissions => [CharterPermissions.View, CharterPermissions.Edit, CharterPermissions.Publish];

    public override void ConfigureServices(ModuleServices module)
    {
        module.AddDbContext<CommunityCharterDbContext>()
            .AddRecipeStep<CommunityCharterStep>()
            .AddSiteLinks<CharterSiteLinks>()
            .AddSitemapSource<CharterSitemap>()
            .AddDashboardCard<Dashboard.CharterStateCard>();
        module.Services.AddMemoryCache();
        module.Services.AddSingleton<CharterCache>();
        module.Services.AddScoped<CharterStore>();
        module.Services.AddScoped<PublishedCharters>();
        module.Services.AddScoped<ICommunityCharter, CommunityCharterService>();
    }

    public override void BuildAdminMenu(AdminMenuBuilder menu) =>
        menu.Add("Community", "Community charter", "charter", CharterPermissions.View, 300, "card-checklist");
}

internal static class CharterPermissions
{
    public static readonly Permission View = new("CommunityCharter.View", "See the community charter, its draft and its versions", DefaultRoles.Everyone);
    public static readonly Permission Edit = new("CommunityCharter.Edit", "Edit the draft of the community charter",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
    public static readonly Permission Publish = new("CommunityCharter.Publish", "Publish a new version of the community charter", DefaultRoles.BrandManager);
}
