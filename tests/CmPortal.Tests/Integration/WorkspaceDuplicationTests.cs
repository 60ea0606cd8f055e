using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using CmPortal.Core.Persistence;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>"Duplicate this brand": a new workspace with the source's content, offline and without its host names.</summary>
public sealed class WorkspaceDuplicationTests
{
    private const string Nbsp = "\u00a0";

    private static JsonObject Step(string export, string name) =>
        JsonNode.Parse(export)!["steps"]!.AsArray().Single(s => s!["step"]!.GetValue<string>() == name)!.AsObject();

    [Fact]
    public async Task Duplicating_a_brand_creates_an_offline_copy_with_its_charters_and_without_its_host_names()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.ApplyRecipeAsync("""{ "name": "x", "steps": [ { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen", "hosts": ["www.maison-lumen.test"] } ] }""");
        using var admin = await host.SignInAsync();

        var list = await admin.GetStringAsync("/admin/workspaces");
        Assert.Contains("href=\"/admin/workspaces/maison-lumen/duplicate\"", list);
        Assert.Contains("href=\"/admin/workspaces/maison-lumen/duplicate\"", await admin.GetStringAsync("/admin/maison-lumen/settings"));
        var form = PageForm.Parse(await admin.GetStringAsync("/admin/workspaces/maison-lumen/duplicate"));
        var response = await form.Set("newKey", "lumen-bis").Set("newName", "Lumen Bis").SubmitAsync(admin);
        await admin.AssertRedirectWithMessageAsync(response, "/admin/lumen-bis",
            "Espace «" + Nbsp + "Lumen Bis" + Nbsp + "» créé comme copie de «" + Nbsp + "Maison Lumen" + Nbsp + "». Son site public est hors ligne et il n’a pas de nom d’hôte" + Nbsp + ": vérifiez-le, puis publiez-le depuis ses paramètres.");

        var (copy, source) = await host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CoreDbContext>();
            return (await db.Workspaces.AsNoTracking().Include(w => w.Hosts).SingleAsync(w => w.Key == "lumen-bis"),
                    await db.Workspaces.AsNoTracking().Include(w => w.Hosts).SingleAsync(w => w.Key == "maison-lumen"));
        });
        Assert.Equal("Lumen Bis", copy.Name);
        Assert.False(copy.SitePublished);
        Assert.Empty(copy.Hosts);
        Assert.True(source.SitePublished);
        Assert.Equal(["www.maison-lumen.test"], source.Hosts.Select(h => h.HostName));

        var original = await host.ExportAsync("maison-lumen");
        var copied = await host.ExportAsync("lumen-bis");
        foreach (var step in new[] { "editorialLine", "graphicCharter", "communityCharter", "keyDates", "roles", "modules" })
            Assert.Equal(Step(original, step).ToJsonString(), Step(copied, step).ToJsonString());
        Assert.NotEmpty(Step(copied, "graphicCharter")["logos"]!.AsArray());

        using var visitor = host.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/lumen-bis/")).StatusCode);
    }

    [Fact]
    public async Task Duplicating_refuses_a_used_key_an_invalid_key_and_an_empty_name_and_writes_nothing()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var page = await admin.GetStringAsync("/admin/workspaces/maison-lumen/duplicate");
        var before = await DatabaseSnapshot.ContentAsync(host);

        var used = await PageForm.Parse(page).Set("newKey", "maison-lumen").Set("newName", "Lumen Bis").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        var document = new HtmlParser().ParseDocument(await used.Content.ReadAsStringAsync());
        Assert.Equal("La clé «" + Nbsp + "maison-lumen" + Nbsp + "» est déjà l’adresse de l’espace «" + Nbsp + "Maison Lumen" + Nbsp + "». Choisissez une autre clé.",
            document.QuerySelector("#newKey-error")!.TextContent.Trim());
        Assert.Equal("Lumen Bis", document.QuerySelector("#newName")!.GetAttribute("value"));

        var invalid = await PageForm.Parse(page).Set("newKey", "Admin").Set("newName", "").SubmitAsync(admin);
        document = new HtmlParser().ParseDocument(await invalid.Content.ReadAsStringAsync());
        Assert.StartsWith("«" + Nbsp + "Admin" + Nbsp + "» n’est pas une clé valide.", document.QuerySelector("#newKey-error")!.TextContent.Trim());
        Assert.Equal("Donnez le nom de marque du nouvel espace.", document.QuerySelector("#newName-error")!.TextContent.Trim());
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/workspaces/nowhere/duplicate")).StatusCode);
    }
}
