using AngleSharp.Html.Parser;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// Every attempt of a delivery says what the network answered in the reader's language — on the delivery's page, the
/// post's deliveries page, the log and the post editor's « Publication » panel — not the network client's English; the
/// network's raw words stay available, folded, and encoded as any stranger's text.
/// </summary>
public sealed class AttemptAnswerWordsTests
{
    private const string W = "maison-lumen";
    private const string Refusal = "Validation failed: <script>alert('lumen')</script> Text too long";

    private static AngleSharp.Dom.IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>The text as read, no-break spaces as plain ones and runs of white space as one.</summary>
    private static string Text(AngleSharp.Dom.IElement? element) =>
        string.Join(' ', (element?.TextContent ?? "").Replace('\u00a0', ' ').Replace('\u202f', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// A post with two deliveries on a (paused) Mastodon channel: one failed (503 then a 422 refusal whose message holds
    /// a script), one waiting after Mastodon gave no clear answer then limited the pace (429). Both older than the six
    /// hours the outbox's planner looks back on, so that it leaves them as they are (the post is a draft).
    /// </summary>
    private static async Task<(Guid Post, Guid Failed, Guid Waiting)> SeedAsync(PortalHost host)
    {
        var post = await host.CreatePostAsync(new PostInput { Text = "Nos bougies d’hiver arrivent", Networks = ["mastodon"] });
        var ids = await host.InWorkspaceAsync(W, async s =>
        {
            var db = s.GetRequiredService<PublishingDbContext>();
            var now = DateTime.UtcNow;
            var channel = new Channel { Id = Guid.NewGuid(), Kind = "mastodon", Name = "Mastodon de Lumen", State = ChannelState.Paused, CreatedUtc = now };
            var failed = new Delivery
            {
                Id = Guid.NewGuid(), ChannelId = channel.Id, PostId = post, Network = "mastodon", OccurrenceUtc = now.AddHours(-8), DueUtc = now.AddHours(-8),
                State = DeliveryState.Failed, DeliveryKey = "k1", Attempts = 2, LastError = Refusal,
            };
            var waiting = new Delivery
            {
                Id = Guid.NewGuid(), ChannelId = channel.Id, PostId = post, Network = "mastodon", OccurrenceUtc = now.AddHours(-7), DueUtc = now.AddHours(-7),
                State = DeliveryState.Pending, DeliveryKey = "k2", Attempts = 2, NextAttemptUtc = now.AddDays(3), LastError = "Too many requests.",
            };
            db.AddRange(channel, failed, waiting);
            db.Attempts.AddRange(
                new DeliveryAttempt { Id = Guid.NewGuid(), DeliveryId = failed.Id, StartedUtc = now.AddHours(-2), FinishedUtc = now.AddHours(-2), Outcome = "RetryLater", HttpStatus = 503, Message = "The instance answered 503." },
                new DeliveryAttempt { Id = Guid.NewGuid(), DeliveryId = failed.Id, StartedUtc = now.AddMinutes(-100), FinishedUtc = now.AddMinutes(-100), Outcome = "Failed", HttpStatus = 422, Message = Refusal },
                new DeliveryAttempt { Id = Guid.NewGuid(), DeliveryId = waiting.Id, StartedUtc = now.AddMinutes(-60), FinishedUtc = now.AddMinutes(-59), Outcome = "Unknown", Message = "The instance did not answer." },
                new DeliveryAttempt { Id = Guid.NewGuid(), DeliveryId = waiting.Id, StartedUtc = now.AddMinutes(-30), FinishedUtc = now.AddMinutes(-30), Outcome = "RetryLater", HttpStatus = 429, Message = "Too many requests." });
            await db.SaveChangesAsync();
            return (failed.Id, waiting.Id);
        });
        return (post, ids.Item1, ids.Item2);
    }

    [Fact]
    public async Task Each_attempt_says_in_french_what_the_network_answered_with_its_raw_words_folded_and_encoded()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var (post, failed, waiting) = await SeedAsync(host);
        using var admin = await host.SignInAsync();

        // The delivery's page: each attempt's answer in words, its outcome translated, the raw text folded below.
        var html = await admin.GetStringAsync($"/admin/{W}/publishing/deliveries/{failed}");
        var page = Parse(html);
        var rows = page.QuerySelectorAll("#attempts [data-attempt]");
        Assert.Equal(2, rows.Length);
        var answers = page.QuerySelectorAll("#attempts .attempt-answer").Select(Text).ToList();
        Assert.Contains("Mastodon rencontre un problème (erreur 503).", answers);
        Assert.Contains("Mastodon a refusé le post (erreur 422). Son message : « Validation failed: <script>alert('lumen')</script> Text too long ».", answers);
        Assert.Contains("À réessayer", Text(rows[0]) + Text(rows[1]));
        Assert.Contains("En échec", Text(rows[0]) + Text(rows[1]));
        Assert.DoesNotContain(answers, a => a.Contains("The instance answered", StringComparison.Ordinal));
        var raw = page.QuerySelectorAll("#attempts details.attempt-raw");
        Assert.Equal(2, raw.Length);
        Assert.All(raw, r => Assert.Equal("Réponse brute du réseau", Text(r.QuerySelector("summary"))));
        Assert.Contains(raw, r => Text(r.QuerySelector("code")) == "The instance answered 503.");
        // The network's message is text, never markup: no script element came from it.
        Assert.DoesNotContain(page.QuerySelectorAll("script"), s => s.TextContent.Contains("lumen", StringComparison.Ordinal));
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;alert", html);

        // The post's deliveries: the same words per attempt; the waiting delivery says why it waits.
        var postPage = Parse(await admin.GetStringAsync($"/admin/{W}/publishing/posts/{post}"));
        var failedSection = postPage.QuerySelector($"[data-delivery='{failed}']")!;
        Assert.Contains("Mastodon rencontre un problème (erreur 503).", Text(failedSection));
        var waitingSection = postPage.QuerySelector($"[data-delivery='{waiting}']")!;
        Assert.Equal("Mastodon limite le rythme des envois du canal (erreur 429).", Text(waitingSection.QuerySelector(".delivery-waiting")));
        var waitingAttempts = waitingSection.QuerySelectorAll("[data-attempt]").Select(Text).ToList();
        Assert.Contains(waitingAttempts, a => a.StartsWith("Sans réponse (peut-être parti)", StringComparison.Ordinal) && a.Contains("Mastodon n’a pas pu être joint ou n’a pas répondu."));
        Assert.DoesNotContain("Unknown", Text(waitingSection));
        Assert.DoesNotContain("RetryLater", Text(waitingSection));
        Assert.DoesNotContain("Le réseau a répondu", Text(waitingSection));

        // The log: the waiting delivery's last answer in words, not "Too many requests.".
        var log = Parse(await admin.GetStringAsync($"/admin/{W}/publishing"));
        var logRow = log.QuerySelector($"tr[data-delivery='{waiting}']")!;
        Assert.Equal("Pourquoi il attend : Mastodon limite le rythme des envois du canal (erreur 429).", Text(logRow.QuerySelector(".delivery-waiting")));
        Assert.DoesNotContain("Too many requests", Text(logRow));

        // The post editor's panel: the failure explained as on the log, not the network's English alone.
        var panel = Text(Parse(await admin.GetStringAsync($"/admin/{W}/posts/{post}")).QuerySelector("[data-panel='Publishing']"));
        Assert.Contains("Mastodon de Lumen : En échec", panel);
        Assert.Contains("Mastodon a refusé le post (erreur 422). Son message : « Validation failed: <script>alert('lumen')</script> Text too long ». Modifiez le post en conséquence, puis renvoyez-le.", panel);
        Assert.Contains("Mastodon limite le rythme des envois du canal (erreur 429).", panel);
    }

    [Fact]
    public async Task When_the_portal_cannot_ask_the_network_whether_a_post_went_out_it_says_why_in_french_not_as_the_networks_answer()
    {
        await using var host = await PortalHost.StartAsync(Provider.Sqlite, PublishingTestHost.FastOutbox());
        await host.SetUpAsync();
        // A Mastodon channel without its access token (as a channel whose secret was never given), and a post on it
        // whose first attempt, two hours ago, got no answer: the outbox must ask Mastodon before sending it again.
        var channel = await host.InWorkspaceAsync(W, async s =>
        {
            var db = s.GetRequiredService<PublishingDbContext>();
            var c = new Channel { Id = Guid.NewGuid(), Kind = "mastodon", Name = "Mastodon sans jeton", State = ChannelState.Active, CreatedUtc = DateTime.UtcNow };
            db.Channels.Add(c);
            await db.SaveChangesAsync();
            return c.Id;
        });
        var post = await host.ScheduleAsync("Nos bougies d’hiver arrivent", channels: [channel]);
        await host.PlanAsync();
        var delivery = Assert.Single(await host.DeliveriesAsync(post));
        await host.InWorkspaceAsync(W, async s =>
        {
            var db = s.GetRequiredService<PublishingDbContext>();
            var d = await db.Deliveries.SingleAsync(x => x.Id == delivery.Id);
            var first = DateTime.UtcNow.AddHours(-2);
            (d.State, d.Attempts, d.FirstAttemptUtc, d.LeaseOwner, d.LeaseUntilUtc, d.LastError) =
                (DeliveryState.Sending, 1, first, null, DateTime.UtcNow.AddSeconds(-1), "The instance did not answer.");
            db.Attempts.Add(new DeliveryAttempt { Id = Guid.NewGuid(), DeliveryId = d.Id, StartedUtc = first, FinishedUtc = first.AddMinutes(1), Outcome = "Unknown", Message = "The instance did not answer." });
            await db.SaveChangesAsync();
            return 0;
        });

        const string why = "Le canal n’a pas d’adresse d’instance ni de jeton d’accès : connectez-le de nouveau.";
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!(await host.AttemptsAsync(delivery.Id)).Any(a => a.Outcome == "CannotAsk"))
        {
            Assert.True(DateTime.UtcNow < until, "the outbox never asked about the delivery");
            await Task.Delay(50);
        }

        // Nothing was sent again, the delivery still waits to be asked about, and it says why in the portal's words.
        var stored = Assert.Single(await host.DeliveriesAsync(post));
        Assert.Equal(DeliveryState.Sending, stored.State);
        Assert.Equal(1, stored.Attempts);
        using var admin = await host.SignInAsync();
        var page = Parse(await admin.GetStringAsync($"/admin/{W}/publishing/deliveries/{delivery.Id}"));
        var asked = page.QuerySelectorAll("#attempts [data-attempt]").Select(Text).First(a => a.StartsWith("Vérification impossible", StringComparison.Ordinal));
        Assert.Contains(why, asked);
        Assert.DoesNotContain("n’a pas pu être joint", asked);
        Assert.DoesNotContain(page.QuerySelectorAll("#attempts .attempt-raw"), r => Text(r).Contains("jeton", StringComparison.Ordinal) || Text(r).Contains("token", StringComparison.Ordinal));
        var reason = page.QuerySelectorAll("dt").First(d => Text(d) == "Pourquoi il attend :");
        Assert.Equal(why, Text(reason.NextElementSibling));
        Assert.Null(reason.NextElementSibling!.QuerySelector("q"));

        var log = Parse(await admin.GetStringAsync($"/admin/{W}/publishing"));
        var row = Text(log.QuerySelector($"tr[data-delivery='{delivery.Id}']"));
        Assert.Contains("Pourquoi il attend : " + why, row);
        Assert.DoesNotContain("Le réseau a répondu", row);
        var panel = Text(Parse(await admin.GetStringAsync($"/admin/{W}/posts/{post}")).QuerySelector("[data-panel='Publishing']"));
        Assert.Contains("Mastodon sans jeton : ", panel);
        Assert.Contains(why, panel);
    }

    [Fact]
    public async Task An_english_member_reads_the_attempts_in_english()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var (_, failed, _) = await SeedAsync(host);
        using var admin = await host.SignInAsync();
        await admin.PostFormAsync("/account/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/admin" });

        var page = Parse(await admin.GetStringAsync($"/admin/{W}/publishing/deliveries/{failed}"));
        var answers = page.QuerySelectorAll("#attempts .attempt-answer").Select(Text).ToList();
        Assert.Contains("Mastodon is having trouble (error 503).", answers);
        Assert.Contains("Mastodon refused the post (error 422). Its message: “Validation failed: <script>alert('lumen')</script> Text too long”.", answers);
        Assert.All(page.QuerySelectorAll("#attempts details.attempt-raw summary"), s => Assert.Equal("Raw answer of the network", Text(s)));
        Assert.Equal("Why it failed:", Text(page.QuerySelectorAll("dt").FirstOrDefault(d => d.NextElementSibling?.ClassList.Contains("delivery-failure") == true)));
    }
}
