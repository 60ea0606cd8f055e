using System.Net;
using CmPortal.Core.Localization;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration.Calendar;

/// <summary>Posts through the editor and through the service every entry point calls: rules, permissions, approval, history, conflicts.</summary>
public sealed class PostTests
{
    private const string Key = "maison-lumen";

    [Fact]
    public async Task A_community_manager_writes_a_post_in_the_editor_and_finds_it_planned_with_its_history()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("cm@lumen.test", Key, DefaultRoles.CommunityManager);
        using var cm = await host.SignInAsync("cm@lumen.test", MemberHostExtensions.MemberPassword);

        var form = PageForm.Parse(await cm.GetStringAsync($"/admin/{Key}/posts/new"), "form#post-form")
            .Set("Text", "Les coulisses de l’atelier : la cire d’abeille fond doucement.")
            .Set("Date", "2027-03-23").Set("Time", "18:00").Set("Pillar", "Savoir-faire & atelier");
        var saved = await form.SubmitAsync(cm);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var editor = await cm.GetStringAsync(saved.Headers.Location!.OriginalString);
        Assert.Contains("Publication enregistrée.", editor);
        Assert.Contains("Création de la publication", editor); // the history's first line

        var list = await cm.GetStringAsync($"/admin/{Key}/posts");
        Assert.Contains("Les coulisses de l’atelier", list);
        Assert.Contains("23 mars 2027", WebUtility.HtmlDecode(list).Replace('\u00a0', ' '));

        var post = await InWorkspaceAsync(host, s => s.GetRequiredService<CalendarDbContext>().Posts.Include(p => p.Variants)
            .SingleAsync(p => p.Text.StartsWith("Les coulisses de l’atelier : la cire")));
        Assert.Equal("2027-03-23T18:00", post.StartsLocal);
        Assert.Equal(new DateTime(2027, 3, 23, 17, 0, 0, DateTimeKind.Utc), post.StartsUtc); // Paris is UTC+1 before the change
        // The editor ticks the editorial line's networks for a new post, except the blog (ticked, it makes the post an
        // article whose other variants wait for it); each variant follows the main text.
        Assert.Equal(["bluesky", "facebook", "instagram", "linkedin", "pinterest"], post.Variants.Select(v => v.Network).Order());
        Assert.All(post.Variants, v => Assert.Null(v.Text));
    }

    [Fact]
    public async Task A_variant_gets_its_own_images_in_the_editor_while_the_others_keep_the_main_texts_and_each_needs_its_alt_text()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        async Task<Guid> UploadAsync(string name, string? alt) => await InWorkspaceAsync(host, async s =>
        {
            var outcome = await s.GetRequiredService<CmPortal.Modules.ContentCalendar.Media.MediaService>()
                .UploadAsync(name, new MemoryStream(TestImages.Png(40, 30, (byte)name.Length)), alt, PostActor.System("Tests"));
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return outcome.Item!.Id;
        });
        var workshop = await UploadAsync("atelier.png", "L’atelier au petit matin");
        var window = await UploadAsync("vitrine-de-noel.png", null);
        var id = await CreateAsync(host, new PostInput { Text = "La vitrine de Noël", Networks = ["instagram", "facebook"], StartsAt = "2027-12-01T18:00", Media = [workshop] });
        using var admin = await host.SignInAsync();

        // Every variant starts with the main text's images: its own are off, none picked.
        var form = PageForm.Parse(await admin.GetStringAsync($"/admin/{Key}/posts/{id}"), "form#post-form");
        Assert.Null(form["Variants[instagram].OwnMedia"]);
        Assert.Null(form["Variants[instagram].Media"]);
        var saved = await form.Set("Variants[instagram].OwnMedia", "true").Set("Variants[instagram].Media", window.ToString()).SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var post = await InWorkspaceAsync(host, s => s.GetRequiredService<CalendarDbContext>().Posts.AsNoTracking().Include(p => p.Variants).SingleAsync(p => p.Id == id));
        Assert.Equal(workshop.ToString(), post.Media, ignoreCase: true);
        Assert.Equal(window.ToString(), post.Variants.Single(v => v.Network == "instagram").Media, ignoreCase: true);
        Assert.Null(post.Variants.Single(v => v.Network == "facebook").Media);
        var again = PageForm.Parse(await admin.GetStringAsync($"/admin/{Key}/posts/{id}"), "form#post-form");
        Assert.Equal(("true", window.ToString()), (again["Variants[instagram].OwnMedia"], again["Variants[instagram].Media"]));
        Assert.Null(again["Variants[facebook].OwnMedia"]);

        // The variant's image has no alt text: the post cannot be approved, and the reason names that image.
        var approved = await InWorkspaceAsync(host, async s => await s.GetRequiredService<PostService>().CreateAsync(
            new PostInput { Text = "La vitrine de Noël", Networks = ["instagram"], StartsAt = "2027-12-02T18:00", Media = [workshop],
                Variants = new Dictionary<string, VariantInput> { ["instagram"] = new(null, null, [window]) } }, PostState.Approved, PostActor.System("Tests")));
        Assert.Contains(approved.Problems, p => p.Field == "media" && p.Values.Contains("vitrine-de-noel.png"));
    }

    [Fact]
    public async Task The_second_of_two_people_editing_a_post_gets_a_conflict_and_loses_nothing()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var id = await CreateAsync(host, new PostInput { Text = "Version de départ", Networks = ["instagram"], StartsAt = "2027-04-06T18:00" });
        using var first = await host.SignInAsync();
        await host.AddMemberAsync("cm@lumen.test", Key, DefaultRoles.CommunityManager);
        using var second = await host.SignInAsync("cm@lumen.test", MemberHostExtensions.MemberPassword);
        var firstForm = PageForm.Parse(await first.GetStringAsync($"/admin/{Key}/posts/{id}"), "form#post-form");
        var secondForm = PageForm.Parse(await second.GetStringAsync($"/admin/{Key}/posts/{id}"), "form#post-form");

        Assert.Equal(HttpStatusCode.Redirect, (await firstForm.Set("Text", "Texte de Camille").SubmitAsync(first)).StatusCode);
        var refused = await secondForm.Set("Text", "Texte de Hugo").SubmitAsync(second);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Quelqu’un a enregistré cette publication après que vous l’avez ouverte", page);
        Assert.Contains("Texte de Hugo", page);   // what they typed is still in the form
        Assert.Contains("Texte de Camille", page); // and the other version is shown to compare
        var stored = await InWorkspaceAsync(host, s => s.GetRequiredService<CalendarDbContext>().Posts.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal("Texte de Camille", stored.Text);

        // Saving again from the conflict page is a knowing overwrite.
        var again = await PageForm.Parse(page, "form#post-form").SubmitAsync(second);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("Texte de Hugo", (await InWorkspaceAsync(host, s => s.GetRequiredService<CalendarDbContext>().Posts.AsNoTracking().SingleAsync(p => p.Id == id))).Text);
    }

    [Theory]
    [InlineData("2020-01-07", "FREQ=WEEKLY", "Date", "est déjà passé")]
    [InlineData("2027-03-02", "FREQ=WEEKLY;BYHOUR=9", "Recurrence", "BYHOUR")]
    [InlineData("2027-03-02", "FREQ=WEEKLY;COUNT=0", "Recurrence", "COUNT doit être un nombre entier de 1 à")]
    [InlineData("2027-03-02", "FREQ=WEEKLY;UNTIL=20270101", "Recurrence", "se termine (UNTIL) le 1er janvier 2027, avant sa première publication le 2 mars 2027")]
    public async Task Bad_dates_and_rules_are_refused_beside_their_field_and_nothing_is_stored(string date, string rule, string field, string message)
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var form = PageForm.Parse(await admin.GetStringAsync($"/admin/{Key}/posts/new"), "form#post-form");
        var before = await DatabaseSnapshot.ContentAsync(host);

        var response = await form
            .Set("Text", "Chaque mardi, une bougie de la semaine.").Set("Date", date).Set("Time", "09:30").Set("Recurrence", rule)
            .SubmitAsync(admin);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        var fieldMessage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page)
            .QuerySelector($"[data-valmsg-for='{field}']")!.TextContent;
        Assert.Contains(message, fieldMessage.Replace('\u00a0', ' ').Replace('\u202f', ' '));
        Assert.Equal("", before.DifferencesFrom(await DatabaseSnapshot.ContentAsync(host)));
    }

    [Fact]
    public async Task Two_step_approval_takes_a_community_manager_then_someone_else_holding_the_final_approval()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("redaction@lumen.test", Key, DefaultRoles.Contributor);
        await host.AddMemberAsync("cm@lumen.test", Key, DefaultRoles.CommunityManager);
        await host.AddMemberAsync("marque@lumen.test", Key, DefaultRoles.BrandManager);
        await InWorkspaceAsync(host, async s =>
        {
            var db = s.GetRequiredService<CalendarDbContext>();
            db.Settings.Add(new CalendarSettings { Approval = ApprovalMode.TwoSteps });
            await db.SaveChangesAsync();
            return 0;
        });
        var id = await CreateAsync(host, new PostInput { Text = "Notre bougie de printemps arrive.", Networks = ["instagram"], StartsAt = "2027-04-06T18:00" },
            "redaction@lumen.test");

        var submitted = await TransitionAsync(host, id, PostState.InReview, "redaction@lumen.test");
        Assert.True(submitted.Succeeded);
        // A contributor cannot approve their own post.
        var self = await TransitionAsync(host, id, PostState.Approved, "redaction@lumen.test");
        Assert.True(self.IsForbidden);

        // Sending it back takes a comment.
        var silent = await TransitionAsync(host, id, PostState.Draft, "cm@lumen.test");
        Assert.Equal("comment", Assert.Single(silent.Problems).Field);

        var first = await TransitionAsync(host, id, PostState.Approved, "cm@lumen.test", "Parfait pour moi.");
        Assert.Equal(PostState.InReview, first.Post!.State); // the first of two steps
        var twice = await TransitionAsync(host, id, PostState.Approved, "cm@lumen.test");
        Assert.Contains("seconde doit venir de quelqu’un d’autre", Translate(Assert.Single(twice.Problems)));

        var final = await TransitionAsync(host, id, PostState.Approved, "marque@lumen.test", "Validé.");
        Assert.Equal(PostState.Approved, final.Post!.State);
        var comments = await InWorkspaceAsync(host, s => s.GetRequiredService<PostService>().CommentsAsync(id));
        Assert.Equal([CommentKind.Approval, CommentKind.Approval], comments.Select(c => c.Kind));

        // Editing what was approved sends it back to review, approvals cleared.
        var edited = await InWorkspaceAsync(host, async s =>
        {
            var posts = s.GetRequiredService<PostService>();
            var post = (await posts.FindAsync(id))!;
            return await posts.UpdateAsync(id, post.Version, posts.InputOf(post) with { Text = "Notre bougie de printemps est là !" }, await ActorAsync(s, "cm@lumen.test"));
        });
        Assert.Equal(PostState.InReview, edited.Post!.State);
        Assert.Equal(0, edited.Post.Approvals);
    }

    [Fact]
    public async Task A_variant_too_long_for_its_network_or_an_image_without_alt_text_blocks_approval_with_where_and_how_much()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var longText = string.Concat(Enumerable.Repeat("Une flamme douce pour les soirées d’hiver. ", 8)); // 343 graphemes once trimmed
        var id = await CreateAsync(host, new PostInput
        {
            Text = "Court et clair.", Networks = ["instagram", "bluesky"], StartsAt = "2027-04-06T18:00",
            Variants = new Dictionary<string, VariantInput> { ["bluesky"] = new(longText) },
        });
        await TransitionAsync(host, id, PostState.InReview, Core.Security.PermissionService.HostAdminClaim);
        var refused = await TransitionAsync(host, id, PostState.Approved, null);

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("variants.bluesky.text", problem.Field);
        Assert.Equal("Le texte pour Bluesky fait 343 caractères, comptés comme Bluesky les compte ; la limite est 300. Il la dépasse à partir du caractère 301 : raccourcissez-le.",
            Translate(problem).Replace('\u00a0', ' '));
        Assert.Equal(PostState.InReview, (await InWorkspaceAsync(host, s => s.GetRequiredService<PostService>().FindAsync(id)))!.State);
    }

    [Fact]
    public async Task Someone_without_the_schedule_permission_cannot_move_a_scheduled_post()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("redaction@lumen.test", Key, DefaultRoles.Contributor);
        var id = await CreateAsync(host, new PostInput { Text = "Atelier ouvert samedi.", Networks = ["facebook"], StartsAt = "2027-04-10T10:00" });
        await TransitionAsync(host, id, PostState.InReview, null);
        await TransitionAsync(host, id, PostState.Approved, null);
        var scheduled = await TransitionAsync(host, id, PostState.Scheduled, null);
        Assert.Equal(PostState.Scheduled, scheduled.Post!.State);

        var moved = await InWorkspaceAsync(host, async s =>
            await s.GetRequiredService<PostService>().MoveAsync(id, scheduled.Post.Version, "2027-04-11T10:00", await ActorAsync(s, "redaction@lumen.test")));

        Assert.True(moved.IsForbidden);
        Assert.Equal("2027-04-10T10:00", (await InWorkspaceAsync(host, s => s.GetRequiredService<PostService>().FindAsync(id)))!.StartsLocal);
    }

    [Fact]
    public async Task A_weekly_series_keeps_its_local_time_and_knows_its_last_date_across_the_daylight_saving_change()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        // Tuesdays 09:30 from 16 March 2027, four times: Paris moves to summer time on 28 March.
        var id = await CreateAsync(host, new PostInput { Text = "Le mardi des coulisses.", Networks = ["instagram"], StartsAt = "2027-03-16T09:30", Recurrence = "FREQ=WEEKLY;BYDAY=TU;COUNT=4" });
        var post = (await InWorkspaceAsync(host, s => s.GetRequiredService<PostService>().FindAsync(id)))!;
        Assert.Equal(new DateTime(2027, 3, 16, 8, 30, 0, DateTimeKind.Utc), post.StartsUtc);
        Assert.Equal(new DateTime(2027, 4, 6, 7, 30, 0, DateTimeKind.Utc), post.EndsUtc); // 09:30 in summer time
    }

    [Fact]
    public async Task Unknown_networks_pillars_and_campaigns_are_refused_by_name()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var before = await InWorkspaceAsync(host, s => s.GetRequiredService<CalendarDbContext>().Posts.CountAsync());
        var outcome = await InWorkspaceAsync(host, async s => await s.GetRequiredService<PostService>().CreateAsync(
            new PostInput { Text = "Bonjour", Networks = ["myspace"], Pillar = "Humour", Campaign = "soldes" }, PostState.Draft, PostActor.System("API")));
        Assert.Equal(["networks", "pillar", "campaign"], outcome.Problems.Select(p => p.Field));
        Assert.StartsWith("« myspace » n’est pas un réseau que le portail connaît. Utilisez l’un de ceux-ci : facebook, instagram",
            Translate(outcome.Problems[0]).Replace('\u00a0', ' '));
        Assert.Equal(before, await InWorkspaceAsync(host, s => s.GetRequiredService<CalendarDbContext>().Posts.CountAsync()));
    }

    /// <summary>The problem as a French page shows it, from the portal's merged translations.</summary>
    private static string Translate(Core.Validation.Problem problem)
    {
        var (ui, current) = (System.Globalization.CultureInfo.CurrentUICulture, System.Globalization.CultureInfo.CurrentCulture);
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.CurrentCulture = new("fr-FR");
        try { return new Core.Localization.PortalStringLocalizer(Translations).Problem(problem).Value; }
        finally { (System.Globalization.CultureInfo.CurrentUICulture, System.Globalization.CultureInfo.CurrentCulture) = (ui, current); }
    }

    private static readonly Core.Localization.PortalTranslations Translations =
        new([typeof(Core.PortalEngine).Assembly, typeof(PostService).Assembly]);

    private static async Task<Guid> CreateAsync(PortalHost host, PostInput input, string? email = null)
    {
        var outcome = await InWorkspaceAsync(host, async s => await s.GetRequiredService<PostService>().CreateAsync(input, PostState.Draft, await ActorAsync(s, email)));
        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
        return outcome.Post!.Id;
    }

    private static Task<PostOutcome> TransitionAsync(PortalHost host, Guid id, PostState to, string? email, string? comment = null) =>
        InWorkspaceAsync(host, async s =>
        {
            var posts = s.GetRequiredService<PostService>();
            var post = (await posts.FindAsync(id))!;
            return await posts.TransitionAsync(id, post.Version, to, await ActorAsync(s, email), comment);
        });

    /// <summary>The member with this address, with their permissions in the workspace; a host administrator when null.</summary>
    private static async Task<PostActor> ActorAsync(IServiceProvider services, string? email)
    {
        if (email is null || !email.Contains('@')) return PostActor.System("Admin");
        var user = await services.GetRequiredService<CoreDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == email);
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id.ToString()), new(System.Security.Claims.ClaimTypes.GivenName, user.DisplayName)], "test"));
        return await PostActor.ForAsync(principal, services.GetRequiredService<PermissionService>(), services.GetRequiredService<WorkspaceContext>().Required);
    }

    private static Task<T> InWorkspaceAsync<T>(PortalHost host, Func<IServiceProvider, Task<T>> work) => host.InScopeAsync(async s =>
    {
        s.GetRequiredService<WorkspaceContext>().Set(await s.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Key == Key));
        return await work(s);
    });
}
