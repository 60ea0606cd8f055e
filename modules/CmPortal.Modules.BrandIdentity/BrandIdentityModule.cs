using CmPortal.Core.Admin;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Modules.BrandIdentity.Checking;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Fonts;
using CmPortal.Modules.BrandIdentity.Logos;
using CmPortal.Modules.BrandIdentity.Recipes;
using CmPortal.Modules.BrandIdentity.Style;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

[assembly: PortalModule(typeof(CmPortal.Modules.BrandIdentity.BrandIdentityModule))]

namespace CmPortal.Modules.BrandIdentity;

/// <summary>
/// The brand's voice and look: the editorial line (mission, tone, pillars, audiences, network
/// guidelines, vocabulary) and the graphic charter (palette, typography, logos, image formats),
/// with their history, a printable brand book, and a draft checker other modules use.
/// </summary>
internal sealed class BrandIdentityModule : PortalModule
{
    public override string Id => "BrandIdentity";
    public override string Name => "Editorial line & graphic charter";
    public override string Description => "The brand's voice and look: editorial line, graphic charter, brand book, and a checker for drafts.";
    public override string Category => "Brand";

    public override IEnumerable<Permission> Permissions => [BrandIdentityPermissions.View, BrandIdentityPermissions.Edit];

    public override void ConfigureServices(ModuleServices module)
    {
        module.AddDbContext<BrandIdentityDbContext>()
            .AddRecipeStep<EditorialLineStep>()
            .AddRecipeStep<GraphicCharterStep>()
            .AddBrandStyleSource<CharterBrandStyle>()
            .AddDashboardCard<Dashboard.ContrastCard>();
        module.Services.AddScoped<BrandIdentityStore>();
        module.Services.AddScoped<Admin.AuthorNames>();
        module.Services.AddSingleton<BrandIdentityCache>();
        module.Services.AddSingleton<SpellCheckers>();
        module.Services.AddSingleton<GrammalecteServer>();
        module.Services.AddHostedService(s => s.GetRequiredService<GrammalecteServer>()); // stops the server it started on shutdown
        module.Services.AddSingleton<GrammalecteClient>();
        module.Services.AddScoped<IDraftChecker, DraftChecker>();
        module.Services.AddScoped<IEditorialPlan, Documents.EditorialPlanReader>();
    }

    public override void MapPublicEndpoints(IEndpointRouteBuilder site)
    {
        LogoEndpoint.Map(site);
        FontEndpoint.Map(site);
    }

    public override void MapAdminEndpoints(IEndpointRouteBuilder admin) => FontEndpoint.MapAdmin(admin);

    public override void BuildAdminMenu(AdminMenuBuilder menu)
    {
        menu.Add("Brand", "Brand book", "brand", BrandIdentityPermissions.View, 100, "journal-richtext");
        menu.Add("Brand", "Editorial line", "brand/editorial-line", BrandIdentityPermissions.Edit, 110, "chat-quote");
        menu.Add("Brand", "Graphic charter", "brand/graphic-charter", BrandIdentityPermissions.Edit, 120, "palette");
        menu.Add("Brand", "Check a draft", "brand/check", BrandIdentityPermissions.View, 130, "spellcheck");
    }
}

internal static class BrandIdentityPermissions
{
    public static readonly Permission View = new("BrandIdentity.View", "Read the brand book and check drafts", DefaultRoles.Everyone);
    public static readonly Permission Edit = new("BrandIdentity.Edit", "Edit the editorial line and the graphic charter, restore earlier versions",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
}
