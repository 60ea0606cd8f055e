using CmPortal.Core.Admin;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using System.Threading.RateLimiting;
using CmPortal.Modules.ContentCalendar.Calendar;
using CmPortal.Modules.ContentCalendar.Campaigns;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Notifications;
using CmPortal.Modules.ContentCalendar.Recipes;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Preview;
using CmPortal.Modules.ContentCalendar.Settings;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
        module.AddDbContext<CalendarDbContext>()
            .AddRecipeStep<CampaignsStep>()
            .AddRecipeStep<QueueSlotsStep>()
            .AddRecipeStep<PostsStep>();
        module.Services.AddScoped<PostService>().AddScoped<PostLists>();
        module.Services.AddScoped<CalendarWindow>().AddScoped<CalendarMoves>().AddSingleton<SeriesExpansions>().AddSingleton<Api.CalendarAnswers>();
        module.Services.AddScoped<CampaignService>();
        module.Services.AddScoped<OccurrenceService>();
        module.Services.AddScoped<IPublishingSchedule, Publishing.PublishingSchedule>(); // the hand-off to publishing
        module.Services.AddScoped<Media.MediaService>().AddScoped<IMediaLibrary, Media.MediaLibrary>();
        module.Services.AddScoped<Queue.QueueService>();
        module.Services.AddScoped<Csv.PostImportService>();
        module.Services.TryAddSingleton<Core.Persistence.ImportFiles>();
        module.Services.AddSingleton<Csv.ImportRuns>();
        // Approval and collaboration: settings, the review queue, preview links, and who is told what.
        module.Services.AddScoped<CalendarSettingsService>().AddScoped<ReviewQueue>().AddScoped<PreviewLinkService>().AddHttpContextAccessor();
        module.AddDashboardCard<ReviewQueueCard>();
        module.AddEventHandler<PostSubmitted, NotifyReviewers>().AddEventHandler<PostApproved, NotifyAuthorOfApproval>()
            .AddEventHandler<PostChangesRequested, NotifyAuthorOfChangesRequested>().AddEventHandler<PostCommented, NotifyMentionedMembers>()
            .AddEventHandler<Core.Workspaces.WorkspaceTimeZoneChanged, RecomputePostInstants>();
        // A preview link is open to anyone holding it: answers from one address are limited (approve, comment, guesses).
        // ContentCalendar:PreviewRateLimit:PermitLimit, 30 a minute by default (tests that walk every route raise it).
        var previewLimit = module.Configuration.GetValue("ContentCalendar:PreviewRateLimit:PermitLimit", 30);
        module.Services.Configure<RateLimiterOptions>(o => o.AddPolicy(PreviewRateLimit.Policy, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = previewLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
        // Members' private calendar feeds: the token is the key, so guesses from one address are limited too.
        // ContentCalendar:FeedRateLimit:PermitLimit, 60 a minute by default (calendar apps poll each feed every few hours).
        module.Services.AddScoped<Feeds.FeedTokenService>().AddScoped<Feeds.ScheduledPostsFeed>();
        var feedLimit = module.Configuration.GetValue("ContentCalendar:FeedRateLimit:PermitLimit", 60);
        module.Services.Configure<RateLimiterOptions>(o => o.AddPolicy(Feeds.FeedRateLimit.Policy, context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = feedLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
    }

    /// <summary>Posts and the calendar in the public API (docs/api.md).</summary>
    public override void MapApiEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder api) => Api.PostsApi.Map(api);

    public override void BuildAdminMenu(AdminMenuBuilder menu)
    {
        menu.Add("Planning", "Calendar", "calendar", CalendarPermissions.View, 100, "calendar3");
        menu.Add("Planning", "Posts", "posts", CalendarPermissions.View, 110, "card-text");
        menu.Add("Planning", "Media library", "media", CalendarPermissions.View, 115, "images");
        menu.Add("Planning", "Preview links", "posts/preview-links", CalendarPermissions.Approve, 116, "link-45deg");
        menu.Add("Planning", "Queue", "queue", CalendarPermissions.View, 117, "list-ol");
        menu.Add("Planning", "Campaigns", "campaigns", CalendarPermissions.View, 120, "megaphone");
        menu.Add("Planning", "Calendar settings", "calendar/settings", CalendarPermissions.Manage, 190, "sliders");
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
