using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Tests.Infrastructure;
using static CmPortal.Tests.Integration.CalendarWindowTests;

namespace CmPortal.Tests.Integration;

/// <summary>
/// The calendar page's JSON feed and moves: posts at the workspace's wall-clock time (no offset) across the Paris clock
/// change, recurring occurrences, pillar colours, failed posts, key dates, filters; drag and drop answers; the keyboard list.
/// </summary>
public sealed partial class CalendarEventsTests
{
    private const string Calendar = "/admin/maison-lumen/calendar";

    private static async Task<JsonElement[]> EventsAsync(PortalClient client, string query)
    {
        var response = await client.GetAsync($"{Calendar}/events?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement[]>())!;
    }

    private static string Start(JsonElement e) => e.GetProperty("start").GetString()!;

    private static bool IsPost(JsonElement e, Guid id) =>
        e.TryGetProperty("extendedProps", out var props) && props.TryGetProperty("postId", out var postId) && postId.GetGuid() == id;

    [GeneratedRegex("data-token=\"([^\"]+)\"")]
    private static partial Regex PageToken();

    /// <summary>A drag and drop as the page sends it: JSON, with the page's antiforgery token in a header.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> DragAsync(PortalClient client, Guid postId, int version, string start, string? occurrenceDate = null)
    {
        var token = PageToken().Match(await client.GetStringAsync(Calendar)).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Calendar}/move")
        {
            Content = JsonContent.Create(new { postId, version, occurrenceDate, start }),
        };
        request.Headers.Add("RequestVerificationToken", WebUtility.HtmlDecode(token));
        var response = await client.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task The_feed_gives_wall_clock_times_across_the_clock_change_pillar_colours_failed_posts_key_dates_and_filters()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var series = await host.CreatePostAsync(Post("L’atelier du mardi", "2027-03-16T09:30", ["instagram", "facebook"], "Savoir-faire & atelier", "FREQ=WEEKLY;COUNT=4"));
        var failed = await host.CreatePostAsync(Post("Le post qui n’est pas parti", "2027-03-19T12:00", ["instagram"], "Art de vivre"), PostState.Failed);
        var linkedin = await host.CreatePostAsync(Post("Pour les revendeurs", "2027-03-17T10:00", ["linkedin"], "Collections & offres"));

        // FullCalendar asks with UTC instants (it runs in UTC); only their dates count, as days of the workspace.
        var events = await EventsAsync(admin, "start=2027-03-01T00:00:00Z&end=2027-04-12T00:00:00Z");
        var tuesdays = events.Where(e => IsPost(e, series)).ToList();
        Assert.Equal(["2027-03-16T09:30:00", "2027-03-23T09:30:00", "2027-03-30T09:30:00", "2027-04-06T09:30:00"], tuesdays.Select(Start).ToArray());
        Assert.Equal(["2027-03-16", "2027-03-23", "2027-03-30", "2027-04-06"],
            tuesdays.Select(e => e.GetProperty("extendedProps").GetProperty("occurrenceDate").GetString()!).ToArray());
        var tuesday = tuesdays[0];
        Assert.Equal(("#0b5cad", "Brouillon", true, $"/admin/maison-lumen/posts/{series}"),
            (tuesday.GetProperty("backgroundColor").GetString(), tuesday.GetProperty("extendedProps").GetProperty("stateLabel").GetString(),
             tuesday.GetProperty("extendedProps").GetProperty("recurring").GetBoolean(), tuesday.GetProperty("url").GetString()));
        Assert.Equal(["instagram", "facebook"], tuesday.GetProperty("extendedProps").GetProperty("networks").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToArray());

        var failure = events.Single(e => IsPost(e, failed));
        Assert.Equal(("2027-03-19T12:00:00", "#b02a37", "En échec"),
            (Start(failure), failure.GetProperty("backgroundColor").GetString(), failure.GetProperty("extendedProps").GetProperty("stateLabel").GetString()));
        Assert.Contains("cc-failed", failure.GetProperty("classNames").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("#00707a", events.Single(e => IsPost(e, linkedin)).GetProperty("backgroundColor").GetString()); // "Collections & offres" is the fifth pillar: the fifth colour

        // The demo's key dates of the window, as all-day background events (FullCalendar's end is the day after).
        var keyDates = events.Where(e => e.TryGetProperty("display", out var d) && d.GetString() == "background").ToList();
        Assert.NotEmpty(keyDates);
        Assert.All(keyDates, k => Assert.True(k.GetProperty("allDay").GetBoolean()));

        // Filters keep the key dates and only the posts asked for.
        Assert.Equal([linkedin], (await EventsAsync(admin, "start=2027-03-01&end=2027-04-12&network=linkedin")).Where(e => !e.TryGetProperty("display", out _))
            .Select(e => e.GetProperty("extendedProps").GetProperty("postId").GetGuid()).ToArray());
        Assert.Equal([failed], (await EventsAsync(admin, "start=2027-03-01&end=2027-04-12&state=Failed&pillar=Art%20de%20vivre")).Where(e => !e.TryGetProperty("display", out _))
            .Select(e => e.GetProperty("extendedProps").GetProperty("postId").GetGuid()).ToArray());
        Assert.DoesNotContain(await EventsAsync(admin, "start=2027-03-01&end=2027-04-12&campaign=no-such-campaign"), e => !e.TryGetProperty("display", out _));

        // A window of a year is refused rather than computed.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"{Calendar}/events?start=2027-01-01&end=2028-01-01")).StatusCode);
    }

    [Fact]
    public async Task A_drag_moves_a_post_keeping_what_it_was_and_refuses_a_series_date_a_stale_version_and_a_contributor_moving_a_scheduled_post()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var draft = await host.CreatePostAsync(Post("Coulisses", "2027-03-18T18:00", ["instagram"], "Savoir-faire & atelier"));
        var series = await host.CreatePostAsync(Post("L’atelier du mardi", "2027-03-16T09:30", ["instagram"], null, "FREQ=WEEKLY;COUNT=4"));
        var scheduled = await host.CreatePostAsync(Post("Coffrets de Noël", "2027-03-19T12:00", ["instagram"]), PostState.Scheduled);

        var (status, body) = await DragAsync(admin, draft, 1, "2027-03-20T18:00");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Publication déplacée au 20\u00a0mars\u00a02027 18:00.", body.GetProperty("message").GetString());
        var moved = await host.FindPostAsync(draft);
        Assert.Equal(("2027-03-20T18:00", 2, "Savoir-faire & atelier", PostState.Draft), (moved.StartsLocal, moved.Version, moved.Pillar, moved.State));

        (status, body) = await DragAsync(admin, draft, 1, "2027-03-21T18:00");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("2027-03-20T18:00", (await host.FindPostAsync(draft)).StartsLocal);

        (status, body) = await DragAsync(admin, series, 1, "2027-03-24T09:30", "2027-03-23");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("C’est une date d’une publication récurrente\u00a0: le calendrier ne la déplace pas. Ouvrez la publication pour déplacer cette date ou toute la série.",
            body.GetProperty("message").GetString());
        Assert.Equal("2027-03-16T09:30", (await host.FindPostAsync(series)).StartsLocal);

        await host.AddMemberAsync("camille@example.test", "maison-lumen", "Contributor");
        using var contributor = await host.SignInAsync("camille@example.test", MemberHostExtensions.MemberPassword);
        (status, body) = await DragAsync(contributor, scheduled, 1, "2027-03-22T12:00");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Vous ne pouvez pas déplacer cette publication\u00a0: demandez à quelqu’un qui programme les publications.", body.GetProperty("message").GetString());
        Assert.Equal("2027-03-19T12:00", (await host.FindPostAsync(scheduled)).StartsLocal);

        // Without the page's token, nothing moves.
        var forged = await admin.Http.PostAsync($"{Calendar}/move", JsonContent.Create(new { postId = draft, version = 2, start = "2027-03-25T18:00" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("2027-03-20T18:00", (await host.FindPostAsync(draft)).StartsLocal);
    }

    [Fact]
    public async Task The_keyboard_list_moves_a_post_with_its_date_and_time_fields_and_shows_series_dates_without_a_form()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var post = await host.CreatePostAsync(Post("Coulisses", "2027-03-18T18:00", ["instagram"]));
        var series = await host.CreatePostAsync(Post("L’atelier du mardi", "2027-03-16T09:30", ["instagram"], null, "FREQ=WEEKLY;COUNT=2"));

        var html = await admin.GetStringAsync($"{Calendar}/list?month=2027-03");
        Assert.Contains("Une date d’une publication récurrente\u00a0: déplacez-la depuis la publication.", WebUtility.HtmlDecode(html));
        Assert.DoesNotContain($"id=\"date-{series}\"", html);
        var form = PageForm.Parse(html, $"#post-{post} form");
        Assert.Equal(("2027-03-18", "18:00"), (form["date"], form["time"]));
        var response = await form.Set("date", "2027-04-02").Set("time", "08:15").SubmitAsync(admin);
        await admin.AssertRedirectWithMessageAsync(response, $"{Calendar}/list?month=2027-04#post-{post}", "Publication déplacée au 2\u00a0avril\u00a02027 08:15.");
        Assert.Equal("2027-04-02T08:15", (await host.FindPostAsync(post)).StartsLocal);

        // A date already past is refused with the service's reason, and the post stays.
        html = await admin.GetStringAsync($"{Calendar}/list?month=2027-04");
        response = await PageForm.Parse(html, $"#post-{post} form").Set("date", "2020-04-02").SubmitAsync(admin);
        await admin.AssertRedirectWithErrorAsync(response, $"{Calendar}/list?month=2027-04#post-{post}", "Le 2\u00a0avril\u00a02020 08:15 est déjà passé. Choisissez une date et une heure à venir.");
    }

    [Fact]
    public async Task The_gauge_of_a_month_with_too_much_promotion_warns_against_the_editorial_line()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        await host.CreatePostAsync(Post("Coulisses", "2027-03-18T18:00", ["instagram"], "Savoir-faire & atelier"));
        await host.CreatePostAsync(Post("Coffrets", "2027-03-19T18:00", ["instagram"], "Collections & offres"));
        await host.CreatePostAsync(Post("Promo", "2027-03-20T18:00", ["instagram"], "Collections & offres"));

        var gauge = WebUtility.HtmlDecode(await admin.GetStringAsync($"{Calendar}/gauge?start=2027-03-01&end=2027-04-01"));
        Assert.Contains("Valeur 33\u00a0% · promotion 67\u00a0% (objectif\u00a0: 80\u00a0% de valeur).", gauge);
        Assert.Contains("Trop de promotion\u00a0: la ligne éditoriale demande 80\u00a0% de publications de valeur.", gauge);
        // April has nothing planned: no warning.
        Assert.Contains("Aucune publication sur cette période.", WebUtility.HtmlDecode(await admin.GetStringAsync($"{Calendar}/gauge?start=2027-04-01&end=2027-05-01")));
    }
}
