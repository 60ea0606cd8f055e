using CmPortal.Core.Validation;
using CmPortal.Modules.ContentCalendar.Posts;

namespace CmPortal.Modules.ContentCalendar.Calendar;

/// <summary>
/// A move asked from the calendar (drag and drop, or the keyboard list's date and time fields). The post's own rules
/// (permissions, stale versions, a date to come, the draft checks of a scheduled post) are <see cref="PostService.MoveAsync"/>'s;
/// this adds what the calendar knows: which occurrence was dragged.
/// </summary>
internal sealed class CalendarMoves(PostService posts)
{
    /// <param name="occurrenceDate">The date of a recurring post's occurrence that was dragged ("yyyy-MM-dd"); null for a post of its own.</param>
    public async Task<PostOutcome> MoveAsync(Guid postId, int version, string? occurrenceDate, string startsAt, PostActor actor, CancellationToken ct = default)
    {
        // Moving one date of a series means detaching it into a post of its own, which the editor does ("this occurrence").
        if (!string.IsNullOrEmpty(occurrenceDate))
            return PostOutcome.Refused(new Problem("startsAt",
                "This is one date of a recurring post: the calendar does not move it. Open the post to move this date or the whole series."));
        if (PostRules.ParseStart(startsAt) is null)
            return PostOutcome.Refused(new Problem("startsAt", "“{0}” is not a date and time. Write it as 2027-03-22T09:30 (the workspace's local time).", startsAt));
        return await posts.MoveAsync(postId, version, startsAt, actor, ct);
    }
}
