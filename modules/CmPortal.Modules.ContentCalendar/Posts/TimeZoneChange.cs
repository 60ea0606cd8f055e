using CmPortal.Core.Events;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>
/// Posts are planned in the workspace's wall-clock time: when its time zone changes, a post at 09:30 stays at 09:30
/// in the new zone, so the instants derived from it (<see cref="Post.StartsUtc"/>, <see cref="Post.EndsUtc"/>, which
/// the calendar window and publishing read) are computed again. Published and failed posts keep theirs: they are
/// history. Runs after the settings' commit; it reads the zone the workspace has now, so running it twice is harmless.
/// The version is not raised: nothing a member wrote changed, and an editor open meanwhile saves without a conflict.
/// </summary>
internal sealed class RecomputePostInstants(CalendarDbContext db, WorkspaceContext workspace) : IModuleEventHandler<WorkspaceTimeZoneChanged>
{
    public async Task HandleAsync(WorkspaceTimeZoneChanged moduleEvent, CancellationToken ct)
    {
        var zone = WorkspaceTime.ZoneOf(workspace.Required.TimeZone);
        var posts = await db.Posts.Where(p => p.StartsLocal != null && p.State != PostState.Published && p.State != PostState.Failed).ToListAsync(ct);
        foreach (var post in posts) (post.StartsUtc, post.EndsUtc) = PostService.Span(post, zone);
        await db.SaveChangesAsync(ct);
    }
}
