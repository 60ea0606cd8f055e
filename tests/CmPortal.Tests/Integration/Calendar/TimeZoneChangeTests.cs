using CmPortal.Core.Events;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration.Calendar;

/// <summary>
/// Posts are planned in the workspace's wall-clock time: when a manager moves the workspace to another time zone, a
/// post at 09:30 stays at 09:30 there, and the calendar (and publishing, which read the instants) follow.
/// </summary>
public sealed class TimeZoneChangeTests
{
    private const string Key = "maison-lumen";
    private const string Manager = "claire@lumen.test";

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Moving_the_workspace_to_New_York_keeps_posts_at_their_local_time_and_leaves_published_ones_as_they_went_out(Provider provider)
    {
        await using var host = await PortalHost.StartSetUpAsync(provider);
        await host.WithoutDemoPostsAsync();
        await host.AddMemberAsync(Manager, Key, DefaultRoles.BrandManager);
        var oneOff = await CreateAsync(host, new PostInput { Text = "Atelier bougies du lundi.", Networks = ["instagram"], StartsAt = "2027-03-22T09:30" });
        var weekly = await CreateAsync(host, new PostInput
        {
            Text = "Le conseil du mardi.", Networks = ["mastodon"], StartsAt = "2027-03-02T09:30", Recurrence = "FREQ=WEEKLY;COUNT=4",
        });
        var history = await CreateAsync(host, new PostInput { Text = "Déjà parti.", Networks = ["instagram"], StartsAt = "2027-03-15T09:30" });
        await host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CalendarDbContext>();
            await db.Posts.IgnoreQueryFilters().Where(p => p.Id == history).ExecuteUpdateAsync(u => u.SetProperty(p => p.State, PostState.Published));
            return 0;
        });
        Assert.Equal(new DateTime(2027, 3, 22, 8, 30, 0), (await PostAsync(host, oneOff)).StartsUtc); // Paris, UTC+1 before the change

        using var manager = await host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        ResponseAssert.AssertRedirect(await manager.PostFormAsync($"/admin/{Key}/settings", new()
        {
            ["Name"] = "Maison Lumen", ["Culture"] = "fr-FR", ["TimeZone"] = "America/New_York", ["SiteTheme"] = "Brand",
        }, $"/admin/{Key}/settings"), $"/admin/{Key}/settings");
        await host.Services.GetRequiredService<ModuleEventDispatcher>().DrainAsync();

        // 09:30 in New York: EDT (UTC-4) from March 14, 2027; EST (UTC-5) before.
        var moved = await PostAsync(host, oneOff);
        Assert.Equal("2027-03-22T09:30", moved.StartsLocal);
        Assert.Equal(new DateTime(2027, 3, 22, 13, 30, 0), moved.StartsUtc);
        var series = await PostAsync(host, weekly);
        Assert.Equal(new DateTime(2027, 3, 2, 14, 30, 0), series.StartsUtc);
        Assert.Equal(new DateTime(2027, 3, 23, 13, 30, 0), series.EndsUtc);
        Assert.Equal(new DateTime(2027, 3, 15, 8, 30, 0), (await PostAsync(host, history)).StartsUtc); // history is not rewritten
        Assert.Equal(1, moved.Version); // nobody's text changed: an editor open meanwhile saves without a conflict
    }

    private static async Task<Guid> CreateAsync(PortalHost host, PostInput input) => await host.InScopeAsync(async s =>
    {
        s.GetRequiredService<WorkspaceContext>().Set(await s.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Key == Key));
        var outcome = await s.GetRequiredService<PostService>().CreateAsync(input, PostState.Draft, PostActor.System("Admin"));
        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
        return outcome.Post!.Id;
    });

    private static Task<Post> PostAsync(PortalHost host, Guid id) =>
        host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().Posts.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Id == id));
}
