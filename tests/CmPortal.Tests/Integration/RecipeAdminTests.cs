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
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();

        var (duplicate, page) = await UploadAsync(admin, "twice.recipe.json", Encoding.UTF8.GetBytes("""
            { "name": "twice",
              "steps": [ { "step": "workspace", "key": "alpha", "name": "Alpha", "name": "Beta" } ] }
            """));
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Equal("twice.recipe.json, step 1, field \"name\": Line 2: The key \"name\" appears twice in the same object. " +
                     "JSON would keep only one of the two values: remove the other.", ErrorsOf(page));
        Assert.DoesNotContain("id=\"apply\"", page);

        var latin1 = Encoding.Latin1.GetBytes("{ \"name\": \"caf\u00e9\",\n  \"description\": \"cr\u00e8me\", \"steps\": [] }");
        var (notUtf8, page2) = await UploadAsync(admin, "latin1.recipe.json", latin1);
        Assert.Equal(HttpStatusCode.OK, notUtf8.StatusCode);
        Assert.StartsWith("latin1.recipe.json: The file is not valid UTF-8: line 1 has the bytes 0xE9", ErrorsOf(page2));
    }

    [Fact]
    public async Task A_recipe_without_parameters_applies_from_the_admin()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
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
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
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
