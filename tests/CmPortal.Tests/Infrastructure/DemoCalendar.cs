using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

public static class DemoCalendarExtensions
{
    /// <summary>
    /// Removes the posts the demo recipe plans (with their history and comments), for tests that count what they write
    /// themselves: a backlog, a review queue, a workspace's only posts.
    /// </summary>
    public static Task WithoutDemoPostsAsync(this PortalHost host, string key = "maison-lumen") => host.InScopeAsync(async services =>
    {
        services.GetRequiredService<WorkspaceContext>().Set(await services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Key == key));
        var db = services.GetRequiredService<CalendarDbContext>();
        await db.Comments.ExecuteDeleteAsync();
        await db.Revisions.ExecuteDeleteAsync();
        db.Posts.RemoveRange(await db.Posts.ToListAsync());
        await db.SaveChangesAsync();
    });
}
