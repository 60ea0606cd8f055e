using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// Mentions from a CSV export of another tool: previewed with every problem by line and column (nothing stored),
/// duplicates counted, then imported whole in one transaction — on the page and through the API.
/// </summary>
public sealed class ImportTests
{
    private const string Workspace = "ecoute";
    private const string Page = "/admin/ecoute/inbox/import";

    private static byte[] Utf8(string text, bool bom = true) => [.. bom ? Encoding.UTF8.GetPreamble() : [], .. Encoding.UTF8.GetBytes(text)];

    private static byte[] Windows1252(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252).GetBytes(text);
    }

    internal static async Task<HttpResponseMessage> UploadAsync(PortalClient client, byte[] file, string name = "commentaires.csv")
    {
        var token = PageForm.Parse(await client.GetStringAsync(Page), "form#upload")["__RequestVerificationToken"]!;
        using var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(part, "file", name);
        return await client.Http.PostAsync(Page, content);
    }

    private static List<string> Problems(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelectorAll("#import-problems li").Select(li => li.TextContent.Trim().Replace('\u00a0', ' ')).ToList();

    private static string Text(string html, string selector) =>
        new HtmlParser().ParseDocument(html).QuerySelector(selector)?.TextContent.Trim().Replace('\u00a0', ' ') ?? "";

    private static Task<List<Mention>> MentionsAsync(PortalHost host) => host.InWorkspaceAsync(Workspace, s =>
        s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    [Fact]
    public async Task A_bad_date_on_line_5_after_a_field_with_a_line_break_is_named_with_its_column_on_the_page_and_in_the_API_and_nothing_is_stored()
    {
        await using var host = await MentionStoreTests.StartAsync();
        using var admin = await host.SignInAsync();
        var before = await DatabaseSnapshot.ContentAsync(host);
        var file = Utf8("texte;auteur;date\r\n" +
            "Superbe bougie;Léa;2026-02-27 10:00:00\r\n" +
            "\"Livraison rapide,\nmerci !\";Hugo;27/02/2026 11:30\r\n" +
            "Une date impossible;Zoé;31/02/2026\r\n");

        var preview = await UploadAsync(admin, file);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Equal(["Ligne 5, colonne « date » : « 31/02/2026 » n’est pas une date. Écrivez 2026-02-28 ou 28/02/2026 14:30."], Problems(html));
        Assert.Empty(new HtmlParser().ParseDocument(html).QuerySelectorAll("form#apply"));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, Workspace));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/{Workspace}")).StatusCode); // the token's first use is recorded
        before = await DatabaseSnapshot.ContentAsync(host);
        var posted = await api.PostAsync($"/api/v1/{Workspace}/mentions/import", new ByteArrayContent(file) { Headers = { ContentType = new("text/csv") } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, posted.StatusCode);
        var problem = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!;
        var error = problem["errors"]!.AsArray().Single()!;
        Assert.Equal("lines[5].date", (string)error["field"]!);
        Assert.Contains("31/02/2026", (string)error["message"]!);
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    [Fact]
    public async Task A_semicolon_Windows_1252_file_with_accents_reads_right_with_its_dates_in_the_workspace_time_zone()
    {
        await using var host = await MentionStoreTests.StartAsync();
        using var admin = await host.SignInAsync();
        var preview = await UploadAsync(admin, Windows1252("Message;Auteur;Publié le;Réseau;Langue\r\n" +
            "Crème brûlée à la bougie, l’œuvre d’Éloïse ! 5 €;Héloïse Müller;28/02/2026 14:30;Facebook;fr\r\n" +
            "Très déçue par la livraison;Gaëlle;2026-03-01T09:00:00+01:00;Instagram;fr\r\n"));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var html = await preview.Content.ReadAsStringAsync();
        Assert.NotEmpty(Text(html, "#encoding-notice"));
        Assert.Contains("séparateur : point-virgule", Text(html, "#preview-summary"));
        Assert.Contains("Crème brûlée à la bougie, l’œuvre d’Éloïse ! 5 €", Text(html, "#preview-rows"));
        await DatabaseSnapshot.AssertUnchangedAsync(host, await DatabaseSnapshot.ContentAsync(host)); // the preview stored nothing

        var applied = await PageForm.Parse(html, "form#apply").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.Redirect, applied.StatusCode);
        var stored = await MentionsAsync(host);
        Assert.Equal(2, stored.Count);
        var first = stored.Single(m => m.Author == "Héloïse Müller");
        Assert.Equal("Crème brûlée à la bougie, l’œuvre d’Éloïse ! 5 €", first.Text);
        Assert.Equal("facebook", first.SourceKind);
        Assert.Equal(new DateTime(2026, 2, 28, 13, 30, 0), first.PublishedUtc); // 14:30 in Paris, winter time
        Assert.Equal(new DateTime(2026, 3, 1, 8, 0, 0), stored.Single(m => m.Author == "Gaëlle").PublishedUtc);
        Assert.Equal("instagram", stored.Single(m => m.Author == "Gaëlle").SourceKind);
    }

    [Fact]
    public async Task Duplicates_with_the_inbox_and_within_the_file_are_counted_in_the_preview_and_the_import_stores_all_the_rest()
    {
        await using var host = await MentionStoreTests.StartAsync();
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, Workspace));
        var known = await api.PostAsJsonAsync($"/api/v1/{Workspace}/mentions", new
        {
            mentions = new[] { new { source = "api", externalId = "x1", url = "https://forum.example/t/42", text = "Déjà là", publishedAt = "2026-11-30T09:00:00Z" } },
        });
        Assert.Equal(HttpStatusCode.Created, known.StatusCode);

        // English headers as Agorapulse-like exports write them, commas, a quoted field with a line break and a comma.
        var file = Utf8("Comment ID,Author name,Published at,Permalink,Comment,Network\n" +
            "c1,Léa,2026-11-29T10:00:00Z,https://forum.example/t/42?utm_source=x,Le même fil,Facebook\n" +
            "c2,Hugo,2026-11-29 11:00:00,https://shop.example/p/1,\"Bonjour, la bougie\nest arrivée cassée\",Instagram\n" +
            "c2,Hugo,2026-11-29 11:00:00,https://shop.example/p/1,\"Bonjour, la bougie\nest arrivée cassée\",Instagram\n" +
            "c3,Zoé,29/11/2026 12:15,,Merci pour l'atelier,Instagram\n", bom: false);
        var before = await DatabaseSnapshot.ContentAsync(host);
        var dry = await api.PostAsync($"/api/v1/{Workspace}/mentions/import?dryRun=true", new ByteArrayContent(file) { Headers = { ContentType = new("text/csv") } });
        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var counts = JsonNode.Parse(await dry.Content.ReadAsStringAsync())!;
        Assert.Equal((4, 2, 2), ((int)counts["rows"]!, (int)counts["stored"]!, (int)counts["duplicates"]!));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        using var admin = await host.SignInAsync();
        var html = await (await UploadAsync(admin, file)).Content.ReadAsStringAsync();
        Assert.Equal("L’import enregistrerait 2 mentions ; 2 doublons seraient écartés (déjà dans la boîte ou répétés dans le fichier).", Text(html, "#preview-counts"));
        Assert.Equal(HttpStatusCode.Redirect, (await PageForm.Parse(html, "form#apply").SubmitAsync(admin)).StatusCode);
        var stored = await MentionsAsync(host);
        Assert.Equal(["x1", "c2", "c3"], stored.Select(m => m.ExternalId));
        Assert.Equal("Bonjour, la bougie\nest arrivée cassée", stored[1].Text);
        Assert.Equal("commentaires.csv", stored[1].SourceName);

        // The same file again through the API: everything is a duplicate now.
        var again = await api.PostAsync($"/api/v1/{Workspace}/mentions/import", new ByteArrayContent(file) { Headers = { ContentType = new("text/csv") } });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        counts = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        Assert.Equal((0, 4), ((int)counts["stored"]!, (int)counts["duplicates"]!));
    }

    [Fact]
    public async Task Columns_the_header_does_not_name_are_chosen_after_the_preview_and_a_big_file_is_stored_in_one_go()
    {
        await using var host = await MentionStoreTests.StartAsync();
        using var admin = await host.SignInAsync();
        var lines = new StringBuilder("Quoi;Quand;Qui\r\n");
        for (var i = 0; i < 2500; i++) lines.Append($"Avis numéro {i} sur la bougie;2026-11-{1 + i % 28:00} 10:{i % 60:00}:00;Client {i}\r\n");
        var html = await (await UploadAsync(admin, Utf8(lines.ToString()))).Content.ReadAsStringAsync();
        Assert.Contains("Ligne 1 : Aucune colonne ne donne le texte des mentions : nommez-en une « texte », « text », « message » ou « comment », ou choisissez-la ci-dessous.", Problems(html));

        var chosen = await PageForm.Parse(html, "form#columns").Set("columns[text]", "0").Set("columns[date]", "1").Set("columns[author]", "2").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
        html = await chosen.Content.ReadAsStringAsync();
        Assert.Empty(Problems(html));
        Assert.Equal(20, new HtmlParser().ParseDocument(html).QuerySelectorAll("#preview-rows tbody tr").Length);
        Assert.Equal(HttpStatusCode.Redirect, (await PageForm.Parse(html, "form#apply").SubmitAsync(admin)).StatusCode);
        var stored = await MentionsAsync(host);
        Assert.Equal(2500, stored.Count); // more than one ingest batch (1,000), in one transaction
        Assert.Equal("Client 7", stored.Single(m => m.Text == "Avis numéro 7 sur la bougie").Author);
    }

    [Fact]
    public async Task A_member_without_Inbox_Manage_cannot_open_the_import_page()
    {
        await using var host = await MentionStoreTests.StartAsync();
        await host.AddMemberAsync("analyste@example.test", Workspace, CmPortal.Core.Security.DefaultRoles.Analyst);
        using var analyst = await host.SignInAsync("analyste@example.test", MemberHostExtensions.MemberPassword);
        ResponseAssert.AssertRedirect(await analyst.GetAsync(Page), "/account/denied?ReturnUrl=%2Fadmin%2Fecoute%2Finbox%2Fimport");
        var inbox = await analyst.GetStringAsync("/admin/ecoute/inbox");
        Assert.Null(new HtmlParser().ParseDocument(inbox).QuerySelector("#import-link"));
    }
}
