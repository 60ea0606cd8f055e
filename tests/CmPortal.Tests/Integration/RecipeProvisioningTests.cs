using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using CmPortal.Core.Persistence;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Provisioning from an export in the admin: the key must be given (no silent fall-back to the workspace the export
/// came from), and applying to an existing workspace shows what it replaces and waits for an explicit confirmation.
/// </summary>
public sealed class RecipeProvisioningTests
{
    private const string Nbsp = "\u00a0";

    private static IDocument Html(string page) => new HtmlParser().ParseDocument(page);

    private static async Task<(IDocument Document, string Html)> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {html[..Math.Min(html.Length, 2000)]}");
        return (Html(html), html);
    }

    /// <summary>Exports maison-lumen and uploads the export in the admin; returns the apply page.</summary>
    private static async Task<string> UploadExportAsync(PortalHost host, PortalClient admin, string export)
    {
        var (_, page) = await RecipeAdminTests.UploadAsync(admin, "maison-lumen.recipe.json", Encoding.UTF8.GetBytes(export));
        return page;
    }

    [Fact]
    public async Task An_export_asks_for_the_key_and_an_empty_field_is_refused_beside_it_with_nothing_written()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var page = await UploadExportAsync(host, admin, await host.ExportAsync("maison-lumen"));

        // No grey hint of the source's key: the field is empty, and the name starts with the source's as a real value.
        var key = Html(page).QuerySelector("#param-key")!;
        Assert.Equal("", key.GetAttribute("value") ?? "");
        Assert.Null(key.GetAttribute("placeholder"));
        Assert.Equal("Maison Lumen", Html(page).QuerySelector("#param-name")!.GetAttribute("value"));
        Assert.Contains("Exporté depuis «" + Nbsp + "maison-lumen" + Nbsp + "»", Html(page).QuerySelector("#param-key-help")!.TextContent);

        var before = await DatabaseSnapshot.ContentAsync(host);
        var (refused, _) = await ReadAsync(await PageForm.Parse(page).Set("values[name]", "Lumen Copie").SubmitAsync(admin));
        Assert.Equal("Renseignez ce champ" + Nbsp + ": la recette a besoin d’une valeur pour «" + Nbsp + "key" + Nbsp + "».",
            refused.QuerySelector("#param-key-error")!.TextContent.Trim());
        Assert.Equal("true", refused.QuerySelector("#param-key")!.GetAttribute("aria-invalid"));
        Assert.Equal("Lumen Copie", refused.QuerySelector("#param-name")!.GetAttribute("value"));
        Assert.Null(refused.QuerySelector("#plan-steps"));

        // Emptying the name the field started with is refused too: it would fall back on the source's name unseen.
        var (emptied, _) = await ReadAsync(await PageForm.Parse(page).Set("values[key]", "lumen-copie").Set("values[name]", " ").SubmitAsync(admin));
        Assert.NotNull(emptied.QuerySelector("#param-name-error"));
        Assert.Equal("lumen-copie", emptied.QuerySelector("#param-key")!.GetAttribute("value"));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    [Fact]
    public async Task An_export_applied_to_its_own_workspace_lists_what_it_replaces_and_writes_nothing_until_confirmed()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var export = await host.ExportAsync("maison-lumen");
        await host.ApplyRecipeAsync("""{ "name": "x", "steps": [ { "step": "workspace", "key": "maison-lumen", "name": "Lumen renommée" } ] }""");
        var keyDates = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Database
            .SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM \"KeyDates_KeyDates\"").SingleAsync());
        var page = await UploadExportAsync(host, admin, export);
        var before = await DatabaseSnapshot.ContentAsync(host);

        var (preview, previewHtml) = await ReadAsync(await PageForm.Parse(page).Set("values[key]", "maison-lumen").SubmitAsync(admin));
        var target = preview.QuerySelector("#plan-targets [data-target='maison-lumen']")!;
        Assert.Equal("true", target.GetAttribute("data-exists"));
        Assert.Contains("Cette recette s’applique à l’espace existant «" + Nbsp + "Lumen renommée" + Nbsp + "».", target.TextContent);
        string Changes(string step) => preview.QuerySelector($"#plan-steps li[data-step='{step}']")!.TextContent;
        Assert.Contains("Nom changé de «" + Nbsp + "Lumen renommée" + Nbsp + "» en «" + Nbsp + "Maison Lumen" + Nbsp + "».", Changes("workspace"));
        Assert.Contains("Charte graphique remplacée", Changes("graphicCharter"));
        Assert.Contains("Ligne éditoriale remplacée", Changes("editorialLine"));
        Assert.Contains("Brouillon de la charte remplacé.", Changes("communityCharter"));
        Assert.Contains($"0 temps fort ajouté, {keyDates} mis à jour.", Changes("keyDates"));
        Assert.Contains("Temps forts", Changes("keyDates"));
        Assert.NotNull(preview.QuerySelector("input#confirm[type=checkbox]"));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        // "Apply" without ticking the box: the preview again, with the reason beside the box, and still nothing written.
        var (unconfirmed, _) = await ReadAsync(await PageForm.Parse(previewHtml).Set("apply", "1").SubmitAsync(admin));
        Assert.Equal("Cochez la case pour confirmer que cette recette modifie un espace existant.", unconfirmed.QuerySelector("#confirm-error")!.TextContent.Trim());
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        var run = await RecipeAdminTests.WaitForRunAsync(admin, await PageForm.Parse(previewHtml).Check("confirm").Set("apply", "1").SubmitAsync(admin));
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        Assert.Equal("Maison Lumen", await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Workspaces.Where(w => w.Key == "maison-lumen").Select(w => w.Name).SingleAsync()));
    }

    [Fact]
    public async Task Change_the_values_brings_the_form_back_as_typed()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var page = await UploadExportAsync(host, admin, await host.ExportAsync("maison-lumen"));
        var (preview, previewHtml) = await ReadAsync(await PageForm.Parse(page).Set("values[key]", "lumen-neuve").Set("values[name]", "Lumen neuve").SubmitAsync(admin));
        Assert.Equal("false", preview.QuerySelector("#plan-targets [data-target='lumen-neuve']")!.GetAttribute("data-exists"));
        Assert.Null(preview.QuerySelector("#confirm"));

        var (form, _) = await ReadAsync(await PageForm.Parse(previewHtml).Set("edit", "1").SubmitAsync(admin));
        Assert.Equal("lumen-neuve", form.QuerySelector("#param-key")!.GetAttribute("value"));
        Assert.Equal("Lumen neuve", form.QuerySelector("#param-name")!.GetAttribute("value"));
        Assert.False(await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Workspaces.AnyAsync(w => w.Key == "lumen-neuve")));
    }

    [Fact]
    public async Task A_value_the_recipe_refuses_is_told_on_the_form_which_keeps_what_was_typed_and_writes_nothing()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var before = await DatabaseSnapshot.ContentAsync(host);

        var demo = await admin.GetStringAsync("/admin/recipes/apply?source=demo.recipe.json");
        var (typed, _) = await ReadAsync(await PageForm.Parse(demo).Set("values[key]", "lumen-2028").Set("values[year]", "deux-mille").SubmitAsync(admin));
        Assert.Contains("Le paramètre «\u00a0year\u00a0» doit être un entier\u00a0; «\u00a0deux-mille\u00a0» n’en est pas un.", typed.QuerySelector("#param-year-error")!.TextContent);
        Assert.Equal("lumen-2028", typed.QuerySelector("#param-key")!.GetAttribute("value"));

        var blank = await admin.GetStringAsync("/admin/recipes/apply?source=blank.recipe.json");
        var (reserved, _) = await ReadAsync(await PageForm.Parse(blank).Set("values[key]", "admin").Set("values[name]", "Admin").SubmitAsync(admin));
        Assert.Contains("étape 1 «\u00a0workspace\u00a0», champ «\u00a0key\u00a0»\u00a0: «\u00a0admin\u00a0» est réservé par le portail.", reserved.QuerySelector("#recipe-problems")!.TextContent);
        Assert.Equal("admin", reserved.QuerySelector("#param-key")!.GetAttribute("value"));
        Assert.Equal("Europe/Paris", reserved.QuerySelector("#param-timeZone")!.GetAttribute("value"));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task The_plan_reads_what_each_step_would_change_without_writing_on_both_databases(Provider provider)
    {
        await using var host = await PortalHost.StartSetUpAsync(provider);
        var recipe = CmPortal.Core.Recipes.RecipeDocument.Parse(await host.ExportAsync("maison-lumen"), "maison-lumen.recipe.json");
        await host.ApplyRecipeAsync("""
            { "name": "x", "steps": [ { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen", "hosts": ["www.maison-lumen.test"] },
              { "step": "modules", "disable": ["Inbox", "Blog", "Publishing", "ContentCalendar", "KeyDates"] } ] }
            """);
        var before = await DatabaseSnapshot.ContentAsync(host);
        var runner = host.Services.GetRequiredService<CmPortal.Core.Recipes.RecipeRunner>();

        var existing = await runner.PlanAsync(recipe, new Dictionary<string, string> { ["key"] = "maison-lumen" });
        Assert.Equal([new CmPortal.Core.Recipes.RecipePlanTarget("maison-lumen", "Maison Lumen", "Maison Lumen", true)], existing.Targets);
        string Lines(string step) => string.Join(" | ", existing.Steps.Single(s => s.Name == step).Changes.Select(c => c.ToString()));
        Assert.Equal("Modules turned on: KeyDates, ContentCalendar, Publishing, Blog, Inbox.", Lines("modules"));
        Assert.Matches(@"^0 key dates added, \d+ updated\.$", Lines("keyDates"));
        Assert.Equal("Charter draft replaced.", Lines("communityCharter"));
        Assert.Equal("", Lines("roles"));

        var created = await runner.PlanAsync(recipe, new Dictionary<string, string> { ["key"] = "lumen-bis", ["name"] = "Lumen Bis" });
        Assert.False(created.ChangesExistingWorkspace);
        Assert.Equal("A new workspace is created: «Lumen Bis» (lumen-bis).", string.Join(" | ", created.Steps[0].Changes.Select(c => c.ToString())));
        Assert.StartsWith("Graphic charter set:", created.Steps.Single(s => s.Name == "graphicCharter").Changes.Single().ToString());
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }
}
