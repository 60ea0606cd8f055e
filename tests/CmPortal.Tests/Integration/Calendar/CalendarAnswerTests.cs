using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CmPortal.Core.Security;
using CmPortal.Modules.ContentCalendar.Api;
using CmPortal.Modules.ContentCalendar.Calendar;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Tests.Integration.Calendar;

/// <summary>
/// The API's month of the calendar as a script or a calendar app reloads it: the same bytes as the API's serializer
/// would write, an ETag, and 304 Not Modified while no post of the month changed, whatever path changed one.
/// </summary>
public sealed class CalendarAnswerTests
{
    private const string Key = "maison-lumen";
    private const string Month = $"/api/v1/{Key}/calendar?from=2027-03-01&to=2027-04-01";

    private static Task<HttpResponseMessage> GetAsync(HttpClient api, string url, EntityTagHeaderValue? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(ifNoneMatch);
        return api.SendAsync(request);
    }

    /// <summary>The month as <see cref="ApiCalendar"/> serialized with the API's own JSON options: what the endpoint answered before it wrote bytes itself.</summary>
    private static Task<byte[]> SerializedAsync(PortalHost host) =>
        host.InWorkspaceAsync(Key, async services =>
        {
            var window = services.GetRequiredService<CalendarWindow>();
            var zone = window.Zone;
            var occurrences = await window.BetweenAsync(new LocalDate(2027, 3, 1), new LocalDate(2027, 4, 1));
            var options = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var calendar = new ApiCalendar(occurrences.Select(o => new ApiOccurrence(
                o.PostId, o.OccurrenceDate, o.StartWithOffset(zone), InstantPattern.General.Format(o.StartUtc), o.Networks, PostsApi.StateName(o.State))).ToList());
            return JsonSerializer.SerializeToUtf8Bytes(calendar, options);
        });

    [Fact]
    public async Task A_month_reloaded_is_the_serializers_bytes_then_304_until_a_post_of_the_month_changes_by_any_path()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var weekly = await host.CreatePostAsync(CalendarWindowTests.Post("L’atelier du lundi « bougies » & cire", "2027-03-22T09:30", ["mastodon", "bluesky"], recurrence: "FREQ=WEEKLY;COUNT=3"), PostState.Scheduled);
        var once = await host.CreatePostAsync(CalendarWindowTests.Post("La nuit du changement d’heure", "2027-03-28T02:30"));
        await host.AddMemberAsync("cm@lumen.test", Key, DefaultRoles.CommunityManager);
        using var api = host.Script(await host.CreateTokenAsync("cm@lumen.test", Key));

        var first = await GetAsync(api, Month);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await SerializedAsync(host), await first.Content.ReadAsByteArrayAsync());
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        // The same month again: the same bytes and tag; with the tag, nothing but 304.
        var again = await GetAsync(api, Month);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, again.Headers.ETag);
        var unchanged = await GetAsync(api, Month, etag);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, unchanged.Headers.ETag);
        // Another window is another tag.
        Assert.NotEqual(etag, (await GetAsync(api, $"/api/v1/{Key}/calendar?from=2027-03-01&to=2027-03-29")).Headers.ETag);

        // A date skipped through the post service: the old tag no longer holds and the answer drops that date.
        await host.InWorkspaceAsync(Key, async services =>
        {
            var posts = services.GetRequiredService<PostService>();
            var post = (await posts.FindAsync(weekly))!;
            var outcome = await posts.UpdateAsync(weekly, post.Version, posts.InputOf(post) with { SkippedDates = ["2027-03-29"] }, PostActor.System("Tests"));
            Assert.True(outcome.Succeeded);
            return outcome;
        });
        var skipped = await GetAsync(api, Month, etag);
        Assert.Equal(HttpStatusCode.OK, skipped.StatusCode);
        Assert.NotEqual(etag, skipped.Headers.ETag);
        var body = await skipped.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"2027-03-29\"", body);
        Assert.Equal(await SerializedAsync(host), await skipped.Content.ReadAsByteArrayAsync());

        // A change written past the services (another node, a hand-made fix in the database): seen at the next look too.
        etag = skipped.Headers.ETag;
        await host.InWorkspaceAsync(Key, services => services.GetRequiredService<CalendarDbContext>().Posts
            .Where(p => p.Id == once).ExecuteUpdateAsync(u => u.SetProperty(p => p.State, PostState.Approved)));
        var approved = await GetAsync(api, Month, etag);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.NotEqual(etag, approved.Headers.ETag);
        Assert.Contains($"{{\"postId\":\"{once}\",\"occurrenceDate\":null,\"start\":\"2027-03-28T03:30:00+02:00\",\"startUtc\":\"2027-03-28T01:30:00Z\",\"networks\":[\"instagram\"],\"state\":\"approved\"}}",
            await approved.Content.ReadAsStringAsync());
    }
}
