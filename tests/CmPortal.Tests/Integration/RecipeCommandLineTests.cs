using System.Text;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary><c>recipe apply</c> on files the portal must refuse: exit code 1 and a message saying where, never a crash.</summary>
public sealed class RecipeCommandLineTests
{
    [Fact]
    public async Task A_key_written_twice_bytes_that_are_not_UTF8_or_deep_nesting_exit_1_with_a_message()
    {
        var data = Directory.CreateTempSubdirectory("cmportal-cli-").FullName;
        try
        {
            var twice = Path.Combine(data, "twice.recipe.json");
            await File.WriteAllTextAsync(twice, """
                { "name": "twice",
                  "steps": [ { "step": "workspace", "key": "alpha",
                               "name": "Alpha", "key": "beta" } ] }
                """);
            var duplicate = await PortalCommand.RunAsync("recipe", "apply", twice, "--data-dir", data);
            Assert.True(duplicate.Exit == 1, $"exit {duplicate.Exit}: {duplicate.Err}");
            Assert.Equal("twice.recipe.json, step 1, field \"key\": Line 3: The key \"key\" appears twice in the same object. " +
                         "JSON would keep only one of the two values: remove the other.", duplicate.Err.Trim());

            // A recipe that would apply, saved as Latin-1: refused, not applied with "�" in the name.
            var latin1 = Path.Combine(data, "latin1.recipe.json");
            await File.WriteAllBytesAsync(latin1, Encoding.Latin1.GetBytes("""
                { "name": "latin1",
                  "steps": [ { "step": "workspace", "key": "cafe", "name": "Café" } ] }
                """));
            var notUtf8 = await PortalCommand.RunAsync("recipe", "apply", latin1, "--data-dir", data);
            Assert.True(notUtf8.Exit == 1, $"exit {notUtf8.Exit}: {notUtf8.Out}{notUtf8.Err}");
            Assert.StartsWith("latin1.recipe.json: The file is not valid UTF-8: line 2 has the bytes 0xE9", notUtf8.Err.Trim());

            var deep = Path.Combine(data, "deep.recipe.json");
            await File.WriteAllTextAsync(deep, "{ \"name\": \"deep\", \"steps\": " + new string('[', 5000) + new string(']', 5000) + " }");
            var nested = await PortalCommand.RunAsync("recipe", "apply", deep, "--data-dir", data);
            Assert.True(nested.Exit == 1, $"exit {nested.Exit}: {nested.Err}");
            Assert.Contains("deep.recipe.json", nested.Err);
            Assert.Contains("The recipe is nested too deeply: more than 32 levels of objects and arrays", nested.Err);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Applying_an_export_without_its_key_exits_1_naming_the_parameter_and_how_to_give_it()
    {
        var data = Directory.CreateTempSubdirectory("cmportal-cli-").FullName;
        try
        {
            var made = await PortalCommand.RunAsync("recipe", "apply", RecipeHostExtensions.ShippedRecipe("blank.recipe.json"),
                "--param", "key=alpha", "--param", "name=Alpha", "--data-dir", data);
            Assert.True(made.Exit == 0, $"exit {made.Exit}: {made.Err}");
            var file = Path.Combine(data, "alpha.recipe.json");
            var exported = await PortalCommand.RunAsync("recipe", "export", "--workspace", "alpha", "--out", file, "--data-dir", data);
            Assert.True(exported.Exit == 0, $"exit {exported.Exit}: {exported.Err}");

            var missing = await PortalCommand.RunAsync("recipe", "apply", file, "--data-dir", data);
            Assert.True(missing.Exit == 1, $"exit {missing.Exit}: {missing.Out}{missing.Err}");
            Assert.Equal("alpha.recipe.json, field \"parameters.key\": Parameter \"key\" is required. Give it with --param key=VALUE (or in the form).", missing.Err.Trim());

            var empty = await PortalCommand.RunAsync("recipe", "apply", file, "--param", "key=", "--data-dir", data);
            Assert.True(empty.Exit == 1, $"exit {empty.Exit}: {empty.Out}{empty.Err}");
            Assert.Contains("Parameter \"key\" is required. Give it with --param key=VALUE", empty.Err);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Applying_onto_an_existing_workspace_lists_the_changes_and_writes_nothing_without_update_existing()
    {
        var data = Directory.CreateTempSubdirectory("cmportal-cli-").FullName;
        try
        {
            var made = await PortalCommand.RunAsync("recipe", "apply", RecipeHostExtensions.ShippedRecipe("blank.recipe.json"),
                "--param", "key=alpha", "--param", "name=Alpha", "--data-dir", data);
            Assert.True(made.Exit == 0, $"exit {made.Exit}: {made.Err}");

            var refused = await PortalCommand.RunAsync("recipe", "apply", RecipeHostExtensions.ShippedRecipe("blank.recipe.json"),
                "--param", "key=alpha", "--param", "name=Alpha renamed", "--data-dir", data);
            Assert.True(refused.Exit == 1, $"exit {refused.Exit}: {refused.Out}{refused.Err}");
            Assert.StartsWith("blank.recipe.json would change the existing workspace \"Alpha\" (alpha):", refused.Err);
            Assert.Contains("  step 1 (workspace): ", refused.Err);
            Assert.Contains("Nothing was written. To apply these changes, run the command again with --update-existing", refused.Err);
            var file = Path.Combine(data, "alpha.recipe.json");
            Assert.Equal(0, (await PortalCommand.RunAsync("recipe", "export", "--workspace", "alpha", "--out", file, "--data-dir", data)).Exit);
            Assert.Contains("\"Alpha\"", await File.ReadAllTextAsync(file));

            var applied = await PortalCommand.RunAsync("recipe", "apply", RecipeHostExtensions.ShippedRecipe("blank.recipe.json"),
                "--param", "key=alpha", "--param", "name=Alpha renamed", "--update-existing", "--data-dir", data);
            Assert.True(applied.Exit == 0, $"exit {applied.Exit}: {applied.Err}");
            Assert.Equal(0, (await PortalCommand.RunAsync("recipe", "export", "--workspace", "alpha", "--out", file, "--data-dir", data)).Exit);
            Assert.Contains("\"Alpha renamed\"", await File.ReadAllTextAsync(file));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
