using CmPortal.Core.Events;
using CmPortal.Core.Notifications;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.ContentCalendar.Posts;

namespace CmPortal.Modules.ContentCalendar.Notifications;

// The calendar tells people what waits for them: reviewers when a post is submitted, the author of a decision, members
// @mentioned in a comment. Templates are English, translated when shown (fr.json); the post's excerpt and names are values.
// Nobody is told of their own action. Handlers may run twice (at least once delivery): a duplicate bell line is harmless.

internal sealed class NotifyReviewers(INotifier notifier, MembershipService members, WorkspaceContext workspace) : IModuleEventHandler<PostSubmitted>
{
    public async Task HandleAsync(PostSubmitted e, CancellationToken ct)
    {
        var permission = e.Step == 2 ? CalendarPermissions.ApproveFinal.Name : CalendarPermissions.Approve.Name;
        var reviewers = (await members.ListAsync(workspace.Required.Id, ct))
            .Where(m => m.Role is { } role && (role.Name == DefaultRoles.Administrator || role.Permissions.Any(p => p.Permission == permission)))
            .Select(m => m.UserId).Where(id => id != e.SubmittedById).ToList();
        var notification = e.Step == 2
            ? PostLinks.Notify("final-approval-requested", "{0} approved the post “{1}”: it waits for your final approval.", [e.SubmittedBy, e.Excerpt], workspace, e.PostId)
            : PostLinks.Notify("review-requested", "{0} asks you to review the post “{1}”.", [e.SubmittedBy, e.Excerpt], workspace, e.PostId);
        await notifier.NotifyAsync(reviewers, notification, ct);
    }
}

internal sealed class NotifyAuthorOfApproval(INotifier notifier, WorkspaceContext workspace) : IModuleEventHandler<PostApproved>
{
    public async Task HandleAsync(PostApproved e, CancellationToken ct)
    {
        if (e.AuthorId is not { } author || author == e.ApprovedById) return;
        var notification = e.Final
            ? PostLinks.Notify("post-approved", "{0} approved your post “{1}”.", [e.ApprovedBy, e.Excerpt], workspace, e.PostId)
            : PostLinks.Notify("post-first-approval", "{0} gave the first approval to your post “{1}”; it now waits for the final approval.", [e.ApprovedBy, e.Excerpt], workspace, e.PostId);
        await notifier.NotifyAsync([author], notification, ct);
    }
}

internal sealed class NotifyAuthorOfChangesRequested(INotifier notifier, WorkspaceContext workspace) : IModuleEventHandler<PostChangesRequested>
{
    public async Task HandleAsync(PostChangesRequested e, CancellationToken ct)
    {
        if (e.AuthorId is not { } author || author == e.RequestedById) return;
        await notifier.NotifyAsync([author], PostLinks.Notify("changes-requested", "{0} asks for changes to your post “{1}”: {2}",
            [e.RequestedBy, e.Excerpt, PostEvents.Excerpt(e.Comment, 300)], workspace, e.PostId), ct);
    }
}

internal sealed class NotifyMentionedMembers(INotifier notifier, WorkspaceContext workspace) : IModuleEventHandler<PostCommented>
{
    public async Task HandleAsync(PostCommented e, CancellationToken ct)
    {
        var mentioned = e.MentionedUserIds.Where(id => id != e.AuthorId).ToList();
        if (mentioned.Count == 0) return;
        await notifier.NotifyAsync(mentioned, PostLinks.Notify("mentioned", "{0} mentioned you about the post “{1}”: {2}",
            [e.Author, e.Excerpt, PostEvents.Excerpt(e.Text, 300)], workspace, e.PostId), ct);
    }
}

internal static class PostLinks
{
    public static string Editor(Workspace workspace, Guid postId) => $"/admin/{workspace.Key}/posts/{postId}";

    public static Notification Notify(string kind, string template, object?[] values, WorkspaceContext workspace, Guid postId) =>
        new("ContentCalendar", kind, template, values, Editor(workspace.Required, postId));
}
