using System.Net;
using System.Net.Http.Headers;
using CmPortal.Tests.Infrastructure;
using static CmPortal.Tests.Infrastructure.PortalCommand;

namespace CmPortal.Tests.Integration;

/// <summary><c>token create</c>: a script's setup makes its token from the command line and takes the last line.</summary>
public sealed class ApiTokenCommandLineTests
{
    [Fact]
    public async Task Token_create_prints_a_working_token_alone_on_the_last_line_and_bad_input_exits_non_zero()
    {
        var data = Directory.CreateTempSubdirectory("cmportal-cli-").FullName;
        try
        {
            var setup = await RunAsync("setup", "--data-dir", data, "--admin-email", "admin@cli.test", "--admin-password", "cli-password-1",
                "--recipe", RecipeHostExtensions.ShippedRecipe("demo.recipe.json"));
            Assert.True(setup.Exit == 0, setup.Err);

            var made = await RunAsync("token", "create", "--email", "admin@cli.test", "--workspace", "maison-lumen", "--name", "n8n", "--data-dir", data);
            Assert.True(made.Exit == 0, made.Err);
            var lines = made.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var secret = lines[^1];
            Assert.Matches("^cmp_[A-Za-z0-9_-]{43}$", secret);
            Assert.Contains("shown only now", made.Out);

            // The token works against the portal running on the same data folder.
            await using (var host = await PortalHost.StartOnAsync(data))
            {
                using var script = new HttpClient { BaseAddress = host.BaseAddress };
                script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/maison-lumen")).StatusCode);
            }

            var noAccount = await RunAsync("token", "create", "--email", "nobody@cli.test", "--workspace", "maison-lumen", "--name", "n8n", "--data-dir", data);
            Assert.Equal(1, noAccount.Exit);
            Assert.Contains("error: no account uses nobody@cli.test.", noAccount.Err);
            Assert.DoesNotContain("cmp_", noAccount.Out);

            var noWorkspace = await RunAsync("token", "create", "--email", "admin@cli.test", "--workspace", "inconnue", "--name", "n8n", "--data-dir", data);
            Assert.Equal(1, noWorkspace.Exit);
            Assert.Contains("error: workspace: Choose a workspace you are a member of.", noWorkspace.Err);

            var noName = await RunAsync("token", "create", "--email", "admin@cli.test", "--workspace", "maison-lumen", "--data-dir", data);
            Assert.Equal(2, noName.Exit);
            Assert.Contains("token create needs --name", noName.Err);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
