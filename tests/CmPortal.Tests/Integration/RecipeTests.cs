using System.Text.Json.Nodes;
using CmPortal.Core.Recipes;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>Bad recipes are refused with errors that say where and what to do, and store nothing.</summary>
public sealed class RecipeTests
{
    private static async Task<(RecipeException Error, bool NothingStored)> ApplyBadAsync(PortalHost host, string json, Dictionary<string, string>? parameters = null)
    {
        var before = await DatabaseSnapshot.ContentAsync(host);
        var error = await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(json, parameters, "brand.recipe.json"));
        return (error, before.DifferencesFrom(await DatabaseSnapshot.ContentAsync(host)).Length == 0);
    }

    [Fact]
    public async Task Malformed_json_names_the_file_and_the_line()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, nothingStored) = await ApplyBadAsync(host, "{\n  \"name\": \"x\",\n  \"steps\": [ { \"step\": \"workspace\" \n ]\n}");
        var message = Assert.Single(error.Errors).ToString();
        Assert.StartsWith("brand.recipe.json: The file is not valid JSON: line 4", message);
        Assert.Contains("missing comma", message);
        Assert.True(nothingStored);
    }

    [Fact]
    public async Task An_unknown_step_is_named_with_its_index_and_the_known_steps()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, nothingStored) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "alpha", "name": "Alpha" },
              { "step": "keyDate", "keyDates": [] } ] }
            """);
        var e = Assert.Single(error.Errors);
        Assert.Equal((2, "keyDate", "step"), (e.StepIndex!.Value, e.StepName!, e.Field!));
        Assert.Contains("There is no step \"keyDate\". Known steps:", e.Message);
        Assert.Contains("keyDates", e.Message);
        Assert.True(nothingStored);
    }

    [Fact]
    public async Task A_missing_required_parameter_is_refused_before_anything_runs()
    {
        await using var host = await PortalHost.StartAsync();
        var json = await File.ReadAllTextAsync(RecipeHostExtensions.ShippedRecipe("blank.recipe.json"));
        var (error, nothingStored) = await ApplyBadAsync(host, json, new() { ["name"] = "Alpha" });
        var e = Assert.Single(error.Errors);
        Assert.Equal("parameters.key", e.Field);
        Assert.Contains("Parameter \"key\" is required. Give it with --param key=VALUE", e.Message);
        Assert.True(nothingStored);
    }

    [Fact]
    public async Task A_parameter_of_the_wrong_type_says_what_type_it_needs()
    {
        await using var host = await PortalHost.StartAsync();
        var json = await File.ReadAllTextAsync(RecipeHostExtensions.ShippedRecipe("demo.recipe.json"));
        var (error, nothingStored) = await ApplyBadAsync(host, json, new() { ["year"] = "deux-mille" });
        var e = Assert.Single(error.Errors);
        Assert.Equal("parameters.year", e.Field);
        Assert.Contains("must be an integer; \"deux-mille\" is not", e.Message);
        Assert.True(nothingStored);
    }

    [Fact]
    public async Task Missing_and_invalid_fields_are_all_reported_with_their_path()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, nothingStored) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "Not A Key", "name": "Alpha", "timeZone": "Europe/Lyon" },
              { "step": "modules", "enable": ["KeyDates", "Calendar"] },
              { "step": "keyDates", "keyDates": [ { "id": "soldes", "title": "Soldes", "start": "2027-13-01" } ] },
              { "step": "keyDates", "keyDates": [ { "title": "Sans id", "start": "2027-01-01" } ] },
              { "step": "theme", "site": "Brand", "colour": "red" } ] }
            """);
        var errors = error.Errors.Select(e => (e.StepIndex, e.Field, e.Message)).ToList();
        Assert.Contains(errors, e => e.StepIndex == 1 && e.Field == "key" && e.Message.Contains("is not a valid key"));
        Assert.Contains(errors, e => e.StepIndex == 1 && e.Field == "timeZone" && e.Message.Contains("\"Europe/Lyon\" is not an IANA time zone"));
        Assert.Contains(errors, e => e.StepIndex == 2 && e.Field == "enable[1]" && e.Message.Contains("There is no module \"Calendar\""));
        Assert.Contains(errors, e => e.StepIndex == 3 && e.Field == "keyDates[0].start" && e.Message.Contains("a date written YYYY-MM-DD"));
        Assert.Contains(errors, e => e.StepIndex == 4 && e.Field == "keyDates[0]" && e.Message.Contains("Required field \"id\" is missing"));
        Assert.Contains(errors, e => e.StepIndex == 5 && e.Field == "colour" && e.Message.Contains("\"colour\" is not a field of this step"));
        Assert.All(error.Errors, e => Assert.Equal("brand.recipe.json", e.File));
        Assert.True(nothingStored);
    }

    [Fact]
    public async Task A_step_that_fails_halfway_leaves_the_database_exactly_as_it_was()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        var (error, nothingStored) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "beta", "name": "Beta" },
              { "step": "modules", "enable": ["ProbeBase", "KeyDates"] },
              { "step": "keyDates", "keyDates": [ { "id": "salon", "title": "Salon", "start": "2027-03-01" } ] },
              { "step": "probeNotes", "notes": ["one", "two", "three"], "failAfter": 2 } ] }
            """);
        var e = Assert.Single(error.Errors);
        Assert.Equal((4, "probeNotes"), (e.StepIndex!.Value, e.StepName!));
        Assert.Contains("The step failed: probe failure after 2 note(s). Nothing was stored.", e.Message);
        Assert.True(nothingStored, "the workspace, modules, key date and notes written before the failure must be rolled back");
    }

    [Fact]
    public async Task A_step_of_a_module_that_is_off_asks_for_the_module()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, nothingStored) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "gamma", "name": "Gamma" },
              { "step": "keyDates", "keyDates": [] } ] }
            """);
        Assert.Contains("belongs to module \"KeyDates\", which is not on", Assert.Single(error.Errors).Message);
        Assert.True(nothingStored);
    }

    [Fact]
    public async Task Applying_the_same_recipe_twice_changes_nothing_the_second_time()
    {
        await using var host = await PortalHost.StartAsync();
        var json = await File.ReadAllTextAsync(RecipeHostExtensions.ShippedRecipe("demo.recipe.json"));
        await host.ApplyRecipeAsync(json);
        var first = await DatabaseSnapshot.CountsAsync(host);
        var exportFirst = await host.ExportAsync("maison-lumen");
        await host.ApplyRecipeAsync(json);
        Assert.Equal(first, await DatabaseSnapshot.CountsAsync(host));
        Assert.Equal(WithoutDate(exportFirst), WithoutDate(await host.ExportAsync("maison-lumen")));
        Assert.True(first["KeyDates_KeyDates"] >= 10);
    }

    [Fact]
    public async Task An_export_applied_under_a_new_key_reproduces_the_workspace()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        await host.ApplyRecipeAsync("""
            { "name": "x", "steps": [
              { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen" },
              { "step": "modules", "enable": ["ProbeDependent"] },
              { "step": "theme", "site": "ProbeSite" },
              { "step": "probeNotes", "notes": ["note « accentuée »", "seconde"] } ] }
            """);
        var original = await host.ExportAsync("maison-lumen");

        await host.ApplyRecipeAsync(original, new() { ["key"] = "maison-lumen-copie", ["name"] = "Maison Lumen" });
        var copy = await host.ExportAsync("maison-lumen-copie");

        Assert.Equal(Steps(original), Steps(copy));
        var steps = JsonNode.Parse(original)!["steps"]!.AsArray().Select(s => s!["step"]!.GetValue<string>()).ToList();
        Assert.Equal(["workspace", "modules", "theme", "roles", "editorialLine", "graphicCharter", "communityCharter", "keyDates", "probeNotes"], steps);
    }

    [Fact]
    public async Task An_export_applies_again_after_a_module_was_turned_off_and_a_partial_workspace_step_keeps_settings()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        await host.ApplyRecipeAsync("""
            { "name": "x", "steps": [
              { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen", "culture": "en-US", "timeZone": "America/Montreal" },
              { "step": "modules", "disable": ["KeyDates"] } ] }
            """);
        // The roles keep their KeyDates grants for when the module returns; the export must not list them.
        var export = await host.ExportAsync("maison-lumen");
        Assert.DoesNotContain("KeyDates.", export);
        await host.ApplyRecipeAsync(export, new() { ["key"] = "copie" });

        // A workspace step that leaves culture and time zone out keeps them.
        await host.ApplyRecipeAsync("""{ "name": "x", "steps": [ { "step": "workspace", "key": "copie", "name": "Copie" } ] }""");
        var copy = JsonNode.Parse(await host.ExportAsync("copie"))!["steps"]![0]!;
        Assert.Equal(("en-US", "America/Montreal"), (copy["culture"]!.GetValue<string>(), copy["timeZone"]!.GetValue<string>()));
    }

    private static string Steps(string recipe) => JsonNode.Parse(recipe)!["steps"]!.ToJsonString();

    private static string WithoutDate(string recipe)
    {
        var node = JsonNode.Parse(recipe)!;
        node.AsObject().Remove("description");
        return node.ToJsonString();
    }
}
