using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CmPortal.Core.Localization;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Queue;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Tests.Integration;

/// <summary>The queue page: slots added by a manager, "add to queue" from the editor and the backlog, "plan my week".</summary>
public sealed partial class QueueTests
{
    private const string Admin = "/admin/maison-lumen";
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private static readonly DateTimeZone Paris = DateTimeZoneProviders.Tzdb["Europe/Paris"];

    /// <summary>Runs <paramref name="work"/> in the demo workspace, as the pages would.</summary>
    internal static Task<T> InWorkspaceAsync<T>(PortalHost host, Func<IServiceProvider, Task<T>> work) => host.InScopeAsync(async services =>
    {
        services.GetRequiredService<WorkspaceContext>().Set(await services.GetRequiredService<WorkspaceService>().FindAsync("maison-lumen"));
        return await work(services);
    });

    internal static Task<Post> BacklogPostAsync(PortalHost host, string text, string network, string? pillar = null) => InWorkspaceAsync(host, async services =>
    {
        var outcome = await services.GetRequiredService<PostService>().CreateAsync(
            new PostInput { Text = text, Networks = [network], Pillar = pillar }, PostState.Draft, PostActor.System("Test"));
        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
        return outcome.Post!;
    });

    private static Task<Post?> FindAsync(PortalHost host, Guid id) =>
        InWorkspaceAsync(host, services => services.GetRequiredService<PostService>().FindAsync(id));

    /// <summary>The workspace's queue emptied of the demo's slots, so that the test says which slots exist.</summary>
    private static Task ClearSlotsAsync(PortalHost host) =>
        InWorkspaceAsync(host, async services => await services.GetRequiredService<CalendarDbContext>().QueueSlots.ExecuteDeleteAsync());

    private static LocalDateTime Now => SystemClock.Instance.GetCurrentInstant().InZone(Paris).LocalDateTime;

    /// <summary>The first <paramref name="day"/> at <paramref name="hour"/> after now, in Paris.</summary>
    private static LocalDateTime Next(IsoDayOfWeek day, int hour)
    {
        var now = Now;
        var at = now.Date.With(DateAdjusters.NextOrSame(day)).At(new LocalTime(hour, 0));
        return at > now ? at : at.PlusWeeks(1);
    }

    private static string Shown(LocalDateTime at) => PortalValues.DateTime(at.ToDateTimeUnspecified(), French);

    [Fact]
    public async Task A_slot_added_on_the_queue_page_receives_backlog_posts_one_after_the_other_from_the_editor_and_the_backlog_list()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.WithoutDemoPostsAsync();
        await ClearSlotsAsync(host);
        using var admin = await host.SignInAsync();

        var added = await PageForm.Parse(await admin.GetStringAsync($"{Admin}/queue"), "form#add-slot")
            .Set("network", "mastodon").Set("weekday", "2").Set("time", "18:00").SubmitAsync(admin);
        var page = await admin.AssertRedirectWithMessageAsync(added, $"{Admin}/queue", "Créneau ajouté\u00a0: Mastodon, mardi à 18:00.");
        var tuesday = Next(IsoDayOfWeek.Tuesday, 18);
        var free = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page).QuerySelectorAll("[data-network=mastodon] .next-free li").Select(li => li.TextContent).ToList();
        Assert.Equal([Shown(tuesday), Shown(tuesday.PlusWeeks(1)), Shown(tuesday.PlusWeeks(2))], free);

        // From the editor's side panel: the next Tuesday.
        var first = await BacklogPostAsync(host, "Les coulisses de l’atelier, en fil court.", "mastodon");
        var queued = await PageForm.Parse(await admin.GetStringAsync($"{Admin}/posts/{first.Id}"), "form#add-to-queue").SubmitAsync(admin);
        await admin.AssertRedirectWithMessageAsync(queued, $"{Admin}/posts/{first.Id}", $"Ajoutée à la file\u00a0: {Shown(tuesday)}.");
        Assert.Equal(PostRules.Format(tuesday), (await FindAsync(host, first.Id))!.StartsLocal);

        // From the backlog list: that Tuesday is taken, so the one after.
        var second = await BacklogPostAsync(host, "Trois façons de raviver une bougie.", "mastodon");
        var backlog = await admin.GetStringAsync($"{Admin}/posts?view=backlog");
        queued = await PageForm.Parse(backlog, $"form[action='{Admin}/queue/add/{second.Id}']").SubmitAsync(admin);
        await admin.AssertRedirectWithMessageAsync(queued, $"{Admin}/posts?view=backlog", $"Ajoutée à la file\u00a0: {Shown(tuesday.PlusWeeks(1))}.");
        Assert.Equal(PostRules.Format(tuesday.PlusWeeks(1)), (await FindAsync(host, second.Id))!.StartsLocal);

        // A post for a network without slots stays in the backlog, and the page says what to do.
        var facebook = await BacklogPostAsync(host, "Portes ouvertes samedi.", "facebook");
        queued = await PageForm.Parse(await admin.GetStringAsync($"{Admin}/posts/{facebook.Id}"), "form#add-to-queue").SubmitAsync(admin);
        await admin.AssertRedirectWithErrorAsync(queued, $"{Admin}/posts/{facebook.Id}",
            "Aucun créneau libre pour Facebook dans les 12 prochaines semaines\u00a0: ajoutez des créneaux sur la page de la file.");
        Assert.Null((await FindAsync(host, facebook.Id))!.StartsLocal);
    }

    [Fact]
    public async Task A_member_who_may_not_manage_the_queue_sees_its_slots_but_cannot_add_any()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.WithoutDemoPostsAsync();
        await host.AddMemberAsync("contributrice@example.test", "maison-lumen", "Contributor");
        using var contributor = await host.SignInAsync("contributrice@example.test", MemberHostExtensions.MemberPassword);

        var page = await contributor.GetStringAsync($"{Admin}/queue");
        Assert.DoesNotContain("id=\"add-slot\"", page);
        var refused = await contributor.SendFormAsync("POST", $"{Admin}/queue/slots", new() { ["network"] = "mastodon", ["weekday"] = "2", ["time"] = "18:00" });
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/denied", refused.Headers.Location!.OriginalString);
        Assert.Equal(0, await InWorkspaceAsync(host, s => s.GetRequiredService<CalendarDbContext>().QueueSlots.CountAsync(q => q.Network == "mastodon")));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Plan_my_week_proposes_four_value_posts_and_one_promotion_and_plans_the_ticked_ones_all_or_none(Provider provider)
    {
        await using var host = await PortalHost.StartSetUpAsync(provider);
        await host.WithoutDemoPostsAsync();
        await ClearSlotsAsync(host);
        await InWorkspaceAsync(host, async services =>
        {
            var db = services.GetRequiredService<CalendarDbContext>();
            for (var day = 1; day <= 5; day++) db.QueueSlots.Add(new QueueSlot { Id = Guid.NewGuid(), Network = "mastodon", Weekday = day, Time = "10:00" });
            return await db.SaveChangesAsync();
        });
        var promotions = new List<Post>();
        for (var i = 0; i < 3; i++) promotions.Add(await BacklogPostAsync(host, $"La collection d’hiver, bougie {i}.", "mastodon", "Collections & offres"));
        var values = new List<Post>();
        for (var i = 0; i < 5; i++) values.Add(await BacklogPostAsync(host, $"Le geste de l’atelier n° {i}.", "mastodon", "Savoir-faire & atelier"));
        using var admin = await host.SignInAsync();

        var monday = QueuePlanner.MondayOf(Now.Date).PlusWeeks(2);
        var week = QueueService.FormatDay(monday);
        var html = await admin.GetStringAsync($"{Admin}/queue/plan?week={week}");
        var proposed = AcceptValue().Matches(html).Select(m => (Id: Guid.Parse(m.Groups[1].Value), Version: m.Groups[2].Value, At: m.Groups[3].Value)).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(d => PostRules.Format(monday.PlusDays(d).At(new LocalTime(10, 0)))), proposed.Select(p => p.At));
        Assert.Equal(4, proposed.Count(p => values.Any(v => v.Id == p.Id)));
        Assert.Equal(1, proposed.Count(p => promotions.Any(v => v.Id == p.Id)));
        Assert.Contains("Pilier de promotion «\u00a0Collections &amp; offres\u00a0»", html);
        // The week's dates say their year once when they share it.
        var sunday = monday.PlusDays(6);
        var french = new System.Globalization.CultureInfo("fr-FR");
        var from = new DateOnly(monday.Year, monday.Month, monday.Day);
        var to = new DateOnly(sunday.Year, sunday.Month, sunday.Day);
        var summary = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("#week-summary")!.TextContent;
        Assert.Contains($"Semaine du {(from.Year == to.Year ? PortalValues.DateWithoutYear(from, french) : PortalValues.Date(from, french))} au {PortalValues.Date(to, french)}.", summary);

        // Unticked: the first proposal stays in the backlog; the four others are planned at their slots.
        var form = PageForm.Parse(html, "form#proposal");
        var kept = proposed.Skip(1).ToList();
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", form["__RequestVerificationToken"]!), new("week", week) };
        fields.AddRange(kept.Select(p => new KeyValuePair<string, string>("accept", $"{p.Id}|{p.Version}|{p.At}")));
        var accepted = await admin.Http.PostAsync(form.Action, new FormUrlEncodedContent(fields));
        await admin.AssertRedirectWithMessageAsync(accepted, $"{Admin}/posts", "Publications planifiées\u00a0: 4.");
        foreach (var p in kept) Assert.Equal(p.At, (await FindAsync(host, p.Id))!.StartsLocal);
        Assert.Null((await FindAsync(host, proposed[0].Id))!.StartsLocal);

        // Accepting the same lines again with the left-out post: one is stale, so none is planned.
        fields.Add(new("accept", $"{proposed[0].Id}|{proposed[0].Version}|{proposed[0].At}"));
        var again = await admin.Http.PostAsync(form.Action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal($"{Admin}/queue/plan?week={week}", again.Headers.Location!.OriginalString);
        Assert.Null((await FindAsync(host, proposed[0].Id))!.StartsLocal);
    }

    [GeneratedRegex("name=\"accept\" value=\"([0-9a-f-]{36})\\|(\\d+)\\|([0-9T:-]+)\"")]
    private static partial Regex AcceptValue();
}
