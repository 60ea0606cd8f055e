using System.Text.Json.Nodes;
using CmPortal.Core.Recipes;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>Bad recipes are refused with errors that say where and what to do, and store nothing.</summary>
public sealed class RecipeTests
{
    /// <summary>Applies a recipe that must be refused; <c>Changes</c> is null when every table holds exactly the rows it held before.</summary>
    internal static async Task<(RecipeException Error, string? Changes)> ApplyBadAsync(PortalHost host, string json, Dictionary<string, string>? parameters = null)
    {
        var before = await DatabaseSnapshot.ContentAsync(host);
        var error = await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(json, parameters, "brand.recipe.json"));
        return (error, before.DifferencesFrom(await DatabaseSnapshot.ContentAsync(host)) is { Length: > 0 } changes ? changes : null);
    }

    [Fact]
    public async Task Malformed_json_names_the_file_and_the_line()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, changes) = await ApplyBadAsync(host, "{\n  \"name\": \"x\",\n  \"steps\": [ { \"step\": \"workspace\" \n ]\n}");
        var message = Assert.Single(error.Errors).ToString();
        Assert.StartsWith("brand.recipe.json: The file is not valid JSON: line 4", message);
        Assert.Contains("missing comma", message);
        Assert.Null(changes);
    }

    [Fact]
    public async Task An_unknown_step_is_named_with_its_index_and_the_known_steps()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, changes) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "alpha", "name": "Alpha" },
              { "step": "keyDate", "keyDates": [] } ] }
            """);
        var e = Assert.Single(error.Errors);
        Assert.Equal((2, "keyDate", "step"), (e.StepIndex!.Value, e.StepName!, e.Field!));
        Assert.Contains("There is no step \"keyDate\". Known steps:", e.Message);
        Assert.Contains("keyDates", e.Message);
        Assert.Null(changes);
    }

    [Fact]
    public async Task A_missing_required_parameter_is_refused_before_anything_runs()
    {
        await using var host = await PortalHost.StartAsync();
        var json = await File.ReadAllTextAsync(RecipeHostExtensions.ShippedRecipe("blank.recipe.json"));
        var (error, changes) = await ApplyBadAsync(host, json, new() { ["name"] = "Alpha" });
        var e = Assert.Single(error.Errors);
        Assert.Equal("parameters.key", e.Field);
        Assert.Contains("Parameter \"key\" is required. Give it with --param key=VALUE", e.Message);
        Assert.Null(changes);
    }

    [Fact]
    public async Task A_parameter_of_the_wrong_type_says_what_type_it_needs()
    {
        await using var host = await PortalHost.StartAsync();
        var json = await File.ReadAllTextAsync(RecipeHostExtensions.ShippedRecipe("demo.recipe.json"));
        var (error, changes) = await ApplyBadAsync(host, json, new() { ["year"] = "deux-mille" });
        var e = Assert.Single(error.Errors);
        Assert.Equal("parameters.year", e.Field);
        Assert.Contains("must be an integer; \"deux-mille\" is not", e.Message);
        Assert.Null(changes);
    }

    [Fact]
    public async Task Missing_and_invalid_fields_are_all_reported_with_their_path()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, changes) = await ApplyBadAsync(host, """
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
        Assert.Null(changes);
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_step_that_fails_halfway_leaves_the_database_exactly_as_it_was(Provider provider)
    {
        await using var host = await PortalHost.StartSetUpAsync(provider);
        // Before failing, the recipe both adds rows and changes rows that exist (same row counts, other content):
        // the demo workspace's name, a demo key date's title, the Analyst role's permissions.
        var (error, changes) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen (renamed)" },
              { "step": "keyDates", "keyDates": [ { "id": "fete-des-meres", "title": "Renamed", "start": "2030-01-01" } ] },
              { "step": "roles", "roles": [ { "name": "Analyst", "permissions": ["Workspace.ViewAdmin"] } ] },
              { "step": "workspace", "key": "beta", "name": "Beta" },
              { "step": "modules", "enable": ["ProbeBase", "KeyDates"] },
              { "step": "keyDates", "keyDates": [ { "id": "salon", "title": "Salon", "start": "2027-03-01" } ] },
              { "step": "probeNotes", "notes": ["one", "two", "three"], "failAfter": 2 } ] }
            """);
        var e = Assert.Single(error.Errors);
        Assert.Equal((7, "probeNotes"), (e.StepIndex!.Value, e.StepName!));
        Assert.Contains("The step failed: probe failure after 2 note(s). Nothing was stored.", e.Message);
        Assert.True(changes is null, "everything written before the failure must be rolled back; the tables differ:\n" + changes);
    }

    [Fact]
    public async Task A_step_of_a_module_that_is_off_asks_for_the_module()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, changes) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "gamma", "name": "Gamma" },
              { "step": "keyDates", "keyDates": [] } ] }
            """);
        Assert.Contains("belongs to module \"KeyDates\", which is not on", Assert.Single(error.Errors).Message);
        Assert.Null(changes);
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
        await using var host = await PortalHost.StartSetUpAsync();
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
        Assert.Equal(["workspace", "modules", "theme", "roles", "editorialLine", "graphicCharter", "keyDates", "campaigns", "posts", "queueSlots", "channels", "blogArticles", "communityCharter", "listeningQueries", "rules", "savedReplies", "probeNotes"], steps);
    }

    [Fact]
    public async Task An_export_applies_again_after_a_module_was_turned_off_and_a_partial_workspace_step_keeps_settings()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.ApplyRecipeAsync("""
            { "name": "x", "steps": [
              { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen", "culture": "en-US", "timeZone": "America/Montreal" },
              { "step": "modules", "disable": ["Inbox", "Blog", "Publishing", "ContentCalendar", "KeyDates"] } ] }
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

    [Fact]
    public async Task The_snapshot_sees_a_changed_row_that_row_counts_miss()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var counts = await DatabaseSnapshot.CountsAsync(host);
        var before = await DatabaseSnapshot.ContentAsync(host);
        await host.ApplyRecipeAsync("""{ "name": "x", "steps": [ { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen (renamed)" } ] }""");
        Assert.Equal(counts, await DatabaseSnapshot.CountsAsync(host));
        var difference = before.DifferencesFrom(await DatabaseSnapshot.ContentAsync(host)) is { Length: > 0 } changes ? changes : null;
        Assert.NotNull(difference);
        Assert.Contains("Core_Workspaces", difference);
        Assert.Contains("Maison Lumen (renamed)", difference);
    }

    [Fact]
    public async Task Field_names_are_case_sensitive()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, changes) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "alpha", "name": "Alpha" },
              { "step": "theme", "Site": "Brand" },
              { "step": "workspace", "key": "beta", "NAME": "Beta" } ] }
            """);
        var errors = error.Errors.Select(e => (e.StepIndex, e.Field, e.Message)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e is (2, "Site", _) && e.Message.Contains("\"Site\" is not a field of this step") && e.Message.Contains("fields: site"));
        Assert.Contains(errors, e => e is (3, "NAME", _) && e.Message.Contains("\"NAME\" is not a field of this step") && e.Message.Contains("key, name"));
        Assert.Null(changes);
    }

    [Fact]
    public async Task Names_with_control_characters_line_breaks_or_direction_marks_are_refused()
    {
        await using var host = await PortalHost.StartAsync();
        // Each of these passes as text, but a name is one line of visible characters.
        var (error, changes) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "alpha", "name": "Alpha\u200F" },
              { "step": "modules", "enable": ["KeyDates"] },
              { "step": "roles", "roles": [ { "name": "Community\tmanager", "permissions": [] } ] },
              { "step": "keyDates", "keyDates": [ { "id": "soldes", "title": "Soldes\nd'hiver", "start": "2027-01-10", "description": "Deux lignes\n\tet une tabulation: c'est permis." } ] } ] }
            """);
        var errors = error.Errors.Select(e => (e.StepIndex, e.Field, e.Message)).ToList();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e is (1, "name", _) && e.Message.Contains("U+200F (right-to-left mark) at position 6"));
        Assert.Contains(errors, e => e is (3, "roles[0].name", _) && e.Message.Contains("U+0009 (tab)"));
        Assert.Contains(errors, e => e is (4, "keyDates[0].title", _) && e.Message.Contains("one line of visible text"));
        Assert.Null(changes);
    }

    [Fact]
    public async Task Control_characters_and_direction_overrides_are_refused_anywhere_in_a_recipe_and_in_parameter_values()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, changes) = await ApplyBadAsync(host, """
            { "name": "x",
              "parameters": [ { "name": "name", "required": true } ],
              "steps": [
              { "step": "workspace", "key": "alpha", "name": "{{name}}" },
              { "step": "modules", "enable": ["KeyDates"] },
              { "step": "keyDates", "keyDates": [ { "id": "soldes", "title": "Soldes", "start": "2027-01-10",
                "description": "Prix \u202Eextra\u202C nul\u0000" } ] } ] }
            """, new() { ["name"] = "Alpha\u2066Beta" });
        // The file is refused first, with the line and the path of each bad string.
        var e = Assert.Single(error.Errors);
        Assert.Equal((3, "keyDates[0].description"), (e.StepIndex, e.Field));
        Assert.StartsWith("Line 7: The text contains U+202E (right-to-left override) at position 6.", e.Message);
        Assert.Null(changes);

        // A clean file with a bad value: the parameter is named.
        var (valueError, _) = await ApplyBadAsync(host, """
            { "name": "x", "parameters": [ { "name": "name", "required": true } ],
              "steps": [ { "step": "workspace", "key": "alpha", "name": "{{name}}" } ] }
            """, new() { ["name"] = "Alpha\u2066Beta" });
        var v = Assert.Single(valueError.Errors);
        Assert.Equal("parameters.name", v.Field);
        Assert.Contains("U+2066 (left-to-right isolate) at position 6", v.Message);
    }

    [Fact]
    public async Task A_host_name_bound_to_two_workspaces_in_one_recipe_is_refused_before_anything_runs()
    {
        await using var host = await PortalHost.StartAsync();
        var (error, changes) = await ApplyBadAsync(host, """
            { "name": "x", "steps": [
              { "step": "workspace", "key": "alpha", "name": "Alpha", "hosts": ["www.alpha.test", "shared.test"] },
              { "step": "workspace", "key": "beta", "name": "Beta", "hosts": ["shared.test"] } ] }
            """);
        var e = Assert.Single(error.Errors);
        Assert.Equal((2, "workspace", "hosts"), (e.StepIndex!.Value, e.StepName!, e.Field!));
        Assert.Contains("\"shared.test\" is bound to workspace \"alpha\" by an earlier step of this recipe", e.Message);
        Assert.Null(changes);

        // The same workspace may list it again, and a host an earlier step released may go elsewhere.
        await host.ApplyRecipeAsync("""
            { "name": "x", "steps": [
              { "step": "workspace", "key": "alpha", "name": "Alpha", "hosts": ["shared.test"] },
              { "step": "workspace", "key": "alpha", "name": "Alpha", "hosts": ["shared.test", "www.alpha.test"] },
              { "step": "workspace", "key": "alpha", "name": "Alpha", "hosts": ["www.alpha.test"] },
              { "step": "workspace", "key": "beta", "name": "Beta", "hosts": ["shared.test"] } ] }
            """);
        var bound = await host.InScopeAsync(services => services.GetRequiredService<CmPortal.Core.Persistence.CoreDbContext>().WorkspaceHosts
            .Join(services.GetRequiredService<CmPortal.Core.Persistence.CoreDbContext>().Workspaces, h => h.WorkspaceId, w => w.Id, (h, w) => h.HostName + "=" + w.Key)
            .OrderBy(x => x).ToListAsync());
        Assert.Equal(["shared.test=beta", "www.alpha.test=alpha"], bound);
    }

    [Fact]
    public async Task Ten_thousand_key_date_steps_apply_in_linear_time()
    {
        await using var host = await PortalHost.StartAsync();
        // A recipe applies in one transaction (all or nothing): on a loaded machine it holds SQLite's writer for longer
        // than the job runner waits for it, and the job runner says so once and tries again.
        host.ExpectWarning("Transient exception on attempt 1 of 4 in ExecuteInLocalTransactionLock");
        const int steps = 10_000;
        var json = KeyDatesRecipe(steps);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var result = await host.Services.GetRequiredService<RecipeRunner>().ApplyAsync(RecipeDocument.Parse(json, "many.recipe.json"), new Dictionary<string, string>(), ct: timeout.Token);
        Assert.Equal(steps + 2, result.StepCount);
        // Each step costs about the same as the first ones: a quadratic runner took minutes here.
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(60), $"{steps} steps took {result.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(steps, (await DatabaseSnapshot.CountsAsync(host))["KeyDates_KeyDates"]);
    }

    /// <summary>A workspace with the KeyDates module and <paramref name="count"/> keyDates steps of one key date each.</summary>
    internal static string KeyDatesRecipe(int count)
    {
        var recipe = new System.Text.StringBuilder("""
            { "name": "many", "steps": [
              { "step": "workspace", "key": "many", "name": "Many" },
              { "step": "modules", "enable": ["KeyDates"] }
            """);
        for (var i = 0; i < count; i++)
            recipe.Append($$""",{ "step": "keyDates", "keyDates": [ { "id": "date-{{i}}", "title": "Date {{i}}", "start": "2027-{{i % 12 + 1:00}}-{{i % 28 + 1:00}}" } ] }""").Append('\n');
        return recipe.Append("] }").ToString();
    }

    private static string Steps(string recipe) => JsonNode.Parse(recipe)!["steps"]!.ToJsonString();

    private static string WithoutDate(string recipe)
    {
        var node = JsonNode.Parse(recipe)!;
        node.AsObject().Remove("description");
        return node.ToJsonString();
    }
}
