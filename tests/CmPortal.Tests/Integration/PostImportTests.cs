using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using CmPortal.Modules.ContentCalendar.Csv;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Posts from and to a spreadsheet: the import previewed (every problem with its line and column, nothing stored),
/// then applied in one transaction in the background; the export read back into the same lines.
/// </summary>
public sealed class PostImportTests
{
    private const string Posts = "/admin/maison-lumen/posts";
    private const string Header = "date;time;networks;text;text_instagram;pillar;campaign;state;recurrence\r\n";

    private static byte[] Utf8Bom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    internal static async Task<HttpResponseMessage> UploadAsync(PortalClient client, byte[] file, string name = "posts.csv")
    {
        var token = PageForm.Parse(await client.GetStringAsync($"{Posts}/import"), "form#upload")["__RequestVerificationToken"]!;
        using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", name);
        return await client.Http.PostAsync($"{Posts}/import", content);
    }

    private static List<string> Problems(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelectorAll("#import-problems li").Select(li => li.TextContent.Trim()).ToList();

    /// <summary>Applies the previewed file and waits for the background import to end; its final status.</summary>
    internal static async Task<JsonElement> ApplyAsync(PortalClient client, string preview)
    {
        var applied = await PageForm.Parse(preview, "form#apply").SubmitAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, applied.StatusCode);
        var run = applied.Headers.Location!.OriginalString;
        Assert.StartsWith($"{Posts}/import?run=", run);
        for (var i = 0; i < 600; i++)
        {
            var status = JsonDocument.Parse(await client.GetStringAsync(run + "&format=json")).RootElement;
            if (status.GetProperty("status").GetString() != "running") return status;
            await Task.Delay(100);
        }
        throw new TimeoutException("The import did not end within a minute.");
    }

    private static Task<List<Post>> PostsAsync(PortalHost host) => QueueTests.InWorkspaceAsync(host, services =>
        services.GetRequiredService<CalendarDbContext>().Posts.AsNoTracking().Include(p => p.Variants).OrderBy(p => p.StartsLocal).ToListAsync());

    [Fact]
    public async Task A_French_spreadsheet_file_is_previewed_imported_in_the_background_and_exported_back_line_for_line()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.WithoutDemoPostsAsync();
        await QueueTests.InWorkspaceAsync(host, async services =>
        {
            var db = services.GetRequiredService<CalendarDbContext>();
            db.Campaigns.Add(new Campaign { Id = Guid.NewGuid(), Slug = "concours-hiver", Name = "Concours d’hiver", Start = new DateOnly(2027, 1, 1), End = new DateOnly(2027, 2, 28) });
            return await db.SaveChangesAsync();
        });
        using var admin = await host.SignInAsync();
        var before = (await PostsAsync(host)).Count;

        string[] lines =
        [
            "22/03/2027;09:30;instagram,facebook;\"Atelier ouvert samedi ; venez « sentir » la cire.\nÀ samedi !\";Atelier ouvert samedi 🕯️ #MaisonLumen;Savoir-faire & atelier;concours-hiver;draft;\r\n",
            "23/03/2027;18:00;linkedin;Nos revendeurs reçoivent la collection d’hiver.;;Collections & offres;;idea;\r\n",
            "29/03/2027;12:00;facebook;Chaque lundi, une astuce d’entretien.;;Art de vivre;;draft;FREQ=WEEKLY;COUNT=4\r\n",
            ";;instagram;Une idée pour plus tard;;;;draft;\r\n",
        ];
        lines[2] = lines[2].Replace("FREQ=WEEKLY;COUNT=4", "\"FREQ=WEEKLY;COUNT=4\"", StringComparison.Ordinal);
        var preview = await UploadAsync(admin, Utf8Bom(Header + string.Concat(lines)));
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Empty(Problems(html));
        var document = new HtmlParser().ParseDocument(html);
        Assert.Equal("Publications lues\u00a0: 4\u00a0; séparateur\u00a0: point-virgule.", document.QuerySelector("#preview-summary")!.TextContent.Trim());
        Assert.Equal(["2", "4", "5", "6"], document.QuerySelectorAll("#preview-rows tbody tr").Select(tr => tr.GetAttribute("data-line")!));
        Assert.Equal(before, (await PostsAsync(host)).Count); // previewed, not stored

        var status = await ApplyAsync(admin, html);
        Assert.Equal(("succeeded", 4, 4), (status.GetProperty("status").GetString(), status.GetProperty("done").GetInt32(), status.GetProperty("total").GetInt32()));
        var stored = await PostsAsync(host);
        Assert.Equal(before + 4, stored.Count);
        var atelier = stored.Single(p => p.StartsLocal == "2027-03-22T09:30");
        Assert.Equal(("Atelier ouvert samedi ; venez « sentir » la cire.\nÀ samedi !", PostState.Draft, "Savoir-faire & atelier"), (atelier.Text, atelier.State, atelier.Pillar));
        Assert.Equal("Atelier ouvert samedi 🕯️ #MaisonLumen", atelier.Variants.Single(v => v.Network == "instagram").Text);
        Assert.Equal("FREQ=WEEKLY;COUNT=4", stored.Single(p => p.StartsLocal == "2027-03-29T12:00").Recurrence);

        // The file is used once: applying it again finds nothing.
        var twice = await PageForm.Parse(html, "form#apply").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);

        // Exported: a BOM, the same header, and the same lines.
        var export = await admin.GetAsync($"{Posts}/export.csv");
        Assert.Equal("text/csv", export.Content.Headers.ContentType!.MediaType);
        var bytes = await export.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var exported = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith(Header, exported);
        foreach (var line in lines) Assert.Contains(line, exported);
    }

    [Fact]
    public async Task Bad_lines_are_listed_with_their_line_and_column_and_nothing_is_stored()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.WithoutDemoPostsAsync();
        // Without approval steps an approved post can be created, and must then fit its networks.
        await QueueTests.InWorkspaceAsync(host, async services =>
        {
            var db = services.GetRequiredService<CalendarDbContext>();
            if (await db.Settings.FirstOrDefaultAsync() is { } settings) settings.Approval = ApprovalMode.None;
            else db.Settings.Add(new CalendarSettings { Id = Guid.NewGuid(), Approval = ApprovalMode.None });
            return await db.SaveChangesAsync();
        });
        using var admin = await host.SignInAsync();
        var before = await DatabaseSnapshot.ContentAsync(host);

        var tooLong = new string('a', 1250);
        var file = Utf8Bom(Header +
            "22/03/2027;09:30;instagram;Une bonne ligne;;;;draft;\r\n" +
            "32/03/2027;09:30;instagram;Une date impossible;;;;draft;\r\n" +
            "23/03/2027;09:30;instagram|myspace;Un réseau inconnu;;;;draft;\r\n" +
            "24/03/2027;09:30;instagram;Un pilier inconnu;;Bien-être;;draft;\r\n" +
            $"25/03/2027;09:30;instagram;{tooLong};;;;approved;\r\n");
        var preview = await UploadAsync(admin, file);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        var html = await preview.Content.ReadAsStringAsync();
        var problems = Problems(html);
        Assert.Equal(4, problems.Count);
        Assert.Equal("Ligne 3, colonne date\u00a0: «\u00a032/03/2027\u00a0» n’est pas une date\u00a0: écrivez-la comme 22/03/2027 (jour/mois/année).", problems[0]);
        Assert.StartsWith("Ligne 4, colonne networks\u00a0: «\u00a0myspace\u00a0»", problems[1]);
        Assert.StartsWith("Ligne 5, colonne pillar\u00a0: Le pilier «\u00a0Bien-être\u00a0»", problems[2]);
        Assert.StartsWith("Ligne 6, colonne text_instagram\u00a0: ", problems[3]);
        Assert.Contains("1250", problems[3]);
        Assert.Contains("1200", problems[3]);
        Assert.Null(new HtmlParser().ParseDocument(html).QuerySelector("form#apply"));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_line_refused_while_importing_rolls_back_the_lines_before_it(Provider provider)
    {
        await using var host = await PortalHost.StartSetUpAsync(provider);
        await host.WithoutDemoPostsAsync();
        var before = await DatabaseSnapshot.ContentAsync(host);
        // Read without problems (the preview would catch the pillar, the import checks it again when it creates line 4).
        var file = Utf8Bom(Header +
            "22/03/2027;09:30;instagram;Première;;;;draft;\r\n" +
            "23/03/2027;09:30;instagram;Deuxième;;;;draft;\r\n" +
            "24/03/2027;09:30;instagram;Troisième;;Bien-être;;draft;\r\n");
        var problems = await QueueTests.InWorkspaceAsync(host, services =>
            services.GetRequiredService<PostImportService>().ApplyAsync(file, PostActor.System("Test")));
        var problem = Assert.Single(problems);
        Assert.Equal((4, "pillar"), (problem.Line, problem.Column));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    [Fact]
    public async Task A_Windows_1252_file_is_read_as_such_with_a_notice_and_a_comma_separated_file_is_accepted()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.WithoutDemoPostsAsync();
        using var admin = await host.SignInAsync();

        var latin = Encoding.Latin1.GetBytes("date;time;networks;text\r\n22/03/2027;09:30;instagram;Crème brûlée à l'atelier\r\n");
        var html = await (await UploadAsync(admin, latin)).Content.ReadAsStringAsync();
        var document = new HtmlParser().ParseDocument(html);
        Assert.Contains("n’est pas en UTF-8\u00a0: il a été lu en Windows-1252", document.QuerySelector("#encoding-notice")!.TextContent);
        Assert.Contains("Crème brûlée à l'atelier", document.QuerySelector("#preview-rows")!.TextContent);
        Assert.Equal("succeeded", (await ApplyAsync(admin, html)).GetProperty("status").GetString());
        Assert.Contains(await PostsAsync(host), p => p.Text == "Crème brûlée à l'atelier");

        var comma = Encoding.UTF8.GetBytes("date,time,networks,text\n23/03/2027,10:00,\"instagram,facebook\",\"Bonjour; Lyon, à samedi\"\n");
        html = await (await UploadAsync(admin, comma)).Content.ReadAsStringAsync();
        Assert.Equal("Publications lues\u00a0: 1\u00a0; séparateur\u00a0: virgule.", new HtmlParser().ParseDocument(html).QuerySelector("#preview-summary")!.TextContent.Trim());
        Assert.Equal("succeeded", (await ApplyAsync(admin, html)).GetProperty("status").GetString());
        var post = (await PostsAsync(host)).Single(p => p.Text == "Bonjour; Lyon, à samedi");
        Assert.Equal(["instagram", "facebook"], post.Variants.OrderBy(v => v.Position).Select(v => v.Network));
    }
}
