using CmPortal.Core.Admin;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Modules.ContentCalendar.Calendar;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.Extensions.DependencyInjection;

[assembly: PortalModule(typeof(CmPortal.Modules.ContentCalendar.ContentCalendarModule))]

namespace CmPortal.Modules.ContentCalendar;

/// <summary>
/// The community manager's daily tool: posts with a variant per network, planned once or by a recurrence rule on the
/// content calendar, the backlog, campaigns, approvals, and the hand-off of due posts to publishing.
/// </summary>
internal sealed class ContentCalendarModule : PortalModule
{
    public override string Id => "ContentCalendar";
    public override string Name => "Content calendar";
    public override string Description => "Plan posts per network on a calendar: recurring posts, backlog, campaigns, approvals.";
    public override string Category => "Planning";

    // Pillars, personas and the draft checker come from the editorial line; key dates are shown on the calendar.
    public override IReadOnlyList<string> Dependencies => ["BrandIdentity", "KeyDates"];

    public override IEnumerable<Permission> Permissions =>
    [
        CalendarPermissions.View, CalendarPermissions.Write, CalendarPermissions.Approve, CalendarPermissions.ApproveFinal,
        CalendarPermissions.Schedule, CalendarPermissions.Manage,
    ];

    public override void ConfigureServices(ModuleServices module)
    {
        module.AddDbContext<CalendarDbContext>();
        module.Services.AddScoped<PostService>().AddScoped<PostLists>();
        module.Services.AddScoped<CalendarWindow>().AddScoped<CalendarMoves>();
    }

    /// <summary>Posts and the calendar in the public API (docs/api.md).</summary>
    public override void MapApiEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder api) => Api.PostsApi.Map(api);

    public override void BuildAdminMenu(AdminMenuBuilder menu)
    {
        menu.Add("Planning", "Calendar", "calendar", CalendarPermissions.View, 100, "calendar3");
        menu.Add("Planning", "Posts", "posts", CalendarPermissions.View, 110, "card-text");
    }
}

internal static class CalendarPermissions
{
    public static readonly Permission View = new("ContentCalendar.View", "See the content calendar and its posts", DefaultRoles.Everyone);
    public static readonly Permission Write = new("ContentCalendar.Write", "Write posts and ideas, submit them for review", DefaultRoles.Editors);
    public static readonly Permission Approve = new("ContentCalendar.Approve", "Approve posts or ask for changes",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
    public static readonly Permission ApproveFinal = new("ContentCalendar.ApproveFinal", "Give the final approval when posts need two", DefaultRoles.BrandManager);
    public static readonly Permission Schedule = new("ContentCalendar.Schedule", "Schedule posts and move scheduled posts on the calendar",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
    public static readonly Permission Manage = new("ContentCalendar.Manage", "Manage campaigns, queue slots and the calendar's settings",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
}
