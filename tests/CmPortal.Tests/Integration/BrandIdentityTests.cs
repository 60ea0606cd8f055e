using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>
/// The BrandIdentity module (editorial line and graphic charter) as its users meet it: recipes
/// that are refused with the field to fix, the admin editors (logo upload, history, restore,
/// stale edits), the public site that wears the charter, and who may read or edit what.
/// </summary>
public sealed partial class BrandIdentityTests
{
    private const string Key = "maison-lumen";
    private const string LineEditor = "/admin/maison-lumen/brand/editorial-line";
    private const string CharterEditor = "/admin/maison-lumen/brand/graphic-charter";
    private const string BrandBook = "/admin/maison-lumen/brand";
    private const string DemoMissionStart = "Maison Lumen coule à la main, dans son atelier de la Croix-Rousse";

    // ───────────────────────────── recipes ─────────────────────────────

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_recipe_charter_with_a_bad_colour_or_font_is_refused_with_the_field_and_stores_nothing(Provider provider)
    {
        await using var host = await PortalHost.StartAsync(provider);
        var (error, nothingStored) = await ApplyBadAsync(host, CharterRecipe(
            palette: """
                [ { "name": "Bordeaux", "hex": "#7a2e3a", "role": "primary" },
                  { "name": "Crème", "hex": "#12345G", "role": "background" },
                  { "name": "Fumée", "hex": "#2b2523", "role": "text" } ]
                """,
            typography: """
                { "heading": { "family": "Comic Sans; } body { display:none", "fallback": "Georgia, serif" },
                  "body": { "family": "Source Sans 3", "fallback": "Helvetica Neue, Arial" } }
                """));

        var errors = error.Errors.Select(e => (e.StepIndex, e.StepName, e.Field, e.Message)).ToList();
        Assert.Contains(errors, e => e is (3, "graphicCharter", "palette[1].hex", _) &&
            e.Message.Contains("\"#12345G\" is not a colour. Write it as #RRGGBB"));
        Assert.Contains(errors, e => e is (3, "graphicCharter", "typography.heading.family", _) &&
            e.Message.Contains("\"Comic Sans; } body { display:none\" is not a font family name") &&
            e.Message.Contains("letters, digits, spaces and hyphens only"));
        Assert.Contains(errors, e => e is (3, "graphicCharter", "typography.body.fallback", _) &&
            e.Message.Contains("must end with a generic family such as serif, sans-serif or system-ui, not \"Arial\""));
        Assert.Equal(3, errors.Count);
        Assert.All(error.Errors, e => Assert.Equal("brand.recipe.json", e.File));
        Assert.True(nothingStored, "neither the workspace nor any revision may be stored");

        // The same recipe with the three values corrected applies: the errors were about those values only.
        await host.ApplyRecipeAsync(CharterRecipe(
            palette: """
                [ { "name": "Bordeaux", "hex": "#7a2e3a", "role": "primary" },
                  { "name": "Crème", "hex": "#fbf7f0", "role": "background" },
                  { "name": "Fumée", "hex": "#2b2523", "role": "text" } ]
                """,
            typography: """
                { "heading": { "family": "Comic Sans", "fallback": "Georgia, serif" },
                  "body": { "family": "Source Sans 3", "fallback": "Helvetica Neue, Arial, sans-serif" } }
                """));
        var stored = JsonNode.Parse(await host.ExportAsync("atelier-sable"))!["steps"]!.AsArray().Single(s => s!["step"]!.GetValue<string>() == "graphicCharter")!;
        Assert.Equal("#fbf7f0", stored["palette"]![1]!["hex"]!.GetValue<string>());
        Assert.Equal("Comic Sans", stored["typography"]!["heading"]!["family"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script><rect width="10" height="10"/></svg>""", "<script>")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><rect width="10" height="10"/></svg>""", "onload=")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><image xlink:href="https://evil.example/x.png" width="10" height="10"/></svg>""", "href=\"https://evil.example/x.png\"")]
    public async Task A_recipe_logo_that_could_run_or_phone_home_is_refused_with_the_field_and_stores_nothing(string svg, string named)
    {
        await using var host = await PortalHost.StartAsync();
        var logos = new JsonArray(new JsonObject { ["name"] = "primary", ["svg"] = svg }).ToJsonString();
        var (error, nothingStored) = await ApplyBadAsync(host, CharterRecipe(logos: logos));

        var e = Assert.Single(error.Errors);
        Assert.Equal((3, "graphicCharter", "logos[0].svg"), (e.StepIndex!.Value, e.StepName!, e.Field!));
        Assert.Contains("The SVG carries", e.Message);
        Assert.Contains(named, e.Message);
        Assert.Contains("A logo may not contain scripts, event handlers or references outside the file", e.Message);
        Assert.True(nothingStored);
    }

    [Fact]
    public async Task An_export_carries_the_line_and_the_charter_and_reproduces_the_brand_book_under_a_new_key()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        // Applying the demo recipe again stores nothing new: each document keeps its single version.
        var demo = await File.ReadAllTextAsync(RecipeHostExtensions.ShippedRecipe("demo.recipe.json"));
        var before = await DatabaseSnapshot.ContentAsync(host);
        await host.ApplyRecipeAsync(demo);
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
        Assert.Equal([1], HistoryRows(await admin.GetStringAsync(LineEditor + "/history")).Select(r => r.Version));
        Assert.Equal([1], HistoryRows(await admin.GetStringAsync(CharterEditor + "/history")).Select(r => r.Version));

        var export = JsonNode.Parse(await host.ExportAsync(Key))!;
        var steps = export["steps"]!.AsArray();
        var line = Assert.Single(steps, s => s!["step"]!.GetValue<string>() == "editorialLine")!;
        Assert.StartsWith(DemoMissionStart, line["mission"]!.GetValue<string>());
        Assert.Equal(5, line["pillars"]!.AsArray().Count);
        var charter = Assert.Single(steps, s => s!["step"]!.GetValue<string>() == "graphicCharter")!;
        Assert.Contains(charter["palette"]!.AsArray(), c => c!["hex"]!.GetValue<string>() == "#7a2e3a" && c["role"]!.GetValue<string>() == "primary");
        var logo = Assert.Single(charter["logos"]!.AsArray())!;
        Assert.Equal("primary", logo["name"]!.GetValue<string>());
        // The logo travels inline, as the SVG itself: the export does not depend on this portal's files.
        Assert.StartsWith("<svg", logo["svg"]!.GetValue<string>());
        Assert.Contains("Maison Lumen", logo["svg"]!.GetValue<string>());
        Assert.Null(logo["png"]);

        await host.ApplyRecipeAsync(export.ToJsonString(), new() { ["key"] = "lumen-copie" });
        var original = BrandBookArticle(await admin.GetStringAsync(BrandBook));
        var copy = BrandBookArticle(await admin.GetStringAsync("/admin/lumen-copie/brand"));
        Assert.Contains(DemoMissionStart, original);
        Assert.Contains("/maison-lumen/brand/logo/", original);
        Assert.Equal(original.Replace("/maison-lumen/", "/lumen-copie/"), copy);
        // The copy's public site stays offline until published; then it wears the same charter, logo included.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await host.CreateClient().GetAsync("/lumen-copie/")).StatusCode);
        await host.PublishSiteAsync("lumen-copie");
        var site = await host.CreateClient().GetStringAsync("/lumen-copie/");
        Assert.Contains("--brand-primary: #7a2e3a;", site);
        Assert.Matches("<img src=\"/lumen-copie/brand/logo/[0-9a-f]{64}\\.svg\"[^>]*class=\"site-logo\"", site);
    }

    // ───────────────────────────── logos in the editor ─────────────────────────────

    [Fact]
    public async Task An_uploaded_svg_is_stored_cleaned_served_sandboxed_and_a_file_that_is_no_image_is_refused()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        const string svg = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 120 40" width="120" height="40" onload="alert('svg')">
              <script>alert(document.cookie)</script>
              <foreignObject width="120" height="40"><div xmlns="http://www.w3.org/1999/xhtml">hello</div></foreignObject>
              <image xlink:href="https://evil.example/x.png" width="10" height="10"/>
              <rect width="120" height="40" fill="#7a2e3a"/>
            </svg>
            """;
        var form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form").Set("NewLogoName", "monochrome");
        await AssertSavedAsync(PostMultipartAsync(admin, CharterEditor, form, "monochrome.svg", "image/svg+xml", Encoding.UTF8.GetBytes(svg)), CharterEditor);

        var page = await admin.GetStringAsync(CharterEditor);
        var text = WebUtility.HtmlDecode(page);
        Assert.Contains("Charte graphique enregistrée (version 2).", text);
        // The admin says what was removed.
        var cleaned = Regex.Match(text, "Le logo a été nettoyé avant d’être enregistré\u00a0; retiré\u00a0: (.*?)\\. Vérifiez").Groups[1].Value;
        Assert.Contains("<script>", cleaned);
        Assert.Contains("onload=", cleaned);
        Assert.Contains("<foreignObject>", cleaned);
        Assert.Contains("https://evil.example/x.png", cleaned);

        var logos = HtmlForm.Parse(page, "graphic-charter-form");
        var index = Enumerable.Range(0, 10).Single(i => logos[$"Logos[{i}].Name"] == "monochrome");
        var sha = logos[$"Logos[{index}].Sha256"]!;
        Assert.Equal("primary", logos["Logos[0].Name"]);

        using var visitor = host.CreateClient();
        var file = await visitor.GetAsync($"/{Key}/brand/logo/{sha}.svg");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("image/svg+xml", file.Content.Headers.ContentType?.MediaType);
        var served = await file.Content.ReadAsStringAsync();
        foreach (var gone in new[] { "script", "onload", "alert(", "foreignObject", "evil.example", "hello" })
            Assert.DoesNotContain(gone, served, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<rect", served);
        Assert.Contains("fill=\"#7a2e3a\"", served);
        Assert.Contains("sandbox", string.Join(";", file.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(file.Headers.GetValues("X-Content-Type-Options")));
        // The file belongs to this workspace: another workspace's address does not serve it.
        await host.ApplyRecipeAsync(CharterRecipe());
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/atelier-sable/brand/logo/{sha}.svg")).StatusCode);

        // A text file and an HTML page are not logos: refused with the French message, the charter stays as it is.
        var counts = await DatabaseSnapshot.ContentAsync(host);
        foreach (var (name, type, content, message) in new[]
                 {
                     ("notes.txt", "text/plain", "Bonjour, ceci n’est pas une image.",
                         "Le fichier n’est ni une image PNG ni une image SVG. Donnez le logo en PNG ou en SVG."),
                     ("page.html", "text/html", "<html><body><p>Bonjour</p><script>alert(1)</script></body></html>",
                         "Le fichier est du XML mais pas une image SVG (sa racine est <html>). Donnez le logo en PNG ou en SVG."),
                 })
        {
            form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form").Set("NewLogoName", "primary");
            var response = await PostMultipartAsync(admin, CharterEditor, form, name, type, Encoding.UTF8.GetBytes(content));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([message], ErrorItems(await response.Content.ReadAsStringAsync()));
        }
        await DatabaseSnapshot.AssertUnchangedAsync(host, counts);
        Assert.Equal([2, 1], HistoryRows(await admin.GetStringAsync(CharterEditor + "/history")).Select(r => r.Version));
    }

    [Fact]
    public async Task The_charter_keeps_only_logos_this_workspace_stored_whatever_the_form_posts_back()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var before = await DatabaseSnapshot.CountsAsync(host);

        // A path, and a well-formed hash of no file of this workspace: refused, nothing stored.
        foreach (var forged in new[] { "../../../../etc/passwd", new string('a', 64) })
        {
            var form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form").Set("Logos[0].Sha256", forged);
            var refused = await admin.Http.PostAsync(CharterEditor, form.Content());
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Equal(["Le logo «\u00a0primary\u00a0» n’est pas l’un des logos enregistrés de cette marque. Rechargez la page et ajoutez-le de nouveau."],
                ErrorItems(await refused.Content.ReadAsStringAsync()));
        }
        Assert.Equal(before, await DatabaseSnapshot.CountsAsync(host));

        // A real logo with a forged type and size: the charter describes it from the stored file.
        var kept = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form")
            .Set("Logos[0].Name", "principal").Set("Logos[0].ContentType", "text/html").Set("Logos[0].Width", "1").Set("Logos[0].Height", "1");
        var sha = kept["Logos[0].Sha256"]!;
        var saved = await admin.Http.PostAsync(CharterEditor, kept.Content());
        Assert.Equal(CharterEditor, saved.Headers.Location?.OriginalString);
        var book = WebUtility.HtmlDecode(await admin.GetStringAsync(CharterEditor));
        Assert.Contains("<code>principal</code> · SVG", book);
        Assert.DoesNotContain("· 1×1", book);
        Assert.Contains($"/{Key}/brand/logo/{sha}.svg", book);
        var site = await host.CreateClient().GetStringAsync($"/{Key}/");
        Assert.Contains($"/brand/logo/{sha}.svg", site);
        Assert.DoesNotContain("text/html", site);
    }

    [Fact]
    public async Task An_svg_with_a_doctype_is_refused_in_the_users_words()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        const string svg = """
            <?xml version="1.0"?>
            <!DOCTYPE svg [ <!ENTITY logo "Lumen"> ]>
            <svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><text>&logo;</text></svg>
            """;
        var form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form").Set("NewLogoName", "primary");
        var response = await PostMultipartAsync(admin, CharterEditor, form, "logo.svg", "image/svg+xml", Encoding.UTF8.GetBytes(svg));
        var message = Assert.Single(ErrorItems(await response.Content.ReadAsStringAsync()));
        Assert.StartsWith("Le fichier SVG commence par une déclaration DOCTYPE", message);
        Assert.DoesNotContain("DtdProcessing", message);
    }

    [Fact]
    public async Task A_logo_file_chosen_for_a_refused_save_is_kept_and_the_corrected_save_adds_it()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        const string svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40"><rect width="40" height="40" fill="#2b2523"/></svg>""";

        // A valid logo file with a palette mistake elsewhere: the save is refused...
        var form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form").Set("NewLogoName", "monochrome");
        form.Set($"Palette[{PaletteRow(form, "Accent")}].Hex", "orange");
        var refused = await PostMultipartAsync(admin, CharterEditor, form, "monochrome.svg", "image/svg+xml", Encoding.UTF8.GetBytes(svg));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal(["«\u00a0orange\u00a0» n’est pas une couleur. Écrivez-la sous la forme #RRGGBB, par exemple #8A3B12."], ErrorItems(page));
        // ...and the page keeps the file: it shows it and carries it to the next save, the user does not choose it again.
        var shown = HtmlForm.Parse(page, "graphic-charter-form");
        var sha = shown["PendingLogoSha256"] ?? "";
        Assert.Matches("^[0-9a-f]{64}$", sha);
        Assert.Equal("monochrome", shown["NewLogoName"]);
        Assert.Contains($"/{Key}/brand/logo/{sha}.svg", page);
        Assert.Contains("Le fichier logo que vous avez choisi est gardé", WebUtility.HtmlDecode(page));
        Assert.Equal([1], HistoryRows(await admin.GetStringAsync(CharterEditor + "/history")).Select(r => r.Version));
        Assert.Contains("fill=\"#2b2523\"", await admin.GetStringAsync($"/{Key}/brand/logo/{sha}.svg"));

        // The corrected form, sent without a file, adds the logo kept from the first try.
        shown.Set($"Palette[{PaletteRow(shown, "Accent")}].Hex", "#c8892b");
        await AssertSavedAsync(admin.Http.PostAsync(CharterEditor, shown.MultipartContent()), CharterEditor);
        var logos = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form");
        var index = Enumerable.Range(0, 10).Single(i => logos[$"Logos[{i}].Name"] == "monochrome");
        Assert.Equal(sha, logos[$"Logos[{index}].Sha256"]);
        Assert.Equal("primary", logos["Logos[0].Name"]);
        // The brand book shows each logo on a light and on a dark tile.
        var book = BrandBookArticle(await admin.GetStringAsync(BrandBook));
        Assert.Contains($"<div class=\"logo-tile logo-tile-light\"><img src=\"/{Key}/brand/logo/{sha}.svg\"", book);
        Assert.Contains($"<div class=\"logo-tile logo-tile-dark\"><img src=\"/{Key}/brand/logo/{sha}.svg\"", book);
    }

    // ───────────────────────────── history and restore ─────────────────────────────

    [Fact]
    public async Task Restoring_the_first_editorial_line_adds_a_third_version_and_the_site_shows_its_mission_again()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        using var visitor = host.CreateClient();
        Assert.StartsWith(DemoMissionStart, Introduction(await visitor.GetStringAsync($"/{Key}/")));

        const string newMission = "Maison Lumen éclaire les soirées lyonnaises depuis 2014.";
        var form = HtmlForm.Parse(await admin.GetStringAsync(LineEditor), "editorial-line-form").Set("Mission", newMission);
        await AssertSavedAsync(admin.Http.PostAsync(LineEditor, form.Content()), LineEditor);
        Assert.Equal(newMission, Introduction(await visitor.GetStringAsync($"/{Key}/")));

        var restore = await PostFromPageAsync(admin, LineEditor + "/history/1/restore", LineEditor + "/history");
        var history = await admin.AssertRedirectWithMessageAsync(restore, LineEditor + "/history", "Version 1 restaurée comme version 3.");
        var rows = HistoryRows(history);
        Assert.Equal([3, 2, 1], rows.Select(r => r.Version));
        Assert.Contains("Restaurée depuis la version 1", rows[0].Text);
        Assert.DoesNotContain("Restaurée depuis", rows[1].Text);

        // Version 3 is version 1 again: in the editor, in the brand book and on the public home.
        Assert.StartsWith(DemoMissionStart, HtmlForm.Parse(await admin.GetStringAsync(LineEditor), "editorial-line-form")["Mission"]);
        Assert.Contains("Vous modifiez la version 3.", WebUtility.HtmlDecode(await admin.GetStringAsync(LineEditor)));
        Assert.StartsWith(DemoMissionStart, Introduction(await visitor.GetStringAsync($"/{Key}/")));
        Assert.DoesNotContain(newMission, await admin.GetStringAsync(BrandBook));
        Assert.Contains(newMission, await admin.GetStringAsync(LineEditor + "/history/2"));
    }

    [Fact]
    public async Task The_history_says_who_saved_when_and_which_field_changed()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var form = HtmlForm.Parse(await admin.GetStringAsync(LineEditor), "editorial-line-form")
            .Set("Mission", "Des bougies coulées à la main, à Lyon, depuis 2014.");
        var savedFrom = DateTime.UtcNow;
        await AssertSavedAsync(admin.Http.PostAsync(LineEditor, form.Content()), LineEditor);
        var savedTo = DateTime.UtcNow;
        Assert.Contains("Ligne éditoriale enregistrée (version 2).", WebUtility.HtmlDecode(await admin.GetStringAsync(LineEditor)));

        var rows = HistoryRows(await admin.GetStringAsync(LineEditor + "/history"));
        Assert.Equal([2, 1], rows.Select(r => r.Version));
        // Who: the display name the administrator chose, never the e-mail they sign in with.
        Assert.Contains("par Admin.", rows[0].Text);
        Assert.DoesNotContain(PortalHost.AdminEmail, rows[0].Text);
        Assert.Contains("Recette", rows[1].Text);
        // Only the mission was changed: the history lists that field, nothing the form round trip touched.
        Assert.Equal(["Mission"], rows[0].Changes);
        Assert.EndsWith("→ « Des bougies coulées à la main, à Lyon, depuis 2014. »", rows[0].Lines[0]);
        // When: the date and time of the save, as the team reads them (the workspace is in Europe/Paris).
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var french = CultureInfo.GetCultureInfo("fr-FR");
        // In words, as every page writes a date (« 2 décembre 2026 03:50 »), not « 02/12/2026 03:50 ».
        var expected = new[] { savedFrom, savedTo }.Select(t => CmPortal.Core.Localization.PortalValues.DateTime(TimeZoneInfo.ConvertTimeFromUtc(t, paris), french).Replace('\u00a0', ' ')).Distinct().ToList();
        Assert.True(expected.Any(rows[0].Text.Replace('\u00a0', ' ').Contains),
            $"The history row should show the time of the save in the workspace's time zone ({string.Join(" or ", expected)}); it shows: {rows[0].Text}");
    }

    [Fact]
    public async Task A_save_based_on_a_version_someone_else_replaced_meanwhile_is_refused()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("cm@maison-lumen.test", Key, DefaultRoles.CommunityManager);
        using var first = await host.SignInAsync();
        using var second = await host.SignInAsync("cm@maison-lumen.test", MemberHostExtensions.MemberPassword);

        // Both open the editor on version 1.
        var firstForm = HtmlForm.Parse(await first.GetStringAsync(LineEditor), "editorial-line-form");
        var secondForm = HtmlForm.Parse(await second.GetStringAsync(LineEditor), "editorial-line-form");
        Assert.Equal(("1", "1"), (firstForm["BaseRevision"], secondForm["BaseRevision"]));

        const string firstMission = "Première version, enregistrée d’abord.";
        await AssertSavedAsync(first.Http.PostAsync(LineEditor, firstForm.Set("Mission", firstMission).Content()), LineEditor);
        var counts = await DatabaseSnapshot.ContentAsync(host);

        var refused = await second.Http.PostAsync(LineEditor, secondForm.Set("Mission", "Seconde version, qui écraserait la première.").Content());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var summary = Assert.Single(ErrorItems(await refused.Content.ReadAsStringAsync()));
        Assert.Contains("Quelqu’un a enregistré la version 2 de la ligne éditoriale pendant que vous la modifiiez.", summary);
        Assert.Contains("Ouvrez l’historique pour voir ses changements", summary);

        await DatabaseSnapshot.AssertUnchangedAsync(host, counts);
        Assert.Equal(firstMission, Introduction(await host.CreateClient().GetStringAsync($"/{Key}/")));
        Assert.Equal([2, 1], HistoryRows(await first.GetStringAsync(LineEditor + "/history")).Select(r => r.Version));
    }

    [Fact]
    public async Task Pillars_whose_shares_do_not_add_up_to_100_are_refused_in_french_and_nothing_is_saved()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        // The user rewrites the first two pillars and removes the other three rows with their buttons.
        var form = HtmlForm.Parse(await admin.GetStringAsync(LineEditor), "editorial-line-form")
            .Set("Pillars[0].Name", "Atelier").Set("Pillars[0].Share", "50").Set("Pillars[0].Kind", "Value")
            .Set("Pillars[1].Name", "Offres").Set("Pillars[1].Share", "30").Set("Pillars[1].Kind", "Promotion")
            .RemoveRows("Pillars", from: 2);
        var counts = await DatabaseSnapshot.ContentAsync(host);
        var response = await admin.Http.PostAsync(LineEditor, form.Content());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(["Les parts des piliers font 80\u00a0% au total\u00a0; elles doivent faire 100\u00a0%."], ErrorItems(page));
        // What the user typed is still in the form, to be corrected.
        var shown = HtmlForm.Parse(page, "editorial-line-form");
        Assert.Equal(("Atelier", "50", "Offres", "30"), (shown["Pillars[0].Name"], shown["Pillars[0].Share"], shown["Pillars[1].Name"], shown["Pillars[1].Share"]));
        await DatabaseSnapshot.AssertUnchangedAsync(host, counts);
        Assert.Contains("Savoir-faire &amp; atelier", await admin.GetStringAsync(BrandBook));
    }

    [Fact]
    public async Task Vocabulary_rows_are_added_and_removed_and_a_refused_row_shows_its_error_next_to_it()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var form = HtmlForm.Parse(await admin.GetStringAsync(LineEditor), "editorial-line-form");
        var preferred = Enumerable.Range(0, 50).First(i => form[$"Preferred[{i}].Term"] is null);
        Assert.Equal("pas cher", form["Banned[0].Term"]);
        Assert.NotNull(form["Banned[1].Term"]);

        // A new preferred term (a blank row left between rows is ignored), without the words it replaces: refused, next to its row.
        form.Set($"Preferred[{preferred}].Term", "").Set($"Preferred[{preferred}].Replaces", "")
            .Set($"Preferred[{preferred + 1}].Term", "fait main").Set($"Preferred[{preferred + 1}].Replaces", "")
            .RemoveRows("Banned", from: 1);
        var refused = await admin.Http.PostAsync(LineEditor, form.Content());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Equal(["Indiquez les mots que «\u00a0fait main\u00a0» remplace."], ErrorItems(page));
        Assert.Matches($"<span class=\"field-validation-error\" data-valmsg-for=\"Preferred\\[{preferred + 1}\\]\\.Replaces\"[^>]*>Indiquez les mots", page);

        // Corrected, it is saved; the banned terms removed are gone.
        var shown = HtmlForm.Parse(page, "editorial-line-form").Set($"Preferred[{preferred + 1}].Replaces", "manufacturé, à la chaîne");
        await AssertSavedAsync(admin.Http.PostAsync(LineEditor, shown.Content()), LineEditor);
        var saved = HtmlForm.Parse(await admin.GetStringAsync(LineEditor), "editorial-line-form");
        Assert.Equal(("fait main", "manufacturé, à la chaîne"), (saved[$"Preferred[{preferred}].Term"], saved[$"Preferred[{preferred}].Replaces"]));
        Assert.Null(saved[$"Preferred[{preferred + 1}].Term"]);
        Assert.Equal("pas cher", saved["Banned[0].Term"]);
        Assert.Null(saved["Banned[1].Term"]);
    }

    // ───────────────────────────── the public site ─────────────────────────────

    [Fact]
    public async Task A_new_primary_colour_shows_on_the_next_public_request_without_restart()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        using var visitor = host.CreateClient();
        // The style is read (and cached) before the change.
        Assert.Equal("#7a2e3a", CssVariable(await visitor.GetStringAsync($"/{Key}/"), "--brand-primary"));

        var form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form");
        form.Set($"Palette[{PaletteRow(form, "Primary")}].Hex", "#1F4E79");
        await AssertSavedAsync(admin.Http.PostAsync(CharterEditor, form.MultipartContent()), CharterEditor);

        var site = await visitor.GetStringAsync($"/{Key}/");
        Assert.Equal("#1f4e79", CssVariable(site, "--brand-primary"));
        Assert.Contains("#1f4e79", await admin.GetStringAsync(BrandBook));
    }

    [Fact]
    public async Task A_text_colour_that_fails_AA_is_flagged_in_the_editor_and_replaced_by_a_readable_one_on_the_site()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form");
        form.Set($"Palette[{PaletteRow(form, "Background")}].Hex", "#ffffff").Set($"Palette[{PaletteRow(form, "Text")}].Hex", "#999999");
        await AssertSavedAsync(admin.Http.PostAsync(CharterEditor, form.MultipartContent()), CharterEditor);

        var site = await host.CreateClient().GetStringAsync($"/{Key}/");
        Assert.Equal("#ffffff", CssVariable(site, "--brand-background"));
        var text = CssVariable(site, "--brand-text");
        Assert.NotEqual("#999999", text);
        Assert.True(Contrast(text, "#ffffff") >= 4.5, $"--brand-text {text} on #ffffff has a contrast of {Contrast(text, "#ffffff"):0.00}:1");
        Assert.True(Contrast("#999999", "#ffffff") < 4.5);

        // The editor says which pair fails and what the site shows instead.
        var editor = WebUtility.HtmlDecode(await admin.GetStringAsync(CharterEditor));
        var row = Regex.Match(editor, "<tr class=\"table-warning\" data-passes=\"false\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, "the contrast table has a failing row");
        Assert.Contains("Texte courant sur le fond", row.Groups[1].Value);
        Assert.Contains("Échoue AA", row.Groups[1].Value);
        Assert.Contains($"Le site public affiche {text} à la place", row.Groups[1].Value);
        Assert.Single(Regex.Matches(editor, "data-passes=\"false\""));
    }

    // ───────────────────────────── who may do what ─────────────────────────────

    [Fact]
    public async Task A_contributor_reads_the_brand_book_but_cannot_open_or_post_to_the_editors()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("plume@maison-lumen.test", Key, DefaultRoles.Contributor);
        using var contributor = await host.SignInAsync("plume@maison-lumen.test", MemberHostExtensions.MemberPassword);

        var book = await contributor.GetAsync(BrandBook);
        Assert.Equal(HttpStatusCode.OK, book.StatusCode);
        var html = await book.Content.ReadAsStringAsync();
        Assert.Contains(DemoMissionStart, WebUtility.HtmlDecode(html));
        Assert.Contains("Bordeaux Croix-Rousse", html);
        Assert.Contains("#7a2e3a", html);
        Assert.DoesNotContain("href=\"/admin/maison-lumen/brand/editorial-line\"", BrandBookArticle(html));

        // They may read the history, without a button to restore a version.
        var history = await contributor.GetStringAsync(LineEditor + "/history");
        Assert.Equal([1], HistoryRows(history).Select(r => r.Version));
        Assert.DoesNotContain("/restore", history);

        var counts = await DatabaseSnapshot.ContentAsync(host);
        foreach (var path in new[] { LineEditor, CharterEditor })
        {
            await AssertForbiddenAsync(contributor, await contributor.GetAsync(path));
            var form = new FormUrlEncodedContent([new("Mission", "Piratée"), new("BaseRevision", "1"), new("__RequestVerificationToken", TokenOf(html))]);
            await AssertForbiddenAsync(contributor, await contributor.Http.PostAsync(path, form));
        }
        await AssertForbiddenAsync(contributor, await PostFromPageAsync(contributor, LineEditor + "/history/1/restore", LineEditor + "/history"));
        await DatabaseSnapshot.AssertUnchangedAsync(host, counts);

        // The menu offers what they can open: the brand book, not the editors that would answer 403.
        var menu = WebUtility.HtmlDecode(AdminMenu(html));
        Assert.Contains("Livre de marque", menu);
        Assert.DoesNotContain("Ligne éditoriale", menu);
        Assert.DoesNotContain("Charte graphique", menu);
    }

    // ───────────────────────────── helpers ─────────────────────────────

    private static async Task<(RecipeException Error, bool NothingStored)> ApplyBadAsync(PortalHost host, string json)
    {
        var before = await DatabaseSnapshot.ContentAsync(host);
        var error = await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(json, file: "brand.recipe.json"));
        return (error, before.DifferencesFrom(await DatabaseSnapshot.ContentAsync(host)).Length == 0);
    }

    /// <summary>A workspace with the module on and a graphic charter; valid unless a part is given.</summary>
    private static string CharterRecipe(string? palette = null, string? typography = null, string? logos = null) => $$"""
        { "name": "brand", "steps": [
          { "step": "workspace", "key": "atelier-sable", "name": "Atelier Sable" },
          { "step": "modules", "enable": ["BrandIdentity"] },
          { "step": "graphicCharter",
            "palette": {{palette ?? """[ { "name": "Sable", "hex": "#8a5a2b", "role": "primary" }, { "name": "Blanc", "hex": "#ffffff", "role": "background" }, { "name": "Encre", "hex": "#1b1b1b", "role": "text" } ]"""}},
            "typography": {{typography ?? """{ "heading": { "family": "Lora", "fallback": "Georgia, serif" }, "body": { "family": "Inter", "fallback": "Arial, sans-serif" } }"""}},
            "logos": {{logos ?? "[]"}} } ] }
        """;

    /// <summary>An editor's save succeeded: it redirects back to the editor. Otherwise the message shows the errors the page gave.</summary>
    private static async Task AssertSavedAsync(Task<HttpResponseMessage> post, string editor)
    {
        var response = await post;
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            ResponseAssert.AssertRedirect(response, editor);
            return;
        }
        var html = await response.Content.ReadAsStringAsync();
        var errors = Regex.Match(html, "<div class=\"[^\"]*validation-summary-errors[^\"]*\"[^>]*>.*?</div>", RegexOptions.Singleline);
        throw new Xunit.Sdk.XunitException($"The save was not accepted ({(int)response.StatusCode}): " +
            WebUtility.HtmlDecode(Regex.Replace(errors.Success ? errors.Value : html, "<[^>]+>", " ")));
    }

    private static async Task AssertForbiddenAsync(PortalClient client, HttpResponseMessage response)
    {
        // The portal answers a member who lacks a permission with its "access denied" page, status 403.
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            var location = response.Headers.Location!.OriginalString;
            Assert.StartsWith("/account/denied", new Uri(client.Http.BaseAddress!, location).PathAndQuery);
            response = await client.GetAsync(location);
        }
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>Posts an action button's form (just the antiforgery token) the way the page that shows it would.</summary>
    private static async Task<HttpResponseMessage> PostFromPageAsync(PortalClient client, string action, string page)
    {
        var html = await (await client.GetAsync(page)).Content.ReadAsStringAsync();
        return await client.Http.PostAsync(action, new FormUrlEncodedContent([new("__RequestVerificationToken", TokenOf(html))]));
    }

    private static string TokenOf(string html) => WebUtility.HtmlDecode(PortalHost.AntiforgeryField().Match(html).Groups[1].Value);

    private static async Task<HttpResponseMessage> PostMultipartAsync(PortalClient client, string path, HtmlForm form, string fileName, string contentType, byte[] file)
    {
        var content = form.MultipartContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Add(part, "NewLogoFile", fileName);
        return await client.Http.PostAsync(path, content);
    }

    private sealed record HistoryRow(int Version, string Text, List<string> Changes, List<string> Lines);

    /// <summary>
    /// The entries of a history page, newest first: number, visible text (spaces, non-breaking ones included, made
    /// plain), the fields it changed (their codes) and each change as the page words it.
    /// </summary>
    private static List<HistoryRow> HistoryRows(string html) =>
        Seen(html).QuerySelectorAll("#history > li[data-version]")
            .Select(li => new HistoryRow(int.Parse(li.GetAttribute("data-version")!), Plain(li.TextContent),
                li.QuerySelectorAll(".history-change").Select(c => c.GetAttribute("data-field")!).ToList(),
                li.QuerySelectorAll(".history-change").Select(c => Plain(c.TextContent)).ToList()))
            .ToList();

    /// <summary>The page as a sighted reader sees it: without the words only screen readers get.</summary>
    private static AngleSharp.Dom.IDocument Seen(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        foreach (var hidden in document.QuerySelectorAll(".visually-hidden").ToList()) hidden.Remove();
        return document;
    }

    /// <summary>Text with runs of spaces (non-breaking ones too) as one plain space.</summary>
    private static string Plain(string text) => Regex.Replace(text, @"[\s\u00a0\u202f]+", " ").Trim();

    private static string BrandBookArticle(string html) =>
        Regex.Match(html, "<article class=\"brand-book\">.*</article>", RegexOptions.Singleline) is { Success: true } m ? m.Value
            : throw new Xunit.Sdk.XunitException("The page has no brand book article.");

    private static string AdminMenu(string html) =>
        Regex.Match(html, "<nav class=\"[^\"]*\\badmin-menu\\b[^\"]*\"[^>]*>.*?</nav>", RegexOptions.Singleline) is { Success: true } m ? m.Value
            : throw new Xunit.Sdk.XunitException("The page has no admin menu.");

    /// <summary>The messages of the page's error summary.</summary>
    private static List<string> ErrorItems(string html) =>
        Regex.Match(html, "<div class=\"[^\"]*validation-summary-errors[^\"]*\"[^>]*>(.*?)</div>", RegexOptions.Singleline) is { Success: true } m
            ? Regex.Matches(m.Groups[1].Value, "<li>(.*?)</li>", RegexOptions.Singleline).Select(li => WebUtility.HtmlDecode(li.Groups[1].Value).Trim()).ToList()
            : throw new Xunit.Sdk.XunitException("The page shows no error summary:" + Environment.NewLine + html);

    private static string Introduction(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "<p class=\"site-introduction\">(.*?)</p>", RegexOptions.Singleline).Groups[1].Value);

    private static string CssVariable(string html, string name) =>
        Regex.Match(html, Regex.Escape(name) + ":\\s*([^;]+);") is { Success: true } m ? m.Groups[1].Value.Trim()
            : throw new Xunit.Sdk.XunitException($"The page does not set {name}.");

    private static int PaletteRow(HtmlForm form, string role) =>
        Enumerable.Range(0, 20).First(i => form[$"Palette[{i}].Role"] == role && !string.IsNullOrEmpty(form[$"Palette[{i}].Hex"]));

    /// <summary>WCAG 2.1 contrast ratio of two #rrggbb colours, computed here independently of the module.</summary>
    private static double Contrast(string a, string b)
    {
        static double Luminance(string hex)
        {
            double Channel(int offset)
            {
                var s = int.Parse(hex.AsSpan(offset, 2), NumberStyles.HexNumber) / 255.0;
                return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
            }
            return 0.2126 * Channel(1) + 0.7152 * Channel(3) + 0.0722 * Channel(5);
        }
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    /// <summary>
    /// The fields a browser sends for a form of a page: text and hidden inputs, ticked boxes, the
    /// selected option of each select, textareas. Lets a test change a field and post the rest as shown.
    /// </summary>
    private sealed partial class HtmlForm
    {
        private readonly List<KeyValuePair<string, string>> _fields;

        private HtmlForm(List<KeyValuePair<string, string>> fields) => _fields = fields;

        /// <summary>The first value posted under the name, or null.</summary>
        public string? this[string name] => _fields.FirstOrDefault(f => f.Key == name) is { Key: not null } f ? f.Value : null;

        public static HtmlForm Parse(string html, string formId)
        {
            var form = Regex.Match(html, $"<form\\b[^>]*\\bid=\"{Regex.Escape(formId)}\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
            if (!form.Success) throw new Xunit.Sdk.XunitException($"The page has no form #{formId}.");
            var fields = new List<KeyValuePair<string, string>>();
            // A <template>'s fields (the blank row an "Add" button copies) are not part of the form.
            var shown = Regex.Replace(form.Groups[1].Value, "<template\\b.*?</template>", "", RegexOptions.Singleline | RegexOptions.IgnoreCase);
            foreach (Match control in Controls().Matches(shown))
            {
                var attributes = Attributes(control.Groups["attributes"].Value);
                if (!attributes.TryGetValue("name", out var name) || attributes.ContainsKey("disabled")) continue;
                switch (control.Groups["tag"].Value.ToLowerInvariant())
                {
                    case "input":
                        var type = attributes.GetValueOrDefault("type", "text").ToLowerInvariant();
                        if (type is "submit" or "button" or "file" or "image" or "reset") continue;
                        if (type is "checkbox" or "radio" && !attributes.ContainsKey("checked")) continue;
                        fields.Add(new(name, attributes.GetValueOrDefault("value", type is "checkbox" or "radio" ? "on" : "")));
                        break;
                    case "textarea":
                        var text = WebUtility.HtmlDecode(control.Groups["content"].Value);
                        fields.Add(new(name, text.StartsWith("\r\n") ? text[2..] : text.StartsWith('\n') ? text[1..] : text));
                        break;
                    case "select":
                        var options = Options().Matches(control.Groups["content"].Value)
                            .Select(o => (Attributes: Attributes(o.Groups["attributes"].Value), Text: WebUtility.HtmlDecode(o.Groups["text"].Value).Trim())).ToList();
                        if (options.Count == 0) continue;
                        var chosen = options.FirstOrDefault(o => o.Attributes.ContainsKey("selected"));
                        if (chosen.Attributes is null) chosen = options[0];
                        fields.Add(new(name, chosen.Attributes.GetValueOrDefault("value", chosen.Text)));
                        break;
                }
            }
            return new HtmlForm(fields);
        }

        /// <summary>Replaces every value posted under the name by this one (adds it when absent).</summary>
        public HtmlForm Set(string name, string value)
        {
            var index = _fields.FindIndex(f => f.Key == name);
            _fields.RemoveAll(f => f.Key == name);
            _fields.Insert(index < 0 ? _fields.Count : index, new(name, value));
            return this;
        }

        /// <summary>Removes the rows of a list from a row on, as the rows' "Remove" buttons do (the rows before keep their numbers).</summary>
        public HtmlForm RemoveRows(string list, int from)
        {
            _fields.RemoveAll(f => Regex.Match(f.Key, $"^{Regex.Escape(list)}\\[(\\d+)\\]") is { Success: true } m && int.Parse(m.Groups[1].Value) >= from);
            return this;
        }

        public FormUrlEncodedContent Content() => new(_fields);

        public MultipartFormDataContent MultipartContent()
        {
            var content = new MultipartFormDataContent();
            foreach (var (name, value) in _fields) content.Add(new StringContent(value), name);
            return content;
        }

        private static Dictionary<string, string> Attributes(string text) =>
            AttributePattern().Matches(text)
                .GroupBy(m => m.Groups["name"].Value.ToLowerInvariant())
                .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["value"].Success ? g.First().Groups["value"].Value : ""));

        [GeneratedRegex("<(?<tag>input)\\b(?<attributes>[^>]*)>|<(?<tag>textarea|select)\\b(?<attributes>[^>]*)>(?<content>.*?)</\\k<tag>>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
        private static partial Regex Controls();

        [GeneratedRegex("<option\\b(?<attributes>[^>]*)>(?<text>.*?)</option>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
        private static partial Regex Options();

        [GeneratedRegex("(?<name>[^\\s=/\"'>]+)(?:\\s*=\\s*(?:\"(?<value>[^\"]*)\"|'(?<value>[^']*)'))?")]
        private static partial Regex AttributePattern();
    }
}
