using CmPortal.Modules.ContentCalendar.Admin;
using CmPortal.Modules.ContentCalendar.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>
/// The read side of the admin pages: the posts list's tabs and counts, the workspace's campaigns and media library.
/// Controllers and endpoints never hold the DbContext (architecture rule): they ask this service or <see cref="PostService"/>.
/// </summary>
internal sealed class PostLists(CalendarDbContext db)
{
    /// <summary>The posts of a tab of the posts list, dated ones by start, at most 500.</summary>
    public async Task<IReadOnlyList<Post>> ListAsync(PostList list, CancellationToken ct = default)
    {
        var query = db.Posts.AsNoTracking().Include(p => p.Variants).AsQueryable();
        query = list switch
        {
            PostList.Backlog => query.Where(p => p.StartsLocal == null && p.State != PostState.Archived && p.State != PostState.Idea),
            PostList.Ideas => query.Where(p => p.State == PostState.Idea),
            PostList.ToReview => query.Where(p => p.State == PostState.InReview),
            PostList.Failed => query.Where(p => p.State == PostState.Failed),
            PostList.Archived => query.Where(p => p.State == PostState.Archived),
            _ => query.Where(p => p.StartsLocal != null && p.State != PostState.Archived && p.State != PostState.Idea),
        };
        return await query.OrderBy(p => p.StartsLocal == null).ThenBy(p => p.StartsLocal).ThenByDescending(p => p.UpdatedUtc).Take(500).ToListAsync(ct);
    }

    /// <summary>The first words of each post, by id (the preview links' list names the posts by them).</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> ExcerptsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default) =>
        await db.Posts.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => PostEvents.Excerpt(p.Text), ct);

    public async Task<IReadOnlyDictionary<PostState, int>> CountsByStateAsync(CancellationToken ct = default) =>
        (await db.Posts.AsNoTracking().GroupBy(p => p.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
        .ToDictionary(c => c.Key, c => c.Count);

    /// <summary>Posts without a date that are neither ideas nor archived: the stock to plan from.</summary>
    public Task<int> BacklogCountAsync(CancellationToken ct = default) =>
        db.Posts.CountAsync(p => p.StartsLocal == null && p.State != PostState.Archived && p.State != PostState.Idea, ct);

    public async Task<IReadOnlyList<Campaign>> CampaignsAsync(CancellationToken ct = default) =>
        await db.Campaigns.AsNoTracking().OrderBy(c => c.Start).ThenBy(c => c.Name).ToListAsync(ct);

    public async Task<IReadOnlyDictionary<string, Guid>> CampaignIdsAsync(CancellationToken ct = default) =>
        await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Slug, c => c.Id, StringComparer.Ordinal, ct);

    /// <summary>The media library, newest first.</summary>
    public async Task<IReadOnlyList<MediaItem>> MediaAsync(CancellationToken ct = default) =>
        await db.Media.AsNoTracking().OrderByDescending(m => m.CreatedUtc).ToListAsync(ct);
}
