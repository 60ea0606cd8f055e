using System.Diagnostics;
using System.Text.Json.Nodes;
using CmPortal.Tests.Infrastructure;
using static CmPortal.Tests.Infrastructure.PortalCommand;

namespace CmPortal.Tests.Integration;

/// <summary>The host binary's commands, run as a newcomer runs them: a separate process on a data folder.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task The_demo_console_says_where_to_open_the_portal_and_how_to_sign_in_without_migration_chatter()
    {
        var data = Directory.CreateTempSubdirectory("cmportal-cli-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RecipeHostExtensions.RepositoryRoot };
        foreach (var arg in new[] { WebDll, "--demo", "--data-dir", data, "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("Demo brand Maison Lumen", StringComparison.Ordinal)) break;
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
        var output = string.Join('\n', lines);
        Assert.Contains($"CmPortal is running. Open http://127.0.0.1:{port}/admin", output);
        Assert.Contains($"Demo brand Maison Lumen: http://127.0.0.1:{port}/maison-lumen/ — sign in at http://127.0.0.1:{port}/admin as admin@maison-lumen.test, password demo-lumen-2026", output);
        Assert.DoesNotContain("Applying migration", output);
        Assert.DoesNotContain("Acquiring an exclusive lock", output);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Setup_apply_and_export_work_from_the_command_line_and_bad_input_exits_non_zero()
    {
        var data = Directory.CreateTempSubdirectory("cmportal-cli-").FullName;
        try
        {
            var demo = RecipeHostExtensions.ShippedRecipe("demo.recipe.json");
            var setup = await RunAsync("setup", "--data-dir", data, "--admin-email", "admin@cli.test", "--admin-password", "cli-password-1", "--recipe", demo);
            Assert.True(setup.Exit == 0, setup.Err);
            Assert.Contains("Setup done", setup.Out);

            var again = await RunAsync("setup", "--data-dir", data, "--admin-email", "other@cli.test", "--admin-password", "cli-password-1", "--recipe", demo);
            Assert.Equal(1, again.Exit);
            Assert.Contains("already set up", again.Err);

            var export = Path.Combine(data, "export.json");
            var exported = await RunAsync("recipe", "export", "--workspace", "maison-lumen", "--out", export, "--data-dir", data);
            Assert.True(exported.Exit == 0, exported.Err);
            var steps = JsonNode.Parse(await File.ReadAllTextAsync(export))!["steps"]!.AsArray();
            Assert.Contains(steps, s => s!["step"]!.GetValue<string>() == "keyDates" && s.ToJsonString().Contains("fete-des-meres"));

            var applied = await RunAsync("recipe", "apply", export, "--param", "key=maison-lumen-bis", "--data-dir", data);
            Assert.True(applied.Exit == 0, applied.Err);
            Assert.Contains("to workspace maison-lumen-bis", applied.Out);

            var broken = Path.Combine(data, "broken.recipe.json");
            await File.WriteAllTextAsync(broken, "{ \"name\": \"broken\", \"steps\": [ { \"step\": \"workspace\", \"key\": \"x\" ");
            var refused = await RunAsync("recipe", "apply", broken, "--data-dir", data);
            Assert.Equal(1, refused.Exit);
            Assert.Contains("broken.recipe.json: The file is not valid JSON: line 1", refused.Err);

            var wrongType = await RunAsync("recipe", "apply", demo, "--param", "year=soon", "--data-dir", data);
            Assert.Equal(1, wrongType.Exit);
            Assert.Contains("Parameter \"year\" must be an integer", wrongType.Err);

            var unknown = await RunAsync("publish", "--data-dir", data);
            Assert.Equal(2, unknown.Exit);
            Assert.Contains("\"publish\" is not a command", unknown.Err);
            Assert.Contains("usage:", unknown.Err);

            var missingFile = await RunAsync("recipe", "apply", Path.Combine(data, "nowhere.json"));
            Assert.Equal(2, missingFile.Exit);
            Assert.Contains("does not exist", missingFile.Err);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
