using CmPortal.Core.Admin;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>
/// The "to review" queue of one person: the posts in review that they may approve now. In two steps, a post with its
/// first approval waits for a final approver other than the one who gave the first.
/// </summary>
internal sealed class ReviewQueue(CalendarDbContext db, PostService posts)
{
    public async Task<IReadOnlyList<Post>> ForAsync(PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Approve.Name)) return [];
        var mode = await posts.ApprovalModeAsync(ct);
        var inReview = await db.Posts.AsNoTracking().Include(p => p.Variants).Where(p => p.State == PostState.InReview)
            .OrderBy(p => p.StartsLocal == null).ThenBy(p => p.StartsLocal).ThenBy(p => p.UpdatedUtc).ToListAsync(ct);
        var waitingFinal = inReview.Where(p => mode == ApprovalMode.TwoSteps && p.Approvals >= 1).Select(p => p.Id).ToList();
        var firstApprovers = waitingFinal.Count == 0 ? [] : (await db.Comments.AsNoTracking()
                .Where(c => waitingFinal.Contains(c.PostId) && c.Kind == CommentKind.Approval).ToListAsync(ct))
            .GroupBy(c => c.PostId).ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.CreatedUtc).First().AuthorId);
        return inReview.Where(p => !waitingFinal.Contains(p.Id)
                || (actor.Holds(CalendarPermissions.ApproveFinal.Name) && (actor.UserId is null || firstApprovers.GetValueOrDefault(p.Id) != actor.UserId)))
            .ToList();
    }
}

/// <summary>"N posts to review" on the dashboard of someone who approves posts.</summary>
internal sealed class ReviewQueueCard(ReviewQueue queue, IHttpContextAccessor http, PermissionService permissions) : IDashboardCardSource
{
    public async Task<DashboardCard?> CardAsync(Workspace workspace, CancellationToken ct)
    {
        if (http.HttpContext?.User is not { } user) return null;
        var actor = await PostActor.ForAsync(user, permissions, workspace, ct);
        if (!actor.Holds(CalendarPermissions.Approve.Name)) return null;
        var count = (await queue.ForAsync(actor, ct)).Count;
        return new DashboardCard("Posts to review", "check2-square",
            [count == 0 ? new DashboardLine("No post waits for your approval.") : new DashboardLine("{0} {0|post|posts} to review.", count)],
            NeedsAttention: count > 0, LinkPath: "posts?view=review", LinkText: "Open the review queue", LinkPermission: CalendarPermissions.Approve.Name, Order: 150);
    }
}
