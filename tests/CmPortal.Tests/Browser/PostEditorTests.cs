using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CmPortal.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace CmPortal.Tests.Browser;

/// <summary>
/// The post editor in Chromium, as a community manager writes a post: two networks, an image uploaded with its alt
/// text, a variant that diverges from the main text while the other follows it live, each previewed as the network
/// shows it, the live check flagging X's variant as too long, and the approval refused with that reason.
/// </summary>
public sealed class PostEditorTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_post_for_two_networks_with_an_image_a_diverging_variant_and_a_live_too_long_error_cannot_be_approved()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.WithoutDemoPostsAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync("/admin/maison-lumen/posts/new");

        // Two networks: Instagram and X.
        foreach (var box in await page.Locator("input[name=Networks]").AllAsync())
            await box.SetCheckedAsync(await box.GetAttributeAsync("value") is "instagram" or "x");
        await Expect(page.Locator("[data-variant-col]:visible")).ToHaveCountAsync(2);

        // An image uploaded from the editor needs its alt text first.
        await page.SetInputFilesAsync("#media-upload-file", new FilePayload { Name = "atelier.png", MimeType = "image/png", Buffer = TestImages.Png(60, 40) });
        await page.ClickAsync("#media-upload-inline button");
        await Expect(page.Locator(".media-upload-status")).ToHaveTextAsync("Décrivez d’abord l’image\u00a0: son texte alternatif est obligatoire.");
        await page.FillAsync("#media-upload-alt", "L’atelier au petit matin, bougies alignées");
        await page.ClickAsync("#media-upload-inline button");
        await Expect(page.Locator("input[name=Media]:checked")).ToHaveCountAsync(1);
        await Expect(page.Locator(".preview-x .preview-media img")).ToHaveAttributeAsync("alt", "L’atelier au petit matin, bougies alignées");

        // The main text: both variants follow it as it is typed; the preview highlights the hashtag.
        await page.Locator("#Text").PressSequentiallyAsync("Nouvelle collection d’hiver #MaisonLumen", new() { Delay = 2 });
        await Expect(page.Locator("#variant-x")).ToHaveValueAsync("Nouvelle collection d’hiver #MaisonLumen");
        await Expect(page.Locator(".preview-instagram .preview-hashtag")).ToHaveTextAsync("#MaisonLumen");

        // X's variant diverges, too long for X: it says so, the live check shows the error, Instagram's still follows.
        var tooLong = "Nouvelle collection d’hiver : " + string.Join(" ", Enumerable.Repeat("bougies parfumées", 20)) + " #MaisonLumen";
        await page.FillAsync("#variant-x", tooLong);
        var x = page.Locator(".variant-card[data-variant=x]");
        await Expect(x.Locator(".variant-diverged")).ToBeVisibleAsync();
        await Expect(x.Locator(".variant-issue.issue-error")).ToContainTextAsync("280");
        await Expect(x.Locator(".variant-issue.issue-error .badge")).ToHaveTextAsync("Trop long");
        await page.Locator("#Text").PressSequentiallyAsync(" ✨", new() { Delay = 2 });
        await Expect(page.Locator("#variant-instagram")).ToHaveValueAsync("Nouvelle collection d’hiver #MaisonLumen ✨");
        await Expect(page.Locator("#variant-x")).ToHaveValueAsync(tooLong);
        await ScreenshotAsync(page, "post-editor-too-long");

        // Clicking the error selects the range that goes beyond, in X's text.
        await x.Locator(".variant-issue.issue-error .issue-select").ClickAsync();
        Assert.True(await page.Locator("#variant-x").EvaluateAsync<bool>("t => document.activeElement === t && t.selectionEnd > t.selectionStart"));

        await page.ClickAsync("#post-form button.btn-primary");
        await Expect(page.Locator("main .alert-success")).ToContainTextAsync("Publication enregistrée.");
        var post = await host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().Posts.IgnoreQueryFilters().AsNoTracking().Include(p => p.Variants).SingleAsync());
        Assert.Equal(["instagram", "x"], post.Variants.OrderBy(v => v.Position).Select(v => v.Network));
        Assert.Null(post.Variants.Single(v => v.Network == "instagram").Text);
        Assert.Equal(tooLong, post.Variants.Single(v => v.Network == "x").Text);
        Assert.NotNull(post.Media);

        // Sent to review, then approval is refused: the reason names X and the limit.
        await page.ClickAsync("button[name=to][value=InReview]");
        await Expect(page.Locator("#post-state")).ToHaveTextAsync("En validation");
        await page.ClickAsync("button[name=to][value=Approved]");
        await Expect(page.Locator("main .alert-danger")).ToContainTextAsync("X");
        await Expect(page.Locator("main .alert-danger")).ToContainTextAsync("280");
        await Expect(page.Locator("#post-state")).ToHaveTextAsync("En validation");
    }

    [Fact]
    public async Task A_variant_switched_to_its_own_images_previews_and_saves_them_while_the_other_keeps_the_main_texts()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.WithoutDemoPostsAsync();
        async Task<Guid> UploadAsync(string name, string alt, byte red) => await host.InWorkspaceAsync("maison-lumen", async s =>
            (await s.GetRequiredService<CmPortal.Modules.ContentCalendar.Media.MediaService>()
                .UploadAsync(name, new MemoryStream(TestImages.Png(60, 40, red)), alt, CmPortal.Modules.ContentCalendar.Posts.PostActor.System("Tests"))).Item!.Id);
        var workshop = await UploadAsync("atelier.png", "L’atelier au petit matin", 0x10);
        var window = await UploadAsync("vitrine.png", "La vitrine de Noël", 0x90);
        var id = await host.CreatePostAsync(new() { Text = "La vitrine de Noël est prête", Networks = ["instagram", "x"], StartsAt = "2027-12-01T18:00", Media = [workshop] });
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync($"/admin/maison-lumen/posts/{id}");

        // By default X shows the main text's image; its own images switched on (keyboard), it shows the one picked.
        var x = page.Locator(".variant-card[data-variant=x]");
        await Expect(x.Locator(".preview-media img")).ToHaveAttributeAsync("alt", "L’atelier au petit matin");
        await Expect(x.Locator(".variant-media-choices")).ToBeHiddenAsync();
        await page.FocusAsync("#own-media-x");
        await page.Keyboard.PressAsync("Space");
        await Expect(x.Locator(".variant-media-choices")).ToBeVisibleAsync();
        await Expect(x.Locator(".preview-media")).ToBeHiddenAsync();
        await x.Locator($".variant-media-choices input[value='{window}']").CheckAsync();
        await Expect(x.Locator(".preview-media img")).ToHaveAttributeAsync("alt", "La vitrine de Noël");
        await Expect(page.Locator(".variant-card[data-variant=instagram] .preview-media img")).ToHaveAttributeAsync("alt", "L’atelier au petit matin");
        await ScreenshotAsync(page, "post-editor-variant-images");

        await page.ClickAsync("#post-form button.btn-primary");
        await Expect(page.Locator("main .alert-success")).ToContainTextAsync("Publication enregistrée.");
        await Expect(page.Locator("#own-media-x")).ToBeCheckedAsync();
        var post = await host.FindPostAsync(id);
        Assert.Equal(window.ToString(), post.Variants.Single(v => v.Network == "x").Media, ignoreCase: true);
        Assert.Null(post.Variants.Single(v => v.Network == "instagram").Media);
    }

    [Fact]
    public async Task A_thread_is_written_with_the_keyboard_its_parts_added_moved_checked_and_removed_then_saved_in_that_order()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.WithoutDemoPostsAsync();
        await using var context = await chromium.NewContextAsync(host);
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync("/admin/maison-lumen/posts/new");
        foreach (var box in await page.Locator("input[name=Networks]").AllAsync())
            await box.SetCheckedAsync(await box.GetAttributeAsync("value") is "bluesky" or "instagram");
        await page.Locator("#Text").PressSequentiallyAsync("1/3 Notre atelier #MaisonLumen", new() { Delay = 2 });
        var bluesky = page.Locator(".variant-card[data-variant=bluesky]");
        // Instagram has no threads: no parts to add there.
        await Expect(page.Locator(".variant-card[data-variant=instagram] .variant-thread")).ToHaveCountAsync(0);

        // "Add a part", from the keyboard: the new part takes the cursor.
        await bluesky.Locator(".thread-add").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("La cire d’abeille");
        await bluesky.Locator(".thread-add").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("Les mèches en coton");
        var parts = bluesky.Locator(".thread-part");
        await Expect(parts.Locator(".thread-label")).ToHaveTextAsync(["Partie 2", "Partie 3"]);

        // Part 3 moves up: it keeps the focus, the numbers follow, and a status line says so.
        await parts.Nth(1).Locator(".thread-up").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(parts.Nth(0).Locator("textarea")).ToHaveValueAsync("Les mèches en coton");
        await Expect(parts.Nth(1).Locator("textarea")).ToHaveValueAsync("La cire d’abeille");
        await Expect(bluesky.Locator(".thread-status")).ToHaveTextAsync("La partie 3 est maintenant la partie 2.");
        Assert.Equal("Les mèches en coton", await page.EvaluateAsync<string>("() => document.activeElement.closest('.thread-part').querySelector('textarea').value"));
        // The preview shows the parts as replies under the first post, in that order.
        await Expect(bluesky.Locator(".preview-replies .preview-text")).ToHaveTextAsync(["Les mèches en coton", "La cire d’abeille"]);

        // A part too long for Bluesky is counted and flagged on its own, then removed.
        await bluesky.Locator(".thread-add").ClickAsync();
        await page.Keyboard.TypeAsync(string.Join(" ", Enumerable.Repeat("bougies parfumées", 20)));
        await Expect(parts.Nth(2).Locator(".variant-issue.issue-error .badge")).ToHaveTextAsync("Trop long");
        await Expect(parts.Nth(2).Locator(".thread-counter")).ToContainTextAsync("359 / 300");
        await Expect(bluesky.Locator(".variant-issue.issue-error")).ToHaveCountAsync(1); // the first part is fine
        await ScreenshotAsync(page, "post-editor-thread");
        await page.SetViewportSizeAsync(390, 844);
        await ScreenshotAsync(page, "post-editor-thread-390");
        var violations = await AccessibilityTests.SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        await page.SetViewportSizeAsync(1366, 900);
        await parts.Nth(2).Locator(".thread-remove").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(parts).ToHaveCountAsync(2);
        await Expect(bluesky.Locator(".thread-status")).ToHaveTextAsync("Partie 4 retirée.");

        await page.ClickAsync("#post-form button.btn-primary");
        await Expect(page.Locator("main .alert-success")).ToContainTextAsync("Publication enregistrée.");
        var post = await host.InScopeAsync(s => s.GetRequiredService<CalendarDbContext>().Posts.IgnoreQueryFilters().AsNoTracking().Include(p => p.Variants).SingleAsync());
        var variant = post.Variants.Single(v => v.Network == "bluesky");
        Assert.Null(variant.Text); // part 1 still follows the main text
        Assert.Equal(["Les mèches en coton", "La cire d’abeille"], CmPortal.Modules.ContentCalendar.Posts.PostThread.Parse(variant.Thread));
        Assert.Null(post.Variants.Single(v => v.Network == "instagram").Thread);
        // Shown again in that order after the save.
        Assert.Equal(["Les mèches en coton", "La cire d’abeille"],
            await page.Locator(".variant-card[data-variant=bluesky] .thread-part textarea").EvaluateAllAsync<string[]>("areas => areas.map(a => a.value)"));
    }
}
