using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Fonts that really load: the catalogue's open fonts and the networks' logos are served by the portal, a brand's own
/// WOFF2 file is checked, stored and served like logos, and recipes name catalogue fonts by id.
/// </summary>
public sealed partial class BrandIdentityTests
{
    private const string Shipped = "/_content/CmPortal.Modules.BrandIdentity/lib";

    [Fact]
    public async Task Every_catalogue_font_file_its_licence_and_every_network_logo_is_served_by_the_portal()
    {
        await using var host = await PortalHost.StartAsync();
        using var visitor = host.CreateClient();
        string[] fonts = ["inter", "roboto", "open-sans", "lato", "montserrat", "poppins", "source-sans-3", "raleway", "merriweather",
            "playfair-display", "lora", "bebas-neue", "jetbrains-mono"];
        foreach (var font in fonts)
        {
            foreach (var subset in new[] { "latin", "latin-ext" })
            foreach (var weight in font == "bebas-neue" ? new[] { 400 } : [400, 700])
            {
                var file = await visitor.GetAsync($"{Shipped}/fonts/{font}/files/{font}-{subset}-{weight}-normal.woff2");
                Assert.True(file.StatusCode == HttpStatusCode.OK, $"{font} {subset} {weight}: {(int)file.StatusCode}");
                Assert.Equal("font/woff2", file.Content.Headers.ContentType?.MediaType);
                Assert.Equal("wOF2", Encoding.ASCII.GetString((await file.Content.ReadAsByteArrayAsync())[..4]));
            }
            var licence = await visitor.GetStringAsync($"{Shipped}/fonts/{font}/LICENSE");
            Assert.Contains("SIL OPEN FONT LICENSE", licence.ToUpperInvariant());
        }
        foreach (var network in new[] { "facebook", "instagram", "linkedin", "x", "youtube", "tiktok", "pinterest", "snapchat", "twitch", "mastodon", "bluesky", "threads", "blog" })
        {
            var icon = await visitor.GetAsync($"{Shipped}/networks/{network}.svg");
            Assert.True(icon.StatusCode == HttpStatusCode.OK, $"{network}: {(int)icon.StatusCode}");
            Assert.Contains("<svg", await icon.Content.ReadAsStringAsync());
        }
        Assert.Contains("CC0", await visitor.GetStringAsync($"{Shipped}/networks/LICENSE.md"));
        Assert.Contains("MIT", await visitor.GetStringAsync($"{Shipped}/networks/LICENSE-bootstrap-icons"));
    }

    [Fact]
    public async Task A_brand_font_in_woff2_is_stored_served_as_font_woff2_and_loaded_by_the_site_and_other_files_are_refused_in_french()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        using var visitor = host.CreateClient();
        // A real WOFF2 file: one the portal ships.
        var woff2 = await visitor.Http.GetByteArrayAsync($"{Shipped}/fonts/lora/files/lora-latin-400-normal.woff2");
        var sha = Convert.ToHexStringLower(SHA256.HashData(woff2));

        var form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form")
            .Set("NewFontFamily", "Lumen Serif").Set("NewFontWeight", "400").Set("HeadingChoice", "own:Lumen Serif");
        await AssertSavedAsync(PostFontAsync(admin, form, "lumen-serif.woff2", woff2), CharterEditor);

        // The public home loads it from the workspace's public address, for its headings.
        var home = await visitor.GetStringAsync($"/{Key}/");
        Assert.Contains($"@font-face {{ font-family: 'Lumen Serif'; font-style: normal; font-weight: 400; font-display: swap; src: url('/{Key}/brand/font/{sha}.woff2') format('woff2');", home);
        Assert.StartsWith("'Lumen Serif', ", CssVariable(home, "--brand-font-heading"));
        var served = await visitor.GetAsync($"/{Key}/brand/font/{sha}.woff2");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("font/woff2", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", served.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Assert.Single(served.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(woff2, await served.Content.ReadAsByteArrayAsync());
        // A font file is not a logo, and another workspace does not serve it.
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/{Key}/brand/logo/{sha}.png")).StatusCode);
        // The editor lists it and offers it in the pickers.
        var editor = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form");
        Assert.Equal(("Lumen Serif", "400", sha), (editor["Fonts[0].Family"], editor["Fonts[0].Weight"], editor["Fonts[0].Sha256"]));
        Assert.Equal("own:Lumen Serif", editor["HeadingChoice"]);
        Assert.Equal("source-sans-3", editor["BodyChoice"]);

        // A TrueType file, a PNG and a WOFF2 over 1 MB are refused with a French message; nothing is stored.
        var counts = await DatabaseSnapshot.ContentAsync(host);
        var oversize = new byte[1024 * 1024 + 10];
        "wOF2"u8.CopyTo(oversize);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(oversize.AsSpan(8), (uint)oversize.Length);
        foreach (var (name, content, message) in new[]
                 {
                     ("lumen.ttf", new byte[] { 0, 1, 0, 0, 0, 12, 0, 128, 0, 3, 0, 64 }.Concat(new byte[100]).ToArray(),
                         "Le fichier n’est pas une police WOFF2. Convertissez la police en WOFF2 (par exemple avec woff2_compress) et donnez ce fichier."),
                     ("logo.png", Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="),
                         "Le fichier n’est pas une police WOFF2. Convertissez la police en WOFF2 (par exemple avec woff2_compress) et donnez ce fichier."),
                     ("huge.woff2", oversize,
                         "Le fichier de police pèse 1024\u00a0Ko\u00a0; une police peut peser 1024\u00a0Ko au plus. Gardez seulement les caractères utiles (un sous-ensemble latin) et exportez-la de nouveau."),
                 })
        {
            form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form").Set("NewFontFamily", "Lumen Sans");
            var response = await PostFontAsync(admin, form, name, content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal([message], ErrorItems(await response.Content.ReadAsStringAsync()));
        }
        await DatabaseSnapshot.AssertUnchangedAsync(host, counts);

        // A family name that could break out of the style element is refused too.
        form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form").Set("NewFontFamily", "X'; } body { display:none");
        var refused = await PostFontAsync(admin, form, "x.woff2", woff2);
        Assert.Contains(ErrorItems(await refused.Content.ReadAsStringAsync()), e => e.StartsWith("«\u00a0X'; } body { display:none\u00a0» n’est pas un nom de police."));
    }

    [Fact]
    public async Task A_recipe_naming_a_font_the_catalogue_lacks_is_refused_with_the_field_and_stores_nothing()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, nothingStored) = await ApplyBadAsync(host, CharterRecipe(typography: """
            { "heading": { "font": "comic-sans" }, "body": { "font": "inter" } }
            """));
        var e = Assert.Single(error.Errors);
        Assert.Equal((3, "graphicCharter", "typography.heading.font"), (e.StepIndex!.Value, e.StepName!, e.Field!));
        Assert.Contains("\"comic-sans\" is not a font of the catalogue. Use one of: inter, roboto,", e.Message);
        Assert.Contains("playfair-display", e.Message);
        Assert.True(nothingStored, "neither the workspace nor any revision may be stored");

        // Catalogue ids alone are enough: the family and a fallback follow, and an export gives the ids back.
        await host.ApplyRecipeAsync(CharterRecipe(typography: """{ "heading": { "font": "bebas-neue" }, "body": { "font": "inter" } }"""));
        var step = JsonNode.Parse(await host.ExportAsync("atelier-sable"))!["steps"]!.AsArray().Single(s => s!["step"]!.GetValue<string>() == "graphicCharter")!;
        Assert.Equal("bebas-neue", step["typography"]!["heading"]!["font"]!.GetValue<string>());
        Assert.Null(step["typography"]!["heading"]!["family"]);
        Assert.Equal("Impact, sans-serif", step["typography"]!["heading"]!["fallback"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("http://www.instagram.com/lumen")]
    [InlineData("https://user:secret@evil.example/")]
    public async Task A_network_profile_that_is_not_an_https_address_is_refused_before_the_site_could_link_to_it(string address)
    {
        await using var host = await PortalHost.StartAsync();
        var line = new JsonObject
        {
            ["step"] = "editorialLine", ["mission"] = "Des bougies.",
            ["networks"] = new JsonArray(new JsonObject { ["network"] = "instagram", ["profileUrl"] = address }),
        };
        var recipe = new JsonObject
        {
            ["name"] = "brand",
            ["steps"] = new JsonArray(
                new JsonObject { ["step"] = "workspace", ["key"] = "atelier-sable", ["name"] = "Atelier Sable" },
                new JsonObject { ["step"] = "modules", ["enable"] = new JsonArray("BrandIdentity") },
                line),
        };
        var (error, nothingStored) = await ApplyBadAsync(host, recipe.ToJsonString());
        var e = Assert.Single(error.Errors);
        Assert.Equal((3, "editorialLine", "networks[0].profileUrl"), (e.StepIndex!.Value, e.StepName!, e.Field!));
        Assert.Contains("is not the address of a profile. Write the full address, starting with https://", e.Message);
        Assert.True(nothingStored);
    }

    private static async Task<HttpResponseMessage> PostFontAsync(PortalClient client, HtmlForm form, string fileName, byte[] file)
    {
        var content = form.MultipartContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".woff2") ? "font/woff2" : "application/octet-stream");
        content.Add(part, "NewFontFile", fileName);
        return await client.Http.PostAsync(CharterEditor, content);
    }
}
