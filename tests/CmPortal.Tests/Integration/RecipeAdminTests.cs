using System.Net;
using System.Text;
using System.Text.Json;
using CmPortal.Core.Persistence;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>/admin/recipes: what a host administrator sees for a bad upload, a bad address, and a recipe without parameters.</summary>
public sealed class RecipeAdminTests
{
    /// <summary>Uploads a file as the form of /admin/recipes does; returns the apply page it leads to (or the answer).</summary>
    internal static async Task<(HttpResponseMessage Response, string Page)> UploadAsync(PortalClient client, string fileName, byte[] content)
    {
        var token = PortalHost.AntiforgeryField().Match(await client.GetStringAsync("/admin/recipes"));
        Assert.True(token.Success, "the recipes page carries a form token");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token.Groups[1].Value)), "__RequestVerificationToken" },
            { new ByteArrayContent(content), "file", fileName },
        };
        var upload = await client.Http.PostAsync("/admin/recipes/upload", form);
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var location = upload.Headers.Location!.OriginalString;
        Assert.StartsWith("/admin/recipes/apply?source=upload:", location);
        var response = await client.GetAsync(location);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static string ErrorsOf(string page) =>
        WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "<div class=\"alert alert-danger\" role=\"alert\" id=\"recipe-errors\"[^>]*>(.*?)</div>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value);

    [Fact]
    public async Task An_upload_with_a_key_written_twice_or_bytes_that_are_not_UTF8_shows_where_instead_of_failing()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var (duplicate, page) = await UploadAsync(admin, "twice.recipe.json", Encoding.UTF8.GetBytes("""
            { "name": "twice",
              "steps": [ { "step": "workspace", "key": "alpha", "name": "Alpha", "name": "Beta" } ] }
            """));
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Equal("fichier twice.recipe.json, étape 1, champ «\u00a0name\u00a0»\u00a0: Ligne 2\u00a0: la clé «\u00a0name\u00a0» apparaît deux fois dans le même objet. " +
                     "JSON ne garderait qu’une des deux valeurs\u00a0: retirez l’autre.", ErrorsOf(page));
        Assert.DoesNotContain("id=\"apply\"", page);

        var latin1 = Encoding.Latin1.GetBytes("{ \"name\": \"caf\u00e9\",\n  \"description\": \"cr\u00e8me\", \"steps\": [] }");
        var (notUtf8, page2) = await UploadAsync(admin, "latin1.recipe.json", latin1);
        Assert.Equal(HttpStatusCode.OK, notUtf8.StatusCode);
        Assert.StartsWith("latin1.recipe.json\u00a0: Le fichier n’est pas en UTF-8 valide\u00a0: la ligne 1 contient les octets 0xE9", ErrorsOf(page2));
    }

    /// <summary>A recipe whose third step names a bad key, and whose second names a module the portal does not have.</summary>
    private static readonly byte[] BrokenRecipe = Encoding.UTF8.GetBytes("""
        { "name": "demo",
          "steps": [
            { "step": "workspace", "key": "alpha", "name": "Alpha" },
            { "step": "modules", "enable": ["Nope"] },
            { "step": "workspace", "key": "Bad Key", "name": "Beta" } ] }
        """);

    /// <summary>The problems the apply form lists above its fields, one per item, as the reader sees them.</summary>
    private static List<string> ProblemsOf(string page) =>
        System.Text.RegularExpressions.Regex.Matches(
                System.Text.RegularExpressions.Regex.Match(page, "id=\"recipe-problems\".*?</ul>", System.Text.RegularExpressions.RegexOptions.Singleline).Value,
                "<li>(.*?)</li>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    private static async Task<List<string>> ApplyBrokenRecipeAsync(PortalClient admin)
    {
        var (_, page) = await UploadAsync(admin, "demo.recipe.json", BrokenRecipe);
        var source = System.Text.RegularExpressions.Regex.Match(page, "name=\"source\" value=\"([^\"]+)\"").Groups[1].Value;
        var answer = await admin.PostFormAsync("/admin/recipes/apply", new() { ["source"] = source }, tokenPage: "/admin/recipes");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return ProblemsOf(await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_broken_recipe_applied_from_the_French_admin_tells_where_and_what_in_French_with_its_values()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var problems = await ApplyBrokenRecipeAsync(admin);

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("fichier demo.recipe.json, étape 2 «\u00a0modules\u00a0», champ «\u00a0enable[0]\u00a0»\u00a0: " +
                          "Il n’y a pas de module «\u00a0Nope\u00a0». Modules disponibles\u00a0: ", problems[0]);
        Assert.Contains("KeyDates", problems[0]);
        Assert.Equal("fichier demo.recipe.json, étape 3 «\u00a0workspace\u00a0», champ «\u00a0key\u00a0»\u00a0: «\u00a0Bad Key\u00a0» n’est pas une clé valable. " +
                     "Utilisez de 1 à 40 minuscules, chiffres et tirets, en commençant et en finissant par une lettre ou un chiffre.", problems[1]);
        Assert.False(await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Workspaces.AnyAsync(w => w.Key == "alpha")));
    }

    [Fact]
    public async Task A_broken_recipe_applied_from_the_English_admin_reads_as_the_command_line_says_it()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        await admin.PostFormAsync("/account/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/admin" });

        var problems = await ApplyBrokenRecipeAsync(admin);

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("demo.recipe.json, step 2 \"modules\", field \"enable[0]\": There is no module \"Nope\". Available modules: ", problems[0]);
        Assert.Equal("demo.recipe.json, step 3 \"workspace\", field \"key\": \"Bad Key\" is not a valid key. " +
                     "Use 1 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit.", problems[1]);
    }

    [Fact]
    public async Task A_recipe_without_parameters_applies_from_the_admin()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var (_, page) = await UploadAsync(admin, "fixed.recipe.json", Encoding.UTF8.GetBytes("""
            { "name": "fixed", "steps": [ { "step": "workspace", "key": "atelier-fixe", "name": "Atelier fixe" } ] }
            """));
        Assert.Contains("id=\"apply\"", page);
        var source = System.Text.RegularExpressions.Regex.Match(page, "name=\"source\" value=\"([^\"]+)\"").Groups[1].Value;

        // First the preview: a new workspace, and nothing written yet.
        var preview = await admin.PostFormAsync("/admin/recipes/apply", new() { ["source"] = source }, tokenPage: "/admin/recipes");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Un nouvel espace sera créé\u00a0: «\u00a0Atelier fixe\u00a0» (adresse /atelier-fixe/).", WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync()));
        Assert.False(await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Workspaces.AnyAsync(w => w.Key == "atelier-fixe")));

        var applied = await admin.PostFormAsync("/admin/recipes/apply", new() { ["source"] = source, ["apply"] = "1" }, tokenPage: "/admin/recipes");
        var run = await WaitForRunAsync(admin, applied);

        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        Assert.Equal("atelier-fixe", run.GetProperty("workspace").GetString());
        Assert.True(await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Workspaces.AnyAsync(w => w.Key == "atelier-fixe")));
    }

    /// <summary>Follows the redirect of a started run to its progress, and waits for its end (30 s at most).</summary>
    internal static async Task<JsonElement> WaitForRunAsync(PortalClient client, HttpResponseMessage started)
    {
        Assert.True(started.StatusCode == HttpStatusCode.Redirect, $"expected the run to start, got {(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        var status = started.Headers.Location!.OriginalString + "/status";
        Assert.StartsWith("/admin/recipes/runs/", status);
        JsonElement run;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(100);
            run = JsonDocument.Parse(await client.GetStringAsync(status)).RootElement;
        } while (run.GetProperty("status").GetString() is "validating" or "running" && clock.Elapsed < TimeSpan.FromSeconds(30));
        return run;
    }

    [Theory]
    [InlineData(null, HttpStatusCode.BadRequest, "Aucune recette n’a été choisie.")]
    [InlineData("", HttpStatusCode.BadRequest, "Aucune recette n’a été choisie.")]
    [InlineData("../../appsettings.json", HttpStatusCode.BadRequest, "Ce n’est ni une recette de la liste ni une recette importée.")]
    [InlineData("upload:not-a-guid", HttpStatusCode.BadRequest, "Ce n’est ni une recette de la liste ni une recette importée.")]
    [InlineData("upload:0123456789abcdef0123456789abcdef", HttpStatusCode.NotFound, "La recette importée n’est plus là. Importez-la à nouveau.")]
    [InlineData("nowhere.json", HttpStatusCode.NotFound, "Il n’y a pas de recette nowhere.json dans la bibliothèque.")]
    public async Task The_apply_page_without_a_recipe_or_with_a_bad_address_says_so(string? source, HttpStatusCode expected, string message)
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var response = await admin.GetAsync("/admin/recipes/apply" + (source is null ? "" : "?source=" + Uri.EscapeDataString(source)));
        Assert.Equal(expected, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, ErrorsOf(page));
        Assert.Contains("href=\"/admin/recipes\"", page);

        var posted = await admin.PostFormAsync("/admin/recipes/apply", source is null ? new() : new() { ["source"] = source }, tokenPage: "/admin/recipes");
        Assert.Equal(expected, posted.StatusCode);
        Assert.Contains(message, ErrorsOf(await posted.Content.ReadAsStringAsync()));
    }
}
