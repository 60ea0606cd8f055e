using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Integration.CalendarWindowTests;

namespace CmPortal.Tests.Integration.Calendar;

/// <summary>
/// A member's private calendar feed of the scheduled posts (<c>/feeds/{token}.ics</c>): made on the calendar's
/// "Subscribe in my calendar app" page, read over HTTP as a calendar app does, and parsed with Debian's
/// python3-icalendar, which builds the zone from the feed's own VTIMEZONE.
/// </summary>
public sealed class FeedTests
{
    private const string Key = "maison-lumen";
    private const string Manager = "chloe@lumen.test";

    private static async Task<PortalHost> StartAsync(Provider provider = Provider.Sqlite)
    {
        var host = await PortalHost.StartSetUpAsync(provider);
        await host.WithoutDemoPostsAsync();
        await host.AddMemberAsync(Manager, Key, DefaultRoles.CommunityManager);
        return host;
    }

    /// <summary>Creates (or replaces) the signed-in member's feed on the page, and reads the address it shows once.</summary>
    private static async Task<string> CreateFeedAsync(PortalClient member, string key = Key)
    {
        ResponseAssert.AssertRedirect(await member.PostFormAsync($"/admin/{key}/calendar/feed", [], $"/admin/{key}/calendar/feed"), $"/admin/{key}/calendar/feed");
        var page = new HtmlParser().ParseDocument(await member.GetStringAsync($"/admin/{key}/calendar/feed"));
        var url = page.QuerySelector("#feed-url")!.GetAttribute("value")!;
        Assert.Equal("webcal://" + url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..], page.QuerySelector("#feed-webcal")!.GetAttribute("href"));
        return new Uri(url).AbsolutePath;
    }

    private static async Task<HttpStatusCode> StatusAsync(PortalHost host, string path)
    {
        using var app = host.CreateClient();
        return (await app.GetAsync(path)).StatusCode;
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_member_subscribes_and_their_calendar_app_sees_the_weekly_0930_post_across_the_march_change_with_skipped_and_detached_dates(Provider provider)
    {
        await using var host = await StartAsync(provider);
        // Tuesdays at 09:30 from March 16th, 2027, six times; Paris moves to summer time on Sunday March 28th. March 23rd
        // was detached into a post of its own at 11:00; March 30th is skipped.
        var series = await host.CreatePostAsync(Post("L’atelier du mardi", "2027-03-16T09:30", ["instagram", "facebook"], "Savoir-faire & atelier",
            "FREQ=WEEKLY;COUNT=6", ["2027-03-23", "2027-03-30"]), PostState.Scheduled);
        var detached = await host.CreatePostAsync(Post("L’atelier du mardi, spécial printemps", "2027-03-23T11:00"), PostState.Scheduled);
        await host.DetachAsync(detached, series, "2027-03-23");
        var single = await host.CreatePostAsync(Post("Soldes d’hiver : -30 % sur les bougies", "2027-01-12T18:00", ["linkedin"]), PostState.Scheduled);
        var draft = await host.CreatePostAsync(Post("Un brouillon", "2027-03-17T10:00"));
        var idea = await host.CreatePostAsync(Post("Une idée", "2027-03-18T10:00"), PostState.Idea);
        var approved = await host.CreatePostAsync(Post("Validée, pas encore programmée", "2027-03-19T10:00"), PostState.Approved);
        var tooFar = await host.CreatePostAsync(Post("Dans deux ans", "2028-12-01T10:00"), PostState.Scheduled);

        // The site is not published: its public pages answer 404, the feed still opens.
        await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Workspaces.Where(w => w.Key == Key).ExecuteUpdateAsync(w => w.SetProperty(x => x.SitePublished, false)));
        host.Services.GetRequiredService<WorkspaceDirectory>().Invalidate();
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, $"/{Key}/"));

        using var manager = await host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        Assert.Contains($"href=\"/admin/{Key}/calendar/feed\"", await manager.GetStringAsync($"/admin/{Key}/calendar"));
        Assert.Contains("id=\"no-feed\"", await manager.GetStringAsync($"/admin/{Key}/calendar/feed"));
        var path = await CreateFeedAsync(manager);
        Assert.Matches("^/feeds/[A-Za-z0-9_-]{43}\\.ics$", path);
        var secret = path["/feeds/".Length..^".ics".Length];
        // Shown once: the page then says when it was made, and offers to replace or revoke it.
        var again = await manager.GetStringAsync($"/admin/{Key}/calendar/feed");
        Assert.DoesNotContain(secret, again);
        Assert.Contains("id=\"feed-created\"", again);

        using var app = host.CreateClient();
        var response = await app.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("noindex", response.Headers.GetValues("X-Robots-Tag").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl!.Private);
        var ics = (await response.Content.ReadAsStringAsync()).Replace("\r\n ", "");

        Assert.Contains("DTSTART;TZID=Europe/Paris:20270316T093000\r\nDURATION:PT15M\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\nEXDATE;TZID=Europe/Paris:20270330T093000\r\n", ics);
        Assert.Contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n", ics);
        Assert.Contains("RECURRENCE-ID;TZID=Europe/Paris:20270323T093000\r\n", ics);
        Assert.DoesNotContain("20270323T093000,", ics.Split("EXDATE")[1].Split("\r\n")[0] + ",");
        foreach (var absent in new[] { draft, idea, approved, tooFar })
            Assert.DoesNotContain(absent.ToString(), ics);

        var calendar = ParseWithPythonIcalendar(ics);
        Assert.Equal("Maison Lumen — publications", calendar.GetProperty("name").GetString());
        var events = calendar.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(3, events.Count);
        var master = events.Single(e => e.GetProperty("uid").GetString() == $"{series}@cmportal" && e.GetProperty("recurrenceId").ValueKind == JsonValueKind.Null);
        // 09:30 local every time: +01:00 before March 28th, +02:00 after; the 30th skipped, the 23rd given to its override.
        Assert.Equal(["2027-03-16T09:30:00+01:00", "2027-03-23T09:30:00+01:00", "2027-04-06T09:30:00+02:00", "2027-04-13T09:30:00+02:00", "2027-04-20T09:30:00+02:00"],
            master.GetProperty("occurrences").EnumerateArray().Select(o => o.GetString()!));
        Assert.Equal("[Instagram, Facebook] L’atelier du mardi", master.GetProperty("summary").GetString());
        Assert.Contains("Pilier\u00a0: Savoir-faire & atelier", master.GetProperty("description").GetString());
        Assert.Contains("État\u00a0: Programmée", master.GetProperty("description").GetString());
        Assert.Equal(new Uri(host.BaseAddress, $"/admin/{Key}/posts/{series}").ToString(), master.GetProperty("url").GetString());
        Assert.Equal("Europe/Paris", master.GetProperty("tzid").GetString());

        // The detached occurrence overrides the series' March 23rd: same UID, RECURRENCE-ID of 09:30, its own 11:00 start.
        var overriding = events.Single(e => e.GetProperty("recurrenceId").ValueKind != JsonValueKind.Null);
        Assert.Equal($"{series}@cmportal", overriding.GetProperty("uid").GetString());
        Assert.Equal("2027-03-23T09:30:00+01:00", overriding.GetProperty("recurrenceId").GetString());
        Assert.Equal("2027-03-23T11:00:00+01:00", overriding.GetProperty("start").GetString());
        Assert.Equal(new Uri(host.BaseAddress, $"/admin/{Key}/posts/{detached}").ToString(), overriding.GetProperty("url").GetString());

        var once = events.Single(e => e.GetProperty("uid").GetString() == $"{single}@cmportal");
        Assert.Equal("2027-01-12T18:00:00+01:00", once.GetProperty("start").GetString());
        Assert.Equal("[LinkedIn] Soldes d’hiver : -30 % sur les bougies", once.GetProperty("summary").GetString());

        // The database holds the secret's SHA-256, never the secret.
        var stored = await host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().FeedTokens.IgnoreQueryFilters().AsNoTracking().SingleAsync());
        Assert.Equal(64, stored.Sha256.Length);
        var content = await DatabaseSnapshot.ContentAsync(host);
        Assert.DoesNotContain(content.Tables.SelectMany(t => t.Value), row => row.Contains(secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_revoked_or_replaced_feed_a_locked_member_a_member_without_the_calendar_or_who_left_gets_404(Provider provider)
    {
        await using var host = await StartAsync(provider);
        await host.CreatePostAsync(Post("Coulisses de l’atelier", "2027-03-18T18:00"), PostState.Scheduled);
        using var admin = await host.SignInAsync();
        using var manager = await host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, "/feeds/" + new string('a', 43) + ".ics"));

        // Replacing: the old address stops at once, the new one opens.
        var first = await CreateFeedAsync(manager);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, first));
        var second = await CreateFeedAsync(manager);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, first));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, second));
        Assert.Equal(1, await host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().FeedTokens.IgnoreQueryFilters().CountAsync(t => t.RevokedUtc == null)));

        // Revoking.
        ResponseAssert.AssertRedirect(await manager.PostFormAsync($"/admin/{Key}/calendar/feed/revoke", [], $"/admin/{Key}/calendar/feed"), $"/admin/{Key}/calendar/feed");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, second));
        Assert.Contains("id=\"no-feed\"", await manager.GetStringAsync($"/admin/{Key}/calendar/feed"));

        // A member locked out of the portal.
        var third = await CreateFeedAsync(manager);
        async Task SetLockoutAsync(DateTime? until) => await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users
            .Where(u => u.Email == Manager).ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEndUtc, until)));
        await SetLockoutAsync(DateTime.UtcNow.AddYears(10));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, third));
        await SetLockoutAsync(null);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, third));

        // Their role no longer sees the content calendar: checked at each request.
        var role = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Roles
            .Where(r => r.Name == DefaultRoles.CommunityManager && s.GetRequiredService<CoreDbContext>().Workspaces.Any(w => w.Id == r.WorkspaceId && w.Key == Key))
            .Select(r => r.Id).SingleAsync());
        await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().RolePermissions
            .Where(p => p.RoleId == role && p.Permission == "ContentCalendar.View").ExecuteDeleteAsync());
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, third));
        await host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CoreDbContext>();
            db.RolePermissions.Add(new RolePermission { RoleId = role, Permission = "ContentCalendar.View" });
            await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, third));

        // They leave the workspace.
        var membership = await host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CoreDbContext>();
            var userId = await db.Users.Where(u => u.Email == Manager).Select(u => u.Id).SingleAsync();
            return await db.Memberships.Where(m => m.UserId == userId).Select(m => m.Id).SingleAsync();
        });
        ResponseAssert.AssertRedirect(await admin.PostFormAsync($"/admin/{Key}/members/{membership}/remove", [], $"/admin/{Key}/members"), $"/admin/{Key}/members");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, third));
    }

    [Fact]
    public async Task A_feed_shows_only_the_posts_of_its_own_workspace()
    {
        await using var host = await StartAsync();
        await host.ApplyRecipeAsync("""
            { "name": "nord", "steps": [
              { "step": "workspace", "key": "atelier-nord", "name": "Atelier Nord" },
              { "step": "modules", "enable": ["BrandIdentity", "KeyDates", "ContentCalendar"] } ] }
            """);
        await host.AddMemberAsync("nina@nord.test", "atelier-nord", DefaultRoles.CommunityManager);
        var lumen = await host.CreatePostAsync(Post("Publication de Lumen", "2027-03-18T18:00"), PostState.Scheduled);
        var nord = await host.CreatePostAsync(Post("Publication de l’Atelier Nord", "2027-03-18T18:00"), PostState.Scheduled, "atelier-nord");

        using var chloe = await host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        using var nina = await host.SignInAsync("nina@nord.test", MemberHostExtensions.MemberPassword);
        using var admin = await host.SignInAsync();
        using var app = host.CreateClient();
        var chloeFeed = await app.GetStringAsync(await CreateFeedAsync(chloe));
        var ninaFeed = await app.GetStringAsync(await CreateFeedAsync(nina, "atelier-nord"));
        Assert.Contains(lumen.ToString(), chloeFeed);
        Assert.DoesNotContain(nord.ToString(), chloeFeed);
        Assert.Contains(nord.ToString(), ninaFeed);
        Assert.DoesNotContain(lumen.ToString(), ninaFeed);
        Assert.Contains("X-WR-CALNAME:Atelier Nord — publications", ninaFeed);
        // Nina is not a member of Maison Lumen: its feed page answers as if it did not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await nina.GetAsync($"/admin/{Key}/calendar/feed")).StatusCode);

        // The host's administrator has one feed per workspace, each with its own posts; neither replaces the other.
        var adminLumen = await CreateFeedAsync(admin);
        var adminNord = await CreateFeedAsync(admin, "atelier-nord");
        var lumenText = await app.GetStringAsync(adminLumen);
        Assert.Contains(lumen.ToString(), lumenText);
        Assert.DoesNotContain(nord.ToString(), lumenText);
        var nordText = await app.GetStringAsync(adminNord);
        Assert.Contains(nord.ToString(), nordText);
        Assert.DoesNotContain(lumen.ToString(), nordText);
    }

    // Debian's python3-icalendar (test.sh installs it) reads the feed, builds the zone from OUR VTIMEZONE and expands
    // each RRULE without its EXDATEs; times are printed with their offsets.
    private const string Script = """
        import sys, json, icalendar
        from dateutil.rrule import rrulestr
        cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
        tzs = cal.walk('VTIMEZONE')
        tz = tzs[0].to_tz() if tzs else None
        def local(v): return v.dt.replace(tzinfo=None)
        def iso(d): return tz.localize(d).isoformat() if tz else d.isoformat()
        events = []
        for ev in cal.walk('VEVENT'):
            start = local(ev['DTSTART'])
            exd = ev.get('EXDATE')
            ex = [local(d) for e in (exd if isinstance(exd, list) else [exd] if exd else []) for d in e.dts]
            times = list(rrulestr(ev['RRULE'].to_ical().decode(), dtstart=start)) if 'RRULE' in ev else [start]
            events.append({
                'uid': str(ev['UID']), 'summary': str(ev['SUMMARY']), 'description': str(ev.get('DESCRIPTION', '')), 'url': str(ev.get('URL', '')),
                'start': iso(start), 'tzid': ev['DTSTART'].params.get('TZID'),
                'recurrenceId': iso(local(ev['RECURRENCE-ID'])) if 'RECURRENCE-ID' in ev else None,
                'occurrences': [iso(t) for t in times if t not in ex]})
        print(json.dumps({'name': str(cal.get('X-WR-CALNAME')), 'events': events}))
        """;

    private static JsonElement ParseWithPythonIcalendar(string ics) =>
        JsonDocument.Parse(PythonICalendar.Run(Script, ics)).RootElement.Clone();
}
