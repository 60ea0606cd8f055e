using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

/// <summary>Posts for calendar tests, created the way the product does: through the post service, by the system actor.</summary>
internal static class CalendarPostSeeding
{
    /// <summary>Runs <paramref name="work"/> in a scope whose current workspace is <paramref name="workspaceKey"/>.</summary>
    public static Task<T> InWorkspaceAsync<T>(this PortalHost host, string workspaceKey, Func<IServiceProvider, Task<T>> work) =>
        host.InScopeAsync(async services =>
        {
            services.GetRequiredService<WorkspaceContext>().Set(await services.GetRequiredService<WorkspaceService>().FindAsync(workspaceKey, default));
            return await work(services);
        });

    /// <summary>Creates a post in <paramref name="state"/>; fails the test with the service's problems if it is refused.</summary>
    public static Task<Guid> CreatePostAsync(this PortalHost host, PostInput input, PostState state = PostState.Draft, string workspaceKey = "maison-lumen") =>
        host.InWorkspaceAsync(workspaceKey, async services =>
        {
            var outcome = await services.GetRequiredService<PostService>().CreateAsync(input, state, PostActor.System("Tests"), default);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems.Select(p => p.ToString())));
            return outcome.Post!.Id;
        });

    /// <summary>Sets a post's author (posts created by the system actor have none), as if a member had written it.</summary>
    public static Task SetAuthorAsync(this PortalHost host, Guid postId, Guid authorId, string workspaceKey = "maison-lumen") =>
        host.InWorkspaceAsync(workspaceKey, async services =>
            await services.GetRequiredService<CalendarDbContext>().Posts.Where(p => p.Id == postId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.AuthorId, authorId)));

    /// <summary>Makes <paramref name="postId"/> the detached occurrence of <paramref name="seriesId"/> on <paramref name="date"/> (the series skips that date).</summary>
    public static Task DetachAsync(this PortalHost host, Guid postId, Guid seriesId, string date, string workspaceKey = "maison-lumen") =>
        host.InWorkspaceAsync(workspaceKey, async services =>
            await services.GetRequiredService<CalendarDbContext>().Posts.Where(p => p.Id == postId)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.SeriesId, seriesId).SetProperty(p => p.OccurrenceDate, date)));

    public static Task<Post> FindPostAsync(this PortalHost host, Guid postId, string workspaceKey = "maison-lumen") =>
        host.InWorkspaceAsync(workspaceKey, async services =>
            (await services.GetRequiredService<CalendarDbContext>().Posts.AsNoTracking().Include(p => p.Variants).SingleAsync(p => p.Id == postId)));
}
