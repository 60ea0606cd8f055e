using System.Net;
using System.Text;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>The media library: images uploaded, recognised by their bytes, described, served to members, deleted when unused.</summary>
public sealed class MediaLibraryTests
{
    private const string Library = "/admin/maison-lumen/media";

    internal static async Task<HttpResponseMessage> UploadAsync(PortalClient client, string fileName, byte[] content, string? altText = null, bool json = false)
    {
        var token = PortalHost.AntiforgeryField().Match(await client.GetStringAsync(Library));
        Assert.True(token.Success, "the library carries a form token");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" },
            { new ByteArrayContent(content), "file", fileName },
        };
        if (altText is not null) form.Add(new StringContent(altText), "altText");
        using var request = new HttpRequestMessage(HttpMethod.Post, Library) { Content = form };
        if (json) request.Headers.Accept.ParseAdd("application/json");
        return await client.Http.SendAsync(request);
    }

    internal static async Task InWorkspaceAsync(IServiceProvider services, string key = "maison-lumen") =>
        services.GetRequiredService<WorkspaceContext>().Set((await services.GetRequiredService<WorkspaceService>().FindAsync(key, default))!);

    private static Task<List<MediaItem>> ItemsAsync(PortalHost host) => host.InScopeAsync(services =>
        services.GetRequiredService<CalendarDbContext>().Media.IgnoreQueryFilters().AsNoTracking().ToListAsync());

    [Fact]
    public async Task An_image_is_uploaded_with_its_size_read_from_its_bytes_served_to_members_and_stored_once()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var png = TestImages.Png(40, 30);

        var page = await admin.AssertRedirectWithMessageAsync(await UploadAsync(admin, "atelier.png", png, "L’atelier au petit matin"), Library,
            "Image «\u00a0atelier.png\u00a0» ajoutée.");
        var item = Assert.Single(await ItemsAsync(host));
        Assert.Equal(("atelier.png", "image/png", 40, 30, (long)png.Length, "L’atelier au petit matin"),
            (item.FileName, item.ContentType, item.Width, item.Height, item.Size, item.AltText));
        Assert.Contains($"src=\"{Library}/{item.Id}\" alt=\"L’atelier au petit matin\"", page);
        var card = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page).QuerySelector($"#media-{item.Id} p.text-muted")!.TextContent;
        Assert.Equal("40 × 30 px · 1\u00a0Ko · inutilisée", card.Trim());

        var served = await admin.GetAsync($"{Library}/{item.Id}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());

        // The same bytes under another name: the library keeps one image.
        await admin.AssertRedirectWithMessageAsync(await UploadAsync(admin, "copie.png", png), Library,
            "Cette image était déjà dans la bibliothèque\u00a0: elle est réutilisée.");
        Assert.Single(await ItemsAsync(host));

        // The editor's upload answers JSON, with the size and the address.
        var json = await UploadAsync(admin, "vitrine.webp", TestImages.WebPLossless(1080, 1350), json: true);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var body = await json.Content.ReadAsStringAsync();
        Assert.Contains("\"width\":1080", body);
        Assert.Contains("\"altText\":\"\"", body);

        // Someone signed out, or outside the workspace, never gets the bytes.
        using var visitor = host.CreateClient();
        Assert.Equal(HttpStatusCode.Redirect, (await visitor.GetAsync($"{Library}/{item.Id}")).StatusCode);
        await host.AddMemberAsync("ailleurs@example.test", "maison-lumen", "Analyst");
        using var analyst = await host.SignInAsync("ailleurs@example.test", MemberHostExtensions.MemberPassword);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"{Library}/{item.Id}")).StatusCode);
        // An analyst sees the library but may not add to it.
        var denied = await UploadAsync(analyst, "autre.png", TestImages.Png(2, 2));
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/account/denied", denied.Headers.Location!.OriginalString);
        Assert.Equal(2, (await ItemsAsync(host)).Count);
    }

    [Theory]
    [InlineData("faux.png", "text", "«\u00a0faux.png\u00a0» n’est pas une image JPEG, PNG, GIF ou WebP, quoi qu’en dise son nom.")]
    [InlineData("logo.svg", "svg", "«\u00a0logo.svg\u00a0» est un dessin SVG\u00a0: les réseaux ne prennent pas le SVG dans les publications. Exportez-le en PNG ou en JPEG, puis envoyez-le.")]
    [InlineData("affiche.jpg", "big", "«\u00a0affiche.jpg\u00a0» est trop lourde\u00a0: une image de publication fait au plus 8\u00a0Mo.")]
    public async Task A_file_that_is_not_an_image_for_a_post_is_refused_with_the_reason_and_nothing_is_stored(string name, string kind, string message)
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var content = kind switch
        {
            "text" => Encoding.UTF8.GetBytes("Liste des courses : bougies, mèches, cire d’abeille."),
            "svg" => Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><circle r=\"4\"/></svg>"),
            _ => [.. TestImages.JpegHeader(4000, 3000), .. new byte[8 * 1024 * 1024]],
        };
        await admin.AssertRedirectWithErrorAsync(await UploadAsync(admin, name, content, "Une image"), Library, message);
        Assert.Empty(await ItemsAsync(host));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task An_image_a_post_uses_cannot_be_deleted_and_the_refusal_names_the_post_then_alt_text_and_delete_work(Provider provider)
    {
        await using var host = await PortalHost.StartSetUpAsync(provider);
        using var admin = await host.SignInAsync();
        await UploadAsync(admin, "bougie.gif", TestImages.Gif(8, 8));
        var item = Assert.Single(await ItemsAsync(host));
        var post = await host.InScopeAsync(async services =>
        {
            await InWorkspaceAsync(services);
            var outcome = await services.GetRequiredService<PostService>().CreateAsync(
                new PostInput { Text = "La bougie de la semaine", Networks = ["instagram"], Media = [item.Id] }, PostState.Draft, PostActor.System("Test"));
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Problems));
            return outcome.Post!;
        });

        var refused = await admin.SendFormAsync("POST", $"{Library}/{item.Id}/delete", []);
        await admin.AssertRedirectWithErrorAsync(refused, Library,
            "L’image «\u00a0bougie.gif\u00a0» sert à ces publications\u00a0: “La bougie de la semaine”. Retirez-la d’abord de celles-ci.");
        Assert.Single(await ItemsAsync(host));

        var described = await admin.SendFormAsync("POST", $"{Library}/{item.Id}/alt", new() { ["altText"] = "Une bougie allumée sur une table en chêne" });
        await admin.AssertRedirectWithMessageAsync(described, $"{Library}#media-{item.Id}", "Description de «\u00a0bougie.gif\u00a0» enregistrée.");
        Assert.Equal("Une bougie allumée sur une table en chêne", Assert.Single(await ItemsAsync(host)).AltText);

        await host.InScopeAsync(async services =>
        {
            await InWorkspaceAsync(services);
            var posts = services.GetRequiredService<PostService>();
            var outcome = await posts.DeleteAsync(post.Id, post.Version, PostActor.System("Test"));
            Assert.True(outcome.Succeeded);
        });
        await admin.AssertRedirectWithMessageAsync(await admin.SendFormAsync("POST", $"{Library}/{item.Id}/delete", []), Library,
            "Image «\u00a0bougie.gif\u00a0» supprimée.");
        Assert.Empty(await ItemsAsync(host));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Library}/{item.Id}")).StatusCode);
    }
}
