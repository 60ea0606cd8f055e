using System.Text.Json.Nodes;
using CmPortal.Core.Networks;
using CmPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// "Check a draft" in Chromium, used the way a community manager does: type a draft, watch one card per network
/// count it the way that network does while typing — the browser's count must be the server's, with emoji,
/// combining accents, links and a Mastodon handle — then click a suggestion and see the draft fixed and checked again.
/// </summary>
public sealed class DraftCheckPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Page = "/admin/maison-lumen/brand/check";

    /// <summary>The demo recipe, with Mastodon (links count 23, one emoji at most) and X (weighted count) among the networks.</summary>
    private static async Task AddMastodonAndXAsync(PortalHost host)
    {
        var demo = JsonNode.Parse(await File.ReadAllTextAsync(RecipeHostExtensions.ShippedRecipe("demo.recipe.json")))!;
        var line = demo["steps"]!.AsArray().First(s => (string?)s!["step"] == "editorialLine")!;
        line["networks"]!.AsArray().Add(new JsonObject { ["network"] = "mastodon", ["maxEmoji"] = 1 });
        line["networks"]!.AsArray().Add(new JsonObject { ["network"] = "x" });
        await host.ApplyRecipeAsync(demo.ToJsonString());
    }

    /// <summary>Waits for the server's answer about the text now in the draft (the check runs after a pause in typing).</summary>
    private static async Task WaitForCheckAsync(IPage page)
    {
        await Expect(page.Locator("#draft-live:not([data-pending]):not([aria-busy])")).ToHaveCountAsync(1);
        var length = await page.Locator("#Text").EvaluateAsync<int>("t => t.value.length");
        await Expect(page.Locator($"#draft-live .draft-result-body[data-checked=true][data-text-length='{length}']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Typing_a_draft_shows_a_card_per_network_counting_like_the_server_and_a_click_applies_a_suggestion()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await AddMastodonAndXAsync(host);
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(Page);

        string[] networks = ["facebook", "instagram", "linkedin", "x", "pinterest", "mastodon", "bluesky", "blog"];
        Assert.Equal(networks, await page.Locator(".draft-network").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.network)"));

        // Emoji with a skin tone and a flag, "é" written e + combining accent, a Mastodon handle, a long link, CJK (X
        // weighs it 2), a line break; typed, so the counters follow each key.
        var draft = "Decouvrez nos bougies parfumées à l’atelier! 👍🏽🇫🇷\n" +
                    "Cafe\u0301 offert, écrivez à @lumen@piaille.fr : https://maisonlumen.fr/ateliers/bougies-parfumees-hiver-2026?utm_source=mastodon 日本 #MaisonLumen";
        var text = page.Locator("#Text");
        await text.FillAsync(draft[..20]);
        await text.PressSequentiallyAsync(draft[20..], new() { Delay = 5 });
        Assert.Equal(draft, await text.InputValueAsync());
        await WaitForCheckAsync(page);

        foreach (var id in networks)
        {
            var card = page.Locator($"#network-{id}");
            var (live, server) = (await card.GetAttributeAsync("data-live-length"), await card.GetAttributeAsync("data-server-length"));
            var expected = NetworkTextLength.Count(SocialNetworks.Find(id)!, draft).ToString();
            Assert.True(live == expected && server == expected, $"{id}: the page counts {live}, the server {server}, expected {expected}");
            Assert.Equal(await card.GetAttributeAsync("data-server-emoji"), await card.GetAttributeAsync("data-live-emoji"));
            await Expect(card.Locator(".draft-count")).ToHaveTextAsync(expected);
        }
        // More shapes the two counts must agree on, at each keystroke (no server round trip needed).
        string[] samples =
        [
            "1️⃣ 👩‍👩‍👧 🏴󠁧󠁢󠁳󠁣󠁴󠁿 ❤️ ☀ …€ 日本語 한국어 ñ n\u0303",
            "Voir maisonlumen.com/atelier, maisonlumen.fr et www.maisonlumen.fr (cf. https://lumen.fr/a_(b)).",
            "Écrivez à contact@maisonlumen.fr ou @lumen.bsky.social, @lumen@piaille.fr et @@x, #Fête_2026 ＃Lumen",
            "https:// seul, http://a.b/c?d=e#f! « https://maisonlumen.fr/x » https://x.fr/" + new string('a', 300),
            "Ligne 1\n\nLigne 3\u2028fin\t\u00A0\u202F!",
            "क्षत्रिय नमस्ते", // Devanagari conjuncts (Unicode 15.1 grapheme rule GB9c)
        ];
        foreach (var sample in samples)
        {
            await text.FillAsync(sample);
            foreach (var id in networks)
            {
                var live = await page.Locator($"#network-{id}").GetAttributeAsync("data-live-length");
                var expected = NetworkTextLength.Count(SocialNetworks.Find(id)!, sample).ToString();
                Assert.True(live == expected, $"{id}: the page counts {live}, the server {expected}, for: {sample}");
            }
        }
        await text.FillAsync(draft);
        await WaitForCheckAsync(page);

        // Mastodon counts the link 23 and "@lumen@piaille.fr" as "@lumen"; Bluesky counts the link as written.
        Assert.True(int.Parse((await page.Locator("#network-mastodon").GetAttributeAsync("data-live-length"))!)
                    < int.Parse((await page.Locator("#network-bluesky").GetAttributeAsync("data-live-length"))!) - 50);
        // Mastodon allows one emoji here: its card says so.
        await Expect(page.Locator("#network-mastodon .network-issues")).ToContainTextAsync("2 émojis, alors que la ligne éditoriale n’en autorise qu’un sur Mastodon");

        // Grammalecte and Hunspell have spoken: the missing accent first, the missing non-breaking space.
        var accent = page.Locator("#draft-issues button.draft-apply[data-original='Decouvrez']").First;
        await Expect(accent).ToHaveTextAsync("Découvrez");
        await Expect(page.Locator("#draft-issues li[data-kind=Typography] button.draft-apply[data-original='!']")).ToHaveCountAsync(1);

        await ScreenshotAsync(page, "draft-check-1366");
        // With a result on screen (cards, findings, suggestion buttons, marks): axe-core finds nothing serious.
        var violations = await AccessibilityTests.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        await accent.ClickAsync();
        await Expect(text).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^Découvrez nos bougies"));
        await WaitForCheckAsync(page);
        await Expect(page.Locator("#draft-issues button.draft-apply[data-original='Decouvrez']")).ToHaveCountAsync(0);

        await page.Locator("#draft-issues li[data-kind=Typography] button.draft-apply[data-original='!']").ClickAsync();
        await Expect(text).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("l’atelier\u00A0! 👍🏽"));
        await WaitForCheckAsync(page);
        await Expect(page.Locator("#draft-issues li[data-kind=Typography] button.draft-apply[data-original='!']")).ToHaveCountAsync(0);
        // The caret stays in the draft, after what was put in.
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement === document.getElementById('Text')"));

        // Emptied, the draft has nothing to check.
        await text.FillAsync("");
        await WaitForCheckAsync(page);
        await Expect(page.Locator("#draft-empty")).ToBeVisibleAsync();
        await Expect(page.Locator("#draft-issues")).ToHaveCountAsync(0);
        await Expect(page.Locator("#network-x .draft-count")).ToHaveTextAsync("0");

        // At a phone's width the cards stack and nothing scrolls sideways.
        await text.FillAsync(draft);
        await WaitForCheckAsync(page);
        await page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(page, "draft-check-390");
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "at 390 px the page scrolls sideways");
    }
}
