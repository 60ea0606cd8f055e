using System.Net;
using System.Text.Json.Nodes;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Recipes;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Tests.Integration;

/// <summary>
/// The content calendar's recipe steps (campaigns, queue slots, posts): errors name the item and its field, applying
/// twice changes nothing, an export applies back, relative dates keep a demo alive; and the campaign pages.
/// </summary>
public sealed class CalendarRecipeTests
{
    private const string Head = """
        { "step": "workspace", "key": "lumen", "name": "Lumen" },
        { "step": "modules", "enable": ["KeyDates", "BrandIdentity", "ContentCalendar"] },
        { "step": "editorialLine", "pillars": [ { "name": "Atelier", "share": 80, "kind": "value" }, { "name": "Offres", "share": 20, "kind": "promotion" } ],
          "personas": [ { "name": "Claire", "networks": ["instagram"] } ] },
        { "step": "keyDates", "keyDates": [ { "id": "fete-des-meres", "title": "Fête des mères", "start": "2027-05-30" } ] },
        """;

    private static string Recipe(string steps) => $$"""{ "name": "calendar", "steps": [ {{Head}} {{steps}} ] }""";

    private const string Calendar = """
        { "step": "campaigns", "campaigns": [ { "slug": "concours", "name": "Concours de printemps", "kind": "contest", "start": "+7d", "end": "+20d",
            "persona": "Claire", "colour": "#C9A227", "kpis": [ { "name": "Participations", "target": 500 } ], "objective": "Gagner des abonnés." } ] },
        { "step": "queueSlots", "queueSlots": [ { "network": "instagram", "weekday": "TU", "time": "18:00" }, { "network": "facebook", "weekday": 3, "time": "12:30" } ] },
        { "step": "posts", "posts": [
            { "slug": "coulisses", "text": "Les coulisses du mardi.", "networks": ["instagram", "facebook"], "startsAt": "+1d 18:00",
              "recurrence": "FREQ=WEEKLY;BYDAY=TU;COUNT=6", "skippedDates": ["+15d"], "pillar": "Atelier", "state": "scheduled",
              "variants": { "instagram": { "text": "Les coulisses du mardi. #MaisonLumen" } } },
            { "slug": "annonce", "text": "Trois coffrets à gagner !", "networks": ["instagram"], "startsAt": "+7d 18:00", "campaign": "concours",
              "persona": "Claire", "labels": ["concours"], "state": "inReview",
              "variants": { "instagram": { "link": "https://www.maison-lumen.test/concours" } } },
            { "slug": "passe", "text": "Publié la semaine dernière.", "networks": ["instagram"], "startsAt": "2026-01-06T09:00", "state": "published" },
            { "slug": "brouillon-passe", "text": "Un brouillon resté en 2026.", "networks": ["instagram"], "startsAt": "2026-01-07T09:00" },
            { "slug": "idee", "text": "Idée : un coffret gravé.", "keyDate": "fete-des-meres", "state": "idea", "evergreen": true } ] }
        """;

    private static Task<T> InWorkspaceAsync<T>(PortalHost host, string key, Func<IServiceProvider, Task<T>> work) => host.InScopeAsync(async services =>
    {
        services.GetRequiredService<WorkspaceContext>().Set(await services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Key == key));
        return await work(services);
    });

    private static Task<List<Post>> PostsAsync(PortalHost host, string key = "lumen") =>
        InWorkspaceAsync(host, key, s => s.GetRequiredService<CalendarDbContext>().Posts.AsNoTracking().Include(p => p.Variants).OrderBy(p => p.Slug).ToListAsync());

    private static LocalDate NextMonday()
    {
        var today = SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/Paris"]).Date;
        return today.PlusDays(8 - (int)today.DayOfWeek);
    }

    [Fact]
    public async Task Each_step_names_the_item_and_the_field_of_every_problem_and_stores_nothing()
    {
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "lumen", ["name"] = "Lumen" });
        var (error, changes) = await RecipeTests.ApplyBadAsync(host, Recipe("""
            { "step": "campaigns", "campaigns": [
                { "slug": "ok", "name": "Bonne", "start": "2027-03-01", "end": "2027-03-10" },
                { "slug": "Mauvaise Clé", "name": "Mauvaise", "start": "2027-03-10", "end": "2027-03-01", "colour": "rouge", "kpis": [ { "name": "Abonnés", "target": 0 } ] },
                { "slug": "ok", "name": "Doublon", "start": "demain", "end": "+3d" } ] },
            { "step": "queueSlots", "queueSlots": [ { "network": "instagram", "weekday": "TU", "time": "18:00" }, { "network": "myspace", "weekday": "XX", "time": "25:00" },
                { "network": "instagram", "weekday": 2, "time": "18:00" } ] },
            { "step": "posts", "posts": [
                { "slug": "a", "text": "Bon.", "networks": ["instagram"] },
                { "slug": "b", "text": "", "networks": ["instagram"], "startsAt": "mardi 18h" },
                { "slug": "c", "text": "Campagne inconnue.", "campaign": "soldes", "networks": ["instagram"], "variants": { "facebook": { "text": "x" } } },
                { "slug": "a", "text": "Récurrence sans date.", "recurrence": "FREQ=WEEKLY" } ] }
            """));
        Assert.Null(changes);
        var fields = error.Errors.Select(e => $"{e.StepIndex} {e.StepName} {e.Field}").ToList();
        foreach (var expected in new[]
                 {
                     "5 campaigns campaigns[1].slug", "5 campaigns campaigns[1].end", "5 campaigns campaigns[1].colour", "5 campaigns campaigns[1].kpis[0].target",
                     "5 campaigns campaigns[2].start", "5 campaigns campaigns[2].slug",
                     "6 queueSlots queueSlots[1].network", "6 queueSlots queueSlots[1].weekday", "6 queueSlots queueSlots[1].time", "6 queueSlots queueSlots[2]",
                     "7 posts posts[1].text", "7 posts posts[1].startsAt", "7 posts posts[2].campaign", "7 posts posts[2].variants.facebook",
                     "7 posts posts[3].slug", "7 posts posts[3].recurrence",
                 })
            Assert.Contains(expected, fields);
        Assert.DoesNotContain(fields, f => f.Contains("campaigns[0]") || f.Contains("queueSlots[0]") || f.Contains("posts[0]"));
        Assert.Contains(error.Errors, e => e.ToString() == "brand.recipe.json, step 7 \"posts\", field \"posts[2].campaign\": There is no campaign “soldes” in this workspace or in an earlier \"campaigns\" step.");
    }

    [Fact]
    public async Task A_pillar_or_persona_the_editorial_line_lacks_is_refused_with_the_post_and_nothing_is_stored()
    {
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "lumen", ["name"] = "Lumen" });
        var (error, changes) = await RecipeTests.ApplyBadAsync(host, Recipe("""
            { "step": "campaigns", "campaigns": [ { "slug": "c", "name": "C", "start": "+1d", "end": "+2d", "persona": "Hugo" } ] },
            { "step": "posts", "posts": [ { "slug": "a", "text": "Bon.", "networks": ["instagram"], "pillar": "Atelier" },
                                          { "slug": "b", "text": "Pilier inconnu.", "networks": ["instagram"], "pillar": "Recettes", "keyDate": "noel" } ] }
            """));
        Assert.Null(changes);
        var error1 = Assert.Single(error.Errors);
        Assert.Equal("brand.recipe.json, step 5 \"campaigns\", field \"campaigns[0].persona\": The persona “Hugo” is not in the editorial line.", error1.ToString());

        (error, changes) = await RecipeTests.ApplyBadAsync(host, Recipe("""
            { "step": "posts", "posts": [ { "slug": "a", "text": "Bon.", "networks": ["instagram"], "pillar": "Atelier" },
                                          { "slug": "b", "text": "Pilier inconnu.", "networks": ["instagram"], "pillar": "Recettes", "keyDate": "noel" } ] }
            """));
        Assert.Null(changes);
        Assert.Equal(["5 posts posts[1].pillar", "5 posts posts[1].keyDate"], error.Errors.Select(e => $"{e.StepIndex} {e.StepName} {e.Field}").ToList());
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Calendar_steps_apply_with_relative_dates_and_past_dates_and_a_second_apply_changes_nothing(Provider provider)
    {
        await using var host = await PortalHost.StartAsync(provider);
        var recipe = Recipe(Calendar);
        await host.ApplyRecipeAsync(recipe);
        var monday = NextMonday();

        var posts = await PostsAsync(host);
        Assert.Equal(["annonce", "brouillon-passe", "coulisses", "idee", "passe"], posts.Select(p => p.Slug).ToList());
        var series = posts.Single(p => p.Slug == "coulisses");
        Assert.Equal($"{monday.PlusDays(1):yyyy-MM-dd}T18:00", series.StartsLocal);
        Assert.Equal(monday.PlusDays(15).ToString("yyyy-MM-dd", null), series.SkippedDates);
        Assert.Equal(PostState.Scheduled, series.State);
        Assert.Equal(["instagram", "facebook"], series.Variants.OrderBy(v => v.Position).Select(v => v.Network).ToList());
        Assert.Equal("Les coulisses du mardi. #MaisonLumen", series.Variants.Single(v => v.Network == "instagram").Text);
        var annonce = posts.Single(p => p.Slug == "annonce");
        Assert.Equal(PostState.InReview, annonce.State);
        Assert.Equal("Claire", annonce.Persona);
        Assert.Equal("https://www.maison-lumen.test/concours", annonce.Variants.Single().Link);
        // A recipe restores what was planned: a draft left in the past and a published post keep their dates.
        Assert.Equal("2026-01-07T09:00", posts.Single(p => p.Slug == "brouillon-passe").StartsLocal);
        Assert.Equal(PostState.Published, posts.Single(p => p.Slug == "passe").State);
        Assert.Equal(PostState.Idea, posts.Single(p => p.Slug == "idee").State);

        var campaign = await InWorkspaceAsync(host, "lumen", s => s.GetRequiredService<CalendarDbContext>().Campaigns.AsNoTracking().SingleAsync());
        Assert.Equal((monday.PlusDays(7).ToDateOnly(), monday.PlusDays(20).ToDateOnly(), "#c9a227", CampaignKind.Contest), (campaign.Start, campaign.End, campaign.Colour, campaign.Kind));
        Assert.Equal(campaign.Id, annonce.CampaignId);
        var slots = await InWorkspaceAsync(host, "lumen", s => s.GetRequiredService<CalendarDbContext>().QueueSlots.AsNoTracking().OrderBy(q => q.Network).ToListAsync());
        Assert.Equal(["facebook 3 12:30", "instagram 2 18:00"], slots.Select(q => $"{q.Network} {q.Weekday} {q.Time}").ToList());

        var first = await DatabaseSnapshot.ContentAsync(host);
        await host.ApplyRecipeAsync(recipe);
        await DatabaseSnapshot.AssertUnchangedAsync(host, first);
    }

    [Fact]
    public async Task A_scheduled_post_whose_date_has_passed_is_refused_with_its_field()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, _) = await RecipeTests.ApplyBadAsync(host, Recipe("""
            { "step": "posts", "posts": [ { "slug": "vieux", "text": "Trop tard.", "networks": ["instagram"], "startsAt": "2026-01-06T09:00", "state": "scheduled" } ] }
            """));
        var refused = Assert.Single(error.Errors);
        Assert.Equal("posts[0].startsAt", refused.Field);
        Assert.Contains("is already past", refused.Message);
    }

    [Fact]
    public async Task A_recipe_changes_a_post_it_names_and_leaves_the_others_and_the_published_ones_alone()
    {
        await using var host = await PortalHost.StartAsync();
        await host.ApplyRecipeAsync(Recipe(Calendar));
        await host.ApplyRecipeAsync(Recipe("""
            { "step": "posts", "posts": [
                { "slug": "annonce", "text": "Trois coffrets à gagner, jusqu’à dimanche !", "networks": ["instagram"], "startsAt": "+8d 12:00", "state": "approved" },
                { "slug": "passe", "text": "Réécrit ?", "networks": ["instagram"], "state": "draft" } ] }
            """));
        var posts = await PostsAsync(host);
        var annonce = posts.Single(p => p.Slug == "annonce");
        Assert.Equal(("Trois coffrets à gagner, jusqu’à dimanche !", $"{NextMonday().PlusDays(8):yyyy-MM-dd}T12:00", PostState.Approved, (Guid?)null),
            (annonce.Text, annonce.StartsLocal, annonce.State, annonce.CampaignId));
        Assert.Equal(("Publié la semaine dernière.", PostState.Published), (posts.Single(p => p.Slug == "passe").Text, posts.Single(p => p.Slug == "passe").State));
        Assert.Equal(5, posts.Count);
        var history = await InWorkspaceAsync(host, "lumen", s => s.GetRequiredService<CalendarDbContext>().Revisions.AsNoTracking().Where(r => r.PostId == annonce.Id).ToListAsync());
        Assert.All(history, r => Assert.Equal("Recipe", r.Author));
        Assert.Equal(3, history.Count); // created, edited, its state set
    }

    [Fact]
    public async Task An_export_writes_the_calendar_back_and_applies_under_a_new_key_with_generated_slugs_found_again()
    {
        await using var host = await PortalHost.StartAsync();
        await host.ApplyRecipeAsync(Recipe(Calendar));
        // A post written in the portal has no slug: the export gives it one, by which it is found again.
        await InWorkspaceAsync(host, "lumen", async s =>
        {
            var outcome = await s.GetRequiredService<CmPortal.Modules.ContentCalendar.Posts.PostService>()
                .CreateAsync(new CmPortal.Modules.ContentCalendar.Posts.PostInput { Text = "Écrit dans le portail.", Networks = ["instagram"] }, PostState.Draft,
                    CmPortal.Modules.ContentCalendar.Posts.PostActor.System("Test"));
            Assert.True(outcome.Succeeded);
            return 0;
        });
        var export = await host.ExportAsync("lumen");
        var steps = JsonNode.Parse(export)!["steps"]!.AsArray();
        Assert.Equal(["campaigns", "posts", "queueSlots"], steps.Select(s => s!["step"]!.GetValue<string>()).Where(n => n is "campaigns" or "posts" or "queueSlots").ToList());
        var exported = steps.Single(s => s!["step"]!.GetValue<string>() == "posts")!["posts"]!.AsArray();
        var generated = exported.Select(p => p!["slug"]!.GetValue<string>()).Single(s => s.StartsWith("post-"));
        Assert.Equal($"{NextMonday().PlusDays(1):yyyy-MM-dd}T18:00", exported.Single(p => p!["slug"]!.GetValue<string>() == "coulisses")!["startsAt"]!.GetValue<string>());

        await host.ApplyRecipeAsync(export, new() { ["key"] = "lumen-copie", ["name"] = "Lumen copie" });
        Assert.Equal(CalendarSteps(export), CalendarSteps(await host.ExportAsync("lumen-copie")));
        Assert.Equal(6, (await PostsAsync(host, "lumen-copie")).Count);

        // Back onto the workspace it came from: the post written in the portal is found by its generated slug, not copied.
        var revisions = await InWorkspaceAsync(host, "lumen", s => s.GetRequiredService<CalendarDbContext>().Revisions.CountAsync());
        await host.ApplyRecipeAsync(export, new() { ["key"] = "lumen", ["name"] = "Lumen" });
        Assert.Equal(6, (await PostsAsync(host)).Count);
        Assert.Equal(revisions, await InWorkspaceAsync(host, "lumen", s => s.GetRequiredService<CalendarDbContext>().Revisions.CountAsync()));
        Assert.Equal(CalendarSteps(export), CalendarSteps(await host.ExportAsync("lumen")));
    }

    /// <summary>The calendar's steps of an export, as text.</summary>
    private static string CalendarSteps(string export) => string.Join("\n", JsonNode.Parse(export)!["steps"]!.AsArray()
        .Where(s => s!["step"]!.GetValue<string>() is "campaigns" or "posts" or "queueSlots").Select(s => s!.ToJsonString()));

    [Fact]
    public async Task The_preview_counts_what_each_calendar_step_adds_and_updates_and_says_where_relative_dates_start()
    {
        await using var host = await PortalHost.StartAsync();
        await host.ApplyRecipeAsync(Recipe(Calendar));
        var plan = await host.Services.GetRequiredService<CmPortal.Core.Recipes.RecipeRunner>().PlanAsync(
            CmPortal.Core.Recipes.RecipeDocument.Parse(Recipe(Calendar).Replace("\"slug\": \"idee\"", "\"slug\": \"idee-2\""), "x.recipe.json"), new Dictionary<string, string>());
        string Lines(string step) => string.Join(" | ", plan.Steps.Single(s => s.Name == step).Changes.Select(c => c.ToString()));
        Assert.Equal("0 campaigns added, 1 updated.", Lines("campaigns"));
        Assert.Equal("0 queue slots added, 2 already there.", Lines("queueSlots"));
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, "1 post added, 4 updated. | Relative dates count from Monday {0}.", NextMonday().ToDateOnly()),
            Lines("posts"));
    }

    [Fact]
    public async Task The_demo_plans_a_month_of_posts_with_a_contest_a_weekly_post_and_posts_in_review()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var posts = await PostsAsync(host, "maison-lumen");
        Assert.True(posts.Count >= 20, $"{posts.Count} posts");
        Assert.Contains(posts, p => p.Recurrence == "FREQ=WEEKLY;BYDAY=TU;COUNT=10" && p.StartsLocal!.EndsWith("T18:00"));
        Assert.Contains(posts, p => p.State == PostState.InReview);
        Assert.Contains(posts, p => p.State == PostState.Idea && p.StartsLocal is null);
        Assert.Contains(posts, p => p.State == PostState.Published);
        Assert.True(posts.Select(p => p.Pillar).Distinct().Count() >= 5);
        Assert.True(posts.SelectMany(p => p.Variants).Select(v => v.Network).Distinct().Count() >= 6);
        // The planned posts are still to come whenever the demo is applied.
        var now = DateTime.UtcNow;
        Assert.All(posts.Where(p => p.State is PostState.Scheduled or PostState.Approved or PostState.InReview), p => Assert.True(p.StartsUtc > now, p.Slug));
        var contest = await InWorkspaceAsync(host, "maison-lumen", s => s.GetRequiredService<CalendarDbContext>().Campaigns.AsNoTracking().SingleAsync(c => c.Slug == "concours-jardin-d-hiver"));
        Assert.Equal(("Concours «\u00a0Jardin d’hiver\u00a0»", CampaignKind.Contest), (contest.Name, contest.Kind));
        Assert.True(posts.Count(p => p.CampaignId == contest.Id) >= 4);
    }

    [Fact]
    public async Task Campaign_pages_list_create_show_the_timeline_edit_and_delete()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var list = await admin.GetStringAsync("/admin/maison-lumen/campaigns");
        Assert.Contains("Concours «\u00a0Jardin d’hiver\u00a0»", WebUtility.HtmlDecode(list)); // the name as typed, no-break spaces encoded

        var form = PageForm.Parse(await admin.GetStringAsync("/admin/maison-lumen/campaigns/new"));
        var refused = await form.Set("Name", "Soldes").Set("Slug", "Soldes !").Set("Start", "2027-03-10").Set("End", "2027-03-01").Set("KpiNames[1]", "Ventes").Set("KpiTargets[1]", "0").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("n’est pas un identifiant valide", page);
        Assert.Contains("La fin (", page);
        Assert.Contains("La cible d’un indicateur est un nombre supérieur à zéro", page);
        // The row is shown again first, its message beside it.
        Assert.Equal("Ventes", PageForm.Parse(page)["KpiNames[0]"]);
        Assert.Matches("data-valmsg-for=\"KpiTargets\\[0\\]\"[^>]*>La cible", page);

        form = PageForm.Parse(page);
        var created = await form.Set("Slug", "portes-ouvertes-bis").Set("End", "2027-03-12").Set("KpiTargets[0]", "1,5").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var show = await admin.GetStringAsync(created.Headers.Location!.OriginalString);
        Assert.Contains("Soldes", show);
        Assert.Contains("1,5", show);

        // The contest's page: its posts in date order with their state, and its period.
        var contestId = await InWorkspaceAsync(host, "maison-lumen", s => s.GetRequiredService<CalendarDbContext>().Campaigns.Where(c => c.Slug == "concours-jardin-d-hiver").Select(c => c.Id).SingleAsync());
        var contest = await admin.GetStringAsync($"/admin/maison-lumen/campaigns/{contestId}");
        var annonce = contest.IndexOf("data-slug=\"concours-jardin-d-hiver-annonce\"", StringComparison.Ordinal);
        Assert.InRange(annonce, 0, contest.IndexOf("data-slug=\"concours-jardin-d-hiver-rappel\"", StringComparison.Ordinal));
        Assert.Contains("En validation", contest);
        Assert.Contains("Participations", contest);

        var edit = PageForm.Parse(await admin.GetStringAsync($"/admin/maison-lumen/campaigns/{contestId}/edit"));
        var stale = edit["Version"]!;
        Assert.Equal(HttpStatusCode.Redirect, (await edit.Set("Name", "Concours du printemps").SubmitAsync(admin)).StatusCode);
        var conflict = await edit.Set("Version", stale).Set("Name", "Autre nom").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var deleted = await admin.PostFormAsync($"/admin/maison-lumen/campaigns/{contestId}/delete", new(), "/admin/maison-lumen/campaigns");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        var after = await admin.GetStringAsync("/admin/maison-lumen/campaigns");
        Assert.DoesNotContain("data-slug=\"concours-jardin-d-hiver\"", after);
        Assert.Contains("supprimée" + "\u00a0; ses publications restent, sans campagne.", after.Replace("&#xA0;", "\u00a0"));
        Assert.DoesNotContain(await PostsAsync(host, "maison-lumen"), p => p.CampaignId == contestId);
    }

    [Fact]
    public async Task An_analyst_sees_campaigns_but_cannot_change_them()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("analyst@lumen.test", "maison-lumen", DefaultRoles.Analyst);
        using var analyst = await host.SignInAsync("analyst@lumen.test", MemberHostExtensions.MemberPassword);
        var list = await analyst.GetStringAsync("/admin/maison-lumen/campaigns");
        Assert.Contains("Concours «\u00a0Jardin d’hiver\u00a0»", WebUtility.HtmlDecode(list));
        Assert.DoesNotContain("/admin/maison-lumen/campaigns/new", list);
        Assert.Equal(HttpStatusCode.Redirect, (await analyst.GetAsync("/admin/maison-lumen/campaigns/new")).StatusCode);
    }
}
