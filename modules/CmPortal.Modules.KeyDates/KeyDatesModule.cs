using CmPortal.Core.Admin;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Modules.KeyDates.Contracts;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Modules.KeyDates.Jobs;
using CmPortal.Modules.KeyDates.Public;
using CmPortal.Modules.KeyDates.Recipes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

[assembly: PortalModule(typeof(CmPortal.Modules.KeyDates.KeyDatesModule))]

namespace CmPortal.Modules.KeyDates;

/// <summary>
/// The brand's key dates of the year — seasonal and commercial moments, trade fairs, launches,
/// anniversaries — that the team plans content around, with a calendar feed to subscribe to.
/// </summary>
internal sealed class KeyDatesModule : PortalModule
{
    public override string Id => "KeyDates";
    public override string Name => "Key dates";
    public override string Description => "The brand's key dates of the year to plan content around, with a subscribable calendar feed.";
    public override string Category => "Planning";

    public override IEnumerable<Permission> Permissions => [KeyDatesPermissions.View, KeyDatesPermissions.Manage];

    public override void ConfigureServices(ModuleServices module)
    {
        module.AddDbContext<KeyDatesDbContext>()
            .AddRecipeStep<KeyDatesStep>()
            .AddWorkspaceJob<RollOverYearlyKeyDatesJob>("0 15 3 * * ?")
            .AddSiteLinks<KeyDatesSiteLinks>()
            .AddDashboardCard<Dashboard.UpcomingKeyDatesCard>();
        module.Services.AddScoped<IKeyDateCalendar, KeyDateCalendar>().AddScoped<KeyDates.KeyDateService>();
    }

    public override void MapPublicEndpoints(IEndpointRouteBuilder site) => CalendarFeed.Map(site);

    public override void BuildAdminMenu(AdminMenuBuilder menu) =>
        menu.Add("Planning", "Key dates", "key-dates", KeyDatesPermissions.View, 200, "calendar-event");
}

internal static class KeyDatesPermissions
{
    public static readonly Permission View = new("KeyDates.View", "See the key dates", DefaultRoles.Everyone);
    public static readonly Permission Manage = new("KeyDates.Manage", "Add, edit and delete key dates",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
}
