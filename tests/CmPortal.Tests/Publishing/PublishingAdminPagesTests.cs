using System.Net;
using AngleSharp.Html.Parser;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// What the team sees of publishing in the admin: the channels page's connect forms (refusals beside their field,
/// nothing typed lost but secrets), the manual channel's person, the blog channel, a post's deliveries from its
/// editor with publish now / retry / cancel, and the dashboard card when publishing is late or failed.
/// </summary>
public sealed class PublishingAdminPagesTests
{
    private const string Channels = "/admin/maison-lumen/channels";

    private static AngleSharp.Dom.IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    private static Task<List<Channel>> ChannelsAsync(PortalHost host) =>
        host.InWorkspaceAsync(PublishingTestHost.Workspace, s => s.GetRequiredService<ChannelService>().ListAsync(default));

    [Fact]
    public async Task A_refused_webhook_comes_back_with_the_reason_beside_its_field_and_what_was_typed_except_the_secret()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        await host.WithoutDemoChannelsAsync();
        using var admin = await host.SignInAsync();
        var form = PageForm.Parse(await admin.GetStringAsync(Channels), "#connect-webhook")
            .Set("name", "Site partenaire").Set("url", "pas-une-adresse").Set("secret", "whsec_secret-tape-a-la-main");
        var response = await form.SubmitAsync(admin);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("L’adresse du webhook doit commencer par http:// ou https://.", page.QuerySelector("#webhook-url-error")!.TextContent.Trim());
        var url = page.QuerySelector("#webhook-url")!;
        Assert.Equal("pas-une-adresse", url.GetAttribute("value"));
        Assert.Contains("is-invalid", url.ClassList);
        Assert.Contains("webhook-url-error", url.GetAttribute("aria-describedby"));
        Assert.Equal("Site partenaire", page.QuerySelector("#webhook-name")!.GetAttribute("value"));
        Assert.Null(page.QuerySelector("#webhook-secret")!.GetAttribute("value"));
        Assert.DoesNotContain("whsec_secret-tape-a-la-main", page.Body!.OuterHtml);
        Assert.NotNull(page.QuerySelector("#connect-refused"));
        Assert.Empty(await ChannelsAsync(host));

        // The same form, corrected, connects the webhook and shows the secret the portal made, once.
        var connected = await PageForm.Parse(page.DocumentElement.OuterHtml, "#connect-webhook").Set("url", "https://partenaire.example/hooks").Set("secret", "")
            .SubmitAsync(admin);
        ResponseAssert.AssertRedirect(connected, Channels);
        var list = Parse(await admin.GetStringAsync(Channels));
        Assert.StartsWith("Canal « Site partenaire » connecté. Son secret, affiché cette seule fois : whsec_",
            list.QuerySelector("main .alert-success")!.TextContent.Trim().Replace('\u00a0', ' '));
        Assert.Equal("webhook", Assert.Single(await ChannelsAsync(host)).Kind);
    }

    /// <summary>French text of a page with its no-break spaces as plain ones, to compare with what a test writes.</summary>
    private static string Text(AngleSharp.Dom.IElement? element) =>
        string.Join(' ', (element?.TextContent ?? "").Replace('\u00a0', ' ').Replace('\u202f', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task A_manual_channel_is_connected_with_its_network_and_the_member_who_posts_it_by_hand_and_the_person_can_change()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        await host.WithoutDemoChannelsAsync();
        await host.AddMemberAsync("cm@maison-lumen.test", PublishingTestHost.Workspace, DefaultRoles.CommunityManager);
        var cm = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == "cm@maison-lumen.test").Select(u => u.Id).SingleAsync());
        using var admin = await host.SignInAsync();
        var page = await admin.GetStringAsync(Channels);

        // Someone who is not a member: refused beside the field, the name and network kept.
        var refused = await PageForm.Parse(page, "#connect-manual").Set("name", "LinkedIn de la maison").Set("network", "linkedin")
            .Set("assignee", Guid.NewGuid().ToString()).SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var again = Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("La personne qui publie à la main doit être membre de cet espace.", Text(again.QuerySelector("#manual-assignee-error")));
        Assert.Equal("LinkedIn de la maison", again.QuerySelector("#manual-name")!.GetAttribute("value"));
        Assert.Equal("linkedin", again.QuerySelector("#manual-network option[selected]")!.GetAttribute("value"));

        var connected = await PageForm.Parse(again.DocumentElement.OuterHtml, "#connect-manual").Set("assignee", cm.ToString()).SubmitAsync(admin);
        var list = Parse(await admin.AssertRedirectWithMessageAsync(connected, Channels, "Canal « LinkedIn de la maison » connecté.".Replace("« ", "«\u00a0").Replace(" »", "\u00a0»")));
        var channel = Assert.Single(await ChannelsAsync(host));
        Assert.Equal(("manual", "linkedin", cm), (channel.Kind, ChannelService.SettingsOf(channel)["network"], channel.AssigneeUserId!.Value));
        var row = list.QuerySelector($"tr[data-channel='{channel.Id}']");
        Assert.Contains("(LinkedIn, à la main)", Text(row));
        Assert.Contains("Publié à la main par cm", Text(row));

        // Nobody posts it any more: the row's own form.
        var changed = await PageForm.Parse(list.DocumentElement.OuterHtml, $"form[action$='/channels/{channel.Id}/assignee']").Set("assignee", "").SubmitAsync(admin);
        list = Parse(await admin.AssertRedirectWithMessageAsync(changed, Channels, "Plus personne ne publie le canal «\u00a0LinkedIn de la maison\u00a0» à la main."));
        Assert.Null(Assert.Single(await ChannelsAsync(host)).AssigneeUserId);
        Assert.Contains("Personne n’est prévenu pour l’instant", Text(list.QuerySelector($"tr[data-channel='{channel.Id}']")));
    }

    [Fact]
    public async Task A_refused_Bluesky_account_says_why_beside_the_handle_and_never_shows_the_app_password_again()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        await host.WithoutDemoChannelsAsync();
        using var admin = await host.SignInAsync();
        var page = Parse(await admin.GetStringAsync(Channels));
        // The page explains, in French, what an app password is and where Bluesky makes one.
        Assert.Contains("Un mot de passe d’application est un mot de passe à part", Text(page.QuerySelector("#bluesky-appPassword-help")));
        Assert.NotNull(page.QuerySelector("#bluesky-appPassword-help a[href='https://bsky.app/settings/app-passwords']"));

        var response = await PageForm.Parse(page.DocumentElement.OuterHtml, "#connect-bluesky").Set("name", "Bluesky de la maison")
            .Set("handle", "@maison lumen").Set("appPassword", "abcd-efgh-ijkl-mnop").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var refused = Parse(html);
        Assert.Equal("« maison lumen » n’est pas un identifiant Bluesky : il ressemble à maison-lumen.bsky.social.", Text(refused.QuerySelector("#bluesky-handle-error")));
        Assert.Equal("@maison lumen", refused.QuerySelector("#bluesky-handle")!.GetAttribute("value"));
        Assert.Equal("Bluesky de la maison", refused.QuerySelector("#bluesky-name")!.GetAttribute("value"));
        Assert.DoesNotContain("abcd-efgh-ijkl-mnop", html);
        Assert.Empty(await ChannelsAsync(host));
    }

    [Fact]
    public async Task The_blog_is_connected_as_a_channel_once_from_the_channels_page()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        await host.WithoutDemoChannelsAsync();
        using var admin = await host.SignInAsync();
        var form = PageForm.Parse(await admin.GetStringAsync(Channels), "#connect-blog");
        Assert.Equal("Blog", form["name"]);
        var list = Parse(await admin.AssertRedirectWithMessageAsync(await form.SubmitAsync(admin), Channels, "Canal «\u00a0Blog\u00a0» connecté."));
        Assert.Equal("blog", Assert.Single(await ChannelsAsync(host)).Kind);
        Assert.Null(list.QuerySelector("#connect-blog")); // one blog, one channel
    }

    [Fact]
    public async Task A_scheduled_post_on_a_network_without_an_active_channel_says_in_its_editor_that_it_will_not_go_out_there()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync("Mastodon de la maison");
        // Mastodon has its channel; Facebook has none.
        var post = await host.ScheduleAsync("Soirée bougies à l’atelier", networks: ["mastodon", "facebook"]);
        using var admin = await host.SignInAsync();

        var panel = Parse(await admin.GetStringAsync($"/admin/maison-lumen/posts/{post}")).QuerySelector("[data-panel='Publishing']");
        Assert.NotNull(panel);
        Assert.Contains("Facebook : aucun canal actif, le post n’y partira donc pas.", Text(panel));
        Assert.DoesNotContain("Mastodon : aucun canal", Text(panel));

        // With Mastodon's channel paused, Mastodon is said too; a draft (not going out) says nothing.
        var channel = Assert.Single(await ChannelsAsync(host));
        await host.InWorkspaceAsync("maison-lumen", async s =>
        {
            await s.GetRequiredService<PublishingDbContext>().Channels.Where(c => c.Id == channel.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.State, ChannelState.Paused));
            return 0;
        });
        Assert.Contains("Mastodon : aucun canal actif", Text(Parse(await admin.GetStringAsync($"/admin/maison-lumen/posts/{post}")).QuerySelector("[data-panel='Publishing']")));
        var draft = await host.CreatePostAsync(new CmPortal.Modules.ContentCalendar.Posts.PostInput { Text = "Un brouillon pour Facebook", Networks = ["facebook"] });
        Assert.Null(Parse(await admin.GetStringAsync($"/admin/maison-lumen/posts/{draft}")).QuerySelector("[data-panel='Publishing']"));
    }

    [Fact]
    public async Task The_post_editor_shows_each_channel_s_delivery_and_leads_to_its_attempts_retry_cancel_and_publish_now()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server);
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync("Mastodon de la maison");
        server.Then(TestAnswer.Fail);
        var post = await host.ScheduleAsync("Soirée bougies à l’atelier");
        await host.PublishNowAsync(post);
        var failed = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Failed, failed.State);
        using var admin = await host.SignInAsync();

        var editor = Parse(await admin.GetStringAsync($"/admin/maison-lumen/posts/{post}"));
        var panel = editor.QuerySelector("[data-panel='Publishing']");
        // The failure explained as on the log's pages (the network's words quoted, what to do), not its English alone.
        Assert.Contains("Mastodon de la maison : En échec Test a refusé le post (erreur 422). Son message : « Validation failed: Text character limit of 500 exceeded ». Modifiez le post en conséquence, puis renvoyez-le.", Text(panel));
        var deliveriesPage = $"/admin/maison-lumen/publishing/posts/{post}";
        Assert.NotNull(panel!.QuerySelector($"a[href='{deliveriesPage}']"));

        var html = await admin.GetStringAsync(deliveriesPage);
        var section = Parse(html).QuerySelector($"[data-delivery='{failed.Id}']");
        Assert.Equal("Failed", section!.QuerySelector("[data-state]")!.GetAttribute("data-state"));
        var attempt = Text(section.QuerySelector("[data-attempt]"));
        Assert.Contains("422", attempt);
        Assert.Contains("Validation failed: Text character limit of 500 exceeded", attempt);

        // Send again from the post's page: back there, and this time it goes out, with its link.
        var retried = await PageForm.Parse(html, $"form[action$='/deliveries/{failed.Id}/retry']").SubmitAsync(admin);
        await admin.AssertRedirectWithMessageAsync(retried, deliveriesPage, "C’est fait.");
        var published = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.Published, published.State);
        section = Parse(await admin.GetStringAsync(deliveriesPage)).QuerySelector($"[data-delivery='{failed.Id}']");
        Assert.Equal(published.RemoteUrl, section!.QuerySelector("a[data-published-link]")!.GetAttribute("href"));
        Assert.Equal(2, section.QuerySelectorAll("[data-attempt]").Length);
        var editorPanel = Text(Parse(await admin.GetStringAsync($"/admin/maison-lumen/posts/{post}")).QuerySelector("[data-panel='Publishing']"));
        Assert.Contains("Mastodon de la maison : Publié", editorPanel);
        Assert.DoesNotContain("Publiée", editorPanel); // un envoi: masculine

        // A post planned for later: "publish now" from its page sends it; another's delivery is canceled there.
        var later = await host.ScheduleAsync("Coffrets de Noël");
        var notWanted = await host.ScheduleAsync("Brouillon parti trop tôt");
        await host.PlanAsync();
        var laterPage = await admin.GetStringAsync($"/admin/maison-lumen/publishing/posts/{later}");
        var sent = await PageForm.Parse(laterPage, "#publish-now").SubmitAsync(admin);
        await admin.AssertRedirectWithMessageAsync(sent, $"/admin/maison-lumen/publishing/posts/{later}", "C’est fait.");
        Assert.Equal(DeliveryState.Published, Assert.Single(await host.SettledAsync(later)).State);
        var pending = Assert.Single(await host.DeliveriesAsync(notWanted));
        var canceled = await PageForm.Parse(await admin.GetStringAsync($"/admin/maison-lumen/publishing/posts/{notWanted}"), $"form[action$='/deliveries/{pending.Id}/cancel']")
            .SubmitAsync(admin);
        await admin.AssertRedirectWithMessageAsync(canceled, $"/admin/maison-lumen/publishing/posts/{notWanted}", "C’est fait.");
        Assert.Equal(DeliveryState.Canceled, Assert.Single(await host.DeliveriesAsync(notWanted)).State);

        // A post without delivery (a draft) has no publishing panel.
        var draft = await host.CreatePostAsync(new CmPortal.Modules.ContentCalendar.Posts.PostInput { Text = "Idée de fond", Networks = ["mastodon"] });
        Assert.Null(Parse(await admin.GetStringAsync($"/admin/maison-lumen/posts/{draft}")).QuerySelector("[data-panel]"));
    }

    [Fact]
    public async Task The_dashboard_warns_when_publishing_is_late_or_failed_and_links_to_the_filtered_log()
    {
        var server = new TestNetworkServer();
        await using var host = await PublishingTestHost.StartAsync(server,
            settings: new() { ["Publishing:DispatcherEnabled"] = "false", ["Publishing:LateAfterSeconds"] = "1" });
        await host.WithoutDemoChannelsAsync();
        await host.ConnectTestChannelAsync();
        using var admin = await host.SignInAsync();
        const string Card = "[data-card='Publishing is late']";
        Assert.Null(Parse(await admin.GetStringAsync("/admin/maison-lumen")).QuerySelector(Card)); // all is fine: nothing
        // Nothing sent yet: the log says what will show there, and leads to the channels.
        var empty = Parse(await admin.GetStringAsync("/admin/maison-lumen/publishing")).QuerySelector("#no-delivery");
        Assert.StartsWith("Aucun envoi pour l’instant.", Text(empty));
        Assert.NotNull(empty!.QuerySelector("a[href='/admin/maison-lumen/channels']"));

        var post = await host.ScheduleAsync("Personne ne l’envoie");
        await host.PublishNowAsync(post);
        await Task.Delay(1500); // past the health check's tolerance (LateAfterSeconds)
        var card = Parse(await admin.GetStringAsync("/admin/maison-lumen")).QuerySelector(Card);
        Assert.Equal("true", card!.GetAttribute("data-attention"));
        Assert.Contains("La publication est en retard", Text(card));
        Assert.Contains("1 envoi prévu depuis plus de 1 minute n’est pas parti ; il attend depuis", Text(card));
        Assert.NotNull(card.QuerySelector("a[href='/admin/maison-lumen/publishing?state=Pending']"));

        // It fails: the card counts the failure of the last 24 hours and leads to the failed deliveries.
        server.Then(TestAnswer.Fail);
        await host.Services.GetRequiredService<CmPortal.Modules.Publishing.Outbox.OutboxDispatcher>().RunOnceAsync(default);
        Assert.Equal(DeliveryState.Failed, Assert.Single(await host.DeliveriesAsync(post)).State);
        var dashboard = Parse(await admin.GetStringAsync("/admin/maison-lumen"));
        Assert.Null(dashboard.QuerySelector(Card)); // nothing waits any more: not late, but failed
        card = dashboard.QuerySelector("[data-card='Publishing failed']");
        Assert.Contains("Des publications ont échoué", Text(card));
        Assert.Equal("1 envoi en échec ces dernières 24 heures.", Text(card!.QuerySelector("li")));
        Assert.Single(card.QuerySelectorAll("li"));
        Assert.NotNull(card.QuerySelector("a[href='/admin/maison-lumen/publishing?state=Failed']"));
        var log = Parse(await admin.GetStringAsync("/admin/maison-lumen/publishing?state=Failed"));
        var row = Assert.Single(log.QuerySelectorAll("#deliveries tbody tr"));
        // The row names its post and leads to that post's deliveries.
        var postLink = row.QuerySelector("td.log-post a");
        Assert.Equal("Personne ne l’envoie", Text(postLink));
        Assert.Equal($"/admin/maison-lumen/publishing/posts/{post}", postLink!.GetAttribute("href"));
        // A filter that matches nothing says so, with the way back to every delivery.
        var none = Parse(await admin.GetStringAsync("/admin/maison-lumen/publishing?state=Published")).QuerySelector("#no-delivery");
        Assert.StartsWith("Aucun envoi ne correspond à ces filtres.", Text(none));
        Assert.NotNull(none!.QuerySelector("a[href='/admin/maison-lumen/publishing']"));
    }
}
