using CmPortal.Modules.Publishing.Channels;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Inbox;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// The mention inbox's "done means" path in Chromium, as a French community manager of Maison Lumen walks it: adds a
/// Google Alerts feed and a Mastodon hashtag read through the brand's Mastodon channel, has them read now, sees the
/// mentions arrive with their sentiment and real links, searches a word and a phrase, assigns one to a colleague,
/// answers another with a saved reply and copies it, hides an insult citing rule 3.2 of the published community
/// charter, finds it in the moderation log, and reads the share of voice against the competitor on the Veille page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxDoneMeansBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Workspace = "maison-lumen";
    private const string Manager = "camille@maison-lumen.test";
    private const string Colleague = "hugo@maison-lumen.test";
    private const string Inbox = "/admin/maison-lumen/inbox";

    /// <summary>The brand's Mastodon account connected as a publishing channel, as the channels page leaves it.</summary>
    private static Task ConnectMastodonAsync(PortalHost host, MastodonTestServer mastodon, string token) =>
        host.InWorkspaceAsync(Workspace, async s =>
        {
            var connected = await s.GetRequiredService<ChannelService>().ConnectAsync("mastodon", "Mastodon de l’atelier",
                new Dictionary<string, string> { ["instanceUrl"] = mastodon.BaseAddress.ToString(), ["accessToken"] = token }, null, default);
            Assert.True(connected.Succeeded, string.Join(" ", connected.Problems));
            return 0;
        });

    /// <summary>The mention of the list whose text holds <paramref name="words"/>, opened from the list.</summary>
    private static async Task OpenMentionAsync(IPage page, string words)
    {
        await page.GotoAsync(Inbox);
        await page.FillAsync("#q", words);
        await page.ClickAsync("form[role=search] .input-group button");
        await page.Locator("#mentions li").Filter(new() { HasText = words }).Locator("a.btn").ClickAsync();
        await Expect(page.Locator("main h1")).ToBeVisibleAsync();
    }

    private static async Task NoSeriousViolationAsync(IPage page)
    {
        var violations = await AccessibilityTests.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, page.Url + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public async Task A_community_manager_adds_a_google_alerts_feed_and_a_hashtag_triages_answers_hides_an_insult_and_reads_the_share_of_voice()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        feeds.Serve("/alerts/feeds/1/2", "application/atom+xml; charset=utf-8", SourceTesting.AlertsFeed());
        // The statuses are as recent as the demo's mentions (which are dated from now), so they are among the list's newest.
        await using var mastodon = await MastodonTestServer.StartAsync(new TestClock(DateTimeOffset.UtcNow));
        var (_, token) = mastodon.AddAccount("lumen");
        mastodon.SeedStatus("marc@social.example", "<p>Livraison en retard : commande passée il y a trois semaines, toujours pas livrée. Où en est ma livraison ? <a href=\"https://social.example/tags/maisonlumen\">#MaisonLumen</a></p>",
            ["maisonlumen"], displayName: "Marc");
        mastodon.SeedStatus("troll@social.example", "<p>Le SAV de Maison Lumen, une bande de connards. <a href=\"https://social.example/tags/maisonlumen\">#MaisonLumen</a></p>",
            ["maisonlumen"], displayName: "Troll");
        mastodon.SeedStatus("tom@social.example", "<p>Rien à voir avec la marque</p>", ["autre"]);

        // The demo: its published community charter (rule 3.2 « Les insultes »), its saved replies, its brand and competitor
        // queries. The sources are read when the member clicks « Lire maintenant », not by the minute's job beside the test.
        await using var host = await SourceTesting.StartAsync();
        await ConnectMastodonAsync(host, mastodon, token);
        await host.AddMemberAsync(Manager, Workspace, "Community manager");
        await host.AddMemberAsync(Colleague, Workspace, "Community manager");

        await using var context = await chromium.NewContextAsync(host);
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = await context.NewPageAsync();
        await SignInAsync(page, Manager, MemberHostExtensions.MemberPassword);

        // 1. Sources: a Google Alerts feed, then the brand's hashtag read through its Mastodon channel; each read now.
        await page.GotoAsync($"{Inbox}/sources");
        await page.ClickAsync("#add-rss summary");
        await page.FillAsync("#add-rss input[name=url]", feeds.Url("/alerts/feeds/1/2"));
        await page.FillAsync("#add-rss input[name=name]", "Alertes Lumen");
        await page.ClickAsync("#add-rss button.btn-primary");
        await Expect(page.Locator("main")).ToContainTextAsync("Source «\u00a0Alertes Lumen\u00a0» ajoutée");
        await page.ClickAsync("#add-mastodon-tag summary");
        await page.FillAsync("#add-mastodon-tag input[name=query]", "MaisonLumen");
        var channel = await page.Locator("#add-mastodon-tag select[name=channelId] option").Filter(new() { HasText = "Mastodon de l’atelier" }).GetAttributeAsync("value");
        await page.SelectOptionAsync("#add-mastodon-tag select[name=channelId]", channel!);
        await page.ClickAsync("#add-mastodon-tag button.btn-primary");
        var alerts = page.Locator("#source-list li").Filter(new() { HasText = "Alertes Lumen" });
        var hashtag = page.Locator("#source-list li").Filter(new() { HasText = "Hashtag Mastodon" });
        await Expect(hashtag).ToContainTextAsync("via Mastodon de l’atelier");
        await Expect(alerts.Locator(".source-state")).ToContainTextAsync("Pas encore lue · prochaine lecture");

        await alerts.GetByRole(AriaRole.Button, new() { Name = "Lire maintenant" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Source lue\u00a0: 2\u00a0nouvelles mentions.");
        await Expect(alerts.Locator(".source-state")).ToContainTextAsync("Lue à l’instant");
        await hashtag.GetByRole(AriaRole.Button, new() { Name = "Lire maintenant" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Source lue\u00a0: 2\u00a0nouvelles mentions.");
        Assert.Contains(mastodon.ListeningRequests, r => r.PathAndQuery.StartsWith("/api/v1/timelines/tag/MaisonLumen", StringComparison.OrdinalIgnoreCase) && r.Authorization == "Bearer " + token);
        await ScreenshotAsync(page, "done-means-sources");

        // 2. The mentions arrive with their sentiment, their source, the bold of Google Alerts removed.
        await page.GotoAsync(Inbox);
        var late = page.Locator("#mentions li").Filter(new() { HasText = "toujours pas livrée" });
        await Expect(late).ToContainTextAsync("Mastodon · #MaisonLumen");
        await Expect(late.Locator(".badge").First).ToHaveTextAsync("Négatif");
        await Expect(page.Locator("#mentions")).Not.ToContainTextAsync("Rien à voir avec la marque");
        // Google Alerts' articles are a day old, under the demo's recent mentions: filtered by their source.
        await page.ClickAsync("form[role=search] details summary");
        await page.SelectOptionAsync("#source", "rss");
        await page.ClickAsync("form[role=search] .input-group button");
        var praise = page.Locator("#mentions li").Filter(new() { HasText = "accueil impeccable" });
        await Expect(praise).ToContainTextAsync("Flux RSS · Alertes Lumen");
        await Expect(praise.Locator(".badge").First).ToHaveTextAsync("Positif");
        var complaint = page.Locator("#mentions li").Filter(new() { HasText = "Terrible candles" });
        await Expect(complaint.Locator(".badge").First).ToHaveTextAsync("Négatif");

        // 3. Search (all sources again): a word finds the demo's mention too; the phrase finds only the feed's, highlighted.
        await page.GotoAsync(Inbox);
        await page.FillAsync("#q", "impeccable");
        await page.ClickAsync("form[role=search] .input-group button");
        await Expect(page.Locator("#result-count")).ToHaveTextAsync("2\u00a0mentions.");
        await Expect(page.Locator("#mentions")).ToContainTextAsync("Emballage impeccable");
        await page.FillAsync("#q", "\"accueil impeccable\"");
        await page.ClickAsync("form[role=search] .input-group button");
        await Expect(page.Locator("#result-count")).ToHaveTextAsync("1\u00a0mention.");
        await Expect(page.Locator("#mentions mark")).ToHaveTextAsync(["accueil impeccable"]);
        await ScreenshotAsync(page, "done-means-search");
        // Its page links to the article itself, not to Google's redirect.
        await page.Locator("#mentions li a.btn").ClickAsync();
        await Expect(page.Locator("main h1")).ToHaveTextAsync("La Maison Lumen ouvre une boutique à Lyon");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ouvrir l’original" })).ToHaveAttributeAsync("href", "https://www.leprogres.fr/lumen-boutique?utm_source=alerts");

        // 4. The English complaint, assigned to a colleague with a note.
        await OpenMentionAsync(page, "Terrible candles");
        await page.SelectOptionAsync("#assigneeId", new SelectOptionValue { Label = "hugo" });
        await page.FillAsync("#note", "Un client anglophone, à rappeler.");
        await page.ClickAsync("section[aria-labelledby=assign-title] button");
        await Expect(page.Locator("article")).ToContainTextAsync("Attribuée à hugo — Un client anglophone, à rappeler.");
        await page.GotoAsync($"{Inbox}?q=candles");
        await page.ClickAsync("form[role=search] details summary");
        await page.SelectOptionAsync("#assignee", new SelectOptionValue { Label = "hugo" });
        await page.ClickAsync("form[role=search] .input-group button");
        await Expect(page.Locator("#mentions li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#mentions li")).ToContainTextAsync("Terrible candles");

        // 5. The late delivery: among the saved replies suggested, the one for late deliveries, filled with the author's name, copied.
        await OpenMentionAsync(page, "toujours pas livrée");
        var suggestion = page.Locator("#reply-suggestions li").Filter(new() { HasText = "Retard de livraison" });
        await Expect(suggestion).ToHaveCountAsync(1);
        await suggestion.GetByRole(AriaRole.Button, new() { Name = "Utiliser cette réponse" }).ClickAsync();
        await Expect(page.Locator("#reply-text")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Bonjour Marc, nous sommes désolés pour ce retard de livraison\\. Chaque pièce Maison Lumen"));
        var filled = await page.Locator("#reply-text").InputValueAsync();
        await page.FillAsync("#reply-text", "A"); // the counter counts in words: one character, then several
        await Expect(page.Locator("#reply-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^1 caractère sur \\d+$"));
        await page.FillAsync("#reply-text", filled + " Camille");
        await Expect(page.Locator("#reply-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d+ caractères sur \\d+$"));
        await ScreenshotAsync(page, "done-means-answer");
        await page.ClickAsync("button[data-copy-reply]");
        await Expect(page.Locator("#reply-notes")).ToContainTextAsync("Réponse copiée par camille le");
        await Expect(page.Locator("#reply-notes")).ToContainTextAsync("Camille");
        Assert.EndsWith(" Camille", await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // 6. The insult: the page suggests hiding it by rule 3.2; one click hides it, citing the rule and its version.
        await OpenMentionAsync(page, "bande de connards");
        await Expect(page.Locator("#insult-suggestion h2")).ToHaveTextAsync("Insulte probable — la règle 3.2 «\u00a0Les insultes\u00a0» couvre les insultes.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Masquer en citant la règle 3.2" }).ClickAsync();
        await Expect(page.Locator("#moderation-state h2")).ToHaveTextAsync("Masqué — règle 3.2, version 1");
        await Expect(page.Locator("#moderation-state")).ToContainTextAsync("Les insultes, les menaces et les attaques personnelles");
        await Expect(page.Locator("#insult-suggestion")).ToHaveCountAsync(0);
        await NoSeriousViolationAsync(page); // a hidden mention with its notes-free page
        await ScreenshotAsync(page, "done-means-hidden");
        await page.GotoAsync(Inbox);
        await Expect(page.Locator("#mentions")).Not.ToContainTextAsync("bande de connards");
        await page.GetByRole(AriaRole.Link, new() { Name = "Journal de modération" }).ClickAsync();
        var decision = page.Locator("#decisions li").First;
        await Expect(decision).ToContainTextAsync("Le SAV de Maison Lumen, une bande de connards.");
        await Expect(decision).ToContainTextAsync("Règle 3.2, version 1");
        await Expect(decision).ToContainTextAsync("camille");
        await NoSeriousViolationAsync(page); // the log with a decision

        // 7. Écoute → Veille: the share of voice of the brand against its competitor.
        await page.GetByRole(AriaRole.Link, new() { Name = "Veille" }).ClickAsync();
        await Expect(page.Locator("main h1")).ToContainTextAsync("Veille");
        var share = page.Locator("#share-table");
        await Expect(page.Locator("#share-title")).ToHaveTextAsync("Part de voix");
        var brand = share.Locator("tbody tr").Filter(new() { HasText = "Maison Lumen" });
        var competitor = share.Locator("tbody tr").Filter(new() { HasText = "Atelier Halo" });
        await Expect(brand.Locator("th .badge")).ToHaveTextAsync("Marque");
        await Expect(competitor.Locator("th .badge")).ToHaveTextAsync("Concurrent");
        await Expect(brand.Locator("td").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d+(,\\d+)?[\u00a0\u202f]%$"));
        await Expect(competitor.Locator("td").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d+(,\\d+)?[\u00a0\u202f]%$"));
        await ScreenshotAsync(page, "done-means-listening");
    }
}
