using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
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
/// Approval and collaboration: a contributor submits, reviewers hear of it and find it in their queue, the author hears
/// of the decision; comments @mention members; a preview link lets a decision maker without an account see and approve.
/// </summary>
public sealed class ApprovalTests
{
    private const string Key = "maison-lumen";
    private const string Contributor = "lea@lumen.test";
    private const string Manager = "chloe@lumen.test";  // community manager
    private const string Brand = "hugo@lumen.test";     // brand manager
    private const string Text = "Les bougies d’hiver arrivent à l’atelier : cire d’abeille et mèche en coton.";

    private static async Task<PortalHost> StartAsync(Provider provider = Provider.Sqlite)
    {
        var host = await PortalHost.StartSetUpAsync(provider);
        await host.WithoutDemoPostsAsync();
        await host.AddMemberAsync(Contributor, Key, DefaultRoles.Contributor);
        await host.AddMemberAsync(Manager, Key, DefaultRoles.CommunityManager);
        await host.AddMemberAsync(Brand, Key, DefaultRoles.BrandManager);
        return host;
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task Two_step_approval_a_submit_tells_the_reviewers_each_approval_tells_the_author_and_the_queue_follows_the_steps(Provider provider)
    {
        await using var host = await StartAsync(provider);
        using var manager = await host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        ResponseAssert.AssertRedirect(await manager.PostFormAsync($"/admin/{Key}/calendar/settings",
            new() { ["approval"] = "TwoSteps", ["externalApproval"] = "false" }, $"/admin/{Key}/calendar/settings"), $"/admin/{Key}/calendar/settings");

        using var contributor = await host.SignInAsync(Contributor, MemberHostExtensions.MemberPassword);
        var id = await WriteAsync(host, contributor);
        await StateAsync(contributor, id, "InReview");
        await DrainAsync(host);

        Assert.Equal(["lea vous demande de relire la publication « " + PostEvents.Excerpt(Text) + " »."], await NotificationsAsync(manager));
        using var brand = await host.SignInAsync(Brand, MemberHostExtensions.MemberPassword);
        Assert.Single(await NotificationsAsync(brand));
        Assert.Empty(await NotificationsAsync(contributor)); // not told of their own submit
        Assert.Contains(id.ToString(), await ReviewQueueAsync(manager));

        // The community manager gives the first approval: the brand manager is asked for the final one, the author told.
        await StateAsync(manager, id, "Approved");
        await DrainAsync(host);
        Assert.Equal(PostState.InReview, (await PostAsync(host, id)).State);
        Assert.Contains("chloe a donné la première validation de votre publication", (await NotificationsAsync(contributor)).Single());
        Assert.Contains("chloe a validé la publication « Les bougies d’hiver", (await NotificationsAsync(brand))[0]);
        Assert.Contains("elle attend votre validation finale", (await NotificationsAsync(brand))[0]);
        Assert.DoesNotContain(id.ToString(), await ReviewQueueAsync(manager)); // not their own first approval again
        Assert.Contains(id.ToString(), await ReviewQueueAsync(brand));
        Assert.Contains("1 publication à valider", Plain(await brand.GetStringAsync($"/admin/{Key}")));

        await StateAsync(brand, id, "Approved");
        await DrainAsync(host);
        Assert.Equal(PostState.Approved, (await PostAsync(host, id)).State);
        Assert.StartsWith("hugo a validé votre publication « Les bougies d’hiver", (await NotificationsAsync(contributor))[0]);
        Assert.DoesNotContain(id.ToString(), await ReviewQueueAsync(brand));
        Assert.Contains("Aucune publication n’attend votre validation.", Plain(await brand.GetStringAsync($"/admin/{Key}")));

        // Scheduling raises the event publishing will handle.
        await StateAsync(manager, id, "Scheduled");
        var names = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().ModuleEvents.AsNoTracking().OrderBy(e => e.RaisedUtc).Select(e => e.Name).ToListAsync());
        Assert.Equal(["ContentCalendar.PostSubmitted", "ContentCalendar.PostApproved", "ContentCalendar.PostSubmitted", "ContentCalendar.PostApproved",
            "ContentCalendar.PostScheduled"], names);
    }

    [Fact]
    public async Task Changes_requested_tell_the_author_with_the_comment_and_a_resubmit_asks_the_reviewers_again()
    {
        await using var host = await StartAsync();
        using var contributor = await host.SignInAsync(Contributor, MemberHostExtensions.MemberPassword);
        using var manager = await host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        var id = await WriteAsync(host, contributor);
        await StateAsync(contributor, id, "InReview");
        await StateAsync(manager, id, "Draft", "Ajoute le prix et la date de l’atelier, s’il te plaît.");
        await DrainAsync(host);

        var told = (await NotificationsAsync(contributor)).Single();
        Assert.Equal("chloe demande des modifications à votre publication « " + PostEvents.Excerpt(Text) + " » : Ajoute le prix et la date de l’atelier, s’il te plaît.", told);
        // Opening the notification leads to the post.
        var opened = new HtmlParser().ParseDocument(await contributor.GetStringAsync("/admin/notifications")).QuerySelector("[data-notification]")!.GetAttribute("data-notification");
        ResponseAssert.AssertRedirect(await contributor.PostFormAsync($"/admin/notifications/{opened}/open", [], "/admin/notifications"), $"/admin/{Key}/posts/{id}");
        var editor = await contributor.GetStringAsync($"/admin/{Key}/posts/{id}");
        Assert.Contains("Ajoute le prix et la date de l’atelier", WebUtility.HtmlDecode(editor));

        await StateAsync(contributor, id, "InReview");
        await DrainAsync(host);
        Assert.Equal(2, (await NotificationsAsync(manager)).Count);
    }

    [Fact]
    public async Task A_comment_mentioning_a_member_tells_them_an_unknown_mention_stays_text_and_the_comment_is_shown_encoded()
    {
        await using var host = await StartAsync();
        using var contributor = await host.SignInAsync(Contributor, MemberHostExtensions.MemberPassword);
        var id = await WriteAsync(host, contributor);
        ResponseAssert.AssertRedirect(await contributor.PostFormAsync($"/admin/{Key}/posts/{id}/comments",
            new() { ["comment"] = "@Hugo et @chloe@lumen.test, qu’en pensez-vous ? <script>alert(1)</script> (pas @personne)" }, $"/admin/{Key}/posts/{id}"),
            $"/admin/{Key}/posts/{id}#comments-title");
        await DrainAsync(host);

        using var brand = await host.SignInAsync(Brand, MemberHostExtensions.MemberPassword);
        using var manager = await host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        Assert.StartsWith("lea vous a mentionné à propos de la publication « Les bougies d’hiver", (await NotificationsAsync(brand)).Single());
        Assert.Contains("qu’en pensez-vous ?", (await NotificationsAsync(manager)).Single());
        Assert.Empty(await NotificationsAsync(contributor));

        var page = await manager.GetStringAsync($"/admin/{Key}/posts/{id}");
        Assert.DoesNotContain("<script>alert(1)</script>", page);
        var comment = new HtmlParser().ParseDocument(page).QuerySelector("#comments li")!.TextContent;
        Assert.Contains("<script>alert(1)</script> (pas @personne)", comment);

        // Someone who only views posts does not comment.
        await host.AddMemberAsync("analyste@lumen.test", Key, DefaultRoles.Analyst);
        using var analyst = await host.SignInAsync("analyste@lumen.test", MemberHostExtensions.MemberPassword);
        var denied = await analyst.PostFormAsync($"/admin/{Key}/posts/{id}/comments", new() { ["comment"] = "Bonjour" }, $"/admin/{Key}/posts/{id}");
        Assert.Contains("/account/denied", denied.Headers.Location!.OriginalString);
        Assert.Equal(1, await host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().Comments.IgnoreQueryFilters().CountAsync()));
    }

    [Fact]
    public async Task A_preview_link_shows_the_post_without_an_account_while_the_site_is_unpublished_lets_a_decision_maker_approve_and_stops_when_revoked_or_expired()
    {
        await using var host = await StartAsync();
        using var contributor = await host.SignInAsync(Contributor, MemberHostExtensions.MemberPassword);
        using var manager = await host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        var id = await WriteAsync(host, contributor);
        await StateAsync(contributor, id, "InReview");
        // The site is not published: its public pages answer 404, the preview link still opens.
        await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Workspaces.Where(w => w.Key == Key).ExecuteUpdateAsync(w => w.SetProperty(x => x.SitePublished, false)));
        host.Services.GetRequiredService<WorkspaceDirectory>().Invalidate();
        using (var passer = host.CreateClient()) Assert.Equal(HttpStatusCode.NotFound, (await passer.GetAsync($"/{Key}/")).StatusCode);

        var url = await CreateLinkAsync(manager, id);
        var path = new Uri(url).AbsolutePath;
        Assert.Matches("^/preview/[A-Za-z0-9_-]{43}$", path);
        // Only the hash is stored.
        var stored = await host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().PreviewLinks.IgnoreQueryFilters().AsNoTracking().SingleAsync());
        Assert.Equal(64, stored.Sha256.Length);
        Assert.DoesNotContain(stored.Sha256, url);

        using var visitor = host.CreateClient();
        var response = await visitor.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal("noindex, nofollow", response.Headers.GetValues("X-Robots-Tag").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var page = await response.Content.ReadAsStringAsync();
        var document = new HtmlParser().ParseDocument(page);
        Assert.Contains("Les bougies d’hiver", document.QuerySelector("[data-network='instagram'] .preview-text")!.TextContent);
        Assert.Null(document.QuerySelector("form[data-answer]")); // the workspace does not allow external approval yet

        ResponseAssert.AssertRedirect(await manager.PostFormAsync($"/admin/{Key}/calendar/settings",
            new() { ["approval"] = "OneStep", ["externalApproval"] = "true" }, $"/admin/{Key}/calendar/settings"), $"/admin/{Key}/calendar/settings");
        var post = await PostAsync(host, id);
        var refused = await visitor.PostFormAsync($"{path}/approve", new() { ["postId"] = id.ToString(), ["version"] = post.Version.ToString(), ["name"] = " " }, path);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Indiquez votre nom", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        var approved = await visitor.PostFormAsync($"{path}/approve",
            new() { ["postId"] = id.ToString(), ["version"] = post.Version.ToString(), ["name"] = "Mme Dupont", ["comment"] = "Parfait pour moi." }, path);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Contains("Merci : votre validation est enregistrée.", Plain(await approved.Content.ReadAsStringAsync()));
        Assert.Equal(PostState.Approved, (await PostAsync(host, id)).State);
        var comment = await host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().Comments.IgnoreQueryFilters().AsNoTracking().SingleAsync());
        Assert.Equal("« Mme Dupont » (lien de prévisualisation)", comment.Author);
        Assert.Equal(CommentKind.Approval, comment.Kind);
        await DrainAsync(host);
        Assert.StartsWith("« Mme Dupont » (lien de prévisualisation) a validé votre publication", (await NotificationsAsync(contributor)).Single());
        // Without the form's token, nothing is recorded.
        Assert.Equal(HttpStatusCode.BadRequest, (await visitor.SendWithoutTokenAsync("POST", $"{path}/comment",
            [new("postId", id.ToString()), new("name", "X"), new("comment", "Y")])).StatusCode);

        // Revoked: a clear French page, 410 Gone.
        var links = new HtmlParser().ParseDocument(await manager.GetStringAsync($"/admin/{Key}/posts/preview-links"));
        var linkId = links.QuerySelector("#preview-links tr[data-link]")!.GetAttribute("data-link");
        ResponseAssert.AssertRedirect(await manager.PostFormAsync($"/admin/{Key}/posts/preview-links/{linkId}/revoke", [], $"/admin/{Key}/posts/preview-links"), $"/admin/{Key}/posts/preview-links");
        var revoked = await visitor.GetAsync(path);
        Assert.Equal(HttpStatusCode.Gone, revoked.StatusCode);
        Assert.Contains("Ce lien ne s’ouvre plus", Plain(await revoked.Content.ReadAsStringAsync()));
        Assert.DoesNotContain("Les bougies", await revoked.Content.ReadAsStringAsync());

        // Expired: the same.
        var second = new Uri(await CreateLinkAsync(manager, id)).AbsolutePath;
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync(second)).StatusCode);
        await host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().PreviewLinks.IgnoreQueryFilters().Where(l => l.RevokedUtc == null)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.ExpiresUtc, DateTime.UtcNow.AddMinutes(-1))));
        var expired = await visitor.GetAsync(second);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("Le lien de prévisualisation a expiré.", Plain(await expired.Content.ReadAsStringAsync()));
        // A made-up token is simply not found.
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/preview/" + new string('a', 43))).StatusCode);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_week_preview_link_shows_the_weeks_posts_only(Provider provider)
    {
        await using var host = await StartAsync(provider);
        using var contributor = await host.SignInAsync(Contributor, MemberHostExtensions.MemberPassword);
        using var manager = await host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        await WriteAsync(host, contributor, "2031-03-25", "Mardi : l’atelier ouvre ses portes.");
        await WriteAsync(host, contributor, "2031-04-02", "La semaine d’après.");
        var created = await manager.PostFormAsync($"/admin/{Key}/posts/preview-links", new() { ["weekOf"] = "2031-03-27", ["days"] = "3" }, $"/admin/{Key}/posts/preview-links");
        ResponseAssert.AssertRedirect(created, $"/admin/{Key}/posts/preview-links");
        var url = new HtmlParser().ParseDocument(await manager.GetStringAsync($"/admin/{Key}/posts/preview-links")).QuerySelector("#preview-url")!.GetAttribute("value")!;
        var page = Plain(WebUtility.HtmlDecode(await host.CreateClient().GetStringAsync(new Uri(url).AbsolutePath)));
        Assert.Contains("La semaine du 24 mars 2031", page);
        Assert.Contains("l’atelier ouvre ses portes", page);
        Assert.DoesNotContain("La semaine d’après", page);
    }

    [Fact]
    public async Task Guessing_preview_tokens_is_rate_limited_per_address()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.WithoutDemoPostsAsync();
        using var guesser = host.CreateClient();
        for (var i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await guesser.GetAsync($"/preview/{i:D43}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.GetAsync($"/preview/{99:D43}")).StatusCode);
    }

    private static async Task<Guid> WriteAsync(PortalHost host, PortalClient author, string date = "2031-03-25", string text = Text)
    {
        var form = PageForm.Parse(await author.GetStringAsync($"/admin/{Key}/posts/new"), "form#post-form")
            .Set("Text", text).Set("Date", date).Set("Time", "18:00");
        var saved = await form.SubmitAsync(author);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        return Guid.Parse(saved.Headers.Location!.OriginalString.Split('/').Last());
    }

    private static async Task StateAsync(PortalClient client, Guid id, string to, string? comment = null)
    {
        var editor = await client.GetStringAsync($"/admin/{Key}/posts/{id}");
        var version = Regex.Match(editor, "name=\"version\" value=\"(\\d+)\"").Groups[1].Value;
        var fields = new Dictionary<string, string> { ["version"] = version, ["to"] = to };
        if (comment is not null) fields["comment"] = comment;
        var response = await client.PostFormAsync($"/admin/{Key}/posts/{id}/state", fields, $"/admin/{Key}/posts/{id}");
        ResponseAssert.AssertRedirect(response, $"/admin/{Key}/posts/{id}");
        var after = WebUtility.HtmlDecode(await client.GetStringAsync($"/admin/{Key}/posts/{id}"));
        Assert.DoesNotContain("alert-danger", after);
    }

    private static async Task<string> CreateLinkAsync(PortalClient client, Guid id)
    {
        ResponseAssert.AssertRedirect(await client.PostFormAsync($"/admin/{Key}/posts/preview-links", new() { ["postId"] = id.ToString(), ["days"] = "7" },
            $"/admin/{Key}/posts/{id}"), $"/admin/{Key}/posts/preview-links");
        return new HtmlParser().ParseDocument(await client.GetStringAsync($"/admin/{Key}/posts/preview-links")).QuerySelector("#preview-url")!.GetAttribute("value")!;
    }

    private static Task DrainAsync(PortalHost host) => host.Services.GetRequiredService<ModuleEventDispatcher>().DrainAsync();

    private static async Task<List<string>> NotificationsAsync(PortalClient client) =>
        new HtmlParser().ParseDocument(await client.GetStringAsync("/admin/notifications")).QuerySelectorAll("[data-notification] .notification-text")
            .Select(n => Plain(n.TextContent)).ToList();

    private static async Task<string> ReviewQueueAsync(PortalClient client) => await client.GetStringAsync($"/admin/{Key}/posts?view=review");

    private static Task<Post> PostAsync(PortalHost host, Guid id) =>
        host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().Posts.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Id == id));

    private static string Plain(string text) => Regex.Replace(WebUtility.HtmlDecode(text), @"[\s\u00a0\u202f]+", " ").Trim();
}
