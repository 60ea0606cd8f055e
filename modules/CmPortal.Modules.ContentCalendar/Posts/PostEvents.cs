using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.ContentCalendar.Data;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>Which module events a change of state raises (see Contracts/PostEvents.cs).</summary>
internal static class PostEvents
{
    /// <summary>The start of a post's text on one line, as messages name the post (it has no title).</summary>
    public static string Excerpt(string text, int length = 80) => Core.Text.Excerpts.OneLine(text, length);

    public static List<object> OfTransition(Post post, PostState from, PostState to, PostActor actor, bool changesRequested, string? comment)
    {
        var excerpt = Excerpt(post.Text);
        var raised = new List<object>();
        if (from != PostState.InReview && to == PostState.InReview)
            raised.Add(new PostSubmitted(post.Id, excerpt, post.AuthorId, actor.UserId, actor.Name, 1));
        else if (from == PostState.InReview && to == PostState.InReview)
        {
            // The first of two approvals: the post now waits for the final one.
            raised.Add(new PostApproved(post.Id, excerpt, post.AuthorId, actor.UserId, actor.Name, false, Blank(comment)));
            raised.Add(new PostSubmitted(post.Id, excerpt, post.AuthorId, actor.UserId, actor.Name, 2));
        }
        else if (to == PostState.Approved && from is PostState.InReview or PostState.Draft)
            raised.Add(new PostApproved(post.Id, excerpt, post.AuthorId, actor.UserId, actor.Name, true, Blank(comment)));
        if (changesRequested)
            raised.Add(new PostChangesRequested(post.Id, excerpt, post.AuthorId, actor.UserId, actor.Name, comment ?? ""));
        if (to == PostState.Scheduled)
            raised.Add(new PostScheduled(post.Id, excerpt, post.StartsUtc, post.Recurrence, post.Variants.OrderBy(v => v.Position).Select(v => v.Network).ToList(), actor.UserId));
        return raised;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
